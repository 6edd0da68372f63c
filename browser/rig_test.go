package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const clientID = "browser-test-client"

// pageRig is an example's page as the deploy serves it (its web/ files and
// the config.json the deploy writes), with a local sign-in provider, a
// token handler behind a local HTTP API, and a browser on it.
type pageRig struct {
	page *httptest.Server
	oidc *oidcProvider
	api  *httpAPI
	ctx  context.Context
	// csp is the content security policy the page is served with: the
	// deploy's (webpage.Policy with the example's sources), local hosts in
	// place of AWS's.
	csp string
	// problems are exceptions, unhandled rejections and content security
	// policy violations in the page.
	mu       sync.Mutex
	problems []string
}

// newPageRig serves examples/<example>/web; handler is the token function
// behind route; newHandler makes it once the page's origin is known.
// configure may add settings to config.json; it runs at each request.
func newPageRig(t *testing.T, example, route string,
	newHandler func(pageOrigin string) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error),
	configure ...func(config map[string]any)) *pageRig {
	r := &pageRig{}
	var settings map[string]any
	files := http.FileServer(http.Dir(filepath.Join("..", "examples", example, "web")))
	r.page = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/config.json" {
			config := maps.Clone(settings)
			for _, f := range configure {
				f(config)
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(config)
			return
		}
		if r.csp != "" {
			w.Header().Set("Content-Security-Policy", r.csp)
		}
		files.ServeHTTP(w, req)
	}))
	t.Cleanup(r.page.Close)
	r.oidc = newOIDCProvider(t, clientID, r.page.URL)
	r.api = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, newHandler(r.page.URL))
	settings = map[string]any{"tokenUrl": r.api.URL + route, "authDomain": r.oidc.URL, "clientId": clientID}
	r.ctx = newBrowser(t)
	return r
}

// serveCDN answers the page's requests to an SDK's CDN (urlPattern, such
// as "https://player.live-video.net/*") with the files of dir, by name,
// and records exceptions and unhandled rejections.
func (r *pageRig) serveCDN(t *testing.T, urlPattern, dir string) {
	paused := chromedp.Events(r.ctx, fetch.RequestPaused)
	console := chromedp.Console(r.ctx)
	go func() {
		for e, err := range paused {
			if err != nil {
				return
			}
			name := filepath.Base(e.Request.URL[strings.LastIndex(e.Request.URL, "/")+1:])
			if i := strings.IndexByte(name, '?'); i >= 0 {
				name = name[:i]
			}
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				chromedp.Call(r.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonFailed})
				continue
			}
			contentType := "application/javascript"
			if strings.HasSuffix(name, ".wasm") {
				contentType = "application/wasm"
			}
			chromedp.Call(r.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: 200, Body: body,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: contentType}, {Name: "Access-Control-Allow-Origin", Value: "*"}}})
		}
	}()
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if os.Getenv("IVSCDK_BROWSER_CONSOLE") != "" {
				fmt.Println("console:", m)
			}
			if m.Type == chromedp.ConsoleException || strings.Contains(m.Text, "Content Security Policy") {
				r.mu.Lock()
				r.problems = append(r.problems, m.Text)
				r.mu.Unlock()
			}
		}
	}()
	if _, err := chromedp.Call(r.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: urlPattern}}}); err != nil {
		t.Fatal(err)
	}
}

// text returns the page's status.
func (r *pageRig) text(t *testing.T) string {
	t.Helper()
	text, err := r.statusText()
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// statusText reads the status by script, not by a DOM node ID, which a
// navigation (the sign-in's redirects) makes stale.
func (r *pageRig) statusText() (string, error) {
	return chromedp.Run(r.ctx, chromedp.Evaluate[string](`(document.getElementById("status") || {}).textContent || ""`))
}

// status waits until the page's status holds want, and returns it. A read
// that fails while the page navigates is tried again.
func (r *pageRig) status(t *testing.T, want string) string {
	t.Helper()
	var text string
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if text, err = r.statusText(); err == nil && strings.Contains(text, want) {
			return text
		}
	}
	r.noProblems(t)
	t.Fatalf("the status says %q, want %q (last read: %v)", text, want, err)
	return text
}

func (r *pageRig) visible(t *testing.T, id string) bool {
	t.Helper()
	hidden, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`document.getElementById("`+id+`").hidden`))
	if err != nil {
		t.Fatal(err)
	}
	return !hidden
}

func (r *pageRig) noProblems(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.problems {
		t.Errorf("the page threw: %s", p)
	}
}

// phoneWidth is the viewport width the pages must fit without scrolling
// sideways (a common phone's, in CSS pixels).
const phoneWidth = 390

// open loads the page, at phone width when phone is true.
func (r *pageRig) open(t *testing.T, phone bool) {
	t.Helper()
	if phone {
		if err := chromedp.Do(r.ctx, chromedp.EmulateViewport(phoneWidth, 844)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(r.ctx, chromedp.Navigate(r.page.URL)); err != nil {
		t.Fatal(err)
	}
}

// fitsPhone checks that the page is no wider than the phone's viewport.
func (r *pageRig) fitsPhone(t *testing.T) {
	t.Helper()
	width, err := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || width > phoneWidth {
		t.Errorf("the page is %d pixels wide at a %d-pixel viewport (%v)", width, phoneWidth, err)
	}
}

// endpointDown: with the page offering Try again after a refusal, the
// endpoint stops answering and Try again is pressed; the page says so and
// offers Try again again. api.down stays set until the test clears it.
func (r *pageRig) endpointDown(t *testing.T) {
	t.Helper()
	r.api.set(func(a *httpAPI) { a.forbid, a.down = false, true })
	r.click(t, "retry")
	r.status(t, "cannot be reached")
	if !r.visible(t, "retry") {
		t.Error("endpoint down: no Try again")
	}
}

// expiredSignIn signs out and in again with an ID token that has expired
// by the time the page reads it: the page says so and offers Sign in.
func (r *pageRig) expiredSignIn(t *testing.T) {
	t.Helper()
	r.oidc.mu.Lock()
	r.oidc.lifetime = -time.Minute
	r.oidc.mu.Unlock()
	r.click(t, "sign-out")
	r.status(t, "Signed out")
	r.signIn(t)
	r.status(t, "Your sign-in has expired. Sign in again.")
	if !r.visible(t, "sign-in") {
		t.Error("expired sign-in: no Sign in")
	}
}

// signIn starts the sign-in from the page, as a keyboard user would.
func (r *pageRig) signIn(t *testing.T) {
	t.Helper()
	r.click(t, "sign-in")
}

// click presses the control with id as a keyboard user does: Tab until it
// has the focus, then Enter. A control the keyboard cannot reach fails the
// test.
func (r *pageRig) click(t *testing.T, id string) {
	t.Helper()
	for range 40 {
		focused, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
		if err != nil {
			t.Fatalf("reading the focus, to reach #%s: %v", id, err)
		}
		if focused == id {
			if err := chromedp.Do(r.ctx, chromedp.KeyEvent("\r")); err != nil {
				t.Fatalf("pressing Enter on #%s: %v", id, err)
			}
			return
		}
		if err := chromedp.Do(r.ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatalf("pressing Tab towards #%s: %v", id, err)
		}
	}
	t.Fatalf("Tab never reaches #%s: the keyboard cannot use it (the page says %q)", id, r.text(t))
}
