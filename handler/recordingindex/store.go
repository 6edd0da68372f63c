package recordingindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/internal/runtime/ddbitem"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// The index table's key and attributes. The partition key is the channel's
// ID; the sort key is the recording's start minute (UTC, zero-padded, so
// that text order is time order) and its ID, so that a channel's
// recordings read newest first in one query.
const (
	AttrChannel = wire.RecordingAttrChannel
	AttrStart   = wire.RecordingAttrStart
	// AttrExpiresAt is the table's time-to-live attribute (seconds since
	// the epoch), set when the index has a retention period.
	AttrExpiresAt = wire.RecordingAttrExpiresAt
)

// SortKey is a recording's sort key: "2026-12-02T18:05Z#<recording ID>"
// for a channel's, "<timestamp>#<session ID>#<participant ID>" for a
// participant recording (its timestamp is zero-padded, so that text
// order is time order there too).
func SortKey(loc Location) string {
	if loc.IsParticipant() {
		return loc.Timestamp + "#" + loc.SessionID + "#" + loc.ParticipantID
	}
	return loc.Minute.UTC().Format("2006-01-02T15:04Z") + "#" + loc.RecordingID
}

// DynamoDB is the part of the DynamoDB client the index uses.
type DynamoDB interface {
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// Store is the index table.
type Store struct {
	Client DynamoDB
	Table  string
	// Retention, when set, makes each entry expire that long after its
	// recording started (the table's time to live), as the bucket's
	// lifecycle rule deletes the objects.
	Retention time.Duration
}

// Put writes r unless the table holds a later state of the same recording
// (an ended one, when r is the started file read late): writing the same
// state again changes nothing, so a notification that comes twice, late
// or out of order leaves the index as the most final file says. It
// reports whether it wrote.
func (s *Store) Put(ctx context.Context, r Recording) (bool, error) {
	renditions, _ := json.Marshal(r.Renditions)
	item := map[string]types.AttributeValue{
		AttrChannel:  str(r.Partition()),
		AttrStart:    str(SortKey(r.Location)),
		"prefix":     str(r.Prefix),
		"status":     str(r.Status),
		"rank":       num(int64(rank(r.Status))),
		"durationMs": num(r.DurationMs),
		"renditions": str(string(renditions)),
	}
	optional := map[string]string{"statusMessage": r.StatusMessage, "byteRangePlaylist": r.ByteRangePlaylist,
		"thumbnails": r.Thumbnails, "latestThumbnail": r.LatestThumbnail, "playlist": r.Playlist,
		"account": r.Account, "recordingId": r.RecordingID, "sessionId": r.SessionID, "participantId": r.ParticipantID}
	if !r.StartedAt.IsZero() {
		optional["startedAt"] = r.StartedAt.UTC().Format(time.RFC3339)
	}
	if !r.EndedAt.IsZero() {
		optional["endedAt"] = r.EndedAt.UTC().Format(time.RFC3339)
	}
	for name, v := range optional {
		if v != "" {
			item[name] = str(v)
		}
	}
	if s.Retention > 0 {
		start := r.Minute
		if start.IsZero() {
			start = r.StartedAt // a participant timestamp of another form
		}
		if !start.IsZero() {
			item[AttrExpiresAt] = num(start.Add(s.Retention).Unix())
		}
	}
	_, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(s.Table),
		Item:                      item,
		ConditionExpression:       aws.String("attribute_not_exists(#rank) OR #rank < :rank"),
		ExpressionAttributeNames:  map[string]string{"#rank": "rank"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":rank": num(int64(rank(r.Status)))},
	})
	var stale *types.ConditionalCheckFailedException
	if errors.As(err, &stale) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("indexing %s: %w", r.Prefix, err)
	}
	return true, nil
}

// Since returns the channel's entries whose recordings started at or after
// the minute of since, newest first, all pages.
func (s *Store) Since(ctx context.Context, channelID string, since time.Time) ([]Recording, error) {
	return s.since(ctx, channelID, since.UTC().Truncate(time.Minute).Format("2006-01-02T15:04Z"))
}

// StageSince returns the stage's participant recordings whose timestamps
// are at or after the second of since, newest first, all pages.
func (s *Store) StageSince(ctx context.Context, stageID string, since time.Time) ([]Recording, error) {
	return s.since(ctx, StagePartitionPrefix+stageID, since.UTC().Truncate(time.Second).Format(ParticipantTimestamp))
}

func (s *Store) since(ctx context.Context, partition, lowest string) ([]Recording, error) {
	var out []Recording
	input := &dynamodb.QueryInput{
		TableName:                 aws.String(s.Table),
		KeyConditionExpression:    aws.String("#channel = :channel AND #start >= :since"),
		ExpressionAttributeNames:  map[string]string{"#channel": AttrChannel, "#start": AttrStart},
		ExpressionAttributeValues: map[string]types.AttributeValue{":channel": str(partition), ":since": str(lowest)},
		ScanIndexForward:          aws.Bool(false),
	}
	for {
		page, err := s.Client.Query(ctx, input)
		if err != nil {
			return nil, fmt.Errorf("reading the index of %s: %w", partition, err)
		}
		for _, item := range page.Items {
			r, err := fromItem(item)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		input.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// fromItem reads an entry back.
func fromItem(item map[string]types.AttributeValue) (Recording, error) {
	text := func(name string) string {
		if v, ok := item[name].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	loc, err := ParsePrefix(text("prefix"))
	if err != nil {
		return Recording{}, fmt.Errorf("an index entry of channel %q: %w", text(AttrChannel), err)
	}
	r := Recording{Location: loc, Status: text("status"), StatusMessage: text("statusMessage"), Playlist: text("playlist"),
		ByteRangePlaylist: text("byteRangePlaylist"), Thumbnails: text("thumbnails"), LatestThumbnail: text("latestThumbnail")}
	r.StartedAt, _ = time.Parse(time.RFC3339, text("startedAt"))
	r.EndedAt, _ = time.Parse(time.RFC3339, text("endedAt"))
	if v, ok := item["durationMs"].(*types.AttributeValueMemberN); ok {
		r.DurationMs, _ = strconv.ParseInt(v.Value, 10, 64)
	}
	if err := json.Unmarshal([]byte(text("renditions")), &r.Renditions); err != nil && text("renditions") != "" {
		return Recording{}, fmt.Errorf("the index entry of %s: renditions: %w", loc.Prefix, err)
	}
	return r, nil
}

var str, num = ddbitem.String, ddbitem.Number

// TableInput is the index table as ivs.RecordingLibrary defines it
// (partition key AttrChannel, sort key AttrStart, both strings, on
// demand), for tests and tools that make the table themselves.
func TableInput(name string) *dynamodb.CreateTableInput {
	return ddbitem.KeyedTable(name, AttrChannel, AttrStart)
}
