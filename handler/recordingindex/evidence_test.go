package recordingindex_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
)

// TestEvidenceIsKeptBesideItsRecordingAndSurvivesItsRewrites: the index's
// whole-item Put of a later state keeps the evidence, the recordings'
// queries never see it, and one query reads a page's evidence back.
func TestEvidenceIsKeptBesideItsRecordingAndSurvivesItsRewrites(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	start := r.now.Add(-time.Hour)
	p1, p2, p3 := prefix("chan1", "rec1", start), prefix("chan1", "rec2", start.Add(10*time.Minute)), prefix("chan1", "rec3", start.Add(20*time.Minute))
	for _, p := range []string{p1, p2, p3} {
		r.write(p, "chan1", recordingindex.FileStarted)
		r.notify(p + "/events/" + recordingindex.FileStarted)
	}
	store := r.indexer.Store
	checked := start.Add(11 * time.Minute)
	flagged := recordingindex.Evidence{Key: p2 + "/media/thumbnails/720p30/thumb2.jpg", Outcome: "flagged", CheckedAt: checked,
		Labels: []recordingindex.ModerationLabel{{Name: "Graphic Violence", ParentName: "Violence", Confidence: 97.5}}, StreamStopped: true, ViewersRevoked: 3}
	later := recordingindex.Evidence{Key: p2 + "/media/thumbnails/720p30/thumb3.jpg", Outcome: "fallback", Reason: "ThrottlingException", CheckedAt: checked.Add(time.Minute)}
	other := recordingindex.Evidence{Key: p3 + "/media/thumbnails/720p30/thumb0.jpg", Outcome: "flagged", CheckedAt: start.Add(21 * time.Minute)}
	for _, e := range []recordingindex.Evidence{later, flagged, other, flagged} { // flagged twice: a retried event
		if err := store.PutEvidence(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// rec2 ends: Put rewrites its whole entry.
	r.write(p2, "chan1", recordingindex.FileEnded)
	r.notify(p2 + "/events/" + recordingindex.FileEnded)

	if got := statuses(r.entries("chan1")); !slices.Equal(got, []string{"rec3:" + recordingindex.StatusStarted, "rec2:" + recordingindex.StatusEnded, "rec1:" + recordingindex.StatusStarted}) {
		t.Errorf("the recordings with evidence beside them: %v", got)
	}
	loc1, _ := recordingindex.ParsePrefix(p1)
	loc2, _ := recordingindex.ParsePrefix(p2)
	loc3, _ := recordingindex.ParsePrefix(p3)
	got, err := store.EvidenceOf(ctx, "chan1", recordingindex.SortKey(loc1), recordingindex.SortKey(loc2))
	if err != nil {
		t.Fatal(err)
	}
	rec2 := got[recordingindex.SortKey(loc2)]
	if len(got) != 1 || len(rec2) != 2 {
		t.Fatalf("evidence of rec1..rec2: %+v, want rec2's two checks only", got)
	}
	if rec2[0].Key != flagged.Key || rec2[0].Outcome != "flagged" || rec2[0].Labels[0].Name != "Graphic Violence" || !rec2[0].StreamStopped ||
		rec2[0].ViewersRevoked != 3 || !rec2[0].CheckedAt.Equal(checked) || rec2[1].Reason != "ThrottlingException" {
		t.Errorf("rec2's evidence, oldest first: %+v", rec2)
	}
	all, _ := store.EvidenceOf(ctx, "chan1", recordingindex.SortKey(loc1), recordingindex.SortKey(loc3))
	if len(all[recordingindex.SortKey(loc3)]) != 1 {
		t.Errorf("evidence of rec1..rec3: %+v, want rec3's too", all)
	}

	// The evidence expires with its recording.
	item, err := r.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("index"), Key: map[string]types.AttributeValue{
		recordingindex.AttrChannel: &types.AttributeValueMemberS{Value: recordingindex.EvidencePartitionPrefix + "chan1"},
		recordingindex.AttrStart:   &types.AttributeValueMemberS{Value: recordingindex.SortKey(loc3) + "#" + other.CheckedAt.Format(time.RFC3339Nano)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ttl, _ := item.Item[recordingindex.AttrExpiresAt].(*types.AttributeValueMemberN)
	if want := loc3.Minute.Add(30 * 24 * time.Hour).Unix(); ttl == nil || ttl.Value != itoa(int(want)) {
		t.Errorf("the evidence's expiry %v, want its recording's (%d)", ttl, want)
	}
}

func TestEvidenceOfWhatIsNotAChannelsRecordingIsRefused(t *testing.T) {
	r := newRig(t)
	for _, key := range []string{"elsewhere/thumb.jpg", "ivs/v1/123456789012/chan1/2026/12/2/18/5"} {
		if err := r.indexer.Store.PutEvidence(context.Background(), recordingindex.Evidence{Key: key, Outcome: "flagged"}); err == nil {
			t.Errorf("evidence of %q kept, want an error", key)
		}
	}
}
