package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const channelArn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"

func testEnv(ttl string) func(string) string {
	env := map[string]string{
		"CHANNEL_ARN":  channelArn,
		"PLAYBACK_URL": "https://abc.us-west-2.playback.live-video.net/api/video/v1/x.m3u8",
		"SECRET_ARN":   "arn:aws:secretsmanager:us-west-2:123456789012:secret:key",
		"TOKEN_TTL":    ttl,
	}
	return func(k string) string { return env[k] }
}

func TestHandleSignsVerifiableTokens(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	pem, _ := ivstoken.MarshalPrivateKeyPEM(key)
	v, err := newVendor(context.Background(), testEnv("1h"), func(context.Context, string) (string, error) { return string(pem), nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []string{"", "viewer-7"} {
		res, err := v.handle(context.Background(), events.LambdaFunctionURLRequest{QueryStringParameters: map[string]string{"viewerId": viewer}})
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("handle: %+v, %v", res, err)
		}
		var body response
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(body.PlaybackURL)
		claims, err := ivstoken.VerifyPlaybackToken(u.Query().Get("token"), &key.PublicKey, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		life := time.Until(claims.ExpiresAt)
		if claims.ChannelArn != channelArn || claims.ViewerID != viewer {
			t.Errorf("claims = %+v", claims)
		}
		if viewer != "" && life > 10*time.Minute || viewer == "" && life < 59*time.Minute {
			t.Errorf("viewer %q: lifetime %s", viewer, life)
		}
		if res.Headers["Cache-Control"] != "no-store" {
			t.Error("tokens must not be cached")
		}
	}
	res, _ := v.handle(context.Background(), events.LambdaFunctionURLRequest{QueryStringParameters: map[string]string{"viewerId": strings.Repeat("v", 41)}})
	if res.StatusCode != 400 || !strings.Contains(res.Body, "ViewerID is 41 characters") {
		t.Errorf("long viewer ID: %+v", res)
	}
}

func TestNewVendorFailures(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	public, _ := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	cases := []struct {
		name   string
		env    func(string) string
		secret func(context.Context, string) (string, error)
		want   string
	}{
		{"missing env", func(string) string { return "" }, nil, "is not set"},
		{"bad ttl", testEnv("soon"), nil, "TOKEN_TTL"},
		{"secret error", testEnv("5m"), func(context.Context, string) (string, error) { return "", errors.New("denied") }, "denied"},
		{"random secret", testEnv("5m"), func(context.Context, string) (string, error) { return "Zx9-generated", nil }, "put ivs-private.pem into it"},
		{"public key in secret", testEnv("5m"), func(context.Context, string) (string, error) { return string(public), nil }, "holds a public key"},
	}
	for _, c := range cases {
		if _, err := newVendor(context.Background(), c.env, c.secret); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
