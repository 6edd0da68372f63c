// Package playbacktoken is the runtime half of ivs.PlaybackTokenEndpoint: an
// HTTP handler (API Gateway HTTP API, payload format 2.0) that returns a
// signed playback URL for one of the authorized channels it serves, signed
// with a private key read from AWS Secrets Manager and cached.
//
// # Request
//
//	GET /playback-token?channel=<channel ARN or channel ID>
//	POST /playback-token   {"channel": "<channel ARN or channel ID>"}
//
// channel may be left out when the endpoint serves exactly one channel.
//
// # Response
//
// 200, with Cache-Control: no-store:
//
//	{"channelArn": "arn:aws:ivs:...:channel/abc", "playbackUrl": "https://...m3u8?token=eyJ...",
//	 "token": "eyJ...", "expiresAt": "2026-11-25T12:05:00Z"}
//
// Errors are JSON too, {"error": {"code": "...", "message": "..."}}:
//
//	400 MalformedRequest   body not JSON, no channel where one is needed
//	400 InvalidChannel     channel is neither a channel ARN nor a channel ID
//	403 MissingViewerId    the configured viewer ID claim is absent or unusable
//	403 AdsPlayerParamsTooLarge  the ad player parameters from claims exceed 1000 bytes
//	403 NotAuthorizedByAPIGateway  API Gateway did not authorize the request as configured (authentication)
//	404 ChannelNotServed   a well-formed channel this endpoint does not serve
//	405 MethodNotAllowed   neither GET nor POST
//	503 KeyUnavailable     the signing key cannot be read
//	503 ViewerNotRecorded  with a viewer log, the viewer could not be
//	                       recorded, so no token (its session could not
//	                       be revoked)
//
// The package never imports the CDK.
package playbacktoken

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// Channel is a channel the endpoint serves.
type Channel struct {
	// Arn is the channel's ARN, the token's aws:channel-arn.
	Arn string `json:"arn"`
	// PlaybackURL is the channel's playback URL, returned with tokens.
	PlaybackURL string `json:"playbackUrl"`
}

// Config is the endpoint's configuration, as the construct writes it (JSON
// in the environment variable EnvConfig).
type Config struct {
	// Authentication is how API Gateway authorizes the routes
	// (tokenapi.AuthIAM, AuthJWT or AuthNone); requests it did not
	// authorize so are refused. "" checks nothing.
	Authentication string `json:"authentication,omitempty"`
	// Channels are the channels served. At least one.
	Channels []Channel `json:"channels"`
	// SecretArn names the secret holding the private key: a managed key
	// (package keysecret) or a bare PEM private key.
	SecretArn string `json:"secretArn"`
	// TokenLifetime is how long a token can start playback.
	TokenLifetime tokenapi.Duration `json:"tokenLifetime"`
	// KeyCacheTTL is how long the key read from the secret is used before
	// it is read again (how soon a rotation is picked up).
	KeyCacheTTL tokenapi.Duration `json:"keyCacheTtl"`
	// ViewerIDClaim names the JWT claim (such as "sub") that becomes the
	// token's viewer ID; "" for none.
	ViewerIDClaim string `json:"viewerIdClaim,omitempty"`
	// ViewerTable, when set, is the viewer log (package viewerlog): each
	// token's viewer is recorded there before the token is returned, and
	// the token carries viewerlog.SessionVersion of its issue time, so that
	// its session can be revoked. Needs ViewerIDClaim.
	ViewerTable string `json:"viewerTable,omitempty"`
	// ViewerRetention is how long a viewer's entry outlives their latest
	// token (viewerlog.DefaultRetention when 0).
	ViewerRetention tokenapi.Duration `json:"viewerRetention,omitempty"`
	// SingleUse gives each token a fresh single-use UUID.
	SingleUse bool `json:"singleUse,omitempty"`
	// AllowedOrigins restricts playback to these origins.
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`
	// StrictOriginEnforcement applies AllowedOrigins to every request.
	StrictOriginEnforcement bool `json:"strictOriginEnforcement,omitempty"`
	// MaximumResolution caps the resolution: "SD", "HD" or "FULL_HD".
	MaximumResolution string `json:"maximumResolution,omitempty"`
	// AdsPlaybackConfigName picks the MediaTailor playback configuration
	// of the channel's ad configuration for every token.
	AdsPlaybackConfigName string `json:"adsPlaybackConfigName,omitempty"`
	// AdsReportingMode is "CLIENT" or "SERVER" for every token.
	AdsReportingMode string `json:"adsReportingMode,omitempty"`
	// AdsOptOutClaim names the JWT claim whose value "true" keeps ads from
	// the viewer.
	AdsOptOutClaim string `json:"adsOptOutClaim,omitempty"`
	// AdsPlayerParamsClaims maps ad player parameter names to the JWT
	// claims copied into them (at most 1000 bytes in all).
	AdsPlayerParamsClaims map[string]string `json:"adsPlayerParamsClaims,omitempty"`
}

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.PlaybackEnvConfig

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	return tokenapi.ParseConfig(EnvConfig, data, func(c *Config) error {
		switch {
		case len(c.Channels) == 0:
			return fmt.Errorf("names no channel")
		case c.SecretArn == "":
			return fmt.Errorf("names no secret")
		case c.TokenLifetime <= 0:
			return fmt.Errorf("the token lifetime must be positive")
		case c.ViewerTable != "" && c.ViewerIDClaim == "":
			return fmt.Errorf("a viewer table needs a viewer ID claim")
		}
		return tokenapi.CheckAuthentication(c.Authentication)
	})
}

// KeySource returns the key tokens are signed with.
type KeySource interface {
	Key(ctx context.Context) (*ecdsa.PrivateKey, error)
}

// Handler answers token requests. Create it with New. It is safe for
// concurrent use.
type Handler struct {
	config  Config
	keys    KeySource
	byArn   map[string]Channel
	served  *tokenapi.Served
	origins string
	now     func() time.Time
	viewers *viewerlog.Log // nil without LogViewers

	mu       sync.Mutex // guards signer and signWith
	signer   *ivstoken.PlaybackSigner
	signWith *ecdsa.PrivateKey
}

// New returns a Handler for config that signs with keys. now is the clock
// (time.Now when nil).
func New(config Config, keys KeySource, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h := &Handler{config: config, keys: keys, now: now, byArn: map[string]Channel{}, origins: strings.Join(config.AllowedOrigins, ",")}
	arns := make([]string, 0, len(config.Channels))
	for _, c := range config.Channels {
		h.byArn[c.Arn] = c
		arns = append(arns, c.Arn)
	}
	h.served = tokenapi.NewServed("Channel", tokenapi.ChannelArnPattern, arns)
	return h
}

// LogViewers records each token's viewer in the configuration's
// ViewerTable through db, and returns h. Without it, a configuration with
// a ViewerTable answers 503 ViewerNotRecorded (fail closed).
func (h *Handler) LogViewers(db viewerlog.DynamoDB) *Handler {
	h.viewers = &viewerlog.Log{Client: db, Table: h.config.ViewerTable, Retention: time.Duration(h.config.ViewerRetention)}
	return h
}

// Response is a successful answer's body.
type Response struct {
	// ChannelArn is the channel the token plays.
	ChannelArn string `json:"channelArn"`
	// PlaybackURL is the channel's playback URL; the player adds the token.
	PlaybackURL string `json:"playbackUrl"`
	// Token is the signed playback token.
	Token string `json:"token"`
	// ExpiresAt is when the token stops starting playback.
	ExpiresAt time.Time `json:"expiresAt"`
}

// Handle answers one request; see the package documentation.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return tokenapi.Answer(h.handle(ctx, req))
}

// handle returns the answer's body, or the *tokenapi.Failure that says why
// there is none.
func (h *Handler) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (any, error) {
	if fail := tokenapi.CheckCaller(req, h.config.Authentication); fail != nil {
		return nil, fail
	}
	channel, fail := h.channel(req)
	if fail != nil {
		return nil, fail
	}
	now := h.now()
	claims := ivstoken.PlaybackClaims{
		ChannelArn:               channel.Arn,
		AccessControlAllowOrigin: h.origins,
		StrictOriginEnforcement:  h.config.StrictOriginEnforcement,
		MaximumResolution:        h.config.MaximumResolution,
		ExpiresAt:                now.Add(time.Duration(h.config.TokenLifetime)).Truncate(time.Second),
	}
	if h.config.ViewerIDClaim != "" {
		viewer, ok := tokenapi.JWTClaim(req, h.config.ViewerIDClaim)
		if !ok || utf8.RuneCountInString(viewer) > ivstoken.MaxViewerIDLength {
			return nil, tokenapi.Fail(http.StatusForbidden, "MissingViewerId",
				"the request's token has no usable %q claim for the viewer ID (1 to %d characters)", h.config.ViewerIDClaim, ivstoken.MaxViewerIDLength)
		}
		claims.ViewerID = viewer
		if h.config.ViewerTable != "" {
			claims.ViewerSessionVersion = int64(viewerlog.SessionVersion(now))
		}
	}
	if h.config.SingleUse {
		claims.SingleUseUUID = ivstoken.NewUUID()
	}
	if fail := h.ads(req, &claims); fail != nil {
		return nil, fail
	}
	signer, err := h.signerFor(ctx)
	if err != nil {
		log.Printf("reading the signing key: %v", err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "KeyUnavailable", "the signing key cannot be read now; try again later")
	}
	token, err := signer.Sign(claims)
	if err != nil {
		// The construct checks the configuration at synth, so this is a
		// configuration that bypassed it.
		log.Printf("signing: %v", err)
		return nil, tokenapi.Fail(http.StatusInternalServerError, "SigningFailed", "the endpoint's token settings are invalid")
	}
	if h.config.ViewerTable != "" {
		if fail := h.record(ctx, channel.Arn, claims.ViewerID, now); fail != nil {
			return nil, fail
		}
	}
	url, err := ivstoken.PlaybackURLWithToken(channel.PlaybackURL, token)
	if err != nil {
		log.Printf("playback URL of %s: %v", channel.Arn, err)
		return nil, tokenapi.Fail(http.StatusInternalServerError, "SigningFailed", "the channel's playback URL is invalid")
	}
	return Response{ChannelArn: channel.Arn, PlaybackURL: url, Token: token, ExpiresAt: claims.ExpiresAt.UTC()}, nil
}

// record writes the viewer to the viewer log, or says why not.
func (h *Handler) record(ctx context.Context, channelArn, viewer string, now time.Time) error {
	err := fmt.Errorf("no viewer log client")
	if h.viewers != nil {
		err = h.viewers.Record(ctx, channelArn, viewer, now)
	}
	if err != nil {
		log.Printf("%v", err)
		return tokenapi.Fail(http.StatusServiceUnavailable, "ViewerNotRecorded", "the viewer cannot be recorded now, so no token; try again later")
	}
	return nil
}

// ads fills in the ad claims from the configuration and the caller's
// verified JWT claims.
func (h *Handler) ads(req events.APIGatewayV2HTTPRequest, claims *ivstoken.PlaybackClaims) error {
	claims.AdsPlaybackConfigName = h.config.AdsPlaybackConfigName
	claims.AdsReportingMode = h.config.AdsReportingMode
	if h.config.AdsOptOutClaim != "" {
		v, _ := tokenapi.JWTClaim(req, h.config.AdsOptOutClaim)
		claims.AdsOptOut = v == "true"
	}
	size := 0
	for name, claim := range h.config.AdsPlayerParamsClaims {
		if v, ok := tokenapi.JWTClaim(req, claim); ok {
			if claims.AdsPlayerParams == nil {
				claims.AdsPlayerParams = map[string]string{}
			}
			claims.AdsPlayerParams[name] = v
			size += len(name) + len(v)
		}
	}
	if size > ivstoken.MaxAdsPlayerParamsSize {
		return tokenapi.Fail(http.StatusForbidden, "AdsPlayerParamsTooLarge",
			"the ad player parameters from the request's token hold %d bytes; IVS allows %d", size, ivstoken.MaxAdsPlayerParamsSize)
	}
	return nil
}

// channel finds the requested channel, or returns the error reply.
func (h *Handler) channel(req events.APIGatewayV2HTTPRequest) (Channel, error) {
	var in struct {
		Channel string `json:"channel"`
	}
	if r := tokenapi.Decode(req, &in); r != nil {
		return Channel{}, r
	}
	arn, fail := h.served.Pick(in.Channel)
	if fail != nil {
		return Channel{}, fail
	}
	return h.byArn[arn], nil
}

// signerFor returns a signer for the current key, made again only when the
// key source hands back a different key.
func (h *Handler) signerFor(ctx context.Context) (*ivstoken.PlaybackSigner, error) {
	key, err := h.keys.Key(ctx)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if key != h.signWith {
		s, err := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(h.now))
		if err != nil {
			return nil, err
		}
		h.signer, h.signWith = s, key
	}
	return h.signer, nil
}
