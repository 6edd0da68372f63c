package browser

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/recordinglist"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/localaws"
)

const recordingsBucket = "recordings"

// cookieKey is the cookie signing key and its CloudFront public key ID.
type cookieKey struct {
	key *ecdsa.PrivateKey
	id  string
}

func (k cookieKey) SigningKey(context.Context) (*ecdsa.PrivateKey, string, error) {
	return k.key, k.id, nil
}

// recordingsSite is what the private channel's distribution serves beside
// the page: /recordings* from the recordings endpoint (the real handler
// behind a local HTTP API that verifies the pool's JWTs), and ivs/* from
// the recordings bucket (a local S3) through a stand-in that checks the
// signed cookies, or a signed URL's query, as CloudFront does
// (cfcookie.Check), with the key group's one key.
type recordingsSite struct {
	now      time.Time
	s3       *s3.Client
	keys     map[string]*ecdsa.PublicKey
	api      http.Handler
	refused  []string
	served   []string
	pageHost string
}

func (s *recordingsSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/recordings") {
		s.api.ServeHTTP(w, r)
		return
	}
	cookies := r.Cookies()
	if q := r.URL.Query(); q.Get("Policy") != "" {
		for _, name := range []string{"Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"} {
			cookies = append(cookies, &http.Cookie{Name: "CloudFront-" + name, Value: q.Get(name)})
		}
	}
	// CloudFront sees the https:// URL (the behaviours are HTTPS only).
	if err := cfcookie.Check("https://"+s.pageHost+r.URL.Path, cookies, s.keys, s.now); err != nil {
		s.refused = append(s.refused, r.URL.Path)
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>"+err.Error()+"</Message></Error>", http.StatusForbidden)
		return
	}
	out, err := s.s3.GetObject(r.Context(), &s3.GetObjectInput{Bucket: aws.String(recordingsBucket), Key: aws.String(strings.TrimPrefix(r.URL.Path, "/"))})
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer out.Body.Close()
	s.served = append(s.served, r.URL.Path)
	if t := mime.TypeByExtension(path.Ext(r.URL.Path)); t != "" {
		w.Header().Set("Content-Type", t)
	}
	var body bytes.Buffer
	body.ReadFrom(out.Body)
	w.Write(body.Bytes())
}

// layOutRecording writes one recording as IVS does (IVS Low-Latency User
// Guide, "Auto-Record to Amazon S3"): the multivariant playlist naming one
// rendition, the rendition's playlist and segments (the ffmpeg fixture),
// and the latest thumbnail; it returns the recording's entry.
func layOutRecording(t *testing.T, client *s3.Client, prefix string, start time.Time) recordingindex.Recording {
	put := func(key string, data []byte) {
		if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(recordingsBucket),
			Key: aws.String(prefix + "/" + key), Body: bytes.NewReader(data)}); err != nil {
			t.Fatal(err)
		}
	}
	put("media/hls/master.m3u8", []byte("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\n360p30/playlist.m3u8\n"))
	files, _ := os.ReadDir(tools.hlsDir)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(tools.hlsDir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name()
		if name == "stream.m3u8" {
			name = "playlist.m3u8"
		}
		put("media/hls/360p30/"+name, data)
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for x := range 64 {
		for y := range 36 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: 90, B: 200, A: 255})
		}
	}
	var thumb bytes.Buffer
	jpeg.Encode(&thumb, img, nil)
	put("media/latest_thumbnail/thumb.jpg", thumb.Bytes())
	loc, err := recordingindex.ParsePrefix(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return recordingindex.Recording{Location: loc, Status: recordingindex.StatusEnded, StartedAt: start, EndedAt: start.Add(6 * time.Second),
		DurationMs: 6000, Playlist: prefix + "/media/hls/master.m3u8", LatestThumbnail: prefix + "/media/latest_thumbnail/thumb.jpg"}
}

// A signed-in viewer sees the channel's past broadcast with its thumbnail
// and plays it: the endpoint sets the cookies for that recording on the
// page's origin, the stand-in lets the player through with them, and the
// video's time advances. A request without the cookies is refused.
func TestViewerWatchesAPastBroadcast(t *testing.T) {
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, recordingindex.TableInput("index"))
	client := localaws.S3(t, recordingsBucket)
	// The endpoint and the stand-in share one fixed clock: the cookies are
	// session cookies, so the browser's own clock plays no part.
	now := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	start := now.Add(-2 * time.Hour)
	prefix := fmt.Sprintf("ivs/v1/123456789012/abcdABCDefgh/%d/%d/%d/%d/%d/rec1", start.Year(), start.Month(), start.Day(), start.Hour(), start.Minute())
	store := &recordingindex.Store{Client: db, Table: "index"}
	if _, err := store.Put(context.Background(), layOutRecording(t, client, prefix, start)); err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	handler := recordinglist.New(recordinglist.Config{Table: "index", Bucket: recordingsBucket, Authentication: tokenapi.AuthJWT,
		Channels: []recordinglist.Channel{{Arn: channelArn, Authorized: true}}}, db, client, cookieKey{key, "KBROWSERTEST1"}, func() time.Time { return now })
	site := &recordingsSite{now: now, s3: client, keys: map[string]*ecdsa.PublicKey{"KBROWSERTEST1": &key.PublicKey}}

	r := newViewerRig(t, func(config map[string]any) {
		config["recordingsUrl"] = "/recordings"
		config["channelArn"] = channelArn
	})
	page, _ := url.Parse(r.page.URL)
	site.pageHost = page.Host
	api := newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, handler.Handle)
	target, _ := url.Parse(api.URL)
	site.api = httputil.NewSingleHostReverseProxy(target)
	r.site = site

	r.open(t, false)
	r.status(t, "Sign in to watch the channel.")
	r.signIn(t)
	r.status(t, "Live.")
	var listed string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && !strings.Contains(listed, "1 broadcast."); time.Sleep(300 * time.Millisecond) {
		listed, _ = chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.getElementById("past").innerText`))
	}
	if !strings.Contains(listed, "1 broadcast.") || !strings.Contains(listed, "0:06") {
		t.Fatalf("the past broadcasts say %q; want one, 0:06 long", listed)
	}
	var thumbnailWidth float64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && thumbnailWidth == 0; time.Sleep(300 * time.Millisecond) {
		thumbnailWidth, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`(document.querySelector("#recordings img") || {}).naturalWidth || 0`))
	}
	if thumbnailWidth != 64 {
		t.Errorf("the thumbnail did not load (naturalWidth %v); refused: %v", thumbnailWidth, site.refused)
	}
	screenshot(t, r.ctx, "viewer-past-broadcasts")

	r.click(t, "watch-0") // by keyboard
	r.status(t, "Playing the broadcast of")
	var current float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("video").currentTime`))
	}
	if current < 1 {
		t.Errorf("the recording's currentTime is %v after 20 s; the page says %q; refused %v", current, r.text(t), site.refused)
	}
	if !r.visible(t, "back-to-live") {
		t.Error("a recording plays, but there is no Back to live")
	}
	screenshot(t, r.ctx, "viewer-past-broadcast-playing")

	// Without the cookies, the same segment is refused.
	before := len(site.refused)
	resp, err := http.Get(r.page.URL + "/" + prefix + "/media/hls/360p30/playlist.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(site.refused) != before+1 {
		t.Errorf("an unsigned request got %d; want 403", resp.StatusCode)
	}
	r.click(t, "back-to-live")
	r.status(t, "Live.")
	r.noProblems(t)
}
