package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/signin"
	"github.com/ivscdk/ivscdk/webpage"
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
	// headers are the response headers the page is served with: the
	// deploy's (webpage.Headers with the example's props), local hosts in
	// place of AWS's.
	headers map[string]string
	// tamper, when set, is the path of a built script served with one
	// byte changed, as a swapped file would be.
	tamper string
	// site, when set, serves the paths under /recordings, /ivs/ and
	// siteFolders on the page's origin, as the page's distribution routes
	// them to the recordings endpoint and bucket; set it before the page
	// opens.
	site        http.Handler
	siteFolders []string
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
	// The IVS web SDKs the deploy builds into the page (webpage's
	// IVSSDKs: npm, pinned by ivscdk's lockfile), served from the page's
	// origin as CloudFront serves them.
	built, err := webpage.BuildIVSSDKs()
	if err != nil {
		t.Fatal(err)
	}
	goFiles := signin.PageFiles()
	maps.Copy(goFiles, webpage.WatchFiles())
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
		if r.site != nil && slices.ContainsFunc(append([]string{"/recordings", "/ivs/"}, r.siteFolders...), func(p string) bool { return strings.HasPrefix(req.URL.Path, p) }) {
			r.site.ServeHTTP(w, req)
			return
		}
		for name, value := range r.headers {
			w.Header().Set(name, value)
		}
		// The files a Go package deploys beside the page's own (the
		// deploy's webpage.Props.Files): signin.js, ivscdk-watch.js.
		if data, ok := goFiles[strings.TrimPrefix(req.URL.Path, "/")]; ok {
			http.ServeContent(w, req, req.URL.Path, time.Time{}, bytes.NewReader(data))
			return
		}
		if strings.HasPrefix(req.URL.Path, "/sdk/") {
			data, err := os.ReadFile(filepath.Join(built, filepath.FromSlash(path.Clean(req.URL.Path))))
			if err != nil {
				http.NotFound(w, req)
				return
			}
			if req.URL.Path == r.tamper {
				data[len(data)-2] ^= 1
			}
			http.ServeContent(w, req, req.URL.Path, time.Time{}, bytes.NewReader(data))
			return
		}
		files.ServeHTTP(w, req)
	}))
	t.Cleanup(r.page.Close)
	r.oidc = newOIDCProvider(t, clientID, r.page.URL)
	r.api = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, newHandler(r.page.URL))
	settings = map[string]any{"tokenUrl": r.api.URL + route, "authDomain": r.oidc.URL, "clientId": clientID}
	r.ctx = newBrowser(t)
	r.watchConsole(t)
	return r
}

// watchConsole records the page's exceptions, unhandled rejections,
// content security policy violations and integrity failures.
func (r *pageRig) watchConsole(t *testing.T) {
	// Start the browser first: the listener would otherwise start it too,
	// at the same time as the test's first action.
	if err := chromedp.Do(r.ctx); err != nil {
		t.Fatal(err)
	}
	console := chromedp.Console(r.ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if os.Getenv("IVSCDK_BROWSER_CONSOLE") != "" {
				fmt.Println("console:", m)
			}
			if m.Type == chromedp.ConsoleException || strings.Contains(m.Text, "Content Security Policy") ||
				strings.Contains(m.Text, "integrity") {
				r.mu.Lock()
				r.problems = append(r.problems, m.Text)
				r.mu.Unlock()
			}
		}
	}()
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

// signIn starts the sign-in from the page, as a keyboard user would, and
// gives credentials when the sign-in provider asks for them (it does not
// while the browser's session with it lasts).
func (r *pageRig) signIn(t *testing.T) {
	t.Helper()
	prompts, _ := r.oidc.counts()
	asks := !r.oidc.hasSession()
	r.click(t, "sign-in")
	if !asks {
		return
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if now, _ := r.oidc.counts(); now > prompts {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sign-in provider never asked for credentials")
		}
	}
	if err := chromedp.Do(r.ctx, chromedp.WaitVisible("#username"), chromedp.SendKeys("#username", "viewer"),
		chromedp.SendKeys("#password", "a-password"), chromedp.Click("#submit")); err != nil {
		t.Fatalf("filling in the sign-in provider's form: %v", err)
	}
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

// signOutAsksAgain signs out of a signed-in page and in again: the
// sign-out must end the sign-in provider's session through its logout
// endpoint (with the client's registered sign-out URL), so that the next
// Sign in asks for credentials, as on a shared computer it must.
func (r *pageRig) signOutAsksAgain(t *testing.T, signInPrompt string) {
	t.Helper()
	prompts, logouts := r.oidc.counts()
	r.click(t, "sign-out")
	r.status(t, "Signed out.")
	if _, now := r.oidc.counts(); now != logouts+1 || r.oidc.hasSession() {
		t.Errorf("Sign out did not end the sign-in session: %d logouts, want %d; a session left: %v", now-logouts, 1, r.oidc.hasSession())
	}
	if !r.visible(t, "sign-in") {
		t.Error("signed out: no Sign in")
	}
	r.signIn(t)
	if now, _ := r.oidc.counts(); now != prompts+1 {
		t.Errorf("Sign in after Sign out asked for credentials %d times, want once", now-prompts)
	}
	r.status(t, signInPrompt)
}

// recordStatuses keeps every status the page shows, in order, in
// window.statuses (the SDK may move on before a poll would see one).
func (r *pageRig) recordStatuses(t *testing.T) {
	t.Helper()
	if _, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`(() => {
		const status = document.getElementById("status");
		window.statuses = [];
		new MutationObserver(() => window.statuses.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
}

// showed waits until the page has shown a status starting with want.
func (r *pageRig) showed(t *testing.T, want string) {
	t.Helper()
	var statuses []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		statuses, _ = chromedp.Run(r.ctx, chromedp.Evaluate[[]string](`window.statuses || []`))
		if slices.ContainsFunc(statuses, func(s string) bool { return strings.HasPrefix(s, want) }) {
			return
		}
	}
	r.noProblems(t)
	t.Fatalf("the page showed %q, never %q", statuses, want)
}
