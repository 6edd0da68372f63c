package videomoderation

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rektypes "github.com/aws/aws-sdk-go-v2/service/rekognition/types"

	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/internal/test/benchpair"
)

// The moderation function's figure against its floor:
//
//	go test ./handler/videomoderation -run '^$' -bench Overhead -count 6
//
// A thumbnail that passes, the check nearly every thumbnail gets: the key
// read for its channel, the interval (on the handler's clock, here an
// interval later at each check so that none is skipped), the
// DetectModerationLabels call and the labels sorted out. Its floor is the
// DetectModerationLabels call alone, through the same client against the
// same local Rekognition (over loopback). The two alternate in batches
// (benchpair), and the ratio is the x-floor metric.
func BenchmarkCheckOverhead(b *testing.B) {
	f := &fixture{aws: awsfake.New(b)}
	f.channel = f.aws.AddChannel("mainStage1", true)
	var n atomic.Int64
	tick := func() time.Time { return testNow.Add(time.Duration(n.Add(1)) * time.Minute) }
	cfg := f.aws.Config()
	client := rekognition.NewFromConfig(cfg)
	h, err := New(Config{Channels: []string{f.channel}, Categories: []string{"Violence"}, MinConfidence: 80, StopStream: true,
		Fallback: FallbackStop}, client, nil, nil, tick)
	if err != nil {
		b.Fatal(err)
	}
	key := thumbnail(f.channel, 0)
	f.aws.AddImage(bucket, key, awsfake.ModerationLabel{Name: "Alcohol", ParentName: "Drugs & Tobacco", Confidence: 99})
	ctx := context.Background()
	const batch = 10
	ours := benchpair.Alternate(b, batch, func() {
		if finding, err := h.Check(ctx, bucket, key); err != nil || finding == nil || finding.Outcome != "clean" {
			b.Fatal(finding, err)
		}
	}, func() {
		if _, err := client.DetectModerationLabels(ctx, &rekognition.DetectModerationLabelsInput{
			Image:         &rektypes.Image{S3Object: &rektypes.S3Object{Bucket: aws.String(bucket), Name: aws.String(key)}},
			MinConfidence: aws.Float32(80),
		}); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(ours.Microseconds())/float64(b.N*batch), "µs/check")
}
