package recordingindex_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

const bucket = "recordings"

// rig is an indexer over an s3rver bucket and a dynalite table, at a fixed
// clock.
type rig struct {
	t       *testing.T
	s3      *s3.Client
	db      *dynamodb.Client
	indexer *recordingindex.Indexer
	now     time.Time
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, s3: localaws.S3(t, bucket), db: localaws.DynamoDB(t), now: time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)}
	localaws.CreateTable(t, r.db, recordingindex.TableInput("index"))
	r.indexer = &recordingindex.Indexer{S3: r.s3, Bucket: bucket, Now: func() time.Time { return r.now },
		Store: &recordingindex.Store{Client: r.db, Table: "index", Retention: 30 * 24 * time.Hour}}
	return r
}

// prefix is a recording's prefix, as IVS lays it out (no zero padding).
func prefix(channel, recording string, start time.Time) string {
	return strings.Join([]string{"ivs/v1/123456789012", channel, itoa(start.Year()), itoa(int(start.Month())), itoa(start.Day()),
		itoa(start.Hour()), itoa(start.Minute()), recording}, "/")
}

func itoa(n int) string { return strconv.Itoa(n) }

// write puts one of the testdata metadata files (for channel) and a
// segment under p.
func (r *rig) write(p, channel, file string) {
	r.t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		r.t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("channel/AsXego4U6tnj"), []byte("channel/"+channel))
	for key, body := range map[string][]byte{p + "/events/" + file: data, p + "/media/hls/720p60/0.ts": []byte("segment")} {
		if _, err := r.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			r.t.Fatal(err)
		}
	}
}

// notify invokes the indexer with an S3 notification of key (the S3 User
// Guide's event message structure, testdata/s3-notification.json).
func (r *rig) notify(keys ...string) recordingindex.Result {
	r.t.Helper()
	template, _ := os.ReadFile("testdata/s3-notification.json")
	var n map[string]any
	json.Unmarshal(template, &n)
	one := n["Records"].([]any)[0]
	var records []any
	for _, k := range keys {
		b, _ := json.Marshal(one)
		b = bytes.Replace(b, []byte(`"key":"KEY"`), []byte(`"key":"`+strings.ReplaceAll(k, ":", "%3A")+`"`), 1)
		var rec any
		json.Unmarshal(b, &rec)
		records = append(records, rec)
	}
	n["Records"] = records
	event, _ := json.Marshal(n)
	result, err := r.indexer.Handle(context.Background(), event)
	if err != nil {
		r.t.Fatal(err)
	}
	return result
}

// entries returns the index of channel, newest first.
func (r *rig) entries(channel string) []recordingindex.Recording {
	r.t.Helper()
	got, err := r.indexer.Store.Since(context.Background(), channel, time.Time{})
	if err != nil {
		r.t.Fatal(err)
	}
	return got
}

func statuses(rs []recordingindex.Recording) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.RecordingID+":"+r.Status)
	}
	return out
}

// TestNotificationsTwiceLateAndOutOfOrder: whatever order the
// notifications come in, and however often, the entry is what the most
// final file says.
func TestNotificationsTwiceLateAndOutOfOrder(t *testing.T) {
	r := newRig(t)
	start := r.now.Add(-time.Hour)
	p := prefix("chan1", "rec1", start)

	r.write(p, "chan1", recordingindex.FileStarted)
	if got := r.notify(p + "/events/" + recordingindex.FileStarted); !slices.Equal(got.Indexed, []string{p}) {
		t.Fatalf("started: %+v", got)
	}
	if got := statuses(r.entries("chan1")); !slices.Equal(got, []string{"rec1:" + recordingindex.StatusStarted}) {
		t.Fatalf("after started: %v", got)
	}
	r.write(p, "chan1", recordingindex.FileEnded)
	r.notify(p + "/events/" + recordingindex.FileEnded)
	// The started notification again, late: nothing goes back.
	if got := r.notify(p + "/events/" + recordingindex.FileStarted); !slices.Equal(got.Unchanged, []string{p}) {
		t.Errorf("the late started notification: %+v, want unchanged", got)
	}
	entries := r.entries("chan1")
	if got := statuses(entries); !slices.Equal(got, []string{"rec1:" + recordingindex.StatusEnded}) {
		t.Fatalf("after ended and a late started: %v", got)
	}
	e := entries[0]
	if e.DurationMs != 172794489 || e.Playlist != p+"/media/hls/master.m3u8" || len(e.Renditions) != 2 || e.LatestThumbnail != p+"/media/latest_thumbnail/thumb.jpg" {
		t.Errorf("the ended entry: %+v", e)
	}

	// Out of order: the ended file is there when the started
	// notification of a second recording comes first.
	p2 := prefix("chan1", "rec2", start.Add(10*time.Minute))
	r.write(p2, "chan1", recordingindex.FileStarted)
	r.write(p2, "chan1", recordingindex.FileEnded)
	r.notify(p2+"/events/"+recordingindex.FileStarted, p2+"/events/"+recordingindex.FileStarted)
	if got := statuses(r.entries("chan1")); !slices.Equal(got, []string{"rec2:" + recordingindex.StatusEnded, "rec1:" + recordingindex.StatusEnded}) {
		t.Errorf("newest first, both ended: %v", got)
	}
}

// TestWhatIsNotARecordingIsSkipped: another bucket, a segment, a key
// outside the layout.
func TestWhatIsNotARecordingIsSkipped(t *testing.T) {
	r := newRig(t)
	p := prefix("chan1", "rec1", r.now)
	got := r.notify(p+"/media/hls/720p60/0.ts", "other/events/recording-ended.json")
	if len(got.Skipped) != 2 || len(got.Indexed) != 0 {
		t.Errorf("%+v: want both skipped", got)
	}
	event, _ := os.ReadFile("testdata/recording-state-change.json")
	event = bytes.Replace(event, []byte(`"recordings"`), []byte(`"another-bucket"`), 1)
	if res, err := r.indexer.Handle(context.Background(), event); err != nil || len(res.Skipped) != 1 {
		t.Errorf("an event of another bucket: %+v, %v", res, err)
	}
	if _, err := r.indexer.Handle(context.Background(), []byte(`{"hello": 1}`)); err == nil {
		t.Error("an unknown invocation was accepted")
	}
}

// TestAnEventIsAHint: the IVS Recording State Change event names the
// prefix; the files say the state.
func TestAnEventIsAHint(t *testing.T) {
	r := newRig(t)
	p := prefix("chan1", "rec1", r.now.Add(-2*time.Hour))
	r.write(p, "chan1", recordingindex.FileStarted)
	r.write(p, "chan1", recordingindex.FileFailed)
	event, _ := os.ReadFile("testdata/recording-state-change.json")
	event = bytes.Replace(event, []byte(`"PREFIX"`), []byte(`"`+p+`"`), 1)
	if _, err := r.indexer.Handle(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	entries := r.entries("chan1")
	if got := statuses(entries); !slices.Equal(got, []string{"rec1:" + recordingindex.StatusFailed}) || entries[0].StatusMessage != "InternalServerException" {
		t.Errorf("after the event: %v %+v", got, entries)
	}
}

// TestReconcileFindsWhatEveryNotificationMissed: no notification came;
// the scheduled reconcile indexes the recordings of the lookback window,
// in every channel, in progress or ended, and leaves older ones alone.
func TestReconcileFindsWhatEveryNotificationMissed(t *testing.T) {
	r := newRig(t)
	inProgress := prefix("chan1", "live", r.now.Add(-5*time.Minute))
	ended := prefix("chan2", "done", r.now.Add(-30*time.Hour)) // yesterday, within 48 hours
	old := prefix("chan2", "old", r.now.Add(-72*time.Hour))
	r.write(inProgress, "chan1", recordingindex.FileStarted)
	r.write(ended, "chan2", recordingindex.FileStarted)
	r.write(ended, "chan2", recordingindex.FileEnded)
	r.write(old, "chan2", recordingindex.FileEnded)

	// The scheduled time is the window's end (the indexer's clock is
	// not read for a Scheduled Event).
	r.indexer.Now = func() time.Time { panic("the clock was read") }
	scheduled := []byte(`{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-02T18:30:00Z","region":"us-west-2","resources":[],"detail":{}}`)
	result, err := r.indexer.Handle(context.Background(), scheduled)
	r.indexer.Now = func() time.Time { return r.now }
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(result.Indexed)
	if want := []string{inProgress, ended}; !slices.Equal(result.Indexed, want) {
		t.Errorf("reconcile indexed %v, want %v", result.Indexed, want)
	}
	if got := statuses(r.entries("chan1")); !slices.Equal(got, []string{"live:" + recordingindex.StatusStarted}) {
		t.Errorf("chan1: %v", got)
	}
	if got := statuses(r.entries("chan2")); !slices.Equal(got, []string{"done:" + recordingindex.StatusEnded}) {
		t.Errorf("chan2: %v (the 72-hour-old recording is outside the window)", got)
	}
	// Again: the ended one is final and not read again; the one in
	// progress is read and unchanged.
	again, err := r.indexer.Reconcile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Indexed) != 0 || len(again.Unchanged) != 2 {
		t.Errorf("a second reconcile: %+v, want 2 unchanged", again)
	}
	// The live one ends; its notification is lost; the reconcile sees it.
	r.write(inProgress, "chan1", recordingindex.FileEnded)
	if res, _ := r.indexer.Reconcile(context.Background()); !slices.Equal(res.Indexed, []string{inProgress}) {
		t.Errorf("after the lost end: %+v", res)
	}
}

// TestEntriesExpireWithTheRetention: the entry's time to live is its
// start plus the retention.
func TestEntriesExpireWithTheRetention(t *testing.T) {
	r := newRig(t)
	start := r.now.Add(-time.Hour).Truncate(time.Minute)
	p := prefix("chan1", "rec1", start)
	r.write(p, "chan1", recordingindex.FileEnded)
	r.notify(p + "/events/" + recordingindex.FileEnded)
	out, err := r.db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("index"), Key: map[string]types.AttributeValue{
		recordingindex.AttrChannel: &types.AttributeValueMemberS{Value: "chan1"},
		recordingindex.AttrStart:   &types.AttributeValueMemberS{Value: start.Format("2006-01-02T15:04Z") + "#rec1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ttl, ok := out.Item[recordingindex.AttrExpiresAt].(*types.AttributeValueMemberN)
	if want := start.Add(30 * 24 * time.Hour).Unix(); !ok || ttl.Value != itoa(int(want)) {
		t.Errorf("expiresAt %v, want %d", out.Item[recordingindex.AttrExpiresAt], want)
	}
}

// writeParticipant puts one of the guide's participant metadata files
// (for stage, session and participant) and a segment under p.
func (r *rig) writeParticipant(p, stage, session, participant, file string) {
	r.t.Helper()
	data, err := os.ReadFile("testdata/participant-" + file)
	if err != nil {
		r.t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("stage/AbCdef1G2hij"), []byte("stage/"+stage))
	data = bytes.ReplaceAll(data, []byte(`"st-ZyXwvu1T2s"`), []byte(`"`+session+`"`))
	data = bytes.ReplaceAll(data, []byte(`"xYz1c2d3e4f"`), []byte(`"`+participant+`"`))
	for key, body := range map[string][]byte{p + "/events/" + file: data, p + "/media/hls/high/1.mp4": []byte("segment")} {
		if _, err := r.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
			r.t.Fatal(err)
		}
	}
}

// stageEntries returns the index of a stage's participant recordings,
// newest first.
func (r *rig) stageEntries(stage string) []string {
	r.t.Helper()
	got, err := r.indexer.Store.StageSince(context.Background(), stage, time.Time{})
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, e := range got {
		out = append(out, e.SessionID+"/"+e.ParticipantID+":"+e.Status)
	}
	return out
}

// TestParticipantRecordings: a stage's participant recordings, at the
// bucket's root, are indexed from their notifications and their "IVS
// Participant Recording State Change" events as a channel's are, in the
// stage's own partition; and the reconcile finds those every hint missed.
func TestParticipantRecordings(t *testing.T) {
	r := newRig(t)
	r.indexer.Participants = true
	alice := recordingindex.ParticipantPrefixOf("stage1", "st-1", "alice", r.now.Add(-time.Hour))
	bob := recordingindex.ParticipantPrefixOf("stage1", "st-1", "bob", r.now.Add(-50*time.Minute))
	r.writeParticipant(alice, "stage1", "st-1", "alice", recordingindex.FileStarted)
	r.writeParticipant(alice, "stage1", "st-1", "alice", recordingindex.FileEnded)
	if got := r.notify(alice + "/events/" + recordingindex.FileStarted); !slices.Equal(got.Indexed, []string{alice}) {
		t.Fatalf("alice's notification: %+v", got)
	}
	entries, _ := r.indexer.Store.StageSince(context.Background(), "stage1", time.Time{})
	if len(entries) != 1 || entries[0].Status != recordingindex.StatusEnded || entries[0].DurationMs != 645237 ||
		entries[0].Playlist != alice+"/media/hls/multivariant.m3u8" || entries[0].LatestThumbnail != alice+"/media/latest_thumbnail/high/thumb.jpg" {
		t.Fatalf("alice's entry: %+v", entries)
	}
	if got := r.entries("stage1"); len(got) != 0 {
		t.Errorf("a channel partition named like the stage holds %v", got)
	}

	// Bob's recording is only in an event (its notification lost).
	r.writeParticipant(bob, "stage1", "st-1", "bob", recordingindex.FileStarted)
	event, _ := os.ReadFile("testdata/participant-recording-state-change.json")
	event = bytes.Replace(event, []byte(`"PREFIX"`), []byte(`"`+bob+`"`), 1)
	event = bytes.Replace(event, []byte(`"ivs-recordings"`), []byte(`"`+bucket+`"`), 1)
	if res, err := r.indexer.Handle(context.Background(), event); err != nil || !slices.Equal(res.Indexed, []string{bob}) {
		t.Fatalf("bob's event: %+v, %v", res, err)
	}

	// Carol's, in another session and another stage, got neither; an old
	// one is outside the window; a composite recording's folder is no
	// participant recording.
	carol := recordingindex.ParticipantPrefixOf("stage2", "st-2", "carol", r.now.Add(-3*time.Hour))
	old := recordingindex.ParticipantPrefixOf("stage2", "st-0", "dave", r.now.Add(-72*time.Hour))
	r.writeParticipant(carol, "stage2", "st-2", "carol", recordingindex.FileEnded)
	r.writeParticipant(old, "stage2", "st-0", "dave", recordingindex.FileEnded)
	r.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket),
		Key: aws.String("stage2/st-2/composition1/events/recording-ended.json"), Body: bytes.NewReader([]byte("{}"))})
	res, err := r.indexer.Reconcile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Indexed, []string{carol}) || !slices.Equal(res.Unchanged, []string{alice, bob}) {
		t.Errorf("reconcile: %+v; want carol's indexed, alice's (final) and bob's (read again, still in progress) unchanged", res)
	}
	if got := r.stageEntries("stage1"); !slices.Equal(got, []string{"st-1/bob:" + recordingindex.StatusStarted, "st-1/alice:" + recordingindex.StatusEnded}) {
		t.Errorf("stage1: %v", got)
	}
	if got := r.stageEntries("stage2"); !slices.Equal(got, []string{"st-2/carol:" + recordingindex.StatusEnded}) {
		t.Errorf("stage2: %v (dave's is outside the window)", got)
	}

	// Without Participants the reconcile walks only ivs/.
	r.indexer.Participants = false
	r.writeParticipant(bob, "stage1", "st-1", "bob", recordingindex.FileEnded)
	if res, _ := r.indexer.Reconcile(context.Background()); len(res.Indexed)+len(res.Unchanged) != 0 {
		t.Errorf("a reconcile without Participants: %+v", res)
	}
}
