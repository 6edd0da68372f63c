package browser

import (
	"context"
	"crypto/ecdsa"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/playbacktoken"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
	"github.com/ivscdk/ivscdk/webpage"
)

const channelArn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"

// stream serves the HLS fixture at the channel's playback URL and records
// the token of every playlist request. missing answers 404, as IVS does
// for a channel that is not live; the next refuse playlist requests are
// answered 403, as IVS refuses a token it does not accept.
type stream struct {
	*httptest.Server
	mu      sync.Mutex
	tokens  []string
	missing bool
	refuse  int
}

func newStream(t *testing.T, pageOrigin, dir string) *stream {
	s := &stream{}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", pageOrigin)
		s.mu.Lock()
		missing, refuse := s.missing, false
		if strings.HasSuffix(r.URL.Path, ".m3u8") && r.URL.Query().Get("token") != "" {
			s.tokens = append(s.tokens, r.URL.Query().Get("token"))
			if refuse = s.refuse > 0; refuse {
				s.refuse--
			}
		}
		s.mu.Unlock()
		if missing {
			http.Error(w, "not live", http.StatusNotFound)
			return
		}
		if refuse {
			http.Error(w, "token refused", http.StatusForbidden)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *stream) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// viewerRig is the private-channel viewer page with everything it calls.
type viewerRig struct {
	*pageRig
	stream *stream
	pub    *ecdsa.PublicKey
	// lag sets the token handler's clock this far behind the browser's,
	// so that its tokens have expired when the page gets them.
	lag atomic.Int64
}

func newViewerRig(t *testing.T, configure ...func(config map[string]any)) *viewerRig {
	return newViewerRigOf(t, tools.hlsDir, "stream.m3u8", configure...)
}

// newViewerRigOf is newViewerRig with the channel's stream the playlist in
// dir.
func newViewerRigOf(t *testing.T, dir, playlist string, configure ...func(config map[string]any)) *viewerRig {
	return newViewerRigFor(t, "private-channel", dir, playlist, configure...)
}

// newViewerRigFor is newViewerRigOf with the page of example.
func newViewerRigFor(t *testing.T, example, dir, playlist string, configure ...func(config map[string]any)) *viewerRig {
	r := &viewerRig{}
	var value string
	r.pageRig = newPageRig(t, example, "/playback-token", func(origin string) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		r.stream = newStream(t, origin, dir)
		// The managed key's secret, in the local Secrets Manager, and the
		// real playback token handler reading it.
		fake := awsfake.New(t)
		secrets := secretsmanager.NewFromConfig(fake.Config())
		secret := fake.CreateSecret("PlaybackKeys")
		value, _ = keysecret.New()
		if _, err := secrets.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{
			SecretId: aws.String(secret), SecretString: aws.String(value)}); err != nil {
			t.Fatal(err)
		}
		return playbacktoken.New(playbacktoken.Config{
			Authentication: tokenapi.AuthJWT,
			Channels:       []playbacktoken.Channel{{Arn: channelArn, PlaybackURL: r.stream.URL + "/" + playlist}},
			SecretArn:      secret,
			TokenLifetime:  tokenapi.Duration(5 * time.Minute),
			KeyCacheTTL:    tokenapi.Duration(5 * time.Minute),
			ViewerIDClaim:  "sub",
			AllowedOrigins: []string{origin},
		}, &keysecret.Source{Client: secrets, SecretID: secret, TTL: 5 * time.Minute},
			func() time.Time { return time.Now().Add(-time.Duration(r.lag.Load())) }).Handle
	}, configure...)
	key, err := keysecret.Parse(value)
	if err != nil {
		t.Fatal(err)
	}
	r.pub = &key.PublicKey
	// examples/private-channel/page.go's policy, local hosts in place of
	// the region's API Gateway and Cognito, and beside IVS playback's
	// (the player fetches its wasm and device settings from *.live-video.net).
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs:        true,
		ConnectSources: []string{r.api.URL, r.oidc.URL, "https://*.live-video.net", r.stream.URL},
		MediaSources:   []string{r.stream.URL},
		WebAssembly:    true,
	})
	return r
}

func TestViewerSignsInAndWatches(t *testing.T) {
	r := newViewerRig(t)
	r.open(t, false)
	r.status(t, "Sign in to watch the channel.")
	screenshot(t, r.ctx, "viewer-signed-out")

	// Sign in by keyboard: the button takes focus and Enter.
	r.signIn(t)
	deadline := time.Now().Add(30 * time.Second)
	for len(r.stream.seen()) == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	seen := r.stream.seen()
	if len(seen) == 0 {
		r.noProblems(t)
		t.Fatalf("the player never requested the playlist; the page says %q", r.text(t))
	}
	claims, err := ivstoken.VerifyPlaybackToken(seen[0], r.pub, time.Now())
	if err != nil {
		t.Fatalf("the playlist request's token does not verify against the managed key: %v", err)
	}
	if claims.ChannelArn != channelArn || claims.ViewerID != "viewer-1" || claims.AccessControlAllowOrigin != r.page.URL {
		t.Errorf("token claims %+v: want the channel, the viewer's sub and the page's origin", claims)
	}

	// The video plays: its time advances.
	var current float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("video").currentTime`))
	}
	if current < 1 {
		t.Errorf("the video's currentTime is %v after 20 s; the page says %q", current, r.text(t))
	}
	screenshot(t, r.ctx, "viewer-playing")
	if r.visible(t, "cue-form") {
		t.Error("a viewer outside the hosts group sees the form to send cues")
	}
	r.signOutAsksAgain(t, "Live.")
	r.noProblems(t)
}

// The states a viewer meets, each said in words with a way on: not
// allowed, the endpoint down, the stream offline, the sign-in expired.
func TestViewerBadPaths(t *testing.T) {
	r := newViewerRig(t)
	r.api.set(func(a *httpAPI) { a.forbid = true })
	r.open(t, false)
	r.status(t, "Sign in to watch")
	r.signIn(t)
	r.status(t, "not allowed to watch this channel")
	if !r.visible(t, "retry") || !r.visible(t, "sign-out") {
		t.Error("not allowed: no Try again or Sign out")
	}
	screenshot(t, r.ctx, "viewer-not-allowed")

	r.endpointDown(t)
	screenshot(t, r.ctx, "viewer-endpoint-down")

	r.api.set(func(a *httpAPI) { a.down = false })
	r.stream.mu.Lock()
	r.stream.missing = true
	r.stream.mu.Unlock()
	r.click(t, "retry")
	r.status(t, "offline")
	if !r.visible(t, "retry") {
		t.Error("offline: no Try again")
	}
	screenshot(t, r.ctx, "viewer-offline")

	r.expiredSignIn(t)
	r.noProblems(t)
}

// A ticket refused once it has expired is replaced once, and playback
// goes on; a fresh ticket refused is said so, without asking again and
// again.
func TestViewerExpiredTicket(t *testing.T) {
	r := newViewerRig(t)
	r.lag.Store(int64(10 * time.Minute)) // the 5-minute tokens expired 5 minutes ago
	r.stream.mu.Lock()
	r.stream.refuse = 1
	r.stream.mu.Unlock()
	r.open(t, false)
	r.status(t, "Sign in to watch")
	r.signIn(t)
	r.status(t, "Live.")
	if tokens, seen := r.tokens(), r.stream.seen(); len(tokens) != 2 || len(seen) < 2 || seen[0] == seen[len(seen)-1] {
		t.Errorf("after an expired ticket was refused: %d tokens fetched, playlist requests with %d tokens; want a second token, used", len(tokens), len(seen))
	}

	r.lag.Store(0)
	r.stream.mu.Lock()
	r.stream.refuse = 1000
	r.stream.mu.Unlock()
	r.click(t, "sign-out")
	r.status(t, "Signed out")
	before := len(r.tokens())
	r.signIn(t)
	r.status(t, "The channel refused your ticket. Try again.")
	time.Sleep(2 * time.Second) // time for a loop, if there were one
	if got := len(r.tokens()) - before; got != 1 {
		t.Errorf("a fresh ticket refused: %d tokens fetched, want 1", got)
	}
	if !r.visible(t, "retry") {
		t.Error("a refused ticket: no Try again")
	}
	r.noProblems(t)
}

// tokens are the token endpoint's successful answers so far.
func (r *viewerRig) tokens() []string {
	r.api.mu.Lock()
	defer r.api.mu.Unlock()
	return append([]string(nil), r.api.answers...)
}

// At phone width the page fits without scrolling sideways.
func TestViewerAtPhoneWidth(t *testing.T) {
	r := newViewerRig(t)
	r.open(t, true)
	r.status(t, "Sign in to watch")
	r.signIn(t)
	r.status(t, "Live.")
	r.fitsPhone(t)
	screenshot(t, r.ctx, "viewer-phone")
	r.noProblems(t)
}
