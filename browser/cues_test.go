package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/timedmetadata"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/webpage"
)

// streamCues are the timed metadata of the cues fixture (tools.cuesDir),
// as the private-channel page sends them: JSON with a text.
var streamCues = []string{
	`{"text":"Quiz: which year did the first moon landing happen?"}`,
	`{"text":"Quiz: 1969 or 1972?"}`,
	`{"text":"Answer in the chat!"}`,
	`{"text":"The answer is 1969."}`,
	`{"text":"Thanks for playing."}`,
}

// testNow is the clock of the local services in these tests: none of them
// depends on the wall clock.
var testNow = time.Date(2031, 5, 17, 20, 0, 0, 0, time.UTC)

// The private-channel page shows the stream's timed metadata over the
// video as the IVS player reports it (TEXT_METADATA_CUE from ID3 in the
// HLS segments), and a host sends a cue through the real timed metadata
// handler, over the local IVS, which puts it on the channel.
func TestViewerSeesTheStreamsCuesAndAHostSendsOne(t *testing.T) {
	fake := awsfake.New(t)
	fake.SetClock(func() time.Time { return testNow })
	fake.SetLive(channelArn, true)
	handler, err := timedmetadata.New(timedmetadata.Config{
		Authentication: tokenapi.AuthJWT, Channels: []string{channelArn}, Capabilities: []string{},
		CapabilityGrants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{timedmetadata.CapabilityPutMetadata}}},
	}, ivs.NewFromConfig(fake.Config()), func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	var metadataURL string
	r := newViewerRigOf(t, tools.cuesDir, "cues.m3u8", func(config map[string]any) { config["metadataUrl"] = metadataURL })
	cues := newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, handler.Handle)
	metadataURL = cues.URL + "/metadata"
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs:        true,
		ConnectSources: []string{r.api.URL, cues.URL, r.oidc.URL, "https://*.live-video.net", r.stream.URL},
		MediaSources:   []string{r.stream.URL},
		WebAssembly:    true,
	})
	r.oidc.subject, r.oidc.groups = "host-1", []string{"hosts"}
	r.open(t, false)
	r.status(t, "Sign in to watch")
	r.signIn(t)
	r.status(t, "Live.")

	// A cue of the stream shows over the video, as its text.
	var shown string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && shown == ""; time.Sleep(200 * time.Millisecond) {
		shown, _ = chromedp.Run(r.ctx, chromedp.Evaluate[string](`(() => { const c = document.getElementById("cue"); return c.hidden ? "" : c.textContent; })()`))
	}
	if !strings.HasPrefix(shown, "Quiz:") && !strings.HasPrefix(shown, "Answer") && !strings.HasPrefix(shown, "The answer") && !strings.HasPrefix(shown, "Thanks") {
		r.noProblems(t)
		t.Fatalf("the page shows cue %q; want a text of the stream's cues (the page says %q)", shown, r.text(t))
	}
	screenshot(t, r.ctx, "viewer-cue")

	// A host sends a cue: the endpoint puts it on the channel.
	if !r.visible(t, "cue-form") {
		t.Fatal("a host sees no form to send a cue")
	}
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#cue-text", "Vote now: the poll closes in one minute"), chromedp.Click("#send-cue")); err != nil {
		t.Fatal(err)
	}
	var said string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && said != "Cue sent."; time.Sleep(200 * time.Millisecond) {
		said, _ = chromedp.Run(r.ctx, chromedp.Text(chromedp.ID("cue-status")))
	}
	if said != "Cue sent." {
		t.Errorf("after sending a cue the page says %q", said)
	}
	if got := fake.Metadata(channelArn); len(got) != 1 || got[0].Metadata != `{"text":"Vote now: the poll closes in one minute"}` {
		t.Errorf("the channel's stream carries %+v, want the host's cue", got)
	}
	screenshot(t, r.ctx, "viewer-host-cue")

	// Offline, the endpoint's answer is said in words.
	fake.SetLive(channelArn, false)
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#cue-text", "Still there?"), chromedp.Click("#send-cue")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !strings.Contains(said, "not live"); time.Sleep(200 * time.Millisecond) {
		said, _ = chromedp.Run(r.ctx, chromedp.Text(chromedp.ID("cue-status")))
	}
	if !strings.Contains(said, "The channel is not live") {
		t.Errorf("a cue for an offline channel: the page says %q", said)
	}
	r.noProblems(t)
}
