package browser

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

// layOutParticipantRecording writes one participant recording as IVS
// does (IVS Real-Time User Guide, "IVS Individual Participant
// Recording", Recording Contents): the multivariant playlist naming the
// "high" rendition, its fragmented MP4 playlist and segments (the ffmpeg
// fixture), and the latest thumbnail; it returns the recording's entry.
func layOutParticipantRecording(t *testing.T, client *s3.Client, prefix string, start time.Time) recordingindex.Recording {
	put := func(key string, data []byte) {
		if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(recordingsBucket),
			Key: aws.String(prefix + "/" + key), Body: bytes.NewReader(data)}); err != nil {
			t.Fatal(err)
		}
	}
	put("media/hls/multivariant.m3u8", []byte("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\nhigh/playlist.m3u8\n"))
	files, _ := os.ReadDir(tools.fmp4Dir)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(tools.fmp4Dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		put("media/hls/high/"+f.Name(), data)
	}
	put("media/latest_thumbnail/high/thumb.jpg", thumbnail())
	loc, err := recordingindex.ParsePrefix(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return recordingindex.Recording{Location: loc, Status: recordingindex.StatusEnded, StartedAt: start, EndedAt: start.Add(6 * time.Second),
		DurationMs: 6000, Playlist: prefix + "/media/hls/multivariant.m3u8", LatestThumbnail: prefix + "/media/latest_thumbnail/high/thumb.jpg"}
}

// A host signs in on the stage's page and finds each publisher's
// recording with its thumbnail; picking one plays it from the stage's
// folder with the cookies the endpoint set for that one recording, and
// the video's time advances. A viewer (no hosts group) is not shown the
// recordings: the endpoint refuses them.
func TestHostWatchesAParticipantRecording(t *testing.T) {
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, recordingindex.TableInput("index"))
	client := localaws.S3(t, recordingsBucket)
	now := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	const stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij"
	store := &recordingindex.Store{Client: db, Table: "index"}
	for _, p := range []struct {
		participant string
		start       time.Time
	}{{"alice", now.Add(-2 * time.Hour)}, {"bob", now.Add(-2*time.Hour + time.Minute)}} {
		prefix := recordingindex.ParticipantPrefixOf("AbCdef1G2hij", "st-1", p.participant, p.start)
		if _, err := store.Put(context.Background(), layOutParticipantRecording(t, client, prefix, p.start)); err != nil {
			t.Fatal(err)
		}
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	handler := recordinglist.New(recordinglist.Config{Table: "index", Bucket: recordingsBucket, Authentication: tokenapi.AuthJWT,
		Stages: []recordinglist.Stage{{Arn: stageArn}},
		Grants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{recordinglist.CapabilityWatchStage}}}},
		db, client, cookieKey{key, "KBROWSERTEST2"}, func() time.Time { return now })
	site := &recordingsSite{now: now, s3: client, keys: map[string]*ecdsa.PublicKey{"KBROWSERTEST2": &key.PublicKey}}

	r := newStageRig(t, func(config map[string]any) {
		config["recordingsUrl"] = "/recordings"
		config["stageArn"] = stageArn
	})
	site.serve(t, r.pageRig, handler.Handle, "/AbCdef1G2hij/")

	// A viewer: no recordings.
	r.open(t, false)
	r.signIn(t)
	r.status(t, "Join when you are ready")
	time.Sleep(time.Second) // the page has asked the endpoint by now
	if r.visible(t, "past") {
		t.Error("a viewer is shown the stage's recordings")
	}
	r.click(t, "sign-out")
	r.status(t, "Signed out.")

	r.oidc.mu.Lock()
	r.oidc.subject, r.oidc.groups = "host-1", []string{"hosts"}
	r.oidc.mu.Unlock()
	r.signIn(t)
	r.status(t, "Join when you are ready")
	var listed string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && !strings.Contains(listed, "2 recordings."); time.Sleep(300 * time.Millisecond) {
		listed, _ = chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.getElementById("past").innerText`))
	}
	if !strings.Contains(listed, "2 recordings.") || !strings.Contains(listed, "0:06") ||
		strings.Index(listed, "Participant bob") > strings.Index(listed, "Participant alice") || !strings.Contains(listed, "Participant bob") {
		t.Fatalf("the recordings say %q; want bob's (the newer) then alice's, each 0:06 long", listed)
	}
	var thumbnailWidth float64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && thumbnailWidth == 0; time.Sleep(300 * time.Millisecond) {
		thumbnailWidth, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`(document.querySelector("#recordings img") || {}).naturalWidth || 0`))
	}
	if refused, _ := site.log(); thumbnailWidth != 64 {
		t.Errorf("the thumbnail did not load (naturalWidth %v); refused: %v", thumbnailWidth, refused)
	}

	r.click(t, "watch-1") // alice's, by keyboard
	var current float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("recording").currentTime`))
	}
	refused, served := site.log()
	if current < 1 {
		t.Errorf("the recording's currentTime is %v after 20 s; the page says %q; refused %v", current, r.text(t), refused)
	}
	sawAlice := false
	for _, p := range served {
		sawAlice = sawAlice || strings.Contains(p, "/st-1/alice/") && strings.HasSuffix(p, ".mp4")
		if strings.Contains(p, "/bob/") && strings.HasSuffix(p, ".mp4") {
			t.Errorf("bob's segment %s was served while alice's recording played", p)
		}
	}
	if !sawAlice {
		t.Errorf("no fMP4 segment of alice's recording was served: %v", served)
	}
	screenshot(t, r.ctx, "stage-recordings")

	// Without the cookies, a segment of the stage's folder is refused.
	before := len(refused)
	resp, err := http.Get(r.page.URL + "/" + recordingindex.ParticipantPrefixOf("AbCdef1G2hij", "st-1", "alice", now.Add(-2*time.Hour)) + "/media/hls/high/0.mp4")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if refused, _ = site.log(); resp.StatusCode != http.StatusForbidden || len(refused) <= before {
		t.Errorf("an unsigned request got %d; want 403", resp.StatusCode)
	}
	r.noProblems(t)
}
