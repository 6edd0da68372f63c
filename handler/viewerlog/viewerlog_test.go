package viewerlog_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

const (
	channelA = "arn:aws:ivs:us-west-2:123456789012:channel/AsXego4U6tnj"
	channelB = "arn:aws:ivs:us-west-2:123456789012:channel/BbbbBbbbBbbb"
)

var testNow = time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)

func TestViewersAreThoseWithAnUnexpiredEntryOfTheChannel(t *testing.T) {
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, viewerlog.TableInput("viewers"))
	log := &viewerlog.Log{Client: db, Table: "viewers", Retention: time.Hour}
	ctx := context.Background()
	for _, entry := range []struct {
		channel, viewer string
		at              time.Time
	}{
		{channelA, "recent", testNow.Add(-10 * time.Minute)},
		{channelA, "refreshed", testNow.Add(-2 * time.Hour)},
		{channelA, "refreshed", testNow.Add(-5 * time.Minute)}, // a later token keeps the entry
		{channelA, "gone", testNow.Add(-61 * time.Minute)},     // past its retention, not yet deleted by TTL
		{channelB, "other-channel", testNow},
	} {
		if err := log.Record(ctx, entry.channel, entry.viewer, entry.at); err != nil {
			t.Fatal(err)
		}
	}
	got, err := log.Viewers(ctx, channelA, testNow)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []string{"recent", "refreshed"}; !slices.Equal(got, want) {
		t.Errorf("viewers of channel A = %q, want %q", got, want)
	}
}

func TestViewersReadsEveryPage(t *testing.T) {
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, viewerlog.TableInput("viewers"))
	log := &viewerlog.Log{Client: db, Table: "viewers"}
	ctx := context.Background()
	const n = 250 // read back 100 to a page (pagedDB), so three pages
	for i := range n {
		if err := log.Record(ctx, channelA, fmt.Sprintf("viewer-%04d-%031d", i, 0), testNow); err != nil {
			t.Fatal(err)
		}
	}
	got, err := (&viewerlog.Log{Client: pagedDB{DynamoDB: db, limit: 100}, Table: "viewers"}).Viewers(ctx, channelA, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Errorf("%d viewers read, want %d (every page)", len(got), n)
	}
}

func TestSessionVersionCountsSecondsSince2025AndFitsIVSsIntegers(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want int32
	}{
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2025, 1, 1, 0, 1, 0, 0, time.UTC), 60},
		{time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC), 60631200},
		{time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), 1<<31 - 1},
	} {
		if got := viewerlog.SessionVersion(c.at); got != c.want {
			t.Errorf("SessionVersion(%s) = %d, want %d", c.at, got, c.want)
		}
	}
	if a, b := viewerlog.SessionVersion(testNow), viewerlog.SessionVersion(testNow.Add(time.Second)); b != a+1 {
		t.Errorf("versions a second apart: %d and %d", a, b)
	}
}

// pagedDB makes every query answer at most limit items a page, as
// DynamoDB does past 1 MB.
type pagedDB struct {
	viewerlog.DynamoDB
	limit int32
}

func (p pagedDB) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	in.Limit = aws.Int32(p.limit)
	return p.DynamoDB.Query(ctx, in, opts...)
}
