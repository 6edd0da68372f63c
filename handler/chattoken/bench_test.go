package chattoken

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/ivschat/types"
)

// The README's handler figures come from these benchmarks, run together:
//
//	go test ./handler/chattoken -run '^$' -bench . -benchmem -count 6
//
// BenchmarkCallOnly is the floor: the CreateChatToken call alone through
// the AWS SDK against the local server. BenchmarkHandleWarm is the whole
// request around it (decoding, room, capabilities, identity, JSON answer);
// BenchmarkColdStart adds a new client and handler per request.

func BenchmarkCallOnly(b *testing.B) {
	f := newFixture(b, Config{})
	client := ivschat.NewFromConfig(f.aws.Config())
	ctx := context.Background()
	for b.Loop() {
		if _, err := client.CreateChatToken(ctx, &ivschat.CreateChatTokenInput{RoomIdentifier: aws.String(f.rooms[0]),
			UserId: aws.String("user-1"), SessionDurationInMinutes: aws.Int32(60),
			Capabilities: []types.ChatTokenCapability{types.ChatTokenCapabilitySendMessage}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHandleWarm(b *testing.B) {
	f := newFixture(b, Config{UserIDClaim: "sub", Capabilities: []string{CapabilitySendMessage}})
	req := withClaims(get(map[string]string{"room": f.rooms[0]}), map[string]string{"sub": "user-1"})
	ctx := context.Background()
	for b.Loop() {
		if res, _ := f.h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}

func BenchmarkColdStart(b *testing.B) {
	f := newFixture(b, Config{})
	cfg := f.aws.Config()
	config := `{"rooms":["` + f.rooms[0] + `"],"capabilities":["SEND_MESSAGE"],"maxSessionDurationMinutes":60,"userIdClaim":"sub"}`
	req := withClaims(get(nil), map[string]string{"sub": "user-1"})
	ctx := context.Background()
	for b.Loop() {
		c, err := ParseConfig(config)
		if err != nil {
			b.Fatal(err)
		}
		h, err := New(*c, ivschat.NewFromConfig(cfg))
		if err != nil {
			b.Fatal(err)
		}
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}
}
