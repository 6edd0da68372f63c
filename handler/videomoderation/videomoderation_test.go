package videomoderation

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// testNow is the pinned clock: no test depends on the wall clock.
var testNow = time.Date(2031, 5, 17, 20, 0, 0, 0, time.UTC)

const bucket = "recordings"

type fixture struct {
	aws     *awsfake.Server
	now     time.Time
	channel string
	topic   string
	h       *Handler
}

func newFixture(t *testing.T, c Config) *fixture {
	t.Helper()
	f := &fixture{aws: awsfake.New(t), now: testNow}
	f.aws.SetClock(func() time.Time { return f.now })
	f.channel = f.aws.AddChannel("mainStage1", true)
	f.topic = f.aws.AddTopic("moderation")
	c.Channels = []string{f.channel}
	if c.TopicArn == "" {
		c.TopicArn = f.topic
	}
	if c.Fallback == "" {
		c.Fallback = FallbackStop
	}
	cfg := f.aws.Config()
	cfg.RetryMaxAttempts = 1 // a throttled Rekognition answers at once
	h, err := New(c, rekognition.NewFromConfig(cfg), ivs.NewFromConfig(cfg), sns.NewFromConfig(cfg), func() time.Time { return f.now })
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

// thumbnail is the key of the n-th thumbnail IVS writes for a recording
// of the channel (IVS Low-Latency user guide, "Auto-Record to Amazon S3").
func thumbnail(channel string, n int) string {
	id := channel[strings.LastIndexByte(channel, '/')+1:]
	return "ivs/v1/" + awsfake.Account + "/" + id + "/2031/5/17/20/0/rec1/media/thumbnails/thumb" + string(rune('0'+n)) + ".jpg"
}

func (f *fixture) notify(t *testing.T, keys ...string) error {
	t.Helper()
	var event events.S3Event
	for _, k := range keys {
		var r events.S3EventRecord
		r.S3.Bucket.Name = bucket
		r.S3.Object.Key, r.S3.Object.URLDecodedKey = k, k
		event.Records = append(event.Records, r)
	}
	return f.h.Handle(context.Background(), event)
}

func (f *fixture) findings(t *testing.T) []Finding {
	t.Helper()
	var out []Finding
	for _, m := range f.aws.Published(f.topic) {
		var finding Finding
		if err := json.Unmarshal([]byte(m), &finding); err != nil {
			t.Fatalf("the topic got %s: %v", m, err)
		}
		out = append(out, finding)
	}
	return out
}

func TestAThumbnailThatPassesLeavesTheStreamAlone(t *testing.T) {
	f := newFixture(t, Config{Categories: []string{"Explicit", "Violence"}, MinConfidence: 80, StopStream: true})
	key := thumbnail(f.channel, 0)
	// A label of another category, and one below the confidence: neither counts.
	f.aws.AddImage(bucket, key, awsfake.ModerationLabel{Name: "Alcohol", ParentName: "Drugs & Tobacco", Confidence: 99},
		awsfake.ModerationLabel{Name: "Graphic Violence", ParentName: "Violence", Confidence: 70})
	if err := f.notify(t, key); err != nil {
		t.Fatal(err)
	}
	if !f.aws.Live(f.channel) || f.aws.Calls("StopStream") != 0 || len(f.aws.Published(f.topic)) != 0 {
		t.Errorf("a clean thumbnail: live %v, %d StopStream, %d messages", f.aws.Live(f.channel), f.aws.Calls("StopStream"), len(f.aws.Published(f.topic)))
	}
	if n, signed := f.aws.Calls("DetectModerationLabels"), f.aws.SignedFor("DetectModerationLabels"); n != 1 || signed != "rekognition" {
		t.Errorf("%d DetectModerationLabels calls signed for %q, want 1 for rekognition", n, signed)
	}
}

func TestAThumbnailThatFailsStopsTheStreamAndKeepsTheEvidence(t *testing.T) {
	f := newFixture(t, Config{Categories: []string{"Violence"}, MinConfidence: 80, StopStream: true})
	key := thumbnail(f.channel, 0)
	f.aws.AddImage(bucket, key, awsfake.ModerationLabel{Name: "Graphic Violence", ParentName: "Violence", Confidence: 91.5})
	if err := f.notify(t, key); err != nil {
		t.Fatal(err)
	}
	if f.aws.Live(f.channel) {
		t.Error("the stream is still live after a flagged thumbnail")
	}
	got := f.findings(t)
	want := Finding{ChannelArn: f.channel, Bucket: bucket, Evidence: recordingindex.Evidence{Outcome: "flagged", Key: key, CheckedAt: testNow,
		StreamStopped: true, Labels: []Label{{Name: "Graphic Violence", ParentName: "Violence", Confidence: 91.5}}}}
	if len(got) != 1 || got[0].Outcome != want.Outcome || got[0].Key != key || !got[0].CheckedAt.Equal(testNow) || !got[0].StreamStopped ||
		len(got[0].Labels) != 1 || got[0].Labels[0] != want.Labels[0] {
		t.Errorf("the topic got %+v, want %+v", got, want)
	}
	// The channel, already stopped, is not an error the next time.
	f.now = f.now.Add(time.Minute)
	f.aws.AddImage(bucket, thumbnail(f.channel, 1), awsfake.ModerationLabel{Name: "Violence", Confidence: 95})
	if err := f.notify(t, thumbnail(f.channel, 1)); err != nil {
		t.Errorf("a second hit on a stopped channel: %v", err)
	}
}

// Rekognition throttled or failing takes the configured fallback: STOP
// stops the stream (fail closed), ALLOW leaves it (fail open); both tell
// the topic why nothing was checked.
func TestRekognitionUnavailableTakesTheFallback(t *testing.T) {
	for _, c := range []struct {
		fallback, code string
		status         int
		live           bool
	}{
		{FallbackStop, "ThrottlingException", http.StatusBadRequest, false},
		{FallbackStop, "InternalServerError", http.StatusInternalServerError, false},
		{FallbackAllow, "ProvisionedThroughputExceededException", http.StatusBadRequest, true},
	} {
		t.Run(c.fallback+" "+c.code, func(t *testing.T) {
			f := newFixture(t, Config{MinConfidence: 60, StopStream: true, Fallback: c.fallback})
			f.aws.Fail("DetectModerationLabels", awsfake.Failure{Code: c.code, Status: c.status})
			if err := f.notify(t, thumbnail(f.channel, 0)); err != nil {
				t.Fatal(err)
			}
			if f.aws.Live(f.channel) != c.live {
				t.Errorf("live %v, want %v", f.aws.Live(f.channel), c.live)
			}
			got := f.findings(t)
			if len(got) != 1 || got[0].Outcome != "fallback" || !strings.Contains(got[0].Reason, c.code) || got[0].StreamStopped == c.live {
				t.Errorf("the topic got %+v, want a fallback naming %s", got, c.code)
			}
		})
	}
	// An image Rekognition cannot read is no check either.
	f := newFixture(t, Config{StopStream: true, Fallback: FallbackAllow})
	if err := f.notify(t, thumbnail(f.channel, 0)); err != nil {
		t.Fatal(err)
	}
	if got := f.findings(t); len(got) != 1 || !strings.Contains(got[0].Reason, "InvalidS3ObjectException") || !f.aws.Live(f.channel) {
		t.Errorf("an unreadable thumbnail: %+v", got)
	}
}

// One check per channel per interval, whatever the renditions and
// retries; objects that are not a watched channel's thumbnails are not
// checked at all.
func TestCostIsBoundedByTheInterval(t *testing.T) {
	f := newFixture(t, Config{Interval: tokenapi.Duration(time.Minute), Fallback: FallbackAllow})
	for i := range 3 {
		f.aws.AddImage(bucket, thumbnail(f.channel, i))
	}
	other := strings.Replace(thumbnail(f.channel, 0), "mainStage1", "elsewhere01", 1)
	if err := f.notify(t, thumbnail(f.channel, 0), thumbnail(f.channel, 1), other,
		strings.Replace(thumbnail(f.channel, 0), "media/thumbnails/thumb0.jpg", "media/hls/720p30/0.ts", 1),
		strings.Replace(thumbnail(f.channel, 0), "media/thumbnails/thumb0.jpg", "events/recording-started.json", 1)); err != nil {
		t.Fatal(err)
	}
	if n := f.aws.Calls("DetectModerationLabels"); n != 1 {
		t.Errorf("%d checks for two thumbnails in one interval and three other objects, want 1", n)
	}
	f.now = f.now.Add(time.Minute)
	if err := f.notify(t, thumbnail(f.channel, 2)); err != nil {
		t.Fatal(err)
	}
	if n := f.aws.Calls("DetectModerationLabels"); n != 2 {
		t.Errorf("%d checks after the interval, want 2", n)
	}
}

// Stopping the stream or telling the topic failing is an error, so that
// Lambda retries the event.
func TestFailedActionsAreRetried(t *testing.T) {
	f := newFixture(t, Config{StopStream: true})
	f.aws.AddImage(bucket, thumbnail(f.channel, 0), awsfake.ModerationLabel{Name: "Violence", Confidence: 99})
	f.aws.Fail("StopStream", awsfake.Failure{Code: "AccessDeniedException", Status: http.StatusForbidden})
	if err := f.notify(t, thumbnail(f.channel, 0)); err == nil || !strings.Contains(err.Error(), "stopping") {
		t.Errorf("a failed StopStream: %v, want an error", err)
	}
	g := newFixture(t, Config{StopStream: true, TopicArn: "arn:aws:sns:us-west-2:123456789012:gone"})
	g.aws.AddImage(bucket, thumbnail(g.channel, 0), awsfake.ModerationLabel{Name: "Violence", Confidence: 99})
	if err := g.notify(t, thumbnail(g.channel, 0)); err == nil || !strings.Contains(err.Error(), "NotFound") {
		t.Errorf("a topic that is gone: %v, want an error", err)
	}
}

func TestParseConfig(t *testing.T) {
	valid := `{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "minConfidence": 80, "fallback": "STOP", "interval": "1m"}`
	if c, err := ParseConfig(valid); err != nil || time.Duration(c.Interval) != time.Minute {
		t.Errorf("a valid configuration: %+v %v", c, err)
	}
	for config, want := range map[string]string{
		`{"fallback": "STOP"}`: "no channel",
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:stage/abc"], "fallback": "STOP"}`:                         "not a channel ARN",
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"], "fallback": "STOP", "minConfidence": 101}`: "minConfidence 101",
		`{"channels": ["arn:aws:ivs:us-west-2:123456789012:channel/abc"]}`:                                           `fallback "" is neither`,
	} {
		if _, err := ParseConfig(config); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseConfig(%s): %v, want %q", config, err, want)
		}
	}
}

// tables gives the fixture a viewer log holding viewers of its channel,
// and a recording index, both on dynalite.
func (f *fixture) tables(t *testing.T, viewers ...string) (*viewerlog.Log, *recordingindex.Store) {
	t.Helper()
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, viewerlog.TableInput("viewers"))
	localaws.CreateTable(t, db, recordingindex.TableInput("index"))
	log := &viewerlog.Log{Client: db, Table: "viewers", Retention: time.Hour}
	for i, v := range viewers {
		if err := log.Record(context.Background(), f.channel, v, f.now.Add(-time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// A viewer whose entry has expired, and one of another channel.
	log.Record(context.Background(), f.channel, "long-gone", f.now.Add(-2*time.Hour))
	log.Record(context.Background(), "arn:aws:ivs:us-west-2:123456789012:channel/elsewhere01", "elsewhere", f.now)
	f.h.UseTables(db)
	return log, &recordingindex.Store{Client: db, Table: "index", Retention: 7 * 24 * time.Hour}
}

func TestAHitRevokesTheChannelsViewersSessionsAndKeepsTheEvidenceInTheIndex(t *testing.T) {
	f := newFixture(t, Config{Categories: []string{"Violence"}, MinConfidence: 80, StopStream: true,
		ViewerTable: "viewers", IndexTable: "index", IndexRetention: tokenapi.Duration(7 * 24 * time.Hour)})
	viewers := []string{"viewer-1", "viewer-2", "viewer-3", "viewer-4", "viewer-5", "viewer-6"} // more than RevokeParallelism
	_, index := f.tables(t, viewers...)
	key := thumbnail(f.channel, 0)
	f.aws.AddImage(bucket, key, awsfake.ModerationLabel{Name: "Graphic Violence", ParentName: "Violence", Confidence: 91.5})
	if err := f.notify(t, key); err != nil {
		t.Fatal(err)
	}
	var revoked []string
	for _, r := range f.aws.Revocations() {
		if r.ChannelArn != f.channel || r.UpTo != int64(viewerlog.SessionVersion(testNow)) {
			t.Errorf("revocation %+v, want of %s, sessions up to version %d (the check's time)", r, f.channel, viewerlog.SessionVersion(testNow))
		}
		revoked = append(revoked, r.ViewerID)
	}
	slices.Sort(revoked)
	if !slices.Equal(revoked, viewers) {
		t.Errorf("revoked %q, want every viewer with a live entry %q", revoked, viewers)
	}
	got := f.findings(t)
	if len(got) != 1 || !got[0].StreamStopped || got[0].ViewersRevoked != len(viewers) || !got[0].EvidenceKept {
		t.Errorf("the topic got %+v, want the stream stopped, %d viewers revoked, the evidence kept", got, len(viewers))
	}
	loc, _ := recordingindex.ParsePrefix(key)
	evidence, err := index.EvidenceOf(context.Background(), loc.ChannelID, recordingindex.SortKey(loc), recordingindex.SortKey(loc))
	if err != nil {
		t.Fatal(err)
	}
	e := evidence[recordingindex.SortKey(loc)]
	if len(e) != 1 || e[0].Key != key || e[0].Outcome != "flagged" || e[0].Labels[0].Name != "Graphic Violence" ||
		!e[0].CheckedAt.Equal(testNow) || !e[0].StreamStopped || e[0].ViewersRevoked != len(viewers) {
		t.Errorf("the recording's evidence: %+v", e)
	}
}

// A fallback that lets the stream go on revokes no one, but is kept.
func TestAnAllowedFallbackRevokesNoOneAndIsKept(t *testing.T) {
	f := newFixture(t, Config{StopStream: true, Fallback: FallbackAllow, ViewerTable: "viewers", IndexTable: "index"})
	_, index := f.tables(t, "viewer-1")
	f.aws.Fail("DetectModerationLabels", awsfake.Failure{Code: "ThrottlingException", Status: http.StatusBadRequest})
	if err := f.notify(t, thumbnail(f.channel, 0)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.aws.Revocations()); n != 0 || !f.aws.Live(f.channel) {
		t.Errorf("%d revocations, live %v: an allowed fallback leaves viewers and stream alone", n, f.aws.Live(f.channel))
	}
	loc, _ := recordingindex.ParsePrefix(thumbnail(f.channel, 0))
	evidence, _ := index.EvidenceOf(context.Background(), loc.ChannelID, recordingindex.SortKey(loc), recordingindex.SortKey(loc))
	if e := evidence[recordingindex.SortKey(loc)]; len(e) != 1 || e[0].Outcome != "fallback" || !strings.Contains(e[0].Reason, "ThrottlingException") {
		t.Errorf("the fallback's evidence: %+v", e)
	}
}

// A failed revocation is an error, and the retried event checks again
// (the interval does not swallow it) and revokes again.
func TestAFailedRevocationIsRetried(t *testing.T) {
	f := newFixture(t, Config{StopStream: true, ViewerTable: "viewers", Interval: tokenapi.Duration(time.Minute)})
	f.tables(t, "viewer-1", "viewer-2")
	f.aws.AddImage(bucket, thumbnail(f.channel, 0), awsfake.ModerationLabel{Name: "Violence", Confidence: 99})
	f.aws.Fail("StartViewerSessionRevocation", awsfake.Failure{Code: "AccessDeniedException", Status: http.StatusForbidden})
	if err := f.notify(t, thumbnail(f.channel, 0)); err == nil || !strings.Contains(err.Error(), "revoking viewer") {
		t.Fatalf("a failed revocation: %v, want an error", err)
	}
	f.aws.Recover("StartViewerSessionRevocation")
	if err := f.notify(t, thumbnail(f.channel, 0)); err != nil {
		t.Fatalf("the retry: %v", err)
	}
	if n := len(f.aws.Revocations()); n != 2 {
		t.Errorf("%d revocations after the retry, want both viewers'", n)
	}
	if n := f.aws.Calls("DetectModerationLabels"); n != 2 {
		t.Errorf("%d checks, want 2: the retry within the interval is checked again", n)
	}
}

// Tables named without a client fail the hit rather than skip a step.
func TestTablesWithoutAClientFailTheHit(t *testing.T) {
	f := newFixture(t, Config{StopStream: true, ViewerTable: "viewers"})
	f.aws.AddImage(bucket, thumbnail(f.channel, 0), awsfake.ModerationLabel{Name: "Violence", Confidence: 99})
	if err := f.notify(t, thumbnail(f.channel, 0)); err == nil || !strings.Contains(err.Error(), "UseTables") {
		t.Errorf("no client for the viewer log: %v, want an error", err)
	}
}
