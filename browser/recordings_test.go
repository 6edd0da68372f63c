package browser

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
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
	store    *recordingindex.Store // the index, for evidence a test adds
	keys     map[string]*ecdsa.PublicKey
	api      http.Handler
	pageHost string

	mu      sync.Mutex
	refused []string // paths refused, and served, so far
	served  []string
}

// serve puts the site behind r's page, its API the recordings handler
// behind a local HTTP API that verifies the page's sign-in (folders: the
// further paths the distribution routes to the bucket).
func (s *recordingsSite) serve(t *testing.T, r *pageRig, handle func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error), folders ...string) {
	t.Helper()
	page, _ := url.Parse(r.page.URL)
	s.pageHost = page.Host
	api := newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, handle)
	target, _ := url.Parse(api.URL)
	s.api = httputil.NewSingleHostReverseProxy(target)
	r.site, r.siteFolders = s, folders
}

// log returns the paths refused and served so far.
func (s *recordingsSite) log() (refused, served []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.refused), slices.Clone(s.served)
}

func (s *recordingsSite) note(list *[]string, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*list = append(*list, path)
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
		s.note(&s.refused, r.URL.Path)
		http.Error(w, "<Error><Code>AccessDenied</Code><Message>"+err.Error()+"</Message></Error>", http.StatusForbidden)
		return
	}
	out, err := s.s3.GetObject(r.Context(), &s3.GetObjectInput{Bucket: aws.String(recordingsBucket), Key: aws.String(strings.TrimPrefix(r.URL.Path, "/"))})
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer out.Body.Close()
	s.note(&s.served, r.URL.Path)
	if t := mime.TypeByExtension(path.Ext(r.URL.Path)); t != "" {
		w.Header().Set("Content-Type", t)
	}
	var body bytes.Buffer
	body.ReadFrom(out.Body)
	w.Write(body.Bytes())
}

// broadcast is a recording of the channel for newRecordingsSite.
type broadcast struct {
	id    string
	start time.Time
	live  bool // still being recorded
}

// newRecordingsSite lays out the broadcasts in a local S3 bucket and
// their entries in a local index (DynamoDB), and returns the site that
// serves them, the real recordings handler over both (on the clock now,
// with a cookie key of its own) and each broadcast's prefix.
func newRecordingsSite(t *testing.T, now time.Time, broadcasts ...broadcast) (*recordingsSite,
	func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error), []string) {
	t.Helper()
	db := localaws.DynamoDB(t)
	localaws.CreateTable(t, db, recordingindex.TableInput("index"))
	client := localaws.S3(t, recordingsBucket)
	store := &recordingindex.Store{Client: db, Table: "index"}
	var prefixes []string
	for _, b := range broadcasts {
		prefix := recordingindex.PrefixOf("123456789012", "abcdABCDefgh", b.start, b.id)
		prefixes = append(prefixes, prefix)
		if _, err := store.Put(context.Background(), layOutRecording(t, client, prefix, b.start, b.live)); err != nil {
			t.Fatal(err)
		}
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	// Moderators may delete, as the examples grant, and so see video
	// moderation's evidence.
	handler := recordinglist.New(recordinglist.Config{Table: "index", Bucket: recordingsBucket, Authentication: tokenapi.AuthJWT,
		Channels: []recordinglist.Channel{{Arn: channelArn, Authorized: true}},
		Grants:   []tokenapi.Grant{{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{recordinglist.CapabilityDelete}}}},
		db, client, cookieKey{key, "KBROWSERTEST1"}, func() time.Time { return now })
	site := &recordingsSite{now: now, s3: client, store: store, keys: map[string]*ecdsa.PublicKey{"KBROWSERTEST1": &key.PublicKey}}
	return site, handler.Handle, prefixes
}

// layOutRecording writes one recording as IVS does (IVS Low-Latency User
// Guide, "Auto-Record to Amazon S3"): the multivariant playlist naming one
// rendition, the rendition's playlist and segments (the ffmpeg fixture),
// the byte-range multivariant and variant playlists over one file, and
// the latest thumbnail; it returns the recording's entry, in progress
// (started, not ended) when live.
func layOutRecording(t *testing.T, client *s3.Client, prefix string, start time.Time, live bool) recordingindex.Recording {
	put := func(key string, data []byte) {
		if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(recordingsBucket),
			Key: aws.String(prefix + "/" + key), Body: bytes.NewReader(data)}); err != nil {
			t.Fatal(err)
		}
	}
	multivariant := "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\n360p30/"
	put("media/hls/master.m3u8", []byte(multivariant+"playlist.m3u8\n"))
	put("media/hls/byte-range-multivariant.m3u8", []byte(multivariant+"byte-range-variant.m3u8\n"))
	for _, dir := range []string{tools.hlsDir, tools.byteRangeDir} {
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			name := f.Name()
			if name == "stream.m3u8" {
				name = "playlist.m3u8"
			}
			put("media/hls/360p30/"+name, data)
		}
	}
	put("media/latest_thumbnail/thumb.jpg", thumbnail())
	loc, err := recordingindex.ParsePrefix(prefix)
	if err != nil {
		t.Fatal(err)
	}
	rec := recordingindex.Recording{Location: loc, Status: recordingindex.StatusEnded, StartedAt: start, EndedAt: start.Add(6 * time.Second),
		DurationMs: 6000, Playlist: prefix + "/media/hls/master.m3u8", ByteRangePlaylist: prefix + "/media/hls/byte-range-multivariant.m3u8",
		LatestThumbnail: prefix + "/media/latest_thumbnail/thumb.jpg"}
	if live {
		rec.Status, rec.EndedAt, rec.DurationMs = recordingindex.StatusStarted, time.Time{}, 0
	}
	return rec
}

// thumbnail is a 64×36 JPEG, as a recording's latest thumbnail.
func thumbnail() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for x := range 64 {
		for y := range 36 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: 90, B: 200, A: 255})
		}
	}
	var thumb bytes.Buffer
	jpeg.Encode(&thumb, img, nil)
	return thumb.Bytes()
}

// A signed-in viewer sees the channel's past broadcasts with their
// thumbnails and plays one: the endpoint sets the cookies for that
// recording on the page's origin, the stand-in lets the player through
// with them, and the video's time advances. A request without the cookies
// is refused. While the channel is live and recording, Rewind plays the
// recording in progress from its byte-range playlist.
func TestViewerWatchesAPastBroadcast(t *testing.T) {
	// The endpoint and the stand-in share one fixed clock: the cookies are
	// session cookies, so the browser's own clock plays no part.
	now := time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)
	// A past broadcast, and the one being recorded now.
	site, handler, prefixes := newRecordingsSite(t, now, broadcast{"rec1", now.Add(-2 * time.Hour), false},
		broadcast{"rec2", now.Add(-10 * time.Minute), true})
	prefix := prefixes[0]

	r := newViewerRig(t, func(config map[string]any) {
		config["recordingsUrl"] = "/recordings"
		config["channelArn"] = channelArn
	})
	site.serve(t, r.pageRig, handler)

	r.open(t, false)
	r.status(t, "Sign in to watch the channel.")
	r.signIn(t)
	r.status(t, "Live.")
	var listed string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && !strings.Contains(listed, "2 broadcasts."); time.Sleep(300 * time.Millisecond) {
		listed, _ = chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.getElementById("past").innerText`))
	}
	if !strings.Contains(listed, "2 broadcasts.") || !strings.Contains(listed, "0:06") || !strings.Contains(listed, "Live now") ||
		strings.Index(listed, "Live now") > strings.Index(listed, "0:06") {
		t.Fatalf("the past broadcasts say %q; want the live one first, then one 0:06 long", listed)
	}
	if !r.visible(t, "rewind") {
		t.Error("the channel is live and recording, but there is no Rewind")
	}
	var thumbnailWidth float64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && thumbnailWidth == 0; time.Sleep(300 * time.Millisecond) {
		thumbnailWidth, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`(document.querySelector("#recordings img") || {}).naturalWidth || 0`))
	}
	if refused, _ := site.log(); thumbnailWidth != 64 {
		t.Errorf("the thumbnail did not load (naturalWidth %v); refused: %v", thumbnailWidth, refused)
	}
	screenshot(t, r.ctx, "viewer-past-broadcasts")

	r.click(t, "watch-1") // by keyboard: the past broadcast
	r.status(t, "Playing the broadcast of")
	var current float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("video").currentTime`))
	}
	if refused, _ := site.log(); current < 1 {
		t.Errorf("the recording's currentTime is %v after 20 s; the page says %q; refused %v", current, r.text(t), refused)
	}
	if !r.visible(t, "back-to-live") {
		t.Error("a recording plays, but there is no Back to live")
	}
	screenshot(t, r.ctx, "viewer-past-broadcast-playing")

	// Without the cookies, the same segment is refused.
	refused, _ := site.log()
	before := len(refused)
	resp, err := http.Get(r.page.URL + "/" + prefix + "/media/hls/360p30/playlist.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if refused, _ = site.log(); resp.StatusCode != http.StatusForbidden || len(refused) != before+1 {
		t.Errorf("an unsigned request got %d; want 403", resp.StatusCode)
	}
	r.click(t, "back-to-live")
	r.status(t, "Live.")

	// Rewind: the recording in progress, from its byte-range playlist.
	r.click(t, "rewind")
	r.status(t, "Playing the broadcast of")
	current = 0
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("video").currentTime`))
	}
	_, served := site.log()
	if current < 1 || !slices.ContainsFunc(served, func(p string) bool { return strings.Contains(p, "/rec2/media/hls/360p30/byte-range-variant") }) {
		t.Errorf("rewinding: currentTime %v, served %v; want the recording in progress's byte-range playlist playing", current, served)
	}
	r.noProblems(t)
}
