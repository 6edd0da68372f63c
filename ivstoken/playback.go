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
	"github.com/ivscdk/ivscdk/internal/origin"
)

// Limits IVS documents for playback tokens.
const (
	// MaxShortLivedTokenLifetime is the longest a token with a viewer ID or a
	// single-use UUID may live.
	MaxShortLivedTokenLifetime = 10 * time.Minute
	// MaxViewerIDLength is the longest viewer ID, in characters.
	MaxViewerIDLength = 40
	// MaxStrictOrigins is the most origins a token with strict origin
	// enforcement may name.
	MaxStrictOrigins = 5
)

// PlaybackClaims are the claims of an IVS playback authorization token, as
// the IVS user guide "Generate and Sign IVS Playback Tokens" specifies them.
type PlaybackClaims struct {
	// ChannelArn is the ARN of the authorized channel the token plays.
	// Required.
	ChannelArn string
	// AccessControlAllowOrigin restricts playback to these origins
	// (comma-separated, e.g. "https://example.com,https://*.example.net").
	// Default: all origins.
	AccessControlAllowOrigin string
	// StrictOriginEnforcement applies the origin restriction to every
	// playback request, not only the multivariant playlist. At most 5
	// origins then.
	StrictOriginEnforcement bool
	// SingleUseUUID makes the token single-use. The token may then live at
	// most 10 minutes. NewUUID makes one.
	SingleUseUUID string
	// ViewerID identifies the viewer, so that the session can be revoked;
	// at most 40 characters, no personal data. The token may then live at
	// most 10 minutes.
	ViewerID string
	// ViewerSessionVersion versions the viewer's session for revocation
	// (for example a Unix time). Needs ViewerID.
	ViewerSessionVersion int64
	// MaximumResolution caps the resolution the viewer gets: "SD", "HD" or
	// "FULL_HD". Default: no cap.
	MaximumResolution string
	// AdsOptOut keeps ads from this viewer on a channel with server-side
	// ad insertion ("aws:ads-opt-out").
	AdsOptOut bool
	// AdsPlayerParams are passed to the ad decision server as the
	// [player_params.KEY] template variables ("aws:ads-player-params"); at
	// most 1000 bytes of keys and values in all.
	AdsPlayerParams map[string]string
	// AdsPlaybackConfigName picks one of the ad configuration's MediaTailor
	// playback configurations for this viewer ("aws:ads-playback-config-name").
	// Default: the first.
	AdsPlaybackConfigName string
	// AdsReportingMode is "CLIENT" or "SERVER" (the default): who sends the
	// ad tracking beacons ("aws:ads-reporting-mode").
	AdsReportingMode string
	// ExpiresAt is when the token stops being accepted for starting
	// playback (exp, in whole seconds). Required.
	ExpiresAt time.Time
}

// The values of PlaybackClaims.AdsReportingMode.
const (
	AdsReportingModeClient = "CLIENT"
	AdsReportingModeServer = "SERVER"
)

// MaxAdsPlayerParamsSize is the most bytes the keys and values of
// AdsPlayerParams may hold together (IVS user guide, "Server-Side Ad
// Insertion (SSAI)").
const MaxAdsPlayerParamsSize = 1000

// playbackWire is the payload's JSON form, in the documented claim order.
type playbackWire struct {
	ChannelArn               string            `json:"aws:channel-arn"`
	AccessControlAllowOrigin string            `json:"aws:access-control-allow-origin,omitempty"`
	StrictOriginEnforcement  bool              `json:"aws:strict-origin-enforcement,omitempty"`
	SingleUseUUID            string            `json:"aws:single-use-uuid,omitempty"`
	ViewerID                 string            `json:"aws:viewer-id,omitempty"`
	ViewerSessionVersion     int64             `json:"aws:viewer-session-version,omitempty"`
	MaximumResolution        string            `json:"aws:maximum-resolution,omitempty"`
	AdsOptOut                bool              `json:"aws:ads-opt-out,omitempty"`
	AdsPlayerParams          map[string]string `json:"aws:ads-player-params,omitempty"`
	AdsPlaybackConfigName    string            `json:"aws:ads-playback-config-name,omitempty"`
	AdsReportingMode         string            `json:"aws:ads-reporting-mode,omitempty"`
	Exp                      *int64            `json:"exp"`
}

// playbackHeader is {"alg":"ES384","typ":"JWT"}, base64url-encoded.
var playbackHeader = encodedHeader(jwtHeader{Alg: "ES384", Typ: "JWT"})

// PlaybackSigner signs playback tokens with the private half of an IVS
// playback key pair. It is safe for concurrent use.
type PlaybackSigner struct {
	key *ecdsa.PrivateKey
	now func() time.Time
}

// NewPlaybackSigner returns a signer for key, which must be an ECDSA P-384
// private key (ParsePrivateKeyPEM reads one). WithClock sets the clock it
// signs by.
func NewPlaybackSigner(key *ecdsa.PrivateKey, opts ...SignerOption) (*PlaybackSigner, error) {
	if key == nil {
		return nil, errors.New("ivstoken: nil private key")
	}
	if err := checkCurve(&key.PublicKey); err != nil {
		return nil, err
	}
	return &PlaybackSigner{key: key, now: newSignerConfig(opts).now}, nil
}

// Sign checks the claims against the rules IVS documents and returns the
// signed token. Append it to the channel's playback URL as the "token"
// query parameter (PlaybackURLWithToken does).
func (s *PlaybackSigner) Sign(claims PlaybackClaims) (string, error) {
	if err := claims.check(s.now(), true); err != nil {
		return "", err
	}
	payload, err := claims.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("ivstoken: encoding claims: %w", err)
	}
	return signES384(s.key, playbackHeader, payload)
}

// VerifyPlaybackToken checks that token is an ES384 JWT signed by the
// private half of pub, not expired at now, with claims that follow the IVS
// rules, and returns its claims. Tokens with any other algorithm ("none",
// HS384, ...) are refused (ErrAlgorithm); malformed input returns an error,
// never a panic.
func VerifyPlaybackToken(token string, pub *ecdsa.PublicKey, now time.Time) (*PlaybackClaims, error) {
	_, payload, err := verifyES384(token, pub)
	if err != nil {
		return nil, err
	}
	if err := checkObject(payload, playbackMembers); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	claims := &PlaybackClaims{}
	if err := json.Unmarshal(payload, claims); err != nil {
		if errors.Is(err, errNoExp) {
			return nil, fmt.Errorf("%w: no exp claim", ErrClaims)
		}
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if !now.Before(claims.ExpiresAt) {
		return nil, fmt.Errorf("%w: exp %s is not after %s", ErrExpired,
			claims.ExpiresAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	// The lifetime limits can only be judged at signing time.
	if err := claims.check(now, false); err != nil {
		return nil, err
	}
	return claims, nil
}

var errNoExp = errors.New("no exp claim")

// MarshalJSON encodes the claims as the token's payload: the "aws:" claim
// names of the IVS token schema, empty optional claims left out, and exp in
// Unix seconds.
func (c PlaybackClaims) MarshalJSON() ([]byte, error) {
	exp := c.ExpiresAt.Unix()
	return json.Marshal(playbackWire{
		ChannelArn:               c.ChannelArn,
		AccessControlAllowOrigin: c.AccessControlAllowOrigin,
		StrictOriginEnforcement:  c.StrictOriginEnforcement,
		SingleUseUUID:            c.SingleUseUUID,
		ViewerID:                 c.ViewerID,
		ViewerSessionVersion:     c.ViewerSessionVersion,
		MaximumResolution:        c.MaximumResolution,
		AdsOptOut:                c.AdsOptOut,
		AdsPlayerParams:          c.AdsPlayerParams,
		AdsPlaybackConfigName:    c.AdsPlaybackConfigName,
		AdsReportingMode:         c.AdsReportingMode,
		Exp:                      &exp,
	})
}

// UnmarshalJSON decodes a token payload. The exp claim is required.
func (c *PlaybackClaims) UnmarshalJSON(data []byte) error {
	var wire playbackWire
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	if wire.Exp == nil {
		return errNoExp
	}
	*c = PlaybackClaims{
		ChannelArn:               wire.ChannelArn,
		AccessControlAllowOrigin: wire.AccessControlAllowOrigin,
		StrictOriginEnforcement:  wire.StrictOriginEnforcement,
		SingleUseUUID:            wire.SingleUseUUID,
		ViewerID:                 wire.ViewerID,
		ViewerSessionVersion:     wire.ViewerSessionVersion,
		MaximumResolution:        wire.MaximumResolution,
		AdsOptOut:                wire.AdsOptOut,
		AdsPlayerParams:          wire.AdsPlayerParams,
		AdsPlaybackConfigName:    wire.AdsPlaybackConfigName,
		AdsReportingMode:         wire.AdsReportingMode,
		ExpiresAt:                time.Unix(*wire.Exp, 0).UTC(),
	}
	return nil
}

// check applies the documented rules. Lifetime limits apply when signing.
func (c *PlaybackClaims) check(now time.Time, signing bool) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if c.ChannelArn == "" {
		add("ChannelArn is required")
	} else if err := ivsarn.CheckLiteral(c.ChannelArn, "ivs", "channel"); err != nil {
		add("ChannelArn %v", err)
	}
	origins := splitOrigins(c.AccessControlAllowOrigin)
	for _, o := range origins {
		if err := origin.Check(o, true); err != nil {
			add("AccessControlAllowOrigin: %v", err)
		}
	}
	if c.StrictOriginEnforcement {
		// Without origins there is nothing to enforce; IVS documents no
		// refusal of that, so it is signed as asked.
		if len(origins) > MaxStrictOrigins {
			add("AccessControlAllowOrigin names %d origins: at most %d are allowed with StrictOriginEnforcement", len(origins), MaxStrictOrigins)
		}
	}
	if c.SingleUseUUID != "" && !isUUID(c.SingleUseUUID) {
		add("SingleUseUUID %q is not a UUID (want the form 1e760ed4-29c0-4ee3-987d-a5dc60734b58; NewUUID makes one)", c.SingleUseUUID)
	}
	if n := utf8.RuneCountInString(c.ViewerID); n > MaxViewerIDLength {
		add("ViewerID is %d characters: at most %d are allowed", n, MaxViewerIDLength)
	}
	if c.ViewerSessionVersion != 0 && c.ViewerID == "" {
		add("ViewerSessionVersion needs ViewerID: IVS ignores it on its own")
	}
	switch c.MaximumResolution {
	case "", "SD", "HD", "FULL_HD":
	default:
		add("MaximumResolution %q is invalid: use \"SD\", \"HD\" or \"FULL_HD\"", c.MaximumResolution)
	}
	size := 0
	for k, v := range c.AdsPlayerParams {
		size += len(k) + len(v)
	}
	if size > MaxAdsPlayerParamsSize {
		add("AdsPlayerParams hold %d bytes: at most %d are allowed", size, MaxAdsPlayerParamsSize)
	}
	switch c.AdsReportingMode {
	case "", AdsReportingModeClient, AdsReportingModeServer:
	default:
		add("AdsReportingMode %q is invalid: use \"CLIENT\" or \"SERVER\"", c.AdsReportingMode)
	}
	if signing {
		switch {
		case c.ExpiresAt.IsZero():
			add("ExpiresAt is required")
		case !c.ExpiresAt.After(now):
			add("ExpiresAt %s is not in the future", c.ExpiresAt.UTC().Format(time.RFC3339))
		case (c.ViewerID != "" || c.SingleUseUUID != "") && c.ExpiresAt.Sub(now) > MaxShortLivedTokenLifetime:
			add("ExpiresAt is %s away: with ViewerID or SingleUseUUID a token may live at most %s",
				c.ExpiresAt.Sub(now).Round(time.Second), MaxShortLivedTokenLifetime)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrClaims, strings.Join(problems, "; "))
	}
	return nil
}

func splitOrigins(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// NewUUID returns a random (version 4) UUID for PlaybackClaims.SingleUseUUID.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// PlaybackURLWithToken returns the channel's playback URL with the token
// added as the "token" query parameter.
func PlaybackURLWithToken(playbackURL, token string) (string, error) {
	u, err := url.Parse(playbackURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("ivstoken: %q is not a playback URL (want https://...m3u8)", playbackURL)
	}
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
