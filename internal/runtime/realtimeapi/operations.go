package realtimeapi

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Participant token capabilities.
const (
	CapabilityPublish   = "PUBLISH"
	CapabilitySubscribe = "SUBSCRIBE"
)

// CreateParticipantTokenInput is CreateParticipantToken's request.
//
// A field whose absence IVS reads as "more" is never omitted: IVS's
// defaults are PUBLISH and SUBSCRIBE for capabilities and 720 minutes for
// duration (CreateParticipantToken, IVS real-time API reference:
// https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_CreateParticipantToken.html),
// so CreateParticipantToken refuses to send an input without them.
// Fields whose absence means "less" (no user ID, no attributes) may be
// left out.
type CreateParticipantTokenInput struct {
	StageArn string `json:"stageArn"`
	// Duration in minutes, 1 to 20160. Required here: an absent duration
	// is IVS's 720 minutes, longer than an endpoint may allow.
	Duration int `json:"duration"`
	// UserID is left out when empty: the token then has no user ID.
	UserID string `json:"userId,omitempty"`
	// Attributes are left out when empty: the token then has none.
	Attributes map[string]string `json:"attributes,omitempty"`
	// Capabilities, PUBLISH and/or SUBSCRIBE. Required here: absent, IVS
	// grants PUBLISH and SUBSCRIBE.
	Capabilities []string `json:"capabilities"`
}

// ParticipantToken is a token IVS issued.
type ParticipantToken struct {
	ParticipantID  string            `json:"participantId"`
	Token          string            `json:"token"`
	UserID         string            `json:"userId"`
	Attributes     map[string]string `json:"attributes"`
	Duration       int               `json:"duration"`
	Capabilities   []string          `json:"capabilities"`
	ExpirationTime time.Time         `json:"expirationTime"`
}

// CreateParticipantToken has IVS issue a participant token for a stage.
//
// It refuses, without calling IVS, an input with no capabilities or no
// duration: IVS would read their absence as its widest defaults.
func (c *Client) CreateParticipantToken(ctx context.Context, in CreateParticipantTokenInput) (*ParticipantToken, error) {
	switch {
	case len(in.Capabilities) == 0:
		return nil, errors.New("CreateParticipantToken: no capabilities (IVS would grant PUBLISH and SUBSCRIBE); refusing to send")
	case in.Duration < 1:
		return nil, fmt.Errorf("CreateParticipantToken: duration %d (IVS would use 720 minutes for none); refusing to send", in.Duration)
	}
	var out struct {
		ParticipantToken ParticipantToken `json:"participantToken"`
	}
	if err := c.call(ctx, "CreateParticipantToken", in, &out); err != nil {
		return nil, err
	}
	return &out.ParticipantToken, nil
}

// StageEndpoints are a stage's endpoints.
type StageEndpoints struct {
	Events string `json:"events"`
	Whip   string `json:"whip"`
	Rtmp   string `json:"rtmp"`
	Rtmps  string `json:"rtmps"`
}

// Stage is what GetStage and CreateStage return of a stage.
type Stage struct {
	Arn             string            `json:"arn"`
	Name            string            `json:"name"`
	ActiveSessionID string            `json:"activeSessionId"`
	Tags            map[string]string `json:"tags"`
	Endpoints       StageEndpoints    `json:"endpoints"`
}

// GetStage reads a stage.
func (c *Client) GetStage(ctx context.Context, arn string) (*Stage, error) {
	var out struct {
		Stage Stage `json:"stage"`
	}
	if err := c.call(ctx, "GetStage", map[string]string{"arn": arn}, &out); err != nil {
		return nil, err
	}
	return &out.Stage, nil
}

// PublicKey is an IVS public key (for participant tokens).
type PublicKey struct {
	Arn               string            `json:"arn"`
	Name              string            `json:"name"`
	PublicKeyMaterial string            `json:"publicKeyMaterial,omitempty"`
	Fingerprint       string            `json:"fingerprint,omitempty"`
	Tags              map[string]string `json:"tags"`
}

// ImportPublicKey imports a PEM public key under name with tags.
func (c *Client) ImportPublicKey(ctx context.Context, name, material string, tags map[string]string) (*PublicKey, error) {
	in := map[string]any{"publicKeyMaterial": material, "name": name, "tags": tags}
	var out struct {
		PublicKey PublicKey `json:"publicKey"`
	}
	if err := c.call(ctx, "ImportPublicKey", in, &out); err != nil {
		return nil, err
	}
	return &out.PublicKey, nil
}

// ListPublicKeys returns every public key of the region, following
// nextToken.
func (c *Client) ListPublicKeys(ctx context.Context) ([]PublicKey, error) {
	var all []PublicKey
	next := ""
	for {
		in := map[string]any{}
		if next != "" {
			in["nextToken"] = next
		}
		var out struct {
			PublicKeys []PublicKey `json:"publicKeys"`
			NextToken  string      `json:"nextToken"`
		}
		if err := c.call(ctx, "ListPublicKeys", in, &out); err != nil {
			return nil, err
		}
		all = append(all, out.PublicKeys...)
		if out.NextToken == "" {
			return all, nil
		}
		next = out.NextToken
	}
}

// DeletePublicKey deletes a public key.
func (c *Client) DeletePublicKey(ctx context.Context, arn string) error {
	return c.call(ctx, "DeletePublicKey", map[string]string{"arn": arn}, &struct{}{})
}
