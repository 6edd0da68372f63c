package rehearsal

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

// TestPrivateChannelRecordings runs the private-channel example's managed
// cookie key function and its recordings endpoint, their exact assets,
// under the Lambda RIE: the key function makes the CloudFront key and key
// group (the local CloudFront API) for the custom resource's Create; the
// endpoint, against S3, DynamoDB (dynalite) and that key, lists the
// channel's recordings newest first, answers a past one's playlist with
// cookies that CloudFront's check and openssl accept for that recording
// only (the public key taken from the key group), a recording in progress's
// byte-range playlist, and a moderator's delete that leaves no object and
// no entry behind.
func TestPrivateChannelRecordings(t *testing.T) {
	d := deploy(t, "private-channel", "IvsPrivateChannel")
	c := ctx(t)

	key := createCookieKey(t, d)
	trusted := key.Trusted

	spec := d.spec("LibraryEndpointFunction")
	config, err := recordinglist.ParseConfig(spec.Env[recordinglist.EnvConfig])
	if err != nil {
		t.Fatalf("the endpoint's configuration: %v", err)
	}
	if config.KeyNamePrefix == "" || config.SecretArn != key.SecretArn || len(config.Channels) != 1 || !config.Channels[0].Authorized {
		t.Fatalf("the endpoint does not sign with the managed cookie key for the private channel: %+v", config)
	}
	s3URL, dbURL := localaws.S3Endpoint(t), localaws.DynamoDBEndpoint(t)
	bucket := localaws.S3Client(t, s3URL, config.Bucket)
	db := localaws.DynamoDBClient(dbURL)
	localaws.CreateTable(t, db, recordingindex.TableInput(config.Table))
	spec.Env["AWS_ENDPOINT_URL_S3"] = s3URL
	spec.Env["AWS_ENDPOINT_URL_DYNAMODB"] = dbURL
	fn := d.start(spec)

	// Two recordings of the channel, laid out as IVS writes them and
	// indexed: one ended, one in progress.
	channelID := config.Channels[0].Arn[strings.LastIndex(config.Channels[0].Arn, "/")+1:]
	store := &recordingindex.Store{Client: db, Table: config.Table}
	at := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	recording := func(id string, start time.Time, live bool) string {
		prefix := recordingindex.PrefixOf("123456789012", channelID, start, id)
		for _, k := range []string{"events/recording-started.json", "media/hls/master.m3u8", "media/hls/byte-range-multivariant.m3u8",
			"media/hls/720p60/playlist.m3u8", "media/hls/720p60/0.ts", "media/latest_thumbnail/thumb.jpg"} {
			if _, err := bucket.PutObject(c, &s3.PutObjectInput{Bucket: aws.String(config.Bucket), Key: aws.String(prefix + "/" + k), Body: bytes.NewReader([]byte("x"))}); err != nil {
				t.Fatal(err)
			}
		}
		loc, _ := recordingindex.ParsePrefix(prefix)
		rec := recordingindex.Recording{Location: loc, Status: recordingindex.StatusEnded, StartedAt: start, EndedAt: start.Add(time.Hour), DurationMs: 3600000,
			Playlist: prefix + "/media/hls/master.m3u8", ByteRangePlaylist: prefix + "/media/hls/byte-range-multivariant.m3u8",
			LatestThumbnail: prefix + "/media/latest_thumbnail/thumb.jpg"}
		if live {
			rec.Status, rec.EndedAt, rec.DurationMs = recordingindex.StatusStarted, time.Time{}, 0
		}
		if _, err := store.Put(c, rec); err != nil {
			t.Fatal(err)
		}
		return prefix
	}
	done := recording("done", at.Add(-3*time.Hour), false)
	live := recording("live", at.Add(-10*time.Minute), true)

	call := func(method, path string, query map[string]string, groups string) (events.APIGatewayV2HTTPResponse, map[string]any) {
		t.Helper()
		resp, body, err := fn.Route(c, method, path, query, "alice-sub", groups)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	channel := map[string]string{"channel": config.Channels[0].Arn}

	resp2, list := call(http.MethodGet, "/recordings", channel, "")
	recs, _ := list["recordings"].([]any)
	if resp2.StatusCode != http.StatusOK || len(recs) != 2 || recs[0].(map[string]any)["live"] != true {
		t.Fatalf("the listing: %d %s; want the two recordings, the live one first", resp2.StatusCode, resp2.Body)
	}
	idOf := func(i int) string { return recs[i].(map[string]any)["id"].(string) }

	watch, answer := call(http.MethodGet, "/recordings/watch", map[string]string{"channel": config.Channels[0].Arn, "id": idOf(1)}, "")
	if watch.StatusCode != http.StatusOK || answer["playlist"] != "/"+done+"/media/hls/master.m3u8" {
		t.Fatalf("watching the past recording: %d %s", watch.StatusCode, watch.Body)
	}
	var cookies []*http.Cookie
	for _, line := range watch.Cookies {
		cookie, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", line, err)
		}
		cookies = append(cookies, cookie)
	}
	site := "https://d111111abcdef8.cloudfront.net/"
	if err := cfcookie.Check(site+done+"/media/hls/720p60/0.ts", cookies, trusted, at); err != nil {
		t.Errorf("CloudFront's check refuses the cookies for their own recording: %v", err)
	}
	if err := cfcookie.Check(site+live+"/media/hls/720p60/0.ts", cookies, trusted, at); err == nil {
		t.Error("the cookies of one recording open another")
	}
	if err := cfcookie.Check(site+done+"/media/hls/720p60/0.ts", nil, trusted, at); err == nil {
		t.Error("a request without cookies passes")
	}
	opensslVerifies(t, key.PEM, cookies, "https://*/"+live+"/*")

	_, answer = call(http.MethodGet, "/recordings/watch", map[string]string{"channel": config.Channels[0].Arn, "id": idOf(0)}, "")
	if answer["playlist"] != "/"+live+"/media/hls/byte-range-multivariant.m3u8" {
		t.Errorf("a recording in progress answers %v, want its byte-range playlist (to rewind from the live edge)", answer["playlist"])
	}

	// Deleting: a viewer may not; a moderator removes every object, then
	// the entry.
	del := map[string]string{"channel": config.Channels[0].Arn, "id": idOf(1)}
	if resp, _ := call(http.MethodDelete, "/recordings", del, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's delete: %d %s, want 403", resp.StatusCode, resp.Body)
	}
	if resp, _ := call(http.MethodDelete, "/recordings", del, "[moderators]"); resp.StatusCode != http.StatusOK {
		t.Fatalf("a moderator's delete: %d %s", resp.StatusCode, resp.Body)
	}
	left, err := bucket.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(config.Bucket), Prefix: aws.String(done + "/")})
	if err != nil {
		t.Fatal(err)
	}
	_, list = call(http.MethodGet, "/recordings", channel, "")
	if recs, _ := list["recordings"].([]any); len(left.Contents) != 0 || len(recs) != 1 {
		t.Errorf("after the delete: %d objects of the recording left, %d entries listed; want none and the live one", len(left.Contents), len(recs))
	}
}
