package stagesessions

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/participanttoken"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
)

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), the IVS real-time client with the environment's
// AWS configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		h := New(c, realtimeapi.New(cfg), nil)
		if c.ChatRooms {
			h.WithChat(ivschat.NewFromConfig(cfg))
		}
		if c.SecretArn != "" {
			ttl := time.Duration(c.KeyCacheTTL)
			if ttl == 0 {
				ttl = DefaultKeyCacheTTL
			}
			h.WithSigner(&participanttoken.SelfSigner{
				Keys:       &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn, TTL: ttl},
				PublicKeys: managedkey.PublicKeys(cfg), PublicKeyArn: c.PublicKeyArn,
			})
		}
		return h, nil
	})
}

// Invoke takes what the function is invoked with: an API Gateway HTTP API
// request (payload 2.0); an "IVS Stage Update" event, whose Participant
// Published starts a session's broadcast (the stage in resources, the
// session in detail.session_id: IVS Real-Time User Guide, "Using Amazon
// EventBridge with IVS Real-Time Streaming"); or the schedule's
// "Scheduled Event", which sweeps at the event's own time (so that a
// retried invocation sweeps as the first did, and no clock is read).
func (h *Handler) Invoke(ctx context.Context, event json.RawMessage) (any, error) {
	var probe struct {
		DetailType string `json:"detail-type"`
		RouteKey   string `json:"routeKey"`
	}
	if err := json.Unmarshal(event, &probe); err != nil {
		return nil, fmt.Errorf("the invocation is not JSON: %w", err)
	}
	if probe.DetailType == "IVS Stage Update" {
		var e events.CloudWatchEvent
		json.Unmarshal(event, &e)
		var detail struct {
			EventName string `json:"event_name"`
			SessionID string `json:"session_id"`
		}
		if err := json.Unmarshal(e.Detail, &detail); err != nil || len(e.Resources) != 1 {
			return nil, fmt.Errorf("the IVS Stage Update event names no stage or has no detail")
		}
		if detail.EventName != "Participant Published" {
			return Broadcasting{Skipped: detail.EventName + " starts nothing"}, nil
		}
		return h.OnPublished(ctx, e.Resources[0], detail.SessionID)
	}
	if probe.DetailType == "Scheduled Event" {
		var e events.CloudWatchEvent
		if err := json.Unmarshal(event, &e); err != nil || e.Time.IsZero() {
			return nil, fmt.Errorf("the Scheduled Event has no time")
		}
		return h.Sweep(ctx, e.Time)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(event, &req); err != nil || probe.RouteKey == "" {
		return nil, fmt.Errorf("the invocation is no HTTP API request or Scheduled Event")
	}
	return h.Handle(ctx, req)
}
