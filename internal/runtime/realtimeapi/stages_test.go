package realtimeapi_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// TestStagesThroughTheLocalService: the stage operations against the local
// IVS real-time server: tags kept, every page listed, the newest session
// first, a disconnection's reason, the quota's exception.
func TestStagesThroughTheLocalService(t *testing.T) {
	fake := awsfake.New(t)
	c := realtimeapi.New(fake.Config())
	ctx := context.Background()
	var arns []string
	for range 105 { // more than one page of 100
		st, err := c.CreateStage(ctx, realtimeapi.CreateStageInput{Name: "show", Tags: map[string]string{"ivscdk:owner": "alice"}})
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, st.Arn)
	}
	all, err := c.ListStages(ctx)
	if err != nil || len(all) != 105 || all[0].Tags["ivscdk:owner"] != "alice" {
		t.Fatalf("ListStages: %d stages, %v", len(all), err)
	}
	at := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	first := fake.StartSession(arns[0], at)
	fake.EndSession(arns[0], at.Add(time.Minute))
	second := fake.StartSession(arns[0], at.Add(time.Hour))
	latest, err := c.LatestStageSession(ctx, arns[0])
	if err != nil || latest.SessionID != second || !latest.EndTime.IsZero() || latest.SessionID == first {
		t.Errorf("the latest session %+v, %v; want %s, active", latest, err, second)
	}
	if st, _ := c.GetStage(ctx, arns[0]); st.ActiveSessionID != second {
		t.Errorf("GetStage's activeSessionId %q, want %s", st.ActiveSessionID, second)
	}
	if none, err := c.LatestStageSession(ctx, arns[1]); err != nil || none != nil {
		t.Errorf("a stage never joined: %+v, %v", none, err)
	}
	if err := c.DisconnectParticipant(ctx, arns[0], "p1", "spam"); err != nil {
		t.Fatal(err)
	}
	if got := fake.Stages()[slices.IndexFunc(fake.Stages(), func(s awsfake.Stage) bool { return s.Arn == arns[0] })].Disconnected; len(got) != 1 || got[0].Reason != "spam" {
		t.Errorf("disconnections %+v", got)
	}
	if err := c.DeleteStage(ctx, arns[1]); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteStage(ctx, arns[1]); !realtimeapi.IsNotFound(err) {
		t.Errorf("deleting it again: %v, want ResourceNotFoundException", err)
	}
	fake.StageQuota = 104
	if _, err := c.CreateStage(ctx, realtimeapi.CreateStageInput{}); !realtimeapi.IsQuotaExceeded(err) {
		t.Errorf("at the quota: %v, want ServiceQuotaExceededException", err)
	}
}

// TestCompositionsThroughTheLocalService: a start is idempotent by its
// token, a busy channel is refused, the composition stops by itself a
// minute after the last publisher, and on StopComposition.
func TestCompositionsThroughTheLocalService(t *testing.T) {
	fake := awsfake.New(t)
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	fake.Now = func() time.Time { return now }
	c := realtimeapi.New(fake.Config())
	ctx := context.Background()
	a, _ := c.CreateStage(ctx, realtimeapi.CreateStageInput{})
	b, _ := c.CreateStage(ctx, realtimeapi.CreateStageInput{})
	fake.Publish(a.Arn, "p1")
	channel := []realtimeapi.Destination{{Channel: &realtimeapi.ChannelDestination{ChannelArn: "arn:aws:ivs:us-west-2:123456789012:channel/ch"}}}
	first, err := c.StartComposition(ctx, realtimeapi.StartCompositionInput{StageArn: a.Arn, IdempotencyToken: "st-0000000000001", Destinations: channel})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.StartComposition(ctx, realtimeapi.StartCompositionInput{StageArn: a.Arn, IdempotencyToken: "st-0000000000001", Destinations: channel})
	if err != nil || again.Arn != first.Arn {
		t.Errorf("the same start again: %+v, %v; want %s", again, err, first.Arn)
	}
	if _, err := c.StartComposition(ctx, realtimeapi.StartCompositionInput{StageArn: b.Arn, IdempotencyToken: "st-0000000000002", Destinations: channel}); err == nil {
		t.Error("a second composition to a broadcasting channel was started")
	}
	now = now.Add(10 * time.Minute)
	fake.Unpublish(a.Arn, "p1", now)
	now = now.Add(59 * time.Second)
	if list, _ := c.ListCompositions(ctx, a.Arn); len(list) != 1 || !list[0].Live() {
		t.Errorf("59 s after the last publisher: %+v, want it running", list)
	}
	now = now.Add(time.Second)
	if list, _ := c.ListCompositions(ctx, a.Arn); list[0].State != realtimeapi.CompositionStopped {
		t.Errorf("60 s after the last publisher: %+v, want it stopped by IVS", list)
	}
	fake.Publish(b.Arn, "p2")
	second, err := c.StartComposition(ctx, realtimeapi.StartCompositionInput{StageArn: b.Arn, IdempotencyToken: "st-0000000000002", Destinations: channel})
	if err != nil {
		t.Fatalf("the channel is free again: %v", err)
	}
	if err := c.StopComposition(ctx, second.Arn); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.ListCompositions(ctx, ""); len(list) != 2 || list[1].State != realtimeapi.CompositionStopped {
		t.Errorf("after StopComposition: %+v", list)
	}
}
