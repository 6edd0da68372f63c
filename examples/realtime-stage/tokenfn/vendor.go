package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// vendor signs participant tokens for one stage.
type vendor struct {
	signer             *ivstoken.ParticipantSigner
	stageArn           string
	eventsURL, whipURL string
	ttl                time.Duration
}

func newVendor(ctx context.Context, getenv func(string) string, getSecret func(context.Context, string) (string, error)) (*vendor, error) {
	for _, name := range []string{"STAGE_ARN", "PUBLIC_KEY_ARN", "SECRET_ARN", "EVENTS_URL", "WHIP_URL"} {
		if getenv(name) == "" {
			return nil, fmt.Errorf("environment variable %s is not set", name)
		}
	}
	ttl, err := time.ParseDuration(getenv("TOKEN_TTL"))
	if err != nil || ttl <= 0 {
		return nil, fmt.Errorf("TOKEN_TTL %q is not a positive duration such as 2h", getenv("TOKEN_TTL"))
	}
	pem, err := getSecret(ctx, getenv("SECRET_ARN"))
	if err != nil {
		return nil, fmt.Errorf("reading the private key: %w", err)
	}
	key, err := ivstoken.ParsePrivateKeyPEM([]byte(pem))
	if err != nil {
		return nil, fmt.Errorf("the secret does not hold the stage's private key (put ivs-private.pem into it): %w", err)
	}
	signer, err := ivstoken.NewParticipantSigner(key, getenv("PUBLIC_KEY_ARN"))
	if err != nil {
		return nil, err
	}
	return &vendor{signer: signer, stageArn: getenv("STAGE_ARN"), eventsURL: getenv("EVENTS_URL"), whipURL: getenv("WHIP_URL"), ttl: ttl}, nil
}

type response struct {
	Token         string    `json:"token"`
	ParticipantID string    `json:"participantId"`
	ExpiresAt     time.Time `json:"expiresAt"`
}

func (v *vendor) handle(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	userID := req.QueryStringParameters["userId"]
	if userID == "" {
		return reply(http.StatusBadRequest, map[string]string{"error": "the query parameter userId is required"}), nil
	}
	capabilities := []ivstoken.Capability{ivstoken.CapabilitySubscribe}
	if req.QueryStringParameters["publish"] == "true" {
		capabilities = append(capabilities, ivstoken.CapabilityPublish)
	}
	claims := ivstoken.ParticipantClaims{
		StageArn:      v.stageArn,
		ParticipantID: ivstoken.NewParticipantID(),
		UserID:        userID,
		Capabilities:  capabilities,
		EventsURL:     v.eventsURL,
		WhipURL:       v.whipURL,
		ExpiresAt:     time.Now().Add(v.ttl),
	}
	token, err := v.signer.Sign(claims)
	if err != nil {
		return reply(http.StatusBadRequest, map[string]string{"error": err.Error()}), nil
	}
	return reply(http.StatusOK, response{Token: token, ParticipantID: claims.ParticipantID, ExpiresAt: claims.ExpiresAt.UTC().Truncate(time.Second)}), nil
}

func reply(status int, body any) events.LambdaFunctionURLResponse {
	b, _ := json.Marshal(body)
	return events.LambdaFunctionURLResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(b),
	}
}
