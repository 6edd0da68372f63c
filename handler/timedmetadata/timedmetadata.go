// Package timedmetadata is the runtime half of
// ivsops.TimedMetadataEndpoint: an HTTP handler (API Gateway HTTP API,
// payload format 2.0) through which hosts put timed metadata into the live
// stream of the channels it serves, with IVS's PutMetadata. Players receive
// it in the stream, in step with the video (the IVS player's
// TEXT_METADATA_CUE event): quizzes, product cards, captions.
//
// # Request
//
//	POST /metadata  {"channel": "<ARN or ID>", "metadata": "..."}
//
// channel may be left out when the endpoint serves one channel. metadata is
// 1 to 1,024 bytes (UTF-8) of any text, JSON say: PutMetadata's limit
// ("Maximum: 1 KB per request", IVS API reference). The caller needs the
// PUT_METADATA capability: the endpoint's own, or a capability grant its
// JWT meets (a hosts group, say).
//
// IVS allows 5 PutMetadata calls per second per channel and 155 per
// account. The function keeps to 5 per channel itself and answers the
// sixth at once, instead of letting IVS throttle it; IVS's own throttle,
// when several instances of the function run, gets the same answer.
//
// # Response
//
// 200, with Cache-Control: no-store:
//
//	{"channelArn": "...", "bytes": 42}
//
// Errors are JSON ({"error": {"code", "message"}}):
//
//	400 MalformedRequest      body not JSON, unknown field, no channel where one is needed
//	400 InvalidChannel        channel is neither a channel ARN nor a channel ID
//	400 EmptyMetadata         metadata is missing or ""
//	403 CapabilityNotAllowed  the caller may not put metadata (no PUT_METADATA)
//	403 NotAuthorizedByAPIGateway  API Gateway did not authorize the request as configured
//	404 ChannelNotServed      a well-formed channel this endpoint does not serve
//	405 MethodNotAllowed      not POST
//	409 ChannelNotLive        the channel has no live stream (IVS's ChannelNotBroadcasting)
//	413 MetadataTooLarge      metadata over 1,024 bytes
//	429 RateLimited           over 5 per second on the channel; Retry-After: 1
//	503 IVSUnavailable        IVS refused or failed
//
// The package never imports the CDK.
package timedmetadata

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	ivstypes "github.com/aws/aws-sdk-go-v2/service/ivs/types"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.MetadataEnvConfig

// CapabilityPutMetadata lets a caller put metadata.
const CapabilityPutMetadata = wire.CapabilityPutMetadata

// Limits of PutMetadata (IVS API reference).
const (
	MaxMetadataBytes       = wire.MaxMetadataBytes
	MaxPerSecondPerChannel = wire.MaxMetadataPerSecondPerChannel
	MaxPerSecondPerAccount = wire.MaxMetadataPerSecondPerAccount
)

var validCapabilities = []string{CapabilityPutMetadata}

// Config is the endpoint's configuration, as the construct writes it.
type Config struct {
	// Authentication is how API Gateway authorizes the route
	// (tokenapi.AuthIAM, AuthJWT or AuthNone); requests it did not
	// authorize so are refused. "" checks nothing.
	Authentication string `json:"authentication,omitempty"`
	// Channels are the ARNs of the channels served. At least one.
	Channels []string `json:"channels"`
	// Capabilities are every caller's: PUT_METADATA, or none (then only
	// CapabilityGrants let anyone put metadata).
	Capabilities []string `json:"capabilities"`
	// CapabilityGrants give callers with a JWT scope or claim
	// PUT_METADATA (hosts).
	CapabilityGrants []tokenapi.Grant `json:"capabilityGrants,omitempty"`
}

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	return tokenapi.ParseConfig(EnvConfig, data, (*Config).check)
}

func (c *Config) check() error {
	if err := tokenapi.CheckARNs("channel", c.Channels, tokenapi.ChannelArnPattern); err != nil {
		return err
	}
	for _, capability := range c.Capabilities {
		if capability != CapabilityPutMetadata {
			return fmt.Errorf("capability %q is not %s", capability, CapabilityPutMetadata)
		}
	}
	if err := tokenapi.CheckAuthentication(c.Authentication); err != nil {
		return err
	}
	return tokenapi.CheckGrants(c.CapabilityGrants, validCapabilities)
}

// IVSAPI is the part of the IVS client the handler calls.
type IVSAPI interface {
	PutMetadata(context.Context, *ivs.PutMetadataInput, ...func(*ivs.Options)) (*ivs.PutMetadataOutput, error)
}

// Handler answers metadata requests. It is safe for concurrent use.
type Handler struct {
	config Config
	served *tokenapi.Served
	ivs    IVSAPI
	now    func() time.Time

	mu     sync.Mutex
	recent map[string][]time.Time // per channel, the accepted calls of the last second
}

// New returns a Handler for config calling IVS with client, on the clock
// now (time.Now when nil).
func New(config Config, client IVSAPI, now func() time.Time) (*Handler, error) {
	if err := config.check(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Handler{config: config, served: tokenapi.NewServed("Channel", tokenapi.ChannelArnPattern, config.Channels), ivs: client, now: now,
		recent: map[string][]time.Time{}}, nil
}

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), an IVS client from the environment's AWS
// configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		return New(c, ivs.NewFromConfig(cfg), nil)
	})
}

type request struct {
	Channel  string `json:"channel"`
	Metadata string `json:"metadata"`
}

// Response is a successful answer's body.
type Response struct {
	// ChannelArn is the channel whose stream now carries the metadata.
	ChannelArn string `json:"channelArn"`
	// Bytes is the metadata's size.
	Bytes int `json:"bytes"`
}

// Handle answers one request; see the package documentation.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return tokenapi.Answer(h.handle(ctx, req))
}

func (h *Handler) handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (any, error) {
	if fail := tokenapi.CheckCaller(req, h.config.Authentication); fail != nil {
		return nil, fail
	}
	if m := req.RequestContext.HTTP.Method; m != http.MethodPost {
		return nil, tokenapi.Fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "%s is not allowed: POST the metadata", m)
	}
	var in request
	if fail := tokenapi.Decode(req, &in); fail != nil {
		return nil, fail
	}
	channel, fail := h.served.Pick(in.Channel)
	if fail != nil {
		return nil, fail
	}
	allowed := tokenapi.Allowed(req, h.config.Capabilities, h.config.CapabilityGrants, validCapabilities)
	if len(allowed) == 0 {
		return nil, tokenapi.Fail(http.StatusForbidden, "CapabilityNotAllowed", "this caller may not put metadata (it needs %s)", CapabilityPutMetadata)
	}
	switch size := len(in.Metadata); {
	case size == 0:
		return nil, tokenapi.Fail(http.StatusBadRequest, "EmptyMetadata", "give the metadata to put: 1 to %d bytes", MaxMetadataBytes)
	case size > MaxMetadataBytes:
		return nil, tokenapi.Fail(http.StatusRequestEntityTooLarge, "MetadataTooLarge",
			"the metadata has %d bytes; IVS takes at most %d per call (batch less, or point to the data)", size, MaxMetadataBytes)
	}
	if !h.admit(channel) {
		return nil, rateLimited()
	}
	_, err := h.ivs.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: aws.String(channel), Metadata: aws.String(in.Metadata)})
	var notLive *ivstypes.ChannelNotBroadcasting
	var throttled *ivstypes.ThrottlingException
	switch {
	case err == nil:
		return Response{ChannelArn: channel, Bytes: len(in.Metadata)}, nil
	case errors.As(err, &notLive):
		return nil, tokenapi.Fail(http.StatusConflict, "ChannelNotLive", "channel %s has no live stream: metadata goes into a live stream only", channel)
	case errors.As(err, &throttled):
		return nil, rateLimited()
	default:
		log.Printf("PutMetadata on %s: %v", channel, err)
		return nil, tokenapi.Fail(http.StatusServiceUnavailable, "IVSUnavailable", "IVS did not take the metadata now; try again later")
	}
}

func rateLimited() error {
	f := tokenapi.Fail(http.StatusTooManyRequests, "RateLimited",
		"IVS takes at most %d metadata calls per second per channel; wait a second, or batch several in one call", MaxPerSecondPerChannel)
	f.RetryAfter = time.Second
	return f
}

// admit reports whether one more call on channel keeps to
// MaxPerSecondPerChannel within the last second, and counts it if so.
func (h *Handler) admit(channel string) bool {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	recent := h.recent[channel]
	keep := recent[:0]
	for _, t := range recent {
		if now.Sub(t) < time.Second {
			keep = append(keep, t)
		}
	}
	if len(keep) >= MaxPerSecondPerChannel {
		h.recent[channel] = keep
		return false
	}
	h.recent[channel] = append(keep, now)
	return true
}
