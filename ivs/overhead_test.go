package ivs_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/jsii-runtime-go"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsivschat"

	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

// The overhead of the L2 constructs over the raw L1: the same 200 channels
// with a stream key each, built through ivscdk and through
// awsivs.CfnChannel/CfnStreamKey, each in a new app, synthesized.

const overheadChannels = 200

func newOverheadStack(tb testing.TB) (awscdk.App, awscdk.Stack) {
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir: jsii.String(tb.TempDir()),
		// The CloudFormation Validate plugin costs the same for both
		// templates; it is left out so that the ratio shows the constructs.
		BuiltinCloudFormationValidation: jsii.Bool(false),
	})
	return app, awscdk.NewStack(app, jsii.String("TestStack"), nil)
}

func buildL1(stack awscdk.Stack, from, to int) {
	for i := from; i < to; i++ {
		id := fmt.Sprintf("Channel%d", i)
		ch := awsivs.NewCfnChannel(stack, jsii.String(id), &awsivs.CfnChannelProps{Name: jsii.String("TestStack" + id)})
		awsivs.NewCfnStreamKey(stack, jsii.String(id+"StreamKey"), &awsivs.CfnStreamKeyProps{ChannelArn: ch.AttrArn()})
	}
}

// jsiiProxy_bareResource is a Go-side awscdk.Resource with no methods of
// its own, named so that the jsii runtime skips its interface scan, as
// l2.Construct is.
type jsiiProxy_bareResource struct{ awscdk.Resource }

// buildTreeFloor builds the tree ivscdk builds, a Resource with its L1 as
// the child "Resource" for the channel and for its key, with nothing but
// the jsii calls that make it: the floor of any L2 that keeps the CDK's
// construct tree and logical IDs (DESIGN.md, section 3).
func buildTreeFloor(stack awscdk.Stack, from, to int) {
	for i := from; i < to; i++ {
		id := fmt.Sprintf("Channel%d", i)
		channel := &jsiiProxy_bareResource{}
		awscdk.NewResource_Override(channel, stack, jsii.String(id), &awscdk.ResourceProps{PhysicalName: jsii.String("TestStack" + id + "0123ABCD")})
		cfn := awsivs.NewCfnChannel(channel, jsii.String("Resource"), &awsivs.CfnChannelProps{Name: jsii.String("TestStack" + id + "0123ABCD")})
		key := &jsiiProxy_bareResource{}
		awscdk.NewResource_Override(key, channel, jsii.String("StreamKey"), nil)
		awsivs.NewCfnStreamKey(key, jsii.String("Resource"), &awsivs.CfnStreamKeyProps{ChannelArn: cfn.AttrArn()})
	}
}

func buildL2(stack awscdk.Stack, from, to int) {
	for i := from; i < to; i++ {
		ivs.NewChannel(stack, fmt.Sprintf("Channel%d", i), nil).AddStreamKey("StreamKey")
	}
}

// overheadScenarios pair the same resources built through ivscdk and
// through the raw L1, 200 of each per app; floor builds ivscdk's
// construct tree with bare jsii calls.
var overheadScenarios = []struct {
	name          string
	l1, l2, floor func(stack awscdk.Stack, from, to int)
}{
	{"channels+keys", buildL1, buildL2, buildTreeFloor},
	{"stages", func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			awsivs.NewCfnStage(stack, jsii.String(fmt.Sprintf("Stage%d", i)), &awsivs.CfnStageProps{})
		}
	}, func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			ivs.NewStage(stack, fmt.Sprintf("Stage%d", i), nil)
		}
	}, func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			name := jsii.String(fmt.Sprintf("TestStackStage%d0123ABCD", i))
			stage := &jsiiProxy_bareResource{}
			awscdk.NewResource_Override(stage, stack, jsii.String(fmt.Sprintf("Stage%d", i)), &awscdk.ResourceProps{PhysicalName: name})
			awsivs.NewCfnStage(stage, jsii.String("Resource"), &awsivs.CfnStageProps{Name: name})
		}
	}},
	{"chat rooms", func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			awsivschat.NewCfnRoom(stack, jsii.String(fmt.Sprintf("Room%d", i)), &awsivschat.CfnRoomProps{})
		}
	}, func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			ivschat.NewRoom(stack, fmt.Sprintf("Room%d", i), nil)
		}
	}, func(stack awscdk.Stack, from, to int) {
		for i := from; i < to; i++ {
			name := jsii.String(fmt.Sprintf("TestStackRoom%d0123ABCD", i))
			room := &jsiiProxy_bareResource{}
			awscdk.NewResource_Override(room, stack, jsii.String(fmt.Sprintf("Room%d", i)), &awscdk.ResourceProps{PhysicalName: name})
			awsivschat.NewCfnRoom(room, jsii.String("Resource"), &awsivschat.CfnRoomProps{Name: name})
		}
	}},
}

// BenchmarkL2Overhead alternates the L1 and L2 builds (and the tree floor)
// of each scenario in every iteration and reports their times and the
// ratios L2/L1 and L2/floor, measured in one run.
func BenchmarkL2Overhead(b *testing.B) {
	// Warm up the jsii runtime, so neither side pays its start-up.
	_, warm := newOverheadStack(b)
	buildL2(warm, 0, 1)
	for _, sc := range overheadScenarios {
		b.Run(sc.name, func(b *testing.B) {
			var l1, l2, floor time.Duration
			sides := []struct {
				build func(awscdk.Stack, int, int)
				total *time.Duration
			}{{sc.l1, &l1}, {sc.l2, &l2}, {sc.floor, &floor}}
			for i := 0; i < b.N; i++ {
				for _, side := range sides {
					app, stack := newOverheadStack(b)
					start := time.Now()
					side.build(stack, 0, overheadChannels)
					app.Synth(nil)
					*side.total += time.Since(start)
				}
			}
			b.ReportMetric(float64(l1.Milliseconds())/float64(b.N), "L1-ms/op")
			b.ReportMetric(float64(l2.Milliseconds())/float64(b.N), "L2-ms/op")
			b.ReportMetric(float64(l2)/float64(l1), "L2/L1")
			b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "floor-ms/op")
			b.ReportMetric(float64(l2)/float64(floor), "L2/floor")
		})
	}
}

// BenchmarkChannelsL1 and BenchmarkChannelsL2 time each side alone, for
// benchstat.
func BenchmarkChannelsL1(b *testing.B) { benchmarkChannels(b, buildL1) }

// BenchmarkChannelsL2 is the ivscdk side of BenchmarkChannelsL1.
func BenchmarkChannelsL2(b *testing.B) { benchmarkChannels(b, buildL2) }

func benchmarkChannels(b *testing.B, build func(awscdk.Stack, int, int)) {
	_, warm := newOverheadStack(b)
	build(warm, 0, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		app, stack := newOverheadStack(b)
		build(stack, 0, overheadChannels)
		app.Synth(nil)
	}
}

// roundTripMarker is sent through the jsii runtime so that it shows in the
// runtime's JSII_DEBUG trace in order with the calls around it.
func roundTripMarker(name string) { awscdk.Token_IsUnresolved(jsii.String("ivscdk-marker:" + name)) }

// TestRoundTripsChild is run by TestJsiiRoundTrips in a child process with
// JSII_DEBUG=1; on its own it does nothing.
func TestRoundTripsChild(t *testing.T) {
	if os.Getenv("IVSCDK_ROUND_TRIPS_CHILD") == "" {
		t.Skip("run by TestJsiiRoundTrips")
	}
	const n = 20
	for _, side := range []struct {
		name  string
		build func(awscdk.Stack, int, int)
	}{{"L1", buildL1}, {"L2", buildL2}} {
		app, stack := newOverheadStack(t)
		side.build(stack, 0, 1) // the first construct in a stack looks the stack up once
		roundTripMarker(side.name + "-build")
		side.build(stack, 1, 1+n)
		roundTripMarker(side.name + "-synth")
		app.Synth(nil)
		roundTripMarker(side.name + "-end")
	}
}

// TestJsiiRoundTrips counts the jsii round trips (Go-to-Node requests and
// Node-to-Go callbacks) that building and synthesizing a channel with a
// stream key costs, L1 and L2, and keeps the L2 within its budget: the
// wrapper Resource of each construct plus its L1 and the channel's ARN.
func TestJsiiRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tests in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRoundTripsChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "JSII_DEBUG=1", "IVSCDK_ROUND_TRIPS_CHILD=1")
	var trace bytes.Buffer
	cmd.Stdout, cmd.Stderr = &trace, &trace
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, tail(trace.String(), 2000))
	}
	counts := countBetweenMarkers(trace.String())
	const n = 20.0
	l1, l2 := float64(counts["L1-build"])/n, float64(counts["L2-build"])/n
	t.Logf("jsii round trips per channel with stream key: L1 %.1f, L2 %.1f to build; synth of %d: L1 %d, L2 %d",
		l1, l2, int(n)+1, counts["L1-synth"], counts["L2-synth"])
	if l1 != 3 {
		t.Errorf("L1 build costs %.1f round trips per channel, want 3 (CfnChannel, CfnStreamKey, AttrArn): is the count right?", l1)
	}
	if l2 > 5 {
		t.Errorf("L2 build costs %.1f round trips per channel with key, budget 5 (2 Resources, 2 L1s, AttrArn)", l2)
	}
	if counts["L2-synth"] > counts["L1-synth"] {
		t.Errorf("L2 synth costs %d round trips, L1 %d: something calls back into Go at synth", counts["L2-synth"], counts["L1-synth"])
	}
}

// countBetweenMarkers counts the requests the Go side sent between one
// marker and the next, by marker name.
func countBetweenMarkers(trace string) map[string]int {
	counts := map[string]int{}
	current := ""
	scanner := bufio.NewScanner(strings.NewReader(trace))
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	for scanner.Scan() {
		line := scanner.Text()
		if !strings.HasPrefix(line, "> {") {
			continue
		}
		if i := strings.Index(line, "ivscdk-marker:"); i >= 0 {
			current = strings.TrimSuffix(strings.SplitN(line[i+len("ivscdk-marker:"):], `"`, 2)[0], "")
			continue
		}
		if current != "" {
			counts[current]++
		}
	}
	return counts
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
