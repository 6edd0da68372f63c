package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const (
	stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdEf123456"
	keyArn   = "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61"
)

func env(ttl string) func(string) string {
	m := map[string]string{"STAGE_ARN": stageArn, "PUBLIC_KEY_ARN": keyArn, "SECRET_ARN": "arn:aws:secretsmanager:us-west-2:123456789012:secret:k", "TOKEN_TTL": ttl,
		"EVENTS_URL": "wss://global.events.live-video.net", "WHIP_URL": "https://f99084460c35.global-bm.whip.live-video.net"}
	return func(k string) string { return m[k] }
}

func TestHandleSignsParticipantTokens(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	pem, _ := ivstoken.MarshalPrivateKeyPEM(key)
	v, err := newVendor(context.Background(), env("2h"), func(context.Context, string) (string, error) { return string(pem), nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, publish := range []string{"", "true"} {
		res, _ := v.handle(context.Background(), events.LambdaFunctionURLRequest{QueryStringParameters: map[string]string{"userId": "alice", "publish": publish}})
		if res.StatusCode != 200 {
			t.Fatalf("handle: %+v", res)
		}
		var body response
		json.Unmarshal([]byte(res.Body), &body)
		claims, kid, err := ivstoken.VerifyParticipantToken(body.Token, &key.PublicKey, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if claims.EventsURL != "wss://global.events.live-video.net" || claims.WhipURL == "" {
			t.Errorf("the token lacks the stage's endpoints: %+v", claims)
		}
		want := 1
		if publish == "true" {
			want = 2
		}
		if kid != keyArn || claims.UserID != "alice" || claims.ParticipantID != body.ParticipantID || len(claims.Capabilities) != want {
			t.Errorf("publish=%q: claims %+v, kid %q, body %+v", publish, claims, kid, body)
		}
	}
	if res, _ := v.handle(context.Background(), events.LambdaFunctionURLRequest{}); res.StatusCode != 400 {
		t.Errorf("without userId: %+v", res)
	}
}

func TestNewVendorFailures(t *testing.T) {
	for name, c := range map[string]struct {
		env    func(string) string
		secret func(context.Context, string) (string, error)
		want   string
	}{
		"missing env": {func(string) string { return "" }, nil, "is not set"},
		"bad ttl":     {env("never"), nil, "TOKEN_TTL"},
		"secret":      {env("1h"), func(context.Context, string) (string, error) { return "", errors.New("denied") }, "denied"},
		"placeholder": {env("1h"), func(context.Context, string) (string, error) { return "random", nil }, "put ivs-private.pem into it"},
	} {
		if _, err := newVendor(context.Background(), c.env, c.secret); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
