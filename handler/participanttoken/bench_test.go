package participanttoken

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/benchpair"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// The README's handler figures come from these benchmarks, run together:
//
//	go test ./handler/participanttoken -run '^$' -bench . -benchmem -count 6
//
// Self-signed: BenchmarkSignOnly is the floor (ivstoken signing the same
// claims); BenchmarkHandleWarmSelfSigned a warm request (decoding, claims,
// cached key and stage endpoints, signature, JSON answer);
// BenchmarkColdStartSelfSigned a new instance's first request (the key
// read through Secrets Manager's protocol, its public key found with
// ListPublicKeys, the stage's endpoints with GetStage, all from a local
// server, and the first signature). IVS-issued: BenchmarkCallOnly is the
// floor (the CreateParticipantToken call alone against the local server)
// and BenchmarkHandleWarmFromIVS the whole request around it.

func BenchmarkSignOnly(b *testing.B) {
	key, _ := ivstoken.GenerateKey()
	signer, _ := ivstoken.NewParticipantSigner(key, "arn:aws:ivs:us-west-2:123456789012:public-key/bench")
	for b.Loop() {
		now := time.Now()
		_, err := signer.Sign(ivstoken.ParticipantClaims{StageArn: "arn:aws:ivs:us-west-2:123456789012:stage/bench",
			UserID: "user-1", Capabilities: []ivstoken.Capability{ivstoken.CapabilitySubscribe},
			EventsURL: "wss://global.events.live-video.net", WhipURL: "https://bench.global-bm.whip.live-video.net",
			IssuedAt: now, ExpiresAt: now.Add(time.Hour)})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func benchRequest(f *fixture) (context.Context, events.APIGatewayV2HTTPRequest) {
	return context.Background(), withClaims(get(map[string]string{"stage": f.stages[0]}), map[string]string{"sub": "user-1"})
}

func BenchmarkHandleWarmSelfSigned(b *testing.B) {
	f := newFixture(b, Config{Mode: ModeSelfSigned, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"}})
	ctx, req := benchRequest(f)
	if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
		b.Fatal(res.Body)
	}
	for b.Loop() {
		if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

func BenchmarkColdStartSelfSigned(b *testing.B) {
	f := newFixture(b, Config{Mode: ModeSelfSigned, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"}})
	ctx, req := benchRequest(f)
	cfg := f.aws.Config()
	config := Config{Stages: f.stages, Mode: ModeSelfSigned, Capabilities: []string{"SUBSCRIBE"}, MaxDurationMinutes: 60, UserIDClaim: "sub",
		SecretArn: f.secret, KeyCacheTTL: tokenapi.Duration(time.Minute), StageCacheTTL: tokenapi.Duration(time.Hour)}
	for b.Loop() {
		h, err := New(config, cfg, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

func BenchmarkCallOnly(b *testing.B) {
	f := newFixture(b, Config{Mode: ModeCreateParticipantToken})
	client := realtimeapi.New(f.aws.Config())
	ctx := context.Background()
	for b.Loop() {
		if _, err := client.CreateParticipantToken(ctx, realtimeapi.CreateParticipantTokenInput{StageArn: f.stages[0], Duration: 60,
			UserID: "user-1", Capabilities: []string{"SUBSCRIBE"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHandleWarmFromIVS(b *testing.B) {
	f := newFixture(b, Config{Mode: ModeCreateParticipantToken, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"}})
	ctx, req := benchRequest(f)
	for b.Loop() {
		if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

// BenchmarkFromIVSOverhead is BenchmarkHandleWarmFromIVS against
// BenchmarkCallOnly in one benchmark: the two alternate in batches
// (benchpair), so that the machine's drift falls on both, and the ratio
// is the x-floor metric.
//
//	go test ./handler/participanttoken -run '^$' -bench Overhead -count 6
func BenchmarkFromIVSOverhead(b *testing.B) {
	f := newFixture(b, Config{Mode: ModeCreateParticipantToken, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"}})
	client := realtimeapi.New(f.aws.Config())
	ctx, req := benchRequest(f)
	if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
		b.Fatal(res.Body)
	}
	const batch = 10
	ours := benchpair.Alternate(b, batch, func() {
		if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}, func() {
		if _, err := client.CreateParticipantToken(ctx, realtimeapi.CreateParticipantTokenInput{StageArn: f.stages[0], Duration: 60,
			UserID: "user-1", Capabilities: []string{"SUBSCRIBE"}}); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(ours.Microseconds())/float64(b.N*batch), "µs/token")
}
