package timedmetadata

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivs"

	"github.com/ivscdk/ivscdk/internal/test/benchpair"
)

// The endpoint's figure against its floor:
//
//	go test ./handler/timedmetadata -run '^$' -bench Overhead -count 6
//
// A warm request of a host: the caller's capability, the body, the
// limits (size, rate on the handler's clock, here a second later at each
// call so that the rate never refuses), PutMetadata and the JSON answer.
// Its floor is the PutMetadata call alone, through the same client
// against the same local IVS (over loopback: the figures are the client's
// and the handler's cost, not a network's). The two alternate in batches
// (benchpair), and the ratio is the x-floor metric.
func BenchmarkPutOverhead(b *testing.B) {
	f := newFixture(b)
	var n atomic.Int64 // the local IVS reads the clock from its own goroutines
	tick := func() time.Time { return testNow.Add(time.Duration(n.Add(1)) * time.Second) }
	f.aws.SetClock(tick)
	h := f.handler(b, Config{})
	h.now = tick
	client := ivs.NewFromConfig(f.aws.Config())
	ctx := context.Background()
	cue := `{"type":"quiz","question":"Which year?","answers":["1969","1972"]}`
	req := host(`{"channel": "mainStage1", "metadata": ` + quote(cue) + `}`)
	if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
		b.Fatal(res.Body)
	}
	const batch = 10
	ours := benchpair.Alternate(b, batch, func() {
		if res, _ := h.Handle(ctx, req); res.StatusCode != http.StatusOK {
			b.Fatal(res.Body)
		}
	}, func() {
		if _, err := client.PutMetadata(ctx, &ivs.PutMetadataInput{ChannelArn: aws.String(f.channels[0]), Metadata: aws.String(cue)}); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(ours.Microseconds())/float64(b.N*batch), "µs/put")
}
