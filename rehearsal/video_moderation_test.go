package rehearsal

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/videomoderation"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// TestVideoModeration runs the private-channel example's video moderation
// function, exactly as built, under the RIE, with S3's notifications of
// new thumbnails against the local Rekognition, IVS and SNS:
//   - a thumbnail that passes leaves the stream live and tells nobody;
//   - one with violence stops the stream, revokes the sessions of the
//     viewers the token endpoint's viewer log lists (the table as the
//     template makes it), keeps the evidence beside the recording in the
//     recording library's index, and tells the alerts topic with it;
//   - Rekognition throttled takes the example's fallback (keep streaming)
//     and tells the topic why nothing was checked.
func TestVideoModeration(t *testing.T) {
	d := deploy(t, "private-channel", "IvsPrivateChannel")
	moderation := d.spec("VideoModerationFunction")
	var config videomoderation.Config
	if err := json.Unmarshal([]byte(moderation.Env[videomoderation.EnvConfig]), &config); err != nil {
		t.Fatal(err)
	}
	db := d.withTables(moderation)
	if config.ViewerTable != d.ref(map[string]any{"Ref": d.id("AWS::DynamoDB::Table", "TokensViewers")}) ||
		config.IndexTable != d.ref(map[string]any{"Ref": d.id("AWS::DynamoDB::Table", "LibraryIndex")}) {
		t.Fatalf("the function reads viewers from %q and keeps evidence in %q, not the token endpoint's and the library's tables", config.ViewerTable, config.IndexTable)
	}
	fn := d.start(moderation)
	channel := d.ref(map[string]any{"Fn::GetAtt": []any{d.id("AWS::IVS::Channel", "Channel"), "Arn"}})
	var bucket string
	for _, id := range d.stack.OfType("AWS::S3::Bucket") {
		if len(id) == len("Recordings")+8 && strings.HasPrefix(id, "Recordings") { // the logical ID: the path and a hash
			bucket = d.ref(map[string]any{"Ref": id})
		}
	}
	topic := d.ref(map[string]any{"Ref": d.id("AWS::SNS::Topic", "Alerts")})
	channelID := channel[strings.LastIndexByte(channel, '/')+1:]
	thumbnail := func(n string) string {
		return "ivs/v1/" + awsfake.Account + "/" + channelID + "/2031/5/17/20/0/rec1/media/thumbnails/thumb" + n + ".jpg"
	}
	notify := func(key string) {
		t.Helper()
		var event events.S3Event
		var r events.S3EventRecord
		r.EventSource, r.EventName, r.AWSRegion = "aws:s3", "ObjectCreated:Put", awsfake.Region
		r.S3.Bucket.Name, r.S3.Bucket.Arn = bucket, "arn:aws:s3:::"+bucket
		r.S3.Object.Key, r.S3.Object.Size = key, 14_000
		event.Records = append(event.Records, r)
		if _, err := fn.Invoke(ctx(t), event); err != nil {
			t.Fatalf("the function failed on %s: %v\n%s", key, err, fn.Log())
		}
	}
	d.aws.SetLive(channel, true)
	// Two viewers got tokens a minute ago (the token endpoint writes the
	// log as TestPrivateChannel rehearses); one long ago, past the log's
	// retention. The times are relative to the machine's clock because the
	// asset reads the log on it, as on Lambda; the unit tests pin it.
	viewers := &viewerlog.Log{Client: db, Table: config.ViewerTable}
	for viewer, at := range map[string]time.Time{"alice-sub": time.Now().Add(-time.Minute), "bob-sub": time.Now().Add(-time.Minute),
		"gone-sub": time.Now().Add(-48 * time.Hour)} {
		if err := viewers.Record(ctx(t), channel, viewer, at); err != nil {
			t.Fatal(err)
		}
	}

	d.aws.AddImage(bucket, thumbnail("0"), awsfake.ModerationLabel{Name: "Alcohol", Confidence: 97})
	notify(thumbnail("0"))
	if !d.aws.Live(channel) || len(d.aws.Published(topic)) != 0 {
		t.Fatalf("a passing thumbnail: live %v, %d messages", d.aws.Live(channel), len(d.aws.Published(topic)))
	}
	if n, signed := d.aws.Calls("DetectModerationLabels"), d.aws.SignedFor("DetectModerationLabels"); n != 1 || signed != "rekognition" {
		t.Errorf("%d DetectModerationLabels calls signed for %q, want 1 for rekognition", n, signed)
	}

	d.aws.AddImage(bucket, thumbnail("1"), awsfake.ModerationLabel{Name: "Graphic Violence", ParentName: "Violence", Confidence: 93})
	// The function checks a channel once a minute, on its own clock here
	// (the handler's unit tests check that on a pinned one), so each of the
	// next thumbnails goes to a fresh instance: the violent one stops the
	// stream.
	fn.Stop()
	fn = d.start(moderation)
	notify(thumbnail("1"))
	if d.aws.Live(channel) {
		t.Error("the stream is live after a violent thumbnail")
	}
	var finding struct {
		Outcome, ChannelArn, Key    string
		Labels                      []struct{ Name, ParentName string }
		StreamStopped, EvidenceKept bool
		ViewersRevoked              int
	}
	if got := d.aws.Published(topic); len(got) != 1 || json.Unmarshal([]byte(got[0]), &finding) != nil ||
		finding.Outcome != "flagged" || finding.ChannelArn != channel || finding.Key != thumbnail("1") || !finding.StreamStopped ||
		len(finding.Labels) != 1 || finding.Labels[0].ParentName != "Violence" || finding.ViewersRevoked != 2 || !finding.EvidenceKept {
		t.Errorf("the alerts topic got %v, want the flagged thumbnail, 2 viewers revoked, the evidence kept", got)
	}
	var revoked []string
	for _, r := range d.aws.Revocations() {
		if r.ChannelArn == channel && r.UpTo > 0 {
			revoked = append(revoked, r.ViewerID)
		}
	}
	if slices.Sort(revoked); !slices.Equal(revoked, []string{"alice-sub", "bob-sub"}) {
		t.Errorf("revoked %v, want the two recent viewers' sessions (up to the check's version)", d.aws.Revocations())
	}
	loc, _ := recordingindex.ParsePrefix(thumbnail("1"))
	evidence, err := recordingindex.ReadEvidence(ctx(t), db, config.IndexTable, channelID, recordingindex.SortKey(loc), recordingindex.SortKey(loc))
	if e := evidence[recordingindex.SortKey(loc)]; err != nil || len(e) != 1 || e[0].Key != thumbnail("1") || e[0].Outcome != "flagged" || e[0].ViewersRevoked != 2 {
		t.Errorf("the index's evidence of the recording: %+v %v", evidence, err)
	}

	// Rekognition throttled: the example keeps streaming and says so.
	fn.Stop()
	fn = d.start(moderation)
	d.aws.SetLive(channel, true)
	d.aws.Fail("DetectModerationLabels", awsfake.Failure{Code: "ThrottlingException", Status: http.StatusBadRequest})
	notify(thumbnail("2"))
	got := d.aws.Published(topic)
	if !d.aws.Live(channel) || len(got) != 2 || !strings.Contains(got[1], `"outcome":"fallback"`) || !strings.Contains(got[1], "ThrottlingException") {
		t.Errorf("Rekognition throttled: live %v, messages %v; want the stream live and a fallback told", d.aws.Live(channel), got)
	}
}
