package realtimeapi

import (
	"context"
	"fmt"
	"time"
)

// Server-side composition: StartComposition, StopComposition and
// ListCompositions, with the members botocore's model gives them
// (ivs-realtime 2020-07-14).

// The states of a composition (CompositionState).
const (
	CompositionStarting = "STARTING"
	CompositionActive   = "ACTIVE"
	CompositionStopping = "STOPPING"
	CompositionFailed   = "FAILED"
	CompositionStopped  = "STOPPED"
)

// ChannelDestination broadcasts a composition to a channel, which must be
// offline, in the stage's account and region.
type ChannelDestination struct {
	ChannelArn              string `json:"channelArn"`
	EncoderConfigurationArn string `json:"encoderConfigurationArn,omitempty"`
}

// S3Destination records a composition to a storage configuration.
type S3Destination struct {
	StorageConfigurationArn  string   `json:"storageConfigurationArn"`
	EncoderConfigurationArns []string `json:"encoderConfigurationArns"`
}

// Destination is one of a composition's one or two destinations.
type Destination struct {
	Channel *ChannelDestination `json:"channel,omitempty"`
	S3      *S3Destination      `json:"s3,omitempty"`
}

// StartCompositionInput is StartComposition's request. The layout is
// left to IVS's default (grid).
type StartCompositionInput struct {
	StageArn string `json:"stageArn"`
	// IdempotencyToken makes a repeated start the same composition: 1 to
	// 64 of letters, digits, '-' and '_'.
	IdempotencyToken string            `json:"idempotencyToken"`
	Destinations     []Destination     `json:"destinations"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// Composition is a composition as StartComposition and ListCompositions
// answer it.
type Composition struct {
	Arn       string            `json:"arn"`
	StageArn  string            `json:"stageArn"`
	State     string            `json:"state"`
	Tags      map[string]string `json:"tags"`
	StartTime time.Time         `json:"startTime"`
	EndTime   time.Time         `json:"endTime"`
}

// Live tells whether the composition is starting or running.
func (c Composition) Live() bool {
	return c.State == CompositionStarting || c.State == CompositionActive
}

// StartComposition starts composing a stage to its destinations.
func (c *Client) StartComposition(ctx context.Context, in StartCompositionInput) (*Composition, error) {
	if n := len(in.Destinations); n < 1 || n > 2 {
		return nil, fmt.Errorf("StartComposition: %d destinations, give 1 or 2", n)
	}
	var out struct {
		Composition Composition `json:"composition"`
	}
	if err := c.call(ctx, "StartComposition", in, &out); err != nil {
		return nil, err
	}
	return &out.Composition, nil
}

// StopComposition stops a composition.
func (c *Client) StopComposition(ctx context.Context, arn string) error {
	return c.call(ctx, "StopComposition", map[string]string{"arn": arn}, &struct{}{})
}

// ListCompositions returns the compositions of a stage (every stage's for
// ""), all pages.
func (c *Client) ListCompositions(ctx context.Context, stageArn string) ([]Composition, error) {
	var all []Composition
	in := map[string]any{"maxResults": 100}
	if stageArn != "" {
		in["filterByStageArn"] = stageArn
	}
	for {
		var out struct {
			Compositions []Composition `json:"compositions"`
			NextToken    string        `json:"nextToken"`
		}
		if err := c.call(ctx, "ListCompositions", in, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Compositions...)
		if out.NextToken == "" {
			return all, nil
		}
		in["nextToken"] = out.NextToken
	}
}
