package stagesessions_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/internal/test/benchpair"
)

// The session endpoint's figure against its floor:
//
//	go test ./handler/stagesessions -run '^$' -bench Overhead -count 6
//
// A join is a warm request for a token to an open session: the caller,
// the construct's stages (ListStages), the token (CreateParticipantToken)
// and the JSON answer. Its floor is the two IVS calls it must make, alone,
// through the same client against the same local server (over loopback:
// the figures are the client's and the handler's cost, not a network's).
// The benchmark alternates the two in batches within each iteration and
// reports their ratio (x-floor), so that the machine's drift stays out.
func BenchmarkJoinOverhead(b *testing.B) {
	fake := awsfake.New(b)
	client := realtimeapi.New(fake.Config())
	h := stagesessions.New(stagesessions.Config{MadeBy: "Bench/Sessions", UserIDClaim: "sub", Authentication: tokenapi.AuthJWT}, client, nil)
	ctx := context.Background()
	st, err := client.CreateStage(ctx, realtimeapi.CreateStageInput{Tags: map[string]string{stagesessions.TagMadeBy: "Bench/Sessions", stagesessions.TagOwner: "alice"}})
	if err != nil {
		b.Fatal(err)
	}
	id := st.Arn[len(st.Arn)-12:]
	req := events.APIGatewayV2HTTPRequest{RawPath: "/sessions", QueryStringParameters: map[string]string{"session": id}}
	req.RequestContext.HTTP.Method = http.MethodGet
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": "bob"}}}
	if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
		b.Fatal(res.Body)
	}
	const batch = 10
	ours := benchpair.Alternate(b, batch, func() {
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}, func() {
		if _, err := client.ListStages(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := client.CreateParticipantToken(ctx, realtimeapi.CreateParticipantTokenInput{StageArn: st.Arn, Duration: 120, UserID: "bob",
			Capabilities: []string{realtimeapi.CapabilitySubscribe}}); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(ours.Microseconds())/float64(b.N*batch), "µs/join")
}
