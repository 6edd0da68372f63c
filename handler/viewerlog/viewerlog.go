// Package viewerlog keeps which viewers a playback token endpoint gave
// tokens to, per channel, so that their sessions can be revoked later.
//
// IVS revokes a private channel's viewer sessions one viewer ID at a time
// (StartViewerSessionRevocation, IVS Low-Latency user guide, "Revoke IVS
// Viewer Sessions"), and keeps no list of who is watching: whoever revokes
// must know the IDs. ivs.PlaybackTokenEndpoint with RecordViewers writes
// one entry per channel and viewer here each time it issues a token, and
// ivsops.VideoModeration reads them back to revoke every session a hit
// should end.
//
// Each token also carries a session version, SessionVersion of its issue
// time, and a revocation covers the versions up to SessionVersion of its
// own time: sessions started before the revocation end, and tokens issued
// after it (once the stream is live again) are not caught by it.
//
// The package never imports the CDK.
package viewerlog

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ivscdk/ivscdk/internal/runtime/ddbitem"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// The table's key and attributes: the partition key is the channel's ARN,
// the sort key the viewer ID, and AttrExpiresAt the time to live (seconds
// since the epoch).
const (
	AttrChannel   = wire.ViewerAttrChannel
	AttrViewer    = wire.ViewerAttrViewer
	AttrExpiresAt = wire.ViewerAttrExpiresAt
	// AttrIssuedAt is when the viewer's latest token was issued (seconds
	// since the epoch).
	AttrIssuedAt = "issuedAt"
)

// DefaultRetention is how long an entry is kept after the viewer's latest
// token by default: a viewer session outlives its token (the token only
// starts playback), so the entry has to outlive it too.
const DefaultRetention = 24 * time.Hour

// versionEpoch is where session versions count from: IVS's version filter
// is a 32-bit integer (StartViewerSessionRevocation,
// viewerSessionVersionsLessThanOrEqualTo), which Unix seconds overflow in
// 2038; seconds since 2025 last until 2093.
var versionEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// SessionVersion is the viewer session version of time t: whole seconds
// since 2025-01-01 UTC, 0 before it.
func SessionVersion(t time.Time) int32 {
	s := t.Sub(versionEpoch) / time.Second
	switch {
	case s < 0:
		return 0
	case s > 1<<31-1:
		return 1<<31 - 1
	}
	return int32(s)
}

// DynamoDB is the part of the DynamoDB client the log uses.
type DynamoDB interface {
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Log is the table of viewers.
type Log struct {
	Client DynamoDB
	Table  string
	// Retention is how long an entry is kept after the viewer's latest
	// token; DefaultRetention when 0.
	Retention time.Duration
}

func (l *Log) retention() time.Duration {
	if l.Retention > 0 {
		return l.Retention
	}
	return DefaultRetention
}

// Record notes that viewerID was given a token for channelArn at issuedAt.
// One entry per channel and viewer: a later token refreshes it.
func (l *Log) Record(ctx context.Context, channelArn, viewerID string, issuedAt time.Time) error {
	_, err := l.Client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(l.Table),
		Item: map[string]types.AttributeValue{
			AttrChannel:   ddbitem.String(channelArn),
			AttrViewer:    ddbitem.String(viewerID),
			AttrIssuedAt:  number(issuedAt.Unix()),
			AttrExpiresAt: number(issuedAt.Add(l.retention()).Unix()),
		},
	})
	if err != nil {
		return fmt.Errorf("recording viewer %q of %s: %w", viewerID, channelArn, err)
	}
	return nil
}

// Viewers returns the IDs of the viewers of channelArn whose entries have
// not expired at now, all pages. DynamoDB deletes expired items late, so
// the expiry is checked here too.
func (l *Log) Viewers(ctx context.Context, channelArn string, now time.Time) ([]string, error) {
	input := &dynamodb.QueryInput{
		TableName:                 aws.String(l.Table),
		KeyConditionExpression:    aws.String("#c = :c"),
		FilterExpression:          aws.String("#e > :now"),
		ProjectionExpression:      aws.String("#v"),
		ExpressionAttributeNames:  map[string]string{"#c": AttrChannel, "#e": AttrExpiresAt, "#v": AttrViewer},
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": ddbitem.String(channelArn), ":now": number(now.Unix())},
	}
	var viewers []string
	for {
		page, err := l.Client.Query(ctx, input)
		if err != nil {
			return nil, fmt.Errorf("reading the viewers of %s: %w", channelArn, err)
		}
		for _, item := range page.Items {
			if v, ok := item[AttrViewer].(*types.AttributeValueMemberS); ok {
				viewers = append(viewers, v.Value)
			}
		}
		if len(page.LastEvaluatedKey) == 0 {
			return viewers, nil
		}
		input.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

var number = ddbitem.Number

// TableInput is the table as ivs.PlaybackTokenEndpoint defines it
// (partition key AttrChannel, sort key AttrViewer, both strings, on
// demand), for tests and tools that make the table themselves.
func TableInput(name string) *dynamodb.CreateTableInput {
	return ddbitem.KeyedTable(name, AttrChannel, AttrViewer)
}
