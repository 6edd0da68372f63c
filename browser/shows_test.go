package browser

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/participanttoken"
	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/runtime/realtimeapi"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/ivstoken"
	"github.com/ivscdk/ivscdk/webpage"
)

// showRig is the realtime-stage page with its shows: the stage rig (the
// participant token handler and the managed key in the local IVS), and the
// real sessions handler behind a second local HTTP API, signing with the
// same managed key and broadcasting to a channel.
type showRig struct {
	*stageRig
	sessions    *httpAPI
	handler     *stagesessions.Handler
	showChannel string
}

func newShowRig(t *testing.T) *showRig {
	r := &showRig{showChannel: "arn:aws:ivs:us-west-2:123456789012:channel/ShowChannel"}
	r.stageRig = newStageRig(t, func(config map[string]any) {
		// The page polls the show's status every 300 ms here (5 s deployed).
		config["sessionsUrl"], config["statusSeconds"] = r.sessions.URL, 0.3
	})
	cfg := r.aws.Config()
	r.handler = stagesessions.New(stagesessions.Config{
		MadeBy: "IvsRealtimeStage/Shows", Authentication: tokenapi.AuthJWT, UserIDClaim: "sub",
		Grants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{stagesessions.CapabilityHost}},
			{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{stagesessions.CapabilityModerate}}},
		Broadcast: &stagesessions.Broadcast{ChannelArn: r.showChannel,
			EncoderConfigurationArn: "arn:aws:ivs:us-west-2:123456789012:encoder-configuration/ShowEncoder"},
	}, realtimeapi.New(cfg), nil).WithSigner(&participanttoken.SelfSigner{
		Keys:       &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: r.secret, TTL: time.Minute},
		PublicKeys: managedkey.PublicKeys(cfg),
	})
	r.sessions = newHTTPAPI(t, r.oidc.URL, clientID, r.page.URL, r.handler.Handle)
	// examples/realtime-stage/page.go's policy: the region's API Gateway
	// hosts cover both endpoints there.
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs:        true,
		ConnectSources: []string{r.api.URL, r.sessions.URL, r.oidc.URL, "https://*.live-video.net", "wss://*.live-video.net"},
		MediaSources:   []string{"https://*.live-video.net"},
		Devices:        []string{"camera", "microphone"},
		WebAssembly:    true,
	})
	return r
}

// as makes the next sign-in the user's, in groups.
func (r *showRig) as(user string, groups ...string) {
	r.oidc.mu.Lock()
	r.oidc.subject, r.oidc.groups = user, groups
	r.oidc.mu.Unlock()
}

// lastSession is the sessions endpoint's last answer with a token.
func (r *showRig) lastSession(t *testing.T) stagesessions.Session {
	t.Helper()
	r.sessions.mu.Lock()
	defer r.sessions.mu.Unlock()
	for i := len(r.sessions.answers) - 1; i >= 0; i-- {
		var s stagesessions.Session
		if json.Unmarshal([]byte(r.sessions.answers[i]), &s) == nil && s.Token != "" {
			return s
		}
	}
	t.Fatal("the page got no session token")
	return stagesessions.Session{}
}

// call sends the sessions handler a request as API Gateway does, from user
// in groups (a host's or moderator's own page, which WebRTC would show
// them, cannot run here).
func (r *showRig) call(t *testing.T, method, path string, query map[string]string, user, groups string) {
	t.Helper()
	resp, err := r.handler.Handle(context.Background(), apigwtest.Route(method, path, query, user, groups))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s (%v)", method, path, resp.StatusCode, resp.Body, err)
	}
}

// A host starts a show from the page and reaches the joining state with
// the show's token; the page gives the show's link and, once someone
// publishes (IVS's Participant Published, which WebRTC would bring), says
// it is on air. A viewer opens the link, signs in (the link survives the
// sign-in) and joins with a subscribe-only token; the host makes them a
// co-host and the page exchanges its token in place with the Web Broadcast
// SDK (same participant, now publishing); a moderator removes them and the
// page says why.
func TestShowHostedJoinedPromotedAndRemoved(t *testing.T) {
	r := newShowRig(t)
	r.as("host-1", "hosts")
	r.open(t, false)
	r.signIn(t)
	r.status(t, "Join when you are ready")
	if !r.visible(t, "start-show") {
		t.Fatal("a signed-in page offers no Start a show")
	}
	r.recordStatuses(t)
	r.click(t, "start-show")
	r.showed(t, "Joining the stage")
	host := r.lastSession(t)
	if !host.Owner || !slices.Equal(host.Capabilities, []string{"PUBLISH", "SUBSCRIBE"}) {
		t.Errorf("the host's answer: %+v", host)
	}
	claims, kid, err := ivstoken.VerifyParticipantToken(host.Token, r.publicKey(t), time.Now())
	if err != nil || kid != r.aws.PublicKeys()[0].Arn || claims.UserID != "host-1" || claims.StageArn != host.StageArn {
		t.Fatalf("the host's token: %+v %s %v", claims, kid, err)
	}
	link, _ := chromedp.Run(r.ctx, chromedp.Evaluate[string](`document.getElementById("show-link").href`))
	if want := r.page.URL + "/?show=" + host.Session; link != want {
		t.Errorf("the show's link is %q, want %q", link, want)
	}
	if r.visible(t, "on-air") {
		t.Error("on air before anyone publishes")
	}
	sessionID := r.aws.StartSession(host.StageArn, time.Now())
	r.aws.Join(host.StageArn, host.ParticipantID, "host-1")
	r.aws.Publish(host.StageArn, host.ParticipantID)
	if _, err := r.handler.OnPublished(context.Background(), host.StageArn, sessionID); err != nil {
		t.Fatal(err)
	}
	if c := r.aws.Compositions(); len(c) != 1 || c[0].ChannelArn != r.showChannel {
		t.Fatalf("compositions %+v, want one to the show's channel", c)
	}
	r.waitVisible(t, "on-air")
	screenshot(t, r.ctx, "show-on-air")

	// The viewer, on the show's link.
	r.click(t, "sign-out")
	r.status(t, "Signed out")
	r.as("viewer-1")
	if err := chromedp.Do(r.ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	r.signIn(t)
	r.status(t, "Join when you are ready")
	if !r.visible(t, "join-show") || r.visible(t, "start-show") {
		t.Fatal("the show's link, signed in: want Join the show (and no Start a show)")
	}
	// The SDK's exchange needs IVS; the page's call to it is what is
	// proven here: the spy keeps the token it was given.
	if _, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`(() => {
		window.exchanged = [];
		IVSBroadcastClient.Stage.prototype.exchangeToken = function (token) { window.exchanged.push(token); return Promise.resolve(); };
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	r.recordStatuses(t)
	r.click(t, "join-show")
	r.showed(t, "Joining the stage")
	viewer := r.lastSession(t)
	if viewer.Owner || viewer.Session != host.Session || !slices.Equal(viewer.Capabilities, []string{"SUBSCRIBE"}) {
		t.Errorf("the viewer's answer: %+v", viewer)
	}
	if r.visible(t, "me") {
		t.Error("a viewer's camera is open")
	}
	r.aws.Join(host.StageArn, viewer.ParticipantID, "viewer-1")
	r.call(t, http.MethodPost, "/sessions/promote", map[string]string{"session": host.Session, "participant": viewer.ParticipantID, "role": "cohost"}, "host-1", "[hosts]")
	r.showed(t, "You are a co-host now")
	exchanged, _ := chromedp.Run(r.ctx, chromedp.Evaluate[[]string](`window.exchanged`))
	if len(exchanged) != 1 {
		t.Fatalf("the page exchanged %d tokens, want 1", len(exchanged))
	}
	promoted, _, err := ivstoken.VerifyParticipantToken(exchanged[0], r.publicKey(t), time.Now())
	if err != nil || promoted.ParticipantID != viewer.ParticipantID || promoted.UserID != "viewer-1" ||
		!slices.Equal(promoted.Capabilities, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("the exchanged token %+v (%v): want the viewer's participant, publishing", promoted, err)
	}
	if !r.visible(t, "me") {
		t.Error("the co-host's camera is not shown")
	}
	screenshot(t, r.ctx, "show-cohost")

	r.call(t, http.MethodPost, "/sessions/disconnect", map[string]string{"session": host.Session, "participant": viewer.ParticipantID, "reason": "Off topic"}, "mod-1", "[moderators]")
	r.status(t, "You were removed: Off topic")
	time.Sleep(time.Second) // polls out before the removal must not bring the show back
	if r.visible(t, "me") || r.visible(t, "on-air") || r.visible(t, "show") {
		t.Error("the camera, on air or the show's link stays after the removal")
	}
	screenshot(t, r.ctx, "show-removed")
	r.noProblems(t)
}

// publicKey is the managed key's public half, as IVS holds it.
func (r *showRig) publicKey(t *testing.T) *ecdsa.PublicKey {
	t.Helper()
	key, err := keysecret.ReadPrivateKey(r.aws.SecretValue(r.secret, "AWSCURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	return &key.PublicKey
}

// waitVisible waits until the element with id is shown.
func (r *showRig) waitVisible(t *testing.T, id string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if r.visible(t, id) {
			return
		}
	}
	t.Fatalf("#%s is never shown (the page says %q)", id, r.text(t))
}
