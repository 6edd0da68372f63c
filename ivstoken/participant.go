package ivstoken

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ivscdk/ivscdk/internal/ivsarn"
)

// Limits of IVS real-time participant tokens, from the IVS Real-Time API
// (CreateParticipantToken) and user guide.
const (
	// MaxParticipantTokenLifetime is the longest a participant token may
	// live: 20,160 minutes (14 days).
	MaxParticipantTokenLifetime = 14 * 24 * time.Hour
	// MaxUserIDLength is the longest user ID, in characters.
	MaxUserIDLength = 128
	// MaxAttributesSize bounds the attributes: keys and values together, in
	// bytes of UTF-8.
	MaxAttributesSize = 1024
	// participantTokenVersion is the "version" claim IVS expects.
	participantTokenVersion = "1.0"
	// MaxClockSkew is how far in the future of the verifier's clock a
	// participant token's iat may lie: clocks of signer and verifier
	// differ a little, a token issued later than that is refused.
	MaxClockSkew           = time.Minute
	maxParticipantIDLength = 64
)

// Capability is something a participant may do in a stage.
type Capability string

// Capabilities.
const (
	CapabilityPublish   Capability = "PUBLISH"
	CapabilitySubscribe Capability = "SUBSCRIBE"
)

// ParticipantClaims are the claims of a self-signed IVS real-time stage
// participant token: a JWT signed with the private half of an IVS public key
// (AWS::IVS::PublicKey), whose ARN goes in the header as "kid".
type ParticipantClaims struct {
	// StageArn is the ARN of the stage the token joins ("resource"); the
	// stage ID ("topic") is taken from it. Required.
	StageArn string
	// ParticipantID identifies this participant ("jti"): letters, digits,
	// '-' and '_', at most 64. Default: 12 random letters and digits, as
	// IVS's own participant IDs.
	ParticipantID string
	// UserID links the participant to your users ("user_id"); at most 128
	// characters; visible to every participant, so no personal data.
	UserID string
	// Attributes are visible to every participant ("attributes"); at most
	// 1 KB of keys and values.
	Attributes map[string]string
	// Capabilities are what the participant may do. Required: Sign refuses
	// nil, so that a list built by appending what a caller may do, which
	// ends up nil when they may do nothing, never becomes a token that
	// publishes (CreateParticipantToken reads a missing list as PUBLISH and
	// SUBSCRIBE; ivstoken does not). A non-nil empty slice allows neither.
	Capabilities []Capability
	// EventsURL and WhipURL are the stage's endpoints (GetStage's
	// endpoints.events and endpoints.whip), passed on to clients
	// ("events_url", "whip_url"). Required for signing: the IVS real-time
	// user guide makes every claim but user_id mandatory, and
	// CloudFormation does not expose these endpoints, so a token service
	// reads them with GetStage.
	EventsURL, WhipURL string
	// IssuedAt is the "iat" claim. Default: the signing time.
	IssuedAt time.Time
	// ExpiresAt is when the token stops being accepted ("exp"); at most 14
	// days after IssuedAt. Required.
	ExpiresAt time.Time
}

type participantCapabilities struct {
	AllowPublish   bool `json:"allow_publish"`
	AllowSubscribe bool `json:"allow_subscribe"`
}

type participantWire struct {
	Exp          *int64                   `json:"exp"`
	Iat          *int64                   `json:"iat"`
	Jti          string                   `json:"jti"`
	Resource     string                   `json:"resource"`
	Topic        string                   `json:"topic"`
	EventsURL    string                   `json:"events_url,omitempty"`
	WhipURL      string                   `json:"whip_url,omitempty"`
	UserID       string                   `json:"user_id,omitempty"`
	Attributes   map[string]string        `json:"attributes,omitempty"`
	Capabilities *participantCapabilities `json:"capabilities"`
	Version      string                   `json:"version"`
}

// ParticipantSigner signs participant tokens with the private half of an IVS
// public key. It is safe for concurrent use.
type ParticipantSigner struct {
	key    *ecdsa.PrivateKey
	header string
	now    func() time.Time
}

// NewParticipantSigner returns a signer for key, the private half of the IVS
// public key whose ARN is publicKeyArn
// (arn:aws:ivs:REGION:ACCOUNT:public-key/ID). WithClock sets the clock it
// signs by.
func NewParticipantSigner(key *ecdsa.PrivateKey, publicKeyArn string, opts ...SignerOption) (*ParticipantSigner, error) {
	if key == nil {
		return nil, errors.New("ivstoken: nil private key")
	}
	if err := checkCurve(&key.PublicKey); err != nil {
		return nil, err
	}
	if err := ivsarn.CheckLiteral(publicKeyArn, "ivs", "public-key"); err != nil {
		return nil, fmt.Errorf("ivstoken: public key ARN %w", err)
	}
	return &ParticipantSigner{
		key:    key,
		header: encodedHeader(jwtHeader{Alg: "ES384", Typ: "JWT", Kid: publicKeyArn}),
		now:    newSignerConfig(opts).now,
	}, nil
}

// Sign checks the claims and returns the signed token, which a participant
// passes to the IVS broadcast SDK to join the stage.
func (s *ParticipantSigner) Sign(claims ParticipantClaims) (string, error) {
	now := s.now()
	if claims.IssuedAt.IsZero() {
		claims.IssuedAt = now
	}
	if claims.ParticipantID == "" {
		claims.ParticipantID = NewParticipantID()
	}
	if err := claims.check(now, true); err != nil {
		return "", err
	}
	payload, err := claims.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("ivstoken: encoding claims: %w", err)
	}
	return signES384(s.key, s.header, payload)
}

// VerifyParticipantToken checks that token is an ES384 participant token
// signed by the private half of pub and not expired at now, and returns its
// claims and the public key ARN of its "kid" header.
func VerifyParticipantToken(token string, pub *ecdsa.PublicKey, now time.Time) (*ParticipantClaims, string, error) {
	header, payload, err := verifyES384(token, pub)
	if err != nil {
		return nil, "", err
	}
	if err := ivsarn.CheckLiteral(header.Kid, "ivs", "public-key"); err != nil {
		return nil, "", fmt.Errorf("%w: kid must be the IVS public key ARN: %v", ErrClaims, err)
	}
	if err := checkObject(payload, participantMembers); err != nil {
		return nil, "", fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	claims := &ParticipantClaims{}
	if err := json.Unmarshal(payload, claims); err != nil {
		return nil, "", fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if !now.Before(claims.ExpiresAt) {
		return nil, "", fmt.Errorf("%w: exp %s is not after %s", ErrExpired,
			claims.ExpiresAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if err := claims.check(now, false); err != nil {
		return nil, "", err
	}
	return claims, header.Kid, nil
}

// MarshalJSON encodes the claims as the token's payload.
func (c ParticipantClaims) MarshalJSON() ([]byte, error) {
	exp, iat := c.ExpiresAt.Unix(), c.IssuedAt.Unix()
	return json.Marshal(participantWire{
		Exp:          &exp,
		Iat:          &iat,
		Jti:          c.ParticipantID,
		Resource:     c.StageArn,
		Topic:        stageID(c.StageArn),
		EventsURL:    c.EventsURL,
		WhipURL:      c.WhipURL,
		UserID:       c.UserID,
		Attributes:   c.Attributes,
		Capabilities: capabilitiesOf(c.Capabilities),
		Version:      participantTokenVersion,
	})
}

// UnmarshalJSON decodes a participant token payload, checking the claims
// that only the wire form has (topic, version).
func (c *ParticipantClaims) UnmarshalJSON(data []byte) error {
	var w participantWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	switch {
	case w.Exp == nil:
		return errors.New("no exp claim")
	case w.Iat == nil:
		return errors.New("no iat claim")
	case w.Capabilities == nil:
		return errors.New("no capabilities claim")
	case w.Version != participantTokenVersion:
		return fmt.Errorf("version %q, want %q", w.Version, participantTokenVersion)
	case w.Topic != stageID(w.Resource):
		return fmt.Errorf("topic %q is not the ID of stage %q", w.Topic, w.Resource)
	}
	caps := []Capability{}
	if w.Capabilities.AllowPublish {
		caps = append(caps, CapabilityPublish)
	}
	if w.Capabilities.AllowSubscribe {
		caps = append(caps, CapabilitySubscribe)
	}
	*c = ParticipantClaims{
		StageArn:      w.Resource,
		ParticipantID: w.Jti,
		UserID:        w.UserID,
		Attributes:    w.Attributes,
		Capabilities:  caps,
		EventsURL:     w.EventsURL,
		WhipURL:       w.WhipURL,
		IssuedAt:      time.Unix(*w.Iat, 0).UTC(),
		ExpiresAt:     time.Unix(*w.Exp, 0).UTC(),
	}
	return nil
}

func capabilitiesOf(caps []Capability) *participantCapabilities {
	var out participantCapabilities
	for _, c := range caps {
		out.AllowPublish = out.AllowPublish || c == CapabilityPublish
		out.AllowSubscribe = out.AllowSubscribe || c == CapabilitySubscribe
	}
	return &out
}

// stageID returns the resource ID of a stage ARN ("" if it has none).
func stageID(stageArn string) string {
	if a, err := ivsarn.Parse(stageArn); err == nil {
		return a.ResourceID
	}
	return ""
}

func (c *ParticipantClaims) check(now time.Time, signing bool) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if c.StageArn == "" {
		add("StageArn is required")
	} else if err := ivsarn.CheckLiteral(c.StageArn, "ivs", "stage"); err != nil {
		add("StageArn %v", err)
	}
	if n := len(c.ParticipantID); n == 0 || n > maxParticipantIDLength ||
		strings.Trim(c.ParticipantID, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		add("ParticipantID %q is invalid: use 1 to %d letters, digits, '-' and '_'", c.ParticipantID, maxParticipantIDLength)
	}
	if n := utf8.RuneCountInString(c.UserID); n > MaxUserIDLength {
		add("UserID is %d characters: at most %d are allowed", n, MaxUserIDLength)
	}
	size := 0
	for k, v := range c.Attributes {
		size += len(k) + len(v)
	}
	if size > MaxAttributesSize {
		add("Attributes hold %d bytes: at most %d are allowed", size, MaxAttributesSize)
	}
	if c.Capabilities == nil {
		add("Capabilities is nil: name them, such as []Capability{CapabilityPublish, CapabilitySubscribe} " +
			"(an empty list allows neither); a missing list is never read as both")
	}
	seen := map[Capability]bool{}
	for _, capability := range c.Capabilities {
		if capability != CapabilityPublish && capability != CapabilitySubscribe {
			add("Capability %q is invalid: use %q or %q", capability, CapabilityPublish, CapabilitySubscribe)
		} else if seen[capability] {
			add("Capability %q is given twice", capability)
		}
		seen[capability] = true
	}
	for _, e := range [...]struct{ name, url string }{{"EventsURL", c.EventsURL}, {"WhipURL", c.WhipURL}} {
		name, u := e.name, e.url
		if parsed, err := url.Parse(u); u != "" && (err != nil || parsed.Host == "" ||
			(parsed.Scheme != "https" && parsed.Scheme != "wss")) {
			add("%s %q is not an https:// or wss:// URL (use the stage's endpoints from GetStage)", name, u)
		}
	}
	if signing && (c.EventsURL == "" || c.WhipURL == "") {
		add("EventsURL and WhipURL are required: IVS makes every participant token claim but user_id mandatory; " +
			"read them from the stage with GetStage (endpoints.events, endpoints.whip)")
	}
	if signing {
		switch {
		case c.ExpiresAt.IsZero():
			add("ExpiresAt is required")
		case !c.ExpiresAt.After(now):
			add("ExpiresAt %s is not in the future", c.ExpiresAt.UTC().Format(time.RFC3339))
		case c.ExpiresAt.Sub(c.IssuedAt) > MaxParticipantTokenLifetime:
			add("ExpiresAt is %s after IssuedAt: a participant token may live at most %s (20,160 minutes)",
				c.ExpiresAt.Sub(c.IssuedAt).Round(time.Second), MaxParticipantTokenLifetime)
		}
	} else {
		if c.ExpiresAt.Sub(c.IssuedAt) > MaxParticipantTokenLifetime {
			add("exp is more than %s after iat", MaxParticipantTokenLifetime)
		}
		if c.IssuedAt.Sub(now) > MaxClockSkew {
			add("iat %s lies more than %s after %s", c.IssuedAt.Format(time.RFC3339), MaxClockSkew, now.UTC().Format(time.RFC3339))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrClaims, strings.Join(problems, "; "))
	}
	return nil
}

const participantIDAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// NewParticipantID returns a random participant ID of 12 letters and
// digits, the form of IVS's own. Sign makes one when ParticipantID is empty;
// call it yourself when you need to know the ID before signing.
func NewParticipantID() string {
	var b [12]byte
	out := make([]byte, 0, len(b))
	for len(out) < len(b) {
		_, _ = rand.Read(b[:])
		for _, x := range b {
			// 248 is the largest multiple of 62 below 256: no modulo bias.
			if x < 248 && len(out) < len(b) {
				out = append(out, participantIDAlphabet[x%62])
			}
		}
	}
	return string(out)
}
