package playbacktoken

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// The README's handler figures come from these benchmarks, run together:
//
//	go test ./handler/playbacktoken -run '^$' -bench . -benchmem -count 6
//
// BenchmarkSignOnly is the floor: ivstoken signing the same claims.
// BenchmarkHandleWarm is a warm Lambda's request: route, claims, the key
// from the cache, signing, URL and JSON answer. BenchmarkColdStart is a
// new instance's first request: configuration, the SDK client, the key
// read through Secrets Manager's protocol from a local server, parsing and
// the first signature.

func BenchmarkSignOnly(b *testing.B) {
	key, _ := ivstoken.GenerateKey()
	signer, _ := ivstoken.NewPlaybackSigner(key)
	for b.Loop() {
		claims := ivstoken.PlaybackClaims{ChannelArn: channelA, ExpiresAt: time.Now().Add(5 * time.Minute).Truncate(time.Second)}
		if _, err := signer.Sign(claims); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFixture(b *testing.B) *fixture {
	return newFixture(b, Config{Channels: []Channel{{channelA, urlA}, {channelB, urlB}}})
}

func BenchmarkHandleWarm(b *testing.B) {
	f := benchFixture(b)
	f.keys.Now = nil // the real clock: the cache stays warm for the run
	req := get(map[string]string{"channel": channelB})
	ctx := context.Background()
	if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
		b.Fatal(res.Body)
	}
	for b.Loop() {
		if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

func BenchmarkColdStart(b *testing.B) {
	f := benchFixture(b)
	cfg := f.aws.Config()
	config := `{"channels":[{"arn":"` + channelA + `","playbackUrl":"` + urlA + `"}],"secretArn":"` + f.secret +
		`","tokenLifetime":"5m0s","keyCacheTtl":"5m0s"}`
	req := events.APIGatewayV2HTTPRequest{}
	req.RequestContext.HTTP.Method = http.MethodGet
	for b.Loop() {
		c, err := ParseConfig(config)
		if err != nil {
			b.Fatal(err)
		}
		keys := &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn, TTL: time.Duration(c.KeyCacheTTL)}
		h := New(*c, keys, nil)
		if res, _ := h.Handle(context.Background(), req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}
