package recordingindex

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// EvidencePartitionPrefix starts the partition that keeps a channel's
// moderation evidence ("moderation#<channel ID>"), beside the channel's
// recordings but never among them: Put's whole-item writes and the
// recordings' queries and pages do not see it.
const EvidencePartitionPrefix = wire.RecordingEvidencePartitionPrefix

// ModerationLabel is a moderation label Rekognition found in a thumbnail:
// its name, its parent's in the taxonomy, and the confidence in percent.
type ModerationLabel struct {
	Name       string  `json:"name"`
	ParentName string  `json:"parentName,omitempty"`
	Confidence float64 `json:"confidence"`
}

// Evidence is what video moderation found in one of a recording's
// thumbnails and what it did (ivsops.VideoModeration keeps it here when
// given the recording library).
type Evidence struct {
	// Key is the thumbnail's object key, under the recording's prefix.
	Key string `json:"key"`
	// Outcome is "flagged", or "fallback" when Rekognition could not say
	// (Reason says why); the moderation handler's findings may also be
	// "clean", which it does not keep.
	Outcome string            `json:"outcome"`
	Labels  []ModerationLabel `json:"labels"`
	Reason  string            `json:"reason,omitempty"`
	// CheckedAt is when the thumbnail was checked.
	CheckedAt time.Time `json:"checkedAt"`
	// StreamStopped and ViewersRevoked say what was done.
	StreamStopped  bool `json:"streamStopped"`
	ViewersRevoked int  `json:"viewersRevoked"`
}

// PutEvidence keeps e beside the recording its thumbnail belongs to, with
// the recording's time to live. Evidence of one recording sorts by when it
// was checked; the same check written twice (a retried event) is one item.
func (s *Store) PutEvidence(ctx context.Context, e Evidence) error {
	loc, err := ParsePrefix(e.Key)
	if err != nil {
		return fmt.Errorf("moderation evidence: %w", err)
	}
	if loc.IsParticipant() {
		return fmt.Errorf("moderation evidence: %q is not a channel's recording", e.Key)
	}
	if e.Labels == nil {
		e.Labels = []ModerationLabel{}
	}
	body, _ := json.Marshal(e)
	item := map[string]types.AttributeValue{
		AttrChannel: str(EvidencePartitionPrefix + loc.ChannelID),
		AttrStart:   str(SortKey(loc) + "#" + e.CheckedAt.UTC().Format(time.RFC3339Nano)),
		"evidence":  str(string(body)),
	}
	if s.Retention > 0 {
		item[AttrExpiresAt] = num(loc.Minute.Add(s.Retention).Unix())
	}
	if _, err := s.Client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: item}); err != nil {
		return fmt.Errorf("keeping the moderation evidence of %s: %w", e.Key, err)
	}
	return nil
}

// Querier is the DynamoDB call ReadEvidence makes.
type Querier interface {
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// EvidenceOf returns the moderation evidence of the channel's recordings
// whose sort keys (SortKey) are from oldest to newest: ReadEvidence on
// the store's table.
func (s *Store) EvidenceOf(ctx context.Context, channelID, oldest, newest string) (map[string][]Evidence, error) {
	return ReadEvidence(ctx, s.Client, s.Table, channelID, oldest, newest)
}

// ReadEvidence returns the moderation evidence in table of the channel's
// recordings whose sort keys (SortKey) are from oldest to newest, by
// recording sort key, oldest check first, all pages: one query for a page
// of recordings.
func ReadEvidence(ctx context.Context, client Querier, table, channelID, oldest, newest string) (map[string][]Evidence, error) {
	input := &dynamodb.QueryInput{
		TableName:                aws.String(table),
		KeyConditionExpression:   aws.String("#c = :c AND #s BETWEEN :low AND :high"),
		ExpressionAttributeNames: map[string]string{"#c": AttrChannel, "#s": AttrStart},
		// "#" sorts before every character of a check's time, and "$"
		// right after "#": the range holds every check of newest.
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": str(EvidencePartitionPrefix + channelID),
			":low": str(oldest + "#"), ":high": str(newest + "$")},
	}
	out := map[string][]Evidence{}
	for {
		page, err := client.Query(ctx, input)
		if err != nil {
			return nil, fmt.Errorf("reading the moderation evidence of %s: %w", channelID, err)
		}
		for _, item := range page.Items {
			sk, _ := item[AttrStart].(*types.AttributeValueMemberS)
			body, _ := item["evidence"].(*types.AttributeValueMemberS)
			if sk == nil || body == nil {
				continue
			}
			var e Evidence
			if err := json.Unmarshal([]byte(body.Value), &e); err != nil {
				return nil, fmt.Errorf("moderation evidence %q of %s: %w", sk.Value, channelID, err)
			}
			recording := sk.Value[:strings.LastIndexByte(sk.Value, '#')]
			out[recording] = append(out[recording], e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		input.ExclusiveStartKey = page.LastEvaluatedKey
	}
}
