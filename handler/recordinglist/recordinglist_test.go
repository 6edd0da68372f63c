package recordinglist_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

const (
	site       = "https://d111111abcdef8.cloudfront.net"
	privateArn = "arn:aws:ivs:us-west-2:123456789012:channel/private1"
	publicArn  = "arn:aws:ivs:us-west-2:123456789012:channel/public1"
	keyID      = "K2JCJMDEHXQW5F"
)

var at = time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)

type staticKey struct{ key *ecdsa.PrivateKey }

func (k staticKey) SigningKey(context.Context) (*ecdsa.PrivateKey, string, error) {
	return k.key, keyID, nil
}

type rig struct {
	t     *testing.T
	h     *recordinglist.Handler
	key   *ecdsa.PrivateKey
	store *recordingindex.Store
	s3    *s3.Client
	db    *dynamodb.Client
}

func newRig(t *testing.T, pageSize int) *rig {
	t.Helper()
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, recordingindex.TableInput("index"))
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	r := &rig{t: t, key: key, db: db, s3: localaws.S3(t, "recordings"), store: &recordingindex.Store{Client: db, Table: "index", Retention: 30 * 24 * time.Hour}}
	c := recordinglist.Config{Table: "index", Bucket: "recordings", Site: site, PageSize: pageSize, Authentication: "jwt",
		Channels: []recordinglist.Channel{{Arn: privateArn, Authorized: true}, {Arn: publicArn}},
		Grants:   []recordinglist.Grant{{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{recordinglist.CapabilityDelete}}}}
	r.h = recordinglist.New(c, db, r.s3, staticKey{key}, func() time.Time { return at })
	return r
}

// add indexes a recording of channel started at start, with objects.
func (r *rig) add(channel, id string, start time.Time, status string) string {
	r.t.Helper()
	prefix := recordingindex.PrefixOf("123456789012", channel, start, id)
	loc, err := recordingindex.ParsePrefix(prefix)
	if err != nil {
		r.t.Fatal(err)
	}
	rec := recordingindex.Recording{Location: loc, Status: status, StartedAt: start, DurationMs: 60000,
		Playlist: prefix + "/media/hls/master.m3u8", ByteRangePlaylist: prefix + "/media/hls/byte-range-multivariant.m3u8",
		LatestThumbnail: prefix + "/media/latest_thumbnail/thumb.jpg"}
	if status != recordingindex.StatusStarted {
		rec.EndedAt = start.Add(time.Minute)
	}
	if _, err := r.store.Put(context.Background(), rec); err != nil {
		r.t.Fatal(err)
	}
	for _, k := range []string{"events/recording-started.json", "media/hls/master.m3u8", "media/hls/720p60/0.ts", "media/latest_thumbnail/thumb.jpg"} {
		r.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("recordings"), Key: aws.String(prefix + "/" + k), Body: bytes.NewReader([]byte("x"))})
	}
	return recordingindex.SortKey(loc)
}

// call sends a request as API Gateway would with a verified JWT of the
// given groups.
func (r *rig) call(method, path string, query map[string]string, groups string) (events.APIGatewayV2HTTPResponse, map[string]any) {
	r.t.Helper()
	resp, err := r.h.Handle(context.Background(), apigwtest.Route(method, path, query, "viewer-1", groups))
	if err != nil {
		r.t.Fatal(err)
	}
	var body map[string]any
	json.Unmarshal([]byte(resp.Body), &body)
	return resp, body
}

// TestListNewestFirstByPage: a channel's recordings, newest first, a page
// at a time, and nothing of another channel or past its retention.
func TestListNewestFirstByPage(t *testing.T) {
	r := newRig(t, 2)
	for i := range 3 {
		r.add("public1", fmt.Sprintf("rec%d", i), at.Add(-time.Duration(3-i)*time.Hour), recordingindex.StatusEnded)
	}
	r.add("private1", "other", at.Add(-time.Hour), recordingindex.StatusEnded)
	r.add("public1", "expired", at.Add(-31*24*time.Hour), recordingindex.StatusEnded) // past the 30-day retention; not yet deleted

	var ids []string
	next := ""
	for page := 0; page < 3; page++ {
		q := map[string]string{"channel": publicArn}
		if next != "" {
			q["next"] = next
		}
		resp, body := r.call(http.MethodGet, "/recordings", q, "")
		if resp.StatusCode != 200 {
			t.Fatalf("page %d: %d %s", page, resp.StatusCode, resp.Body)
		}
		for _, rec := range body["recordings"].([]any) {
			rec := rec.(map[string]any)
			ids = append(ids, rec["id"].(string))
			// A public channel's thumbnail is a plain URL.
			if th, _ := rec["thumbnail"].(string); !strings.HasPrefix(th, site+"/ivs/v1/") || strings.Contains(th, "Signature") {
				t.Errorf("thumbnail %q", th)
			}
		}
		next, _ = body["next"].(string)
		if next == "" {
			break
		}
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "#rec2 ") || strings.Index(got, "#rec2") > strings.Index(got, "#rec0") || strings.Contains(got, "other") || strings.Contains(got, "expired") {
		t.Errorf("listed %s: want rec2, rec1, rec0, newest first, and neither the other channel's nor the expired one", got)
	}
	if len(ids) != 3 {
		t.Errorf("listed %d recordings, want 3", len(ids))
	}
	if resp, _ := r.call(http.MethodGet, "/recordings", map[string]string{"channel": publicArn, "next": "bm90IGEga2V5"}, ""); resp.StatusCode != 400 {
		t.Errorf("a forged next: %d", resp.StatusCode)
	}
	if resp, _ := r.call(http.MethodGet, "/recordings", map[string]string{"channel": "arn:aws:ivs:us-west-2:123456789012:channel/nope"}, ""); resp.StatusCode != 404 {
		t.Errorf("a channel not served: %d", resp.StatusCode)
	}
}

// TestWatchAPrivateRecording: the cookies cover that one recording's
// folder, until the lifetime ends, as CloudFront checks them; a recording
// in progress answers its byte-range playlist.
func TestWatchAPrivateRecording(t *testing.T) {
	r := newRig(t, 0)
	done := r.add("private1", "done", at.Add(-2*time.Hour), recordingindex.StatusEnded)
	live := r.add("private1", "live", at.Add(-10*time.Minute), recordingindex.StatusStarted)

	resp, body := r.call(http.MethodGet, "/recordings/watch", map[string]string{"channel": privateArn, "id": done}, "")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	playlist := body["playlist"].(string)
	if !strings.HasSuffix(playlist, "/done/media/hls/master.m3u8") || body["live"] != false {
		t.Errorf("playlist %s, live %v", playlist, body["live"])
	}
	var cookies []*http.Cookie
	for _, line := range resp.Cookies {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, c)
	}
	keys := map[string]*ecdsa.PublicKey{keyID: &r.key.PublicKey}
	segment := strings.Replace(playlist, "master.m3u8", "720p60/0.ts", 1)
	if err := cfcookie.Check(segment, cookies, keys, at); err != nil {
		t.Errorf("the recording's segment: %v", err)
	}
	otherRecording := strings.Replace(segment, "/done/", "/live/", 1)
	if err := cfcookie.Check(otherRecording, cookies, keys, at); err == nil {
		t.Error("the cookies of one recording open another")
	}
	if err := cfcookie.Check(segment, cookies, keys, at.Add(recordinglist.DefaultCookieLifetime)); err == nil {
		t.Error("the cookies outlive their lifetime")
	}

	_, body = r.call(http.MethodGet, "/recordings/watch", map[string]string{"channel": privateArn, "id": live}, "")
	if p := body["playlist"].(string); !strings.HasSuffix(p, "/live/media/hls/byte-range-multivariant.m3u8") || body["live"] != true {
		t.Errorf("the live recording: playlist %s, live %v", p, body["live"])
	}
	// The listing's thumbnails are signed URLs for a private channel.
	_, list := r.call(http.MethodGet, "/recordings", map[string]string{"channel": privateArn}, "")
	th := list["recordings"].([]any)[0].(map[string]any)["thumbnail"].(string)
	if !strings.Contains(th, "?Policy=") || !strings.Contains(th, "&Key-Pair-Id="+keyID) {
		t.Errorf("a private thumbnail %s is not signed", th)
	}
	if resp, _ := r.call(http.MethodGet, "/recordings/watch", map[string]string{"channel": privateArn, "id": "2026-12-02T18:00Z#nope"}, ""); resp.StatusCode != 404 {
		t.Errorf("an unknown recording: %d", resp.StatusCode)
	}
}

// TestDeleteLeavesNothingBehind: a moderator's delete removes every
// object of the recording and its entry; others may not; a recording in
// progress is refused.
func TestDeleteLeavesNothingBehind(t *testing.T) {
	r := newRig(t, 0)
	done := r.add("public1", "done", at.Add(-2*time.Hour), recordingindex.StatusEnded)
	live := r.add("public1", "live", at.Add(-10*time.Minute), recordingindex.StatusStarted)
	keep := r.add("public1", "keep", at.Add(-3*time.Hour), recordingindex.StatusEnded)

	if resp, _ := r.call(http.MethodDelete, "/recordings", map[string]string{"channel": publicArn, "id": done}, "viewers"); resp.StatusCode != 403 {
		t.Errorf("a viewer's delete: %d", resp.StatusCode)
	}
	if resp, _ := r.call(http.MethodDelete, "/recordings", map[string]string{"channel": publicArn, "id": live}, "moderators"); resp.StatusCode != 409 {
		t.Errorf("deleting a recording in progress: %d", resp.StatusCode)
	}
	resp, body := r.call(http.MethodDelete, "/recordings", map[string]string{"channel": publicArn, "id": done}, "moderators")
	if resp.StatusCode != 200 || body["objects"] != float64(4) {
		t.Fatalf("delete: %d %s", resp.StatusCode, resp.Body)
	}
	left, err := r.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("recordings"), Prefix: aws.String("ivs/")})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range left.Contents {
		if strings.Contains(*o.Key, "/done/") {
			t.Errorf("left behind: %s", *o.Key)
		}
	}
	if len(left.Contents) != 8 {
		t.Errorf("%d objects left, want the other two recordings' 8", len(left.Contents))
	}
	_, list := r.call(http.MethodGet, "/recordings", map[string]string{"channel": publicArn}, "")
	var ids []string
	for _, rec := range list["recordings"].([]any) {
		ids = append(ids, rec.(map[string]any)["id"].(string))
	}
	if strings.Join(ids, ",") != live+","+keep {
		t.Errorf("after the delete the index lists %v", ids)
	}
}

// TestServedWithTheRecordings: without a Site the answers are
// root-relative and the policy names any host; the cookies still open
// only that one recording.
func TestServedWithTheRecordings(t *testing.T) {
	r := newRig(t, 0)
	c := recordinglist.Config{Table: "index", Bucket: "recordings", Authentication: "jwt",
		Channels: []recordinglist.Channel{{Arn: privateArn, Authorized: true}}}
	r.h = recordinglist.New(c, r.db, r.s3, staticKey{r.key}, func() time.Time { return at })
	done := r.add("private1", "done", at.Add(-2*time.Hour), recordingindex.StatusEnded)
	resp, body := r.call(http.MethodGet, "/recordings/watch", map[string]string{"channel": privateArn, "id": done}, "")
	playlist, _ := body["playlist"].(string)
	if resp.StatusCode != 200 || !strings.HasPrefix(playlist, "/ivs/v1/123456789012/private1/") {
		t.Fatalf("%d: playlist %q, want a root-relative path", resp.StatusCode, playlist)
	}
	var cookies []*http.Cookie
	for _, line := range resp.Cookies {
		c, _ := http.ParseSetCookie(line)
		cookies = append(cookies, c)
	}
	keys := map[string]*ecdsa.PublicKey{keyID: &r.key.PublicKey}
	if err := cfcookie.Check(site+playlist, cookies, keys, at); err != nil {
		t.Errorf("on the distribution: %v", err)
	}
	if err := cfcookie.Check(site+strings.Replace(playlist, "/done/", "/other/", 1), cookies, keys, at); err == nil {
		t.Error("the cookies open another recording")
	}
	_, list := r.call(http.MethodGet, "/recordings", map[string]string{"channel": privateArn}, "")
	th := list["recordings"].([]any)[0].(map[string]any)["thumbnail"].(string)
	if !strings.HasPrefix(th, "/ivs/v1/") || !strings.Contains(th, "?Policy=") {
		t.Errorf("thumbnail %q", th)
	}
}

const stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/stage1"

// addParticipant indexes a participant recording of stage1, with objects.
func (r *rig) addParticipant(session, participant string, start time.Time, status string) string {
	r.t.Helper()
	prefix := recordingindex.ParticipantPrefixOf("stage1", session, participant, start)
	loc, err := recordingindex.ParsePrefix(prefix)
	if err != nil {
		r.t.Fatal(err)
	}
	rec := recordingindex.Recording{Location: loc, Status: status, StartedAt: start, DurationMs: 60000,
		Playlist: prefix + "/media/hls/multivariant.m3u8", LatestThumbnail: prefix + "/media/latest_thumbnail/high/thumb.jpg"}
	if _, err := r.store.Put(context.Background(), rec); err != nil {
		r.t.Fatal(err)
	}
	for _, k := range []string{"events/recording-started.json", "media/hls/multivariant.m3u8", "media/hls/high/1.mp4"} {
		r.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("recordings"), Key: aws.String(prefix + "/" + k), Body: bytes.NewReader([]byte("x"))})
	}
	return recordingindex.SortKey(loc)
}

// TestStageRecordingsForHosts: a stage's participant recordings are
// listed and played only for callers with the capability (hosts), always
// with cookies for that one recording, and deleted by moderators.
func TestStageRecordingsForHosts(t *testing.T) {
	r := newRig(t, 0)
	c := recordinglist.Config{Table: "index", Bucket: "recordings", Site: site, Authentication: "jwt",
		Channels: []recordinglist.Channel{{Arn: publicArn}}, Stages: []recordinglist.Stage{{Arn: stageArn}},
		SecretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:cookie", KeyPairID: keyID,
		Grants: []recordinglist.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{recordinglist.CapabilityWatchStage}},
			{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{recordinglist.CapabilityDelete}}}}
	r.h = recordinglist.New(c, r.db, r.s3, staticKey{r.key}, func() time.Time { return at })
	alice := r.addParticipant("st-1", "alice", at.Add(-time.Hour), recordingindex.StatusEnded)
	bob := r.addParticipant("st-1", "bob", at.Add(-50*time.Minute), recordingindex.StatusEnded)
	channelRec := r.add("public1", "rec", at.Add(-time.Hour), recordingindex.StatusEnded)

	if resp, _ := r.call(http.MethodGet, "/recordings", map[string]string{"stage": stageArn}, "viewers"); resp.StatusCode != 403 {
		t.Errorf("a viewer listing the stage's recordings: %d", resp.StatusCode)
	}
	resp, list := r.call(http.MethodGet, "/recordings", map[string]string{"stage": "stage1"}, "hosts")
	if resp.StatusCode != 200 {
		t.Fatalf("a host's list: %d %s", resp.StatusCode, resp.Body)
	}
	recs := list["recordings"].([]any)
	if len(recs) != 2 || recs[0].(map[string]any)["id"] != bob || recs[0].(map[string]any)["participantId"] != "bob" || recs[1].(map[string]any)["sessionId"] != "st-1" {
		t.Errorf("the stage's recordings: %v; want bob's then alice's, with session and participant", recs)
	}
	if th := recs[0].(map[string]any)["thumbnail"].(string); !strings.HasPrefix(th, site+"/stage1/st-1/bob/") || !strings.Contains(th, "?Policy=") {
		t.Errorf("a stage recording's thumbnail %q is not signed", th)
	}
	// A channel's recording is not found in the stage, nor the stage's in
	// the channel.
	if resp, _ := r.call(http.MethodGet, "/recordings/watch", map[string]string{"stage": stageArn, "id": channelRec}, "hosts"); resp.StatusCode != 404 {
		t.Errorf("a channel's recording through the stage: %d", resp.StatusCode)
	}
	if resp, _ := r.call(http.MethodGet, "/recordings/watch", map[string]string{"channel": publicArn, "id": alice}, ""); resp.StatusCode != 404 {
		t.Errorf("a stage's recording through a channel: %d", resp.StatusCode)
	}

	resp, body := r.call(http.MethodGet, "/recordings/watch", map[string]string{"stage": stageArn, "id": alice}, "hosts")
	playlist, _ := body["playlist"].(string)
	if resp.StatusCode != 200 || playlist != site+"/stage1/st-1/alice/"+strings.Split(alice, "#")[0]+"/media/hls/multivariant.m3u8" {
		t.Fatalf("watch: %d %s", resp.StatusCode, resp.Body)
	}
	var cookies []*http.Cookie
	for _, line := range resp.Cookies {
		c, _ := http.ParseSetCookie(line)
		cookies = append(cookies, c)
	}
	keys := map[string]*ecdsa.PublicKey{keyID: &r.key.PublicKey}
	if err := cfcookie.Check(strings.Replace(playlist, "multivariant.m3u8", "high/1.mp4", 1), cookies, keys, at); err != nil {
		t.Errorf("alice's segment: %v", err)
	}
	if err := cfcookie.Check(strings.Replace(playlist, "/alice/", "/bob/", 1), cookies, keys, at); err == nil {
		t.Error("alice's cookies open bob's recording")
	}

	if resp, _ := r.call(http.MethodDelete, "/recordings", map[string]string{"stage": stageArn, "id": alice}, "[hosts moderators]"); resp.StatusCode != 200 {
		t.Errorf("a moderator's delete: %d %s", resp.StatusCode, resp.Body)
	}
	left, _ := r.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("recordings"), Prefix: aws.String("stage1/st-1/alice/")})
	if len(left.Contents) != 0 {
		t.Errorf("alice's objects left: %d", len(left.Contents))
	}

	// An IAM endpoint's callers may (their IAM policy decides who calls).
	c.Authentication, c.Grants = "iam", nil
	r.h = recordinglist.New(c, r.db, r.s3, staticKey{r.key}, func() time.Time { return at })
	req := events.APIGatewayV2HTTPRequest{RawPath: "/recordings", QueryStringParameters: map[string]string{"stage": stageArn}}
	req.RequestContext.HTTP.Method = http.MethodGet
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{AccountID: "123456789012"}}
	if resp, _ := r.h.Handle(context.Background(), req); resp.StatusCode != 200 || !strings.Contains(resp.Body, `"participantId":"bob"`) {
		t.Errorf("an IAM caller: %d %s", resp.StatusCode, resp.Body)
	}
}

// TestConfigRefusesAStageWithoutAKey: a stage's recordings are always
// signed.
func TestConfigRefusesAStageWithoutAKey(t *testing.T) {
	for name, c := range map[string]string{
		"no key":    `{"table":"t","bucket":"b","stages":[{"arn":"` + stageArn + `"}]}`,
		"not a ARN": `{"table":"t","bucket":"b","stages":[{"arn":"stage1"}],"secretArn":"s","keyPairId":"K"}`,
		"nothing":   `{"table":"t","bucket":"b"}`,
	} {
		if _, err := recordinglist.ParseConfig(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := recordinglist.ParseConfig(`{"table":"t","bucket":"b","stages":[{"arn":"` + stageArn + `"}],"secretArn":"s","keyPairId":"K"}`); err != nil {
		t.Errorf("a stage with a key: %v", err)
	}
}

// TestWatchJSONIsEncodingJSONs: the hand-written answer is byte for byte
// what encoding/json writes, for every field set or empty and strings
// that need escaping.
func TestWatchJSONIsEncodingJSONs(t *testing.T) {
	odd := "a\"b\\c<d>&e\n\t\x01é\u2028\xff日本"
	for _, w := range []recordinglist.Watch{
		{},
		{Recording: recordinglist.Recording{ID: "2026-12-02T18:05Z#rec1", Status: "RECORDING_ENDED", StartedAt: "2026-12-02T18:05:10Z",
			EndedAt: "2026-12-02T19:05:10Z", DurationMs: 3600000, Thumbnail: "/t.jpg"}, Playlist: "/p.m3u8", ExpiresAt: at.Add(time.Hour)},
		{Recording: recordinglist.Recording{ID: odd, Status: odd, Live: true, StartedAt: odd, SessionID: "st-1", ParticipantID: odd, DurationMs: -1},
			Playlist: odd, ExpiresAt: at.Add(1500 * time.Millisecond).In(time.FixedZone("x", 3600))},
		{Recording: recordinglist.Recording{ID: "2026-12-02T18:05Z#rec1", Moderation: []recordinglist.Moderation{{Thumbnail: odd,
			Evidence: recordingindex.Evidence{Key: odd, Outcome: "flagged", CheckedAt: at, Labels: []recordingindex.ModerationLabel{{Name: odd, Confidence: 90.5}}}}}}},
	} {
		want, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		if got := w.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

// TestModeratorsSeeTheVideoModerationEvidence: a moderator's page carries
// each recording's evidence (its thumbnail signed like the recording's),
// a viewer's none, and the evidence of a recording on another page stays
// there.
func TestModeratorsSeeTheVideoModerationEvidence(t *testing.T) {
	r := newRig(t, 2)
	var ids []string
	for i := range 3 {
		ids = append(ids, r.add("private1", fmt.Sprintf("rec%d", i), at.Add(-time.Duration(3-i)*time.Hour), recordingindex.StatusEnded))
	}
	prefixOf := func(i int) string {
		return recordingindex.PrefixOf("123456789012", "private1", at.Add(-time.Duration(3-i)*time.Hour), fmt.Sprintf("rec%d", i))
	}
	for _, e := range []recordingindex.Evidence{
		{Key: prefixOf(2) + "/media/thumbnails/720p30/thumb4.jpg", Outcome: "flagged", CheckedAt: at.Add(-2 * time.Hour),
			Labels: []recordingindex.ModerationLabel{{Name: "Violence", Confidence: 93}}, StreamStopped: true, ViewersRevoked: 2},
		{Key: prefixOf(0) + "/media/thumbnails/720p30/thumb1.jpg", Outcome: "fallback", Reason: "ThrottlingException", CheckedAt: at.Add(-3 * time.Hour)},
	} {
		if err := r.store.PutEvidence(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	_, viewer := r.call(http.MethodGet, "/recordings", map[string]string{"channel": privateArn}, "viewers")
	for _, rec := range viewer["recordings"].([]any) {
		if m, ok := rec.(map[string]any)["moderation"]; ok {
			t.Errorf("a viewer sees moderation evidence %v", m)
		}
	}
	resp, page1 := r.call(http.MethodGet, "/recordings", map[string]string{"channel": privateArn}, "moderators")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	recs := page1["recordings"].([]any)
	newest := recs[0].(map[string]any)
	m, _ := newest["moderation"].([]any)
	if newest["id"] != ids[2] || len(m) != 1 {
		t.Fatalf("the newest recording (%v) has evidence %v, want one", newest["id"], newest["moderation"])
	}
	e := m[0].(map[string]any)
	if e["outcome"] != "flagged" || e["viewersRevoked"] != 2.0 || e["labels"].([]any)[0].(map[string]any)["name"] != "Violence" ||
		!strings.HasPrefix(e["thumbnail"].(string), site+"/"+prefixOf(2)+"/media/thumbnails/") || !strings.Contains(e["thumbnail"].(string), "Signature=") {
		t.Errorf("the evidence as answered: %v", e)
	}
	if _, ok := recs[1].(map[string]any)["moderation"]; ok {
		t.Errorf("rec1 has evidence %v, want none", recs[1])
	}
	_, page2 := r.call(http.MethodGet, "/recordings", map[string]string{"channel": privateArn, "next": page1["next"].(string)}, "moderators")
	oldest := page2["recordings"].([]any)[0].(map[string]any)
	if m, _ := oldest["moderation"].([]any); oldest["id"] != ids[0] || len(m) != 1 || m[0].(map[string]any)["reason"] != "ThrottlingException" {
		t.Errorf("the second page: %v", oldest)
	}
}
