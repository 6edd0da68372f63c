package ivs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
)

// How synthesis grows with an app:
//
//	go test ./ivs -run '^$' -bench Scaling -benchtime 1x
//
// Apps of 10, 100, 200 and 1,000 authorized channels, each with a stream key,
// recording to one recording configuration per stack, and one playback
// token endpoint over a stack's channels; and of 10 and 100 stages with a
// participant token endpoint. Channels go 200 to a stack (400 resources
// and the stack's few more, under CloudFormation's 500, which the CDK
// enforces at synthesis), so 1,000 channels are five stacks. Each size is
// a new app, built and synthesized; the benchmark reports the time per
// channel or stage (flat when nothing grows faster than the app) and the
// jsii runtime's peak memory so far (VmHWM of its Node.js processes).

const channelsPerStack = 200

func scalingApp(b *testing.B) awscdk.App {
	return awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(b.TempDir()), BuiltinCloudFormationValidation: jsii.Bool(false)})
}

func buildChannelApp(app awscdk.App, n int) {
	for s := 0; s*channelsPerStack < n; s++ {
		stack := awscdk.NewStack(app, jsii.String(fmt.Sprintf("Channels%d", s)), nil)
		recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
			Bucket: awss3.NewBucket(stack, jsii.String("Recordings"), nil)})
		var channels []ivs.IChannel
		for i := s * channelsPerStack; i < min(n, (s+1)*channelsPerStack); i++ {
			c := ivs.NewChannel(stack, fmt.Sprintf("Channel%d", i), &ivs.ChannelProps{Authorized: true, RecordingConfiguration: recording})
			c.AddStreamKey("StreamKey")
			channels = append(channels, c)
		}
		ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{Channels: channels,
			PrivateKeySecret: awssecretsmanager.NewSecret(stack, jsii.String("PlaybackKey"), nil)})
	}
}

func buildStageApp(app awscdk.App, n int) {
	stack := awscdk.NewStack(app, jsii.String("Stages"), nil)
	var stages []ivs.IStage
	for i := range n {
		stages = append(stages, ivs.NewStage(stack, fmt.Sprintf("Stage%d", i), nil))
	}
	ivs.NewParticipantTokenEndpoint(stack, "Tokens", &ivs.ParticipantTokenEndpointProps{Stages: stages,
		Capabilities: []string{ivs.CapabilitySubscribe}})
}

func BenchmarkScaling(b *testing.B) {
	warm := scalingApp(b)
	buildStageApp(warm, 1) // the jsii runtime started, the Lambda assets built once
	warm.Synth(nil)
	for _, c := range []struct {
		kind  string
		sizes []int
		build func(awscdk.App, int)
	}{{"channels", []int{10, 100, 200, 1000}, buildChannelApp}, {"stages", []int{10, 100}, buildStageApp}} {
		for _, n := range c.sizes {
			b.Run(fmt.Sprintf("%s=%d", c.kind, n), func(b *testing.B) {
				var total time.Duration
				for b.Loop() {
					app := scalingApp(b)
					start := time.Now()
					c.build(app, n)
					app.Synth(nil)
					total += time.Since(start)
				}
				b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/app")
				b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N*n), "ms/"+strings.TrimSuffix(c.kind, "s"))
				if mb := jsiiPeakMB(); mb > 0 {
					b.ReportMetric(mb, "node-peak-MB")
				}
			})
		}
	}
}

// jsiiPeakMB is the peak resident memory (VmHWM) of this process's
// descendants, the jsii runtime's Node.js processes (the runtime starts
// its kernel in a child of its own), in MB; 0 when /proc says nothing.
func jsiiPeakMB() float64 {
	return descendantsPeakMB("self")
}

func descendantsPeakMB(pid string) float64 {
	tasks, _ := filepath.Glob("/proc/" + pid + "/task/*/children")
	peak := 0.0
	for _, t := range tasks {
		data, _ := os.ReadFile(t)
		for _, child := range strings.Fields(string(data)) {
			status, _ := os.ReadFile("/proc/" + child + "/status")
			for _, line := range strings.Split(string(status), "\n") {
				if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
					peak += v / 1024
				}
			}
			peak += descendantsPeakMB(child)
		}
	}
	return peak
}
