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

// vendor signs playback tokens for one channel.
type vendor struct {
	signer        *ivstoken.PlaybackSigner
	channelArn    string
	playbackURL   string
	ttl           time.Duration
	allowedOrigin string
}

// newVendor reads its configuration with getenv and the private key with
// getSecret.
func newVendor(ctx context.Context, getenv func(string) string, getSecret func(context.Context, string) (string, error)) (*vendor, error) {
	v := &vendor{
		channelArn:    getenv("CHANNEL_ARN"),
		playbackURL:   getenv("PLAYBACK_URL"),
		allowedOrigin: getenv("ALLOWED_ORIGIN"),
	}
	for name, value := range map[string]string{"CHANNEL_ARN": v.channelArn, "PLAYBACK_URL": v.playbackURL, "SECRET_ARN": getenv("SECRET_ARN")} {
		if value == "" {
			return nil, fmt.Errorf("environment variable %s is not set", name)
		}
	}
	ttl, err := time.ParseDuration(getenv("TOKEN_TTL"))
	if err != nil || ttl <= 0 {
		return nil, fmt.Errorf("TOKEN_TTL %q is not a positive duration such as 5m", getenv("TOKEN_TTL"))
	}
	v.ttl = ttl
	pem, err := getSecret(ctx, getenv("SECRET_ARN"))
	if err != nil {
		return nil, fmt.Errorf("reading the private key: %w", err)
	}
	key, err := ivstoken.ParsePrivateKeyPEM([]byte(pem))
	if err != nil {
		return nil, fmt.Errorf("the secret does not hold the playback private key (put ivs-private.pem into it): %w", err)
	}
	if v.signer, err = ivstoken.NewPlaybackSigner(key); err != nil {
		return nil, err
	}
	return v, nil
}

type response struct {
	PlaybackURL string    `json:"playbackUrl"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// handle answers a function URL request. The optional query parameter
// viewerId becomes the token's viewer ID (and caps its life at 10 minutes).
func (v *vendor) handle(ctx context.Context, req events.LambdaFunctionURLRequest) (events.LambdaFunctionURLResponse, error) {
	ttl := v.ttl
	viewerID := req.QueryStringParameters["viewerId"]
	if viewerID != "" && ttl > ivstoken.MaxShortLivedTokenLifetime {
		ttl = ivstoken.MaxShortLivedTokenLifetime
	}
	claims := ivstoken.PlaybackClaims{
		ChannelArn:               v.channelArn,
		AccessControlAllowOrigin: v.allowedOrigin,
		ViewerID:                 viewerID,
		ExpiresAt:                time.Now().Add(ttl),
	}
	token, err := v.signer.Sign(claims)
	if err != nil {
		return reply(http.StatusBadRequest, map[string]string{"error": err.Error()}), nil
	}
	url, err := ivstoken.PlaybackURLWithToken(v.playbackURL, token)
	if err != nil {
		return reply(http.StatusInternalServerError, map[string]string{"error": err.Error()}), nil
	}
	return reply(http.StatusOK, response{PlaybackURL: url, ExpiresAt: claims.ExpiresAt.UTC().Truncate(time.Second)}), nil
}

func reply(status int, body any) events.LambdaFunctionURLResponse {
	b, _ := json.Marshal(body)
	return events.LambdaFunctionURLResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(b),
	}
}
