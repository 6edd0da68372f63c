package rehearsal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

// TestPrivateChannelRecordingIndex runs the private-channel example's
// recording index function, its exact asset, under the Lambda RIE against
// an S3 and a DynamoDB (dynalite) of their own, the table made as the
// template says: notifications twice and out of order, a recording in
// progress, a lost notification found by the scheduled reconcile.
func TestPrivateChannelRecordingIndex(t *testing.T) {
	d := deploy(t, "private-channel", "IvsPrivateChannel")
	spec := d.spec("LibraryFunction")
	var config recordingindex.Config
	if err := json.Unmarshal([]byte(spec.Env[recordingindex.EnvConfig]), &config); err != nil {
		t.Fatalf("the function's configuration: %v", err)
	}

	s3URL := localaws.S3Endpoint(t)
	bucket := localaws.S3Client(t, s3URL, config.Bucket)
	db := d.withTables(spec) // the index table as the template defines it
	spec.Env["AWS_ENDPOINT_URL_S3"] = s3URL
	fn := d.start(spec)
	c := ctx(t)

	// A fixed time: the recordings' prefixes and the scheduled event's
	// time, never the wall clock.
	at := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	put := func(prefix, file string) {
		t.Helper()
		body := fmt.Sprintf(`{"version":"v1","channel_arn":"arn:aws:ivs:us-west-2:123456789012:channel/%s","recording_started_at":"2026-12-02T17:00:05Z",`+
			`"recording_ended_at":"2026-12-02T18:00:00Z","recording_status":"%s","media":{"hls":{"duration_ms":3594000,"path":"media/hls",`+
			`"playlist":"master.m3u8","byte_range_playlist":"byte-range-multivariant.m3u8","renditions":[{"path":"720p60","playlist":"playlist.m3u8",`+
			`"byte_range_playlist":"byte-range-variant.m3u8","resolution_width":1280,"resolution_height":720}]},"thumbnails":{"path":"media/thumbnails"}}}`,
			"chan1", map[string]string{recordingindex.FileStarted: recordingindex.StatusStarted, recordingindex.FileEnded: recordingindex.StatusEnded}[file])
		if _, err := bucket.PutObject(c, &s3.PutObjectInput{Bucket: aws.String(config.Bucket), Key: aws.String(prefix + "/events/" + file), Body: bytes.NewReader([]byte(body))}); err != nil {
			t.Fatal(err)
		}
	}
	prefix := func(recording string, start time.Time) string {
		return recordingindex.PrefixOf("123456789012", "chan1", start, recording)
	}
	notification := func(keys ...string) map[string]any {
		var records []any
		for _, k := range keys {
			records = append(records, map[string]any{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-west-2",
				"eventName": "ObjectCreated:Put", "s3": map[string]any{"s3SchemaVersion": "1.0",
					"bucket": map[string]any{"name": config.Bucket, "arn": "arn:aws:s3:::" + config.Bucket}, "object": map[string]any{"key": k, "size": 100}}})
		}
		return map[string]any{"Records": records}
	}
	invoke := func(event any) recordingindex.Result {
		t.Helper()
		out, err := fn.Invoke(c, event)
		if err != nil {
			t.Fatal(err)
		}
		var r recordingindex.Result
		json.Unmarshal(out, &r)
		return r
	}
	statuses := func() []string {
		t.Helper()
		page, err := db.Query(c, &dynamodb.QueryInput{TableName: aws.String(config.Table), KeyConditionExpression: aws.String("channel = :c"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "chan1"}}, ScanIndexForward: aws.Bool(false)})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, item := range page.Items {
			out = append(out, item["recordingId"].(*types.AttributeValueMemberS).Value+":"+item["status"].(*types.AttributeValueMemberS).Value)
		}
		return out
	}

	// Twice and out of order: the ended file is there when the started
	// notification comes, and that comes again.
	done := prefix("done", at.Add(-90*time.Minute))
	put(done, recordingindex.FileStarted)
	put(done, recordingindex.FileEnded)
	invoke(notification(done + "/events/" + recordingindex.FileStarted))
	if r := invoke(notification(done+"/events/"+recordingindex.FileEnded, done+"/events/"+recordingindex.FileStarted)); !slices.Equal(r.Unchanged, []string{done}) {
		t.Errorf("the repeated notifications: %+v, want unchanged", r)
	}
	// In progress.
	live := prefix("live", at.Add(-10*time.Minute))
	put(live, recordingindex.FileStarted)
	invoke(notification(live + "/events/" + recordingindex.FileStarted))
	if got, want := statuses(), []string{"live:" + recordingindex.StatusStarted, "done:" + recordingindex.StatusEnded}; !slices.Equal(got, want) {
		t.Errorf("the index %v, want %v", got, want)
	}
	// The live recording ends, and its notification is lost; a third
	// recording's never came. The scheduled reconcile finds both.
	put(live, recordingindex.FileEnded)
	lost := prefix("lost", at.Add(-20*time.Hour))
	put(lost, recordingindex.FileStarted)
	put(lost, recordingindex.FileEnded)
	r := invoke(map[string]any{"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
		"account": "123456789012", "time": at.Format(time.RFC3339), "region": "us-west-2", "resources": []any{}, "detail": map[string]any{}})
	slices.Sort(r.Indexed)
	if want := []string{lost, live}; !slices.Equal(r.Indexed, want) { // sorted as text
		t.Errorf("the reconcile indexed %v, want %v", r.Indexed, want)
	}
	if got, want := statuses(), []string{"live:" + recordingindex.StatusEnded, "done:" + recordingindex.StatusEnded, "lost:" + recordingindex.StatusEnded}; !slices.Equal(got, want) {
		t.Errorf("the index %v, want %v", got, want)
	}
}
