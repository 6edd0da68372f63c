package browser

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/chromedp/chromedp"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/participanttoken"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
	"github.com/ivscdk/ivscdk/webpage"
)

// stageRig is the realtime-stage join page with everything it calls: the
// real participant token handler, self-signing with a managed public key
// made by the real key manager in the local IVS and Secrets Manager.
type stageRig struct {
	*pageRig
	aws      *awsfake.Server
	secret   string
	stageArn string
}

func newStageRig(t *testing.T, configure ...func(config map[string]any)) *stageRig {
	r := &stageRig{}
	r.pageRig = newPageRig(t, "realtime-stage", "/participant-token", func(origin string) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		r.aws = awsfake.New(t)
		cfg := r.aws.Config()
		r.stageArn = r.aws.AddStage("Stage")
		r.secret = r.aws.CreateSecret("ParticipantKey")
		manager := &managedkey.Manager{Keys: managedkey.PublicKeys(cfg), Secrets: secretsmanager.NewFromConfig(cfg),
			NamePrefix: "ParticipantKey", GracePeriod: time.Hour, SecretArn: r.secret, Logf: func(string, ...any) {}}
		if _, _, err := manager.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestCreate,
			ResourceProperties: map[string]any{managedkey.PropertySecretArn: r.secret}}); err != nil {
			t.Fatal(err)
		}
		handler, err := participanttoken.New(participanttoken.Config{
			Authentication: tokenapi.AuthJWT,
			Stages:         []string{r.stageArn}, Mode: participanttoken.ModeSelfSigned,
			Capabilities:       []string{"SUBSCRIBE"},
			CapabilityGrants:   []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{"PUBLISH"}}},
			MaxDurationMinutes: 120, UserIDClaim: "sub", SecretArn: r.secret,
			KeyCacheTTL: tokenapi.Duration(5 * time.Minute), StageCacheTTL: tokenapi.Duration(time.Hour),
		}, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return handler.Handle
	}, configure...)
	// examples/realtime-stage/page.go's policy, local hosts in place of the
	// region's API Gateway and Cognito.
	r.headers = webpage.Headers(&webpage.Props{
		IVSSDKs:        true,
		ConnectSources: []string{r.api.URL, r.oidc.URL, "https://*.live-video.net", "wss://*.live-video.net"},
		MediaSources:   []string{"https://*.live-video.net"},
		Devices:        []string{"camera", "microphone"},
		WebAssembly:    true,
	})
	return r
}

// issued returns the participant token of the endpoint's last answer,
// verified against the managed public key that IVS holds.
func (r *stageRig) issued(t *testing.T) (*ivstoken.ParticipantClaims, string) {
	t.Helper()
	r.api.mu.Lock()
	answers := append([]string(nil), r.api.answers...)
	r.api.mu.Unlock()
	if len(answers) == 0 {
		t.Fatal("the page got no participant token")
	}
	var answer struct{ Token string }
	json.Unmarshal([]byte(answers[len(answers)-1]), &answer)
	key, err := keysecret.ReadPrivateKey(r.aws.SecretValue(r.secret, "AWSCURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	claims, kid, err := ivstoken.VerifyParticipantToken(answer.Token, &key.PublicKey, time.Now())
	if err != nil {
		t.Fatalf("the page's participant token does not verify against the managed key: %v", err)
	}
	if keys := r.aws.PublicKeys(); len(keys) != 1 || keys[0].Arn != kid {
		t.Errorf("the token's kid %s is not the public key IVS holds (%v)", kid, keys)
	}
	return claims, kid
}

// A host signs in, joins with camera and microphone (Chromium's fake
// devices), and the SDK's Stage starts joining with the token the real
// handler signed. WebRTC to IVS cannot run here (no network), so the test
// asserts up to the join: the token, the local preview, the "joining"
// state; and that leaving works.
func TestStageHostJoins(t *testing.T) {
	r := newStageRig(t)
	r.oidc.mu.Lock()
	r.oidc.subject, r.oidc.groups = "host-1", []string{"hosts"}
	r.oidc.mu.Unlock()
	r.open(t, false)
	r.status(t, "Sign in to join the stage.")
	screenshot(t, r.ctx, "stage-signed-out")
	r.signIn(t)
	r.status(t, "Join when you are ready")
	r.recordStatuses(t)
	r.click(t, "join")
	r.showed(t, "Joining the stage")
	claims, _ := r.issued(t)
	if claims.StageArn != r.stageArn || claims.UserID != "host-1" ||
		!slices.Equal(claims.Capabilities, []ivstoken.Capability{ivstoken.CapabilityPublish, ivstoken.CapabilitySubscribe}) {
		t.Errorf("the host's token: stage %s, user %q, capabilities %v", claims.StageArn, claims.UserID, claims.Capabilities)
	}
	if !r.visible(t, "me") {
		t.Error("the host's camera preview is not shown")
	}
	playing, _ := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`document.getElementById("local").srcObject !== null`))
	if !playing {
		t.Error("the local preview has no camera stream")
	}
	screenshot(t, r.ctx, "stage-joining")
	r.click(t, "leave")
	r.status(t, "You left the stage.")
	if r.visible(t, "me") {
		t.Error("the preview stays after leaving")
	}
	r.noProblems(t)
}

// A viewer (no hosts group) gets a subscribe-only token and no camera is
// opened.
func TestStageViewerJoinsWithoutCamera(t *testing.T) {
	r := newStageRig(t)
	r.open(t, false)
	r.status(t, "Sign in to join the stage.")
	r.signIn(t)
	r.status(t, "Join when you are ready")
	r.click(t, "join")
	answered := func() bool { r.api.mu.Lock(); defer r.api.mu.Unlock(); return len(r.api.answers) > 0 }
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !answered(); time.Sleep(200 * time.Millisecond) {
	}
	r.status(t, "Joining the stage")
	claims, _ := r.issued(t)
	if !slices.Equal(claims.Capabilities, []ivstoken.Capability{ivstoken.CapabilitySubscribe}) {
		t.Errorf("a viewer's token allows %v, want SUBSCRIBE only", claims.Capabilities)
	}
	if r.visible(t, "me") {
		t.Error("a viewer's camera preview is shown")
	}
	r.signOutAsksAgain(t, "Join when you are ready")
	r.noProblems(t)
}

// The states a participant meets, each said in words with a way on (not
// allowed, the endpoint down, the sign-in expired), at phone width.
func TestStageBadPathsAndPhoneWidth(t *testing.T) {
	r := newStageRig(t)
	r.api.set(func(a *httpAPI) { a.forbid = true })
	r.open(t, true)
	r.status(t, "Sign in to join the stage.")
	r.signIn(t)
	r.status(t, "Join when you are ready")
	r.click(t, "join")
	r.status(t, "not allowed on this stage")
	if !r.visible(t, "retry") || !r.visible(t, "sign-out") {
		t.Error("403: no Try again or Sign out")
	}
	r.endpointDown(t)
	r.api.set(func(a *httpAPI) { a.down = false })
	r.click(t, "retry")
	r.status(t, "Joining the stage")
	r.fitsPhone(t)
	screenshot(t, r.ctx, "stage-phone")

	r.expiredSignIn(t)
	r.noProblems(t)
}
