package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/ivschat"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/chattoken"
	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/participanttoken"
	"github.com/ivscdk/ivscdk/handler/recordingindex"
	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/handler/timedmetadata"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/webpage"
)

// liveEventRig is the live-event page as its stack deploys it, each of its
// endpoints the real handler behind its own local HTTP API, as the stack
// gives each its own: playback tokens (the viewer rig, its stream carrying
// cues), chat tokens with the chat server and the example's own moderator,
// the timed metadata endpoint, and the shows, all over one local AWS.
type liveEventRig struct {
	*viewerRig
	aws                     *awsfake.Server
	chat                    *chatServer
	chatAPI, cues, sessions *httpAPI
}

func newLiveEventRig(t *testing.T) *liveEventRig {
	r := &liveEventRig{aws: awsfake.New(t)}
	var chatURL string
	r.viewerRig = newViewerRigFor(t, "live-event", tools.cuesDir, "cues.m3u8", func(config map[string]any) {
		config["chatTokenUrl"], config["chatUrl"] = r.chatAPI.URL+"/chat-token", chatURL
		config["metadataUrl"], config["sessionsUrl"] = r.cues.URL+"/metadata", r.sessions.URL
		config["ingestServer"], config["statusSeconds"] = "f99084460c35.global-contribute.live-video.net", 0.3
		config["recordingsUrl"], config["channelArn"] = "/recordings", channelArn
	})
	clock := func() time.Time { return testNow }
	r.aws.SetClock(clock)
	r.aws.SetLive(channelArn, true)
	cfg := r.aws.Config()
	hosts := tokenapi.Grant{Claim: "cognito:groups", Value: "hosts"}
	moderators := tokenapi.Grant{Claim: "cognito:groups", Value: "moderators"}
	grant := func(g tokenapi.Grant, capabilities ...string) tokenapi.Grant { g.Capabilities = capabilities; return g }

	// The chat, as the stack's ChatTokens and Chat room. Its local IVS
	// Chat keeps its own clock, as in the chat-room tests: the chat SDK
	// schedules token refreshes by the browser's clock, which no test
	// sets, so the tokens' expiry times must be ahead of it.
	chatAWS := awsfake.New(t)
	room := chatAWS.AddRoom()
	chat, err := chattoken.New(chattoken.Config{
		Authentication: tokenapi.AuthJWT, Rooms: []string{room}, Capabilities: []string{chattoken.CapabilitySendMessage},
		CapabilityGrants:          []tokenapi.Grant{grant(moderators, chattoken.CapabilityDeleteMessage, chattoken.CapabilityDisconnectUser)},
		MaxSessionDurationMinutes: 180, UserIDClaim: "sub",
	}, ivschat.NewFromConfig(chatAWS.Config()))
	if err != nil {
		t.Fatal(err)
	}
	r.chatAPI = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, chat.Handle)
	r.chat = newChatServer(t, "live-event", r.chatAPI, room)
	chatURL = "ws" + strings.TrimPrefix(r.chat.URL, "http")

	// Cues, as the stack's Cues.
	cues, err := timedmetadata.New(timedmetadata.Config{
		Authentication: tokenapi.AuthJWT, Channels: []string{channelArn}, Capabilities: []string{},
		CapabilityGrants: []tokenapi.Grant{grant(hosts, timedmetadata.CapabilityPutMetadata)},
	}, ivs.NewFromConfig(cfg), clock)
	if err != nil {
		t.Fatal(err)
	}
	r.cues = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, cues.Handle)

	// Shows, as the stack's Shows: signed with the managed stage key,
	// broadcast to the event's channel.
	secret := r.aws.CreateSecret("StageKey")
	manager := &managedkey.Manager{Keys: managedkey.PublicKeys(cfg), Secrets: secretsmanager.NewFromConfig(cfg),
		NamePrefix: "StageKey", GracePeriod: time.Hour, SecretArn: secret, Logf: func(string, ...any) {}}
	if _, _, err := manager.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestCreate,
		ResourceProperties: map[string]any{managedkey.PropertySecretArn: secret}}); err != nil {
		t.Fatal(err)
	}
	shows := stagesessions.New(stagesessions.Config{
		MadeBy: "IvsLiveEvent/Shows", Authentication: tokenapi.AuthJWT, UserIDClaim: "sub",
		Grants: []tokenapi.Grant{grant(hosts, stagesessions.CapabilityHost), grant(moderators, stagesessions.CapabilityModerate)},
		Broadcast: &stagesessions.Broadcast{ChannelArn: channelArn,
			EncoderConfigurationArn: "arn:aws:ivs:us-west-2:123456789012:encoder-configuration/ShowEncoder"},
	}, realtimeapi.New(cfg), clock).WithSigner(&participanttoken.SelfSigner{
		Keys:       &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: secret, TTL: time.Minute},
		PublicKeys: managedkey.PublicKeys(cfg),
	})
	r.sessions = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, shows.Handle)

	// examples/live-event/page.go's policy, local hosts in place of the
	// region's API Gateway, Cognito and IVS Chat messaging endpoint.
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs: true,
		ConnectSources: []string{r.api.URL, r.chatAPI.URL, r.cues.URL, r.sessions.URL, r.oidc.URL,
			"https://*.live-video.net", "wss://*.live-video.net", chatURL, r.stream.URL},
		MediaSources: []string{r.stream.URL},
		Devices:      []string{"camera", "microphone"},
		WebAssembly:  true,
	})
	return r
}

// as makes the next sign-in the user's, in groups.
func (r *liveEventRig) as(user string, groups ...string) {
	r.oidc.mu.Lock()
	r.oidc.subject, r.oidc.groups = user, groups
	r.oidc.mu.Unlock()
}

// waitFor waits until script (a JavaScript expression of a string) gives
// a string holding want, and returns it.
func (r *liveEventRig) waitFor(t *testing.T, script, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if got, _ = chromedp.Run(r.ctx, chromedp.Evaluate[string](script)); strings.Contains(got, want) {
			return got
		}
	}
	r.noProblems(t)
	chat, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](chatStatus))
	t.Fatalf("%s is %q, want %q (the page says %q; the chat says %q)", script, got, want, r.text(t), chat)
	return got
}

const (
	chatLog    = `document.getElementById("log").innerText`
	chatStatus = `document.getElementById("chat-status").textContent`
	shownCue   = `(() => { const c = document.getElementById("cue"); return c.hidden ? "" : c.textContent; })()`
)

// A viewer signs in once and the one page plays the live channel, joins
// the chat beside it, and shows the stream's cues over the video; the past
// broadcasts are offered below. A chatter's message goes through the
// example's moderator to everyone; a banned word is shown as denied.
func TestLiveEventViewerWatchesAndChats(t *testing.T) {
	r := newLiveEventRig(t)
	// Yesterday's broadcast, served on the page's own origin as the
	// stack's distribution serves the library.
	site, recordings, _ := newRecordingsSite(t, testNow, broadcast{"yesterday", testNow.Add(-24 * time.Hour), false})
	site.serve(t, r.pageRig, recordings)
	r.open(t, false)
	r.status(t, "Sign in to watch the event")
	r.signIn(t)
	r.status(t, "Live.")
	r.waitFor(t, chatStatus, "In the chat.")
	if r.visible(t, "host") {
		t.Error("a viewer outside the hosts group sees the host's controls")
	}
	r.waitFor(t, `document.getElementById("past").innerText`, "1 broadcast.")
	if cue := r.waitFor(t, shownCue, " "); !strings.Contains(strings.Join(streamCues, " "), cue) {
		t.Errorf("the page shows cue %q, want one of the stream's", cue)
	}
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#message", "what a goal\r")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, chatLog, "viewer-1\nwhat a goal")
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#message", "SPOILER: they win\r")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, chatLog, "Not delivered (the chat's moderation denied it): SPOILER: they win")
	if n, _ := chromedp.Run(r.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#log button").length`)); n != 0 {
		t.Errorf("%d moderation buttons for a viewer, want 0", n)
	}
	// The video and the chat are side by side on a wide screen.
	side, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`(() => { const v = document.getElementById("video").getBoundingClientRect();
		const c = document.querySelector(".chat").getBoundingClientRect(); return c.left >= v.right && c.top < v.bottom; })()`))
	if err != nil || !side {
		t.Errorf("the chat is not beside the video (%v)", err)
	}
	screenshot(t, r.ctx, "live-event-viewer")

	// Yesterday's broadcast plays in the same player, the chat staying.
	r.click(t, "watch-0")
	r.status(t, "Playing the broadcast of")
	var current float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && current < 1; time.Sleep(500 * time.Millisecond) {
		current, _ = chromedp.Run(r.ctx, chromedp.Evaluate[float64](`document.getElementById("video").currentTime`))
	}
	if refused, _ := site.log(); current < 1 {
		t.Errorf("the past broadcast's currentTime is %v after 20 s; refused %v", current, refused)
	}
	r.waitFor(t, chatStatus, "In the chat.")
	r.click(t, "back-to-live")
	r.status(t, "Live.")
	r.noProblems(t)
}

// A host sends a cue from the page, which the real handler puts on the
// channel through the local IVS; goes live from the browser (the camera,
// then a show of their own through the real sessions handler, broadcast
// to the event's channel) and ends it. A moderator deletes another
// chatter's message and disconnects them.
func TestLiveEventHostAndModerator(t *testing.T) {
	r := newLiveEventRig(t)
	site, recordings, prefixes := newRecordingsSite(t, testNow, broadcast{"yesterday", testNow.Add(-24 * time.Hour), false})
	site.serve(t, r.pageRig, recordings)
	// Video moderation flagged yesterday's broadcast, kept beside it.
	if err := site.store.PutEvidence(context.Background(), recordingindex.Evidence{Key: prefixes[0] + "/media/thumbnails/360p30/thumb3.jpg",
		Outcome: "flagged", CheckedAt: testNow.Add(-23 * time.Hour), StreamStopped: true, ViewersRevoked: 12,
		Labels: []recordingindex.ModerationLabel{{Name: "Graphic Violence", ParentName: "Violence", Confidence: 96}}}); err != nil {
		t.Fatal(err)
	}
	r.as("host-1", "hosts")
	r.open(t, false)
	r.signIn(t)
	r.status(t, "Live.")
	if !r.visible(t, "host") {
		t.Fatal("a host sees no host controls")
	}
	r.waitFor(t, `document.getElementById("past-status").textContent`, "1 broadcast.")
	if got, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.getElementById("recordings").textContent`)); strings.Contains(got, "Flagged") {
		t.Errorf("a host who is no moderator sees moderation evidence: %q", got)
	}
	if got := r.waitFor(t, `document.getElementById("ingest").textContent`, "rtmps://"); got != "rtmps://f99084460c35.global-contribute.live-video.net:443/app/" {
		t.Errorf("the page gives OBS the server %q", got)
	}
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#cue-text", "Poll: who scores next?"), chromedp.Click("#send-cue")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, `document.getElementById("cue-status").textContent`, "Cue sent.")
	if got := r.aws.Metadata(channelArn); len(got) != 1 || got[0].Metadata != `{"text":"Poll: who scores next?"}` {
		t.Errorf("the channel's stream carries %+v, want the host's cue", got)
	}

	r.click(t, "go-live")
	r.waitFor(t, `document.getElementById("show-status").textContent`, "Joining your show")
	if !r.visible(t, "end-show") || r.visible(t, "go-live") {
		t.Error("going live: End the show is not offered in place of Go live")
	}
	var answers []string
	r.sessions.mu.Lock()
	answers = append(answers, r.sessions.answers...)
	r.sessions.mu.Unlock()
	if len(answers) != 1 || !strings.Contains(answers[0], `"token"`) {
		t.Fatalf("the sessions endpoint answered %q, want one show with its token", answers)
	}
	screenshot(t, r.ctx, "live-event-host")
	r.click(t, "end-show")
	r.waitFor(t, `document.getElementById("show-status").textContent`, "Your show has ended.")
	if r.visible(t, "preview") {
		t.Error("the camera's preview stays after the show ended")
	}

	// A moderator, in another sign-in, deletes the host's message and
	// disconnects them.
	if err := chromedp.Do(r.ctx, chromedp.SendKeys("#message", "welcome everyone\r")); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, chatLog, "host-1\nwelcome everyone")
	r.click(t, "sign-out")
	r.status(t, "Signed out")
	r.as("mod-1", "moderators")
	r.signIn(t)
	r.status(t, "Live.")
	r.waitFor(t, chatStatus, "In the chat, as a moderator.")
	if r.visible(t, "host") {
		t.Error("a moderator outside the hosts group sees the host's controls")
	}
	// The moderator sees the evidence with the past broadcast.
	r.waitFor(t, `document.getElementById("recordings").textContent`, "Flagged: Graphic Violence")
	// Another chatter's message arrives, as IVS Chat delivers it.
	r.chat.broadcast(context.Background(), map[string]any{"Type": "MESSAGE", "Id": "msg-troll", "RequestId": "", "Content": "buy followers here",
		"Attributes": map[string]string{}, "SendTime": testNow.Format(time.RFC3339Nano), "Sender": map[string]any{"UserId": "viewer-2", "Attributes": map[string]string{}}})
	r.waitFor(t, chatLog, "viewer-2\nbuy followers here")
	if err := chromedp.Do(r.ctx, chromedp.Click(`#m-msg-troll button.delete`)); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if got, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](chatLog)); !strings.Contains(got, "buy followers") {
			break
		}
	}
	if got, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](chatLog)); strings.Contains(got, "buy followers") {
		t.Error("the deleted message is still shown")
	}
	r.chat.broadcast(context.Background(), map[string]any{"Type": "MESSAGE", "Id": "msg-troll-2", "RequestId": "", "Content": "again",
		"Attributes": map[string]string{}, "SendTime": testNow.Format(time.RFC3339Nano), "Sender": map[string]any{"UserId": "viewer-2", "Attributes": map[string]string{}}})
	r.waitFor(t, chatLog, "viewer-2\nagain")
	if err := chromedp.Do(r.ctx, chromedp.Click(`#m-msg-troll-2 button.disconnect`)); err != nil {
		t.Fatal(err)
	}
	r.waitFor(t, chatStatus, "viewer-2 was disconnected by a moderator.")
	screenshot(t, r.ctx, "live-event-moderator")
	r.noProblems(t)
}

// At phone width the page stacks the chat under the video and fits.
func TestLiveEventPhoneWidth(t *testing.T) {
	r := newLiveEventRig(t)
	r.open(t, true)
	r.signIn(t)
	r.status(t, "Live.")
	r.waitFor(t, chatStatus, "In the chat.")
	r.fitsPhone(t)
	screenshot(t, r.ctx, "live-event-phone")
	r.noProblems(t)
}
