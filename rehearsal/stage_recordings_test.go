package rehearsal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

// TestRealtimeStageRecordings runs the realtime-stage example's recording
// index function, cookie key function and recordings endpoint, their
// exact assets, under the Lambda RIE against one S3 and one DynamoDB
// (dynalite): the retention over the whole bucket and in the entries'
// time to live; a participant recording at the bucket's root indexed from
// its "IVS Participant Recording State Change" event, another whose
// every hint was lost found by the scheduled reconcile, both listed for a
// host and refused to a viewer, and one played with cookies that
// CloudFront's check and openssl (with the key group's public key) accept
// for that recording only.
func TestRealtimeStageRecordings(t *testing.T) {
	d := deploy(t, "realtime-stage", "IvsRealtimeStage")
	c := ctx(t)
	s3URL, dbURL := localaws.S3Endpoint(t), localaws.DynamoDBEndpoint(t)

	indexSpec := d.spec("LibraryFunction")
	var indexConfig recordingindex.Config
	if err := json.Unmarshal([]byte(indexSpec.Env[recordingindex.EnvConfig]), &indexConfig); err != nil || !indexConfig.Participants {
		t.Fatalf("the index function's configuration %+v, %v: want participant recordings", indexConfig, err)
	}
	// The retention, as the template sets it: 90 days for the whole
	// bucket (participant recordings are at its root), and the same for
	// the entries' time to live.
	if time.Duration(indexConfig.Retention) != 90*24*time.Hour {
		t.Errorf("the index function's retention is %v, want 90 days", time.Duration(indexConfig.Retention))
	}
	rules := 0
	for id, r := range d.stack.Resources {
		if r.Type != "AWS::S3::Bucket" {
			continue
		}
		lifecycle, _ := d.properties(id)["LifecycleConfiguration"].(map[string]any)
		list, _ := lifecycle["Rules"].([]any)
		for _, rule := range list {
			rule := rule.(map[string]any)
			if rule["Id"] == "ivscdk-recording-retention" {
				rules++
				if rule["ExpirationInDays"] != float64(90) || rule["Prefix"] != nil {
					t.Errorf("the retention rule %v: want 90 days over the whole bucket", rule)
				}
			}
		}
	}
	if rules != 1 {
		t.Errorf("%d retention rules, want one", rules)
	}
	bucket := localaws.S3Client(t, s3URL, indexConfig.Bucket)
	db := localaws.DynamoDBClient(dbURL)
	localaws.CreateTable(t, db, recordingindex.TableInput(indexConfig.Table))
	for _, spec := range []*FunctionSpec{indexSpec} {
		spec.Env["AWS_ENDPOINT_URL_S3"], spec.Env["AWS_ENDPOINT_URL_DYNAMODB"] = s3URL, dbURL
	}
	index := d.start(indexSpec)

	endpointSpec := d.spec("LibraryEndpointFunction")
	config, err := recordinglist.ParseConfig(endpointSpec.Env[recordinglist.EnvConfig])
	if err != nil || len(config.Stages) != 1 || config.KeyNamePrefix == "" {
		t.Fatalf("the endpoint's configuration %+v, %v: want the stage, signed with the managed cookie key", config, err)
	}
	stageArn := config.Stages[0].Arn
	stageID := stageArn[strings.LastIndex(stageArn, "/")+1:]

	// Two participant recordings, as IVS writes them (the real-time user
	// guide's metadata files).
	at := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	record := func(participant string, start time.Time) string {
		t.Helper()
		prefix := recordingindex.ParticipantPrefixOf(stageID, "st-1", participant, start)
		for file, status := range map[string]string{recordingindex.FileStarted: recordingindex.StatusStarted, recordingindex.FileEnded: recordingindex.StatusEnded} {
			body := fmt.Sprintf(`{"version":"v1","stage_arn":%q,"session_id":"st-1","participant_id":%q,"recording_started_at":%q,`+
				`"recording_ended_at":%q,"recording_status":%q,"media":{"hls":{"duration_ms":60000,"path":"media/hls","playlist":"multivariant.m3u8",`+
				`"renditions":[{"path":"high","playlist":"playlist.m3u8"}]},"latest_thumbnail":{"path":"media/latest_thumbnail","renditions":[{"path":"high"}]}}}`,
				stageArn, participant, start.Format(time.RFC3339), start.Add(time.Minute).Format(time.RFC3339), status)
			for key, data := range map[string]string{"events/" + file: body, "media/hls/high/1.mp4": "segment"} {
				if _, err := bucket.PutObject(c, &s3.PutObjectInput{Bucket: aws.String(indexConfig.Bucket), Key: aws.String(prefix + "/" + key), Body: bytes.NewReader([]byte(data))}); err != nil {
					t.Fatal(err)
				}
			}
		}
		return prefix
	}
	invoke := func(event any) recordingindex.Result {
		t.Helper()
		out, err := index.Invoke(c, event)
		if err != nil {
			t.Fatal(err)
		}
		var r recordingindex.Result
		json.Unmarshal(out, &r)
		return r
	}
	alice := record("alice", at.Add(-time.Hour))
	event := map[string]any{"version": "0", "id": "1", "detail-type": "IVS Participant Recording State Change", "source": "aws.ivs",
		"account": "123456789012", "time": at.Format(time.RFC3339), "region": "us-west-2", "resources": []any{stageArn},
		"detail": map[string]any{"session_id": "st-1", "event_name": "Recording End", "participant_id": "alice",
			"recording_s3_bucket_name": indexConfig.Bucket, "recording_s3_key_prefix": alice}}
	if r := invoke(event); !slices.Equal(r.Indexed, []string{alice}) {
		t.Fatalf("alice's event: %+v", r)
	}
	entry, err := db.GetItem(c, &dynamodb.GetItemInput{TableName: aws.String(indexConfig.Table), Key: map[string]types.AttributeValue{
		recordingindex.AttrChannel: &types.AttributeValueMemberS{Value: recordingindex.StagePartitionPrefix + stageID},
		recordingindex.AttrStart:   &types.AttributeValueMemberS{Value: strings.Split(alice, "/")[3] + "#st-1#alice"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	ttl, _ := entry.Item[recordingindex.AttrExpiresAt].(*types.AttributeValueMemberN)
	if want := fmt.Sprint(at.Add(-time.Hour).Add(90 * 24 * time.Hour).Unix()); ttl == nil || ttl.Value != want {
		t.Errorf("alice's entry expires at %v, want %s (her recording's start plus 90 days)", entry.Item[recordingindex.AttrExpiresAt], want)
	}
	bob := record("bob", at.Add(-50*time.Minute)) // no notification, no event
	r := invoke(map[string]any{"version": "0", "id": "2", "detail-type": "Scheduled Event", "source": "aws.events",
		"account": "123456789012", "time": at.Format(time.RFC3339), "region": "us-west-2", "resources": []any{}, "detail": map[string]any{}})
	if !slices.Equal(r.Indexed, []string{bob}) || !slices.Equal(r.Unchanged, []string{alice}) {
		t.Errorf("the reconcile: %+v; want bob's found, alice's unchanged", r)
	}

	// The cookie key, made as the custom resource's Create makes it.
	key := createCookieKey(t, d)

	endpointSpec.Env["AWS_ENDPOINT_URL_S3"], endpointSpec.Env["AWS_ENDPOINT_URL_DYNAMODB"] = s3URL, dbURL
	endpoint := d.start(endpointSpec)
	call := func(path string, query map[string]string, groups string) (int, map[string]any, []string) {
		t.Helper()
		resp, body, err := endpoint.Route(c, http.MethodGet, path, query, "someone", groups)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body, resp.Cookies
	}
	stage := map[string]string{"stage": stageArn}
	if status, _, _ := call("/recordings", stage, ""); status != http.StatusForbidden {
		t.Errorf("a viewer listing the stage's recordings: %d, want 403", status)
	}
	status, list, _ := call("/recordings", stage, "[hosts]")
	recs, _ := list["recordings"].([]any)
	if status != http.StatusOK || len(recs) != 2 || recs[0].(map[string]any)["participantId"] != "bob" {
		t.Fatalf("a host's listing: %d %v; want bob's then alice's", status, list)
	}
	status, answer, setCookies := call("/recordings/watch", map[string]string{"stage": stageArn, "id": recs[1].(map[string]any)["id"].(string)}, "[hosts]")
	if status != http.StatusOK || answer["playlist"] != "/"+alice+"/media/hls/multivariant.m3u8" {
		t.Fatalf("watching alice's recording: %d %v", status, answer)
	}
	var cookies []*http.Cookie
	for _, line := range setCookies {
		cookie, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, cookie)
	}
	site := "https://d111111abcdef8.cloudfront.net/"
	if err := cfcookie.Check(site+alice+"/media/hls/high/1.mp4", cookies, key.Trusted, at); err != nil {
		t.Errorf("CloudFront's check refuses the cookies for alice's recording: %v", err)
	}
	if err := cfcookie.Check(site+bob+"/media/hls/high/1.mp4", cookies, key.Trusted, at); err == nil {
		t.Error("alice's cookies open bob's recording")
	}
	opensslVerifies(t, key.PEM, cookies, "https://*/"+bob+"/*")
}
