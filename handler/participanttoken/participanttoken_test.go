package participanttoken

import (
	"context"
	"crypto/ecdsa"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"flag"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/test/apigwtest"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

type fixture struct {
	t      testing.TB
	aws    *awsfake.Server
	h      *Handler
	stages []string
	secret string
	now    time.Time
}

// newFixture serves two stages of the fake; self-signed fixtures get a
// managed key made by the managed key function itself.
func newFixture(t testing.TB, c Config) *fixture {
	f := &fixture{t: t, aws: awsfake.New(t), now: time.Date(2040, 2, 29, 23, 0, 0, 0, time.UTC)}
	f.aws.Now = func() time.Time { return f.now }
	f.stages = []string{f.aws.AddStage("a"), f.aws.AddStage("b")}
	c.Stages = f.stages
	if c.Capabilities == nil {
		c.Capabilities = []string{"PUBLISH", "SUBSCRIBE"}
	}
	if c.MaxDurationMinutes == 0 {
		c.MaxDurationMinutes = 60
	}
	if c.Mode == ModeSelfSigned {
		f.secret = f.aws.CreateSecret("StageKey")
		if c.SecretArn == "" {
			c.SecretArn = f.secret
			f.manager().HandleCustomResource(context.Background(), cfn.Event{
				RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{managedkey.PropertySecretArn: f.secret}})
		}
		c.KeyCacheTTL = tokenapi.Duration(time.Minute)
		c.StageCacheTTL = tokenapi.Duration(time.Hour)
	}
	h, err := New(c, f.aws.Config(), func() time.Time { return f.now })
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

func (f *fixture) manager() *managedkey.Manager {
	cfg := f.aws.Config()
	return &managedkey.Manager{Keys: managedkey.PublicKeys(cfg), Secrets: secretsmanager.NewFromConfig(cfg),
		NamePrefix: "StageKey", GracePeriod: time.Hour, Now: func() time.Time { return f.now }, Logf: func(string, ...any) {}}
}

func (f *fixture) currentKey() *ecdsa.PrivateKey {
	key, err := keysecret.ReadPrivateKey(f.aws.SecretValue(f.secret, "AWSCURRENT"))
	if err != nil {
		f.t.Fatal(err)
	}
	return key
}

var (
	get        = apigwtest.Get
	post       = apigwtest.Post
	withClaims = apigwtest.WithClaims
)

func (f *fixture) call(req events.APIGatewayV2HTTPRequest) (int, Response, tokenapi.Error) {
	f.t.Helper()
	return apigwtest.Call[Response](f.t, f.h.Handle, req)
}

func TestCreateParticipantTokenModeHasIVSIssueTheToken(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeCreateParticipantToken, UserIDClaim: "sub",
		Attributes: map[string]string{"room": "main"}, ClaimAttributes: map[string]string{"name": "nickname"}})
	req := withClaims(post(`{"stage": "`+f.stages[1]+`", "capabilities": ["SUBSCRIBE"], "durationMinutes": 30}`),
		map[string]string{"sub": "user-1", "nickname": "Ann"})
	status, res, e := f.call(req)
	if status != http.StatusOK {
		t.Fatalf("status %d %+v", status, e)
	}
	if res.StageArn != f.stages[1] || res.UserID != "user-1" || res.Token == "" || res.ParticipantID == "" ||
		strings.Join(res.Capabilities, ",") != "SUBSCRIBE" {
		t.Errorf("answer %+v", res)
	}
	if d := res.ExpiresAt.Sub(f.now); d != 30*time.Minute {
		t.Errorf("token lives %s, want the 30 minutes asked for", d)
	}
	if got := f.aws.SignedFor("CreateParticipantToken"); got != "ivs" {
		t.Errorf("CreateParticipantToken signed for %q, want the IVS real-time signing name \"ivs\"", got)
	}
	if n := f.aws.Calls("GetStage"); n != 0 {
		t.Errorf("GetStage called %d times; IVS-issued tokens need no endpoints", n)
	}
}

func TestSelfSignedTokensCarryTheStageEndpointsAndTheCurrentKey(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeSelfSigned, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"}})
	listsBefore := f.aws.Calls("ListPublicKeys") // the managed key function's own
	var first Response
	for i := 0; i < 3; i++ {
		status, res, e := f.call(withClaims(get(map[string]string{"stage": f.stages[0][strings.LastIndexByte(f.stages[0], '/')+1:]}),
			map[string]string{"sub": "viewer-9"}))
		if status != http.StatusOK {
			t.Fatalf("status %d %+v", status, e)
		}
		first = res
	}
	claims, kid, err := ivstoken.VerifyParticipantToken(first.Token, &f.currentKey().PublicKey, f.now)
	if err != nil {
		t.Fatal(err)
	}
	keys := f.aws.PublicKeys()
	if len(keys) != 1 || kid != keys[0].Arn {
		t.Errorf("kid %q, want the managed key's IVS public key %v", kid, keys)
	}
	if claims.StageArn != f.stages[0] || claims.UserID != "viewer-9" || claims.ParticipantID != first.ParticipantID ||
		claims.EventsURL != "wss://global.events.live-video.net" || !strings.HasPrefix(claims.WhipURL, "https://") ||
		len(claims.Capabilities) != 1 || claims.Capabilities[0] != ivstoken.CapabilitySubscribe {
		t.Errorf("claims %+v", claims)
	}
	if n := f.aws.Calls("GetStage"); n != 1 {
		t.Errorf("GetStage called %d times for 3 tokens of one stage, want 1 (cached; the API allows 5 TPS)", n)
	}
	if n := f.aws.Calls("ListPublicKeys") - listsBefore; n != 1 {
		t.Errorf("ListPublicKeys called %d times for one key, want 1", n)
	}
	verifyWithOpenSSL(t, first.Token, &f.currentKey().PublicKey)
}

func TestSelfSignedTokensFollowARotation(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeSelfSigned})
	_, before, _ := f.call(get(map[string]string{"stage": f.stages[0]}))
	const token = "77777777-7777-4777-8777-777777777777"
	f.aws.EnableRotation(f.secret)
	f.aws.ReservePending(f.secret, token)
	m := f.manager()
	for _, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		if err := m.HandleRotation(context.Background(), managedkey.RotationEvent{SecretID: f.secret, ClientRequestToken: token, Step: step}); err != nil {
			t.Fatal(err)
		}
	}
	f.now = f.now.Add(2 * time.Minute) // past the key cache
	_, after, _ := f.call(get(map[string]string{"stage": f.stages[0]}))
	_, kidBefore, err1 := ivstoken.VerifyParticipantToken(before.Token, &f.currentKey().PublicKey, f.now)
	_, kidAfter, err2 := ivstoken.VerifyParticipantToken(after.Token, &f.currentKey().PublicKey, f.now)
	if err1 == nil || err2 != nil {
		t.Fatalf("after rotation: old token verifies with the new key (%v) or the new one does not (%v)", err1, err2)
	}
	if kidBefore == kidAfter {
		t.Error("the new token names the old public key")
	}
	want, _ := managedkey.FindKey(context.Background(), managedkey.PublicKeys(f.aws.Config()), f.secret, token)
	if kidAfter != want {
		t.Errorf("kid %s, want the rotated key's %s", kidAfter, want)
	}
}

func TestSelfSignedWithAKeyOfYourOwn(t *testing.T) {
	key, _ := ivstoken.GenerateKey()
	pem, _ := ivstoken.MarshalPrivateKeyPEM(key)
	aws := awsfake.New(t)
	secret := aws.CreateSecret("Mine")
	secrets := secretsmanager.NewFromConfig(aws.Config())
	if _, err := secrets.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{SecretId: &secret, SecretString: new(string(pem))}); err != nil {
		t.Fatal(err)
	}
	const kid = "arn:aws:ivs:us-west-2:123456789012:public-key/mine"
	stage := aws.AddStage("s")
	now := time.Date(2042, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { return now }
	h, err := New(Config{Stages: []string{stage}, Mode: ModeSelfSigned, Capabilities: []string{"PUBLISH"}, MaxDurationMinutes: 5,
		SecretArn: secret, PublicKeyArn: kid, KeyCacheTTL: tokenapi.Duration(time.Minute), StageCacheTTL: tokenapi.Duration(time.Hour)}, aws.Config(), clock)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := h.Handle(context.Background(), get(nil))
	var ok Response
	json.Unmarshal([]byte(res.Body), &ok)
	if _, got, err := ivstoken.VerifyParticipantToken(ok.Token, &key.PublicKey, now); err != nil || got != kid {
		t.Fatalf("status %d, kid %q, err %v", res.StatusCode, got, err)
	}
	if aws.Calls("ListPublicKeys") != 0 {
		t.Error("a configured public key ARN was looked up")
	}
}

func TestStageEndpointsSurviveAGetStageOutage(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeSelfSigned})
	if status, _, _ := f.call(get(map[string]string{"stage": f.stages[0]})); status != http.StatusOK {
		t.Fatal(status)
	}
	f.aws.Fail("GetStage", awsfake.Failure{Code: "AccessDeniedException", Status: 403})
	f.now = f.now.Add(2 * time.Hour) // past StageCacheTTL
	if status, _, e := f.call(get(map[string]string{"stage": f.stages[0]})); status != http.StatusOK {
		t.Errorf("cached stage during an outage: %d %+v, want 200", status, e)
	}
	if status, _, e := f.call(get(map[string]string{"stage": f.stages[1]})); status != http.StatusServiceUnavailable || e.Code != "StageUnavailable" {
		t.Errorf("uncached stage during an outage: %d %+v, want 503 StageUnavailable", status, e)
	}
}

func TestErrorsAreDocumentedAnswers(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeCreateParticipantToken, UserIDClaim: "sub", Capabilities: []string{"SUBSCRIBE"},
		Attributes: map[string]string{"big": strings.Repeat("x", 1000)}, ClaimAttributes: map[string]string{"name": "name"}})
	sub := map[string]string{"sub": "u"}
	put := post("{}")
	put.RequestContext.HTTP.Method = http.MethodPut
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		code   string
	}{
		{"two stages, none named", withClaims(get(nil), sub), 400, "MalformedRequest"},
		{"bad JSON", withClaims(post(`{`), sub), 400, "MalformedRequest"},
		{"user ID in the body", withClaims(post(`{"stage": "`+f.stages[0]+`", "userId": "admin"}`), sub), 400, "MalformedRequest"},
		{"not a stage", withClaims(get(map[string]string{"stage": "arn:aws:s3:::bucket"}), sub), 400, "InvalidStage"},
		{"other stage", withClaims(get(map[string]string{"stage": "arn:aws:ivs:us-west-2:123456789012:stage/other"}), sub), 404, "StageNotServed"},
		{"bad capability", withClaims(get(map[string]string{"stage": f.stages[0], "capabilities": "ADMIN"}), sub), 400, "InvalidCapability"},
		{"publish not allowed", withClaims(get(map[string]string{"stage": f.stages[0], "capabilities": "PUBLISH"}), sub), 403, "CapabilityNotAllowed"},
		{"too long", withClaims(get(map[string]string{"stage": f.stages[0], "durationMinutes": "61"}), sub), 400, "InvalidDuration"},
		{"negative", withClaims(post(`{"stage": "`+f.stages[0]+`", "durationMinutes": -1}`), sub), 400, "InvalidDuration"},
		{"no JWT", get(map[string]string{"stage": f.stages[0]}), 403, "MissingUserId"},
		{"user ID too long", withClaims(get(map[string]string{"stage": f.stages[0]}), map[string]string{"sub": strings.Repeat("u", 129)}), 403, "MissingUserId"},
		{"attributes too large", withClaims(get(map[string]string{"stage": f.stages[0]}), map[string]string{"sub": "u", "name": strings.Repeat("n", 40)}), 403, "AttributesTooLarge"},
		{"method", put, 405, "MethodNotAllowed"},
	}
	for _, c := range cases {
		status, _, e := f.call(c.req)
		if status != c.status || e.Code != c.code || e.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s", c.name, status, e, c.status, c.code)
		}
	}
	f.aws.Fail("CreateParticipantToken", awsfake.Failure{Code: "AccessDeniedException", Status: 403})
	if status, _, e := f.call(withClaims(get(map[string]string{"stage": f.stages[0]}), sub)); status != 503 || e.Code != "IVSUnavailable" {
		t.Errorf("IVS refusing: %d %+v, want 503 IVSUnavailable", status, e)
	}
}

func TestParseConfigRefusesWhatCannotWork(t *testing.T) {
	good := `{"stages": ["arn:aws:ivs:us-west-2:123456789012:stage/abc"], "mode": "create-participant-token", "capabilities": ["PUBLISH"], "maxDurationMinutes": 60}`
	if _, err := ParseConfig(good); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"not JSON":       `{`,
		"no stage":       strings.Replace(good, `"arn:aws:ivs:us-west-2:123456789012:stage/abc"`, ``, 1),
		"channel ARN":    strings.Replace(good, `stage/abc`, `channel/abc`, 1),
		"mode":           strings.Replace(good, `create-participant-token`, `magic`, 1),
		"capability":     strings.Replace(good, `"PUBLISH"`, `"ADMIN"`, 1),
		"duration":       strings.Replace(good, `60`, `20161`, 1),
		"self no secret": strings.Replace(good, `create-participant-token`, `self-signed`, 1),
	} {
		if _, err := ParseConfig(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzHandleNeverFailsTheCallerWith5xx(f *testing.F) {
	f.Add("GET", "stage=abc&capabilities=PUBLISH", "")
	f.Add("POST", "", `{"stage": "x", "durationMinutes": "7"}`)
	f.Add("POST", "", `{"capabilities": [1]}`)
	aws := awsfake.New(f)
	stage := aws.AddStage("s")
	h, err := New(Config{Stages: []string{stage}, Mode: ModeCreateParticipantToken, Capabilities: []string{"PUBLISH", "SUBSCRIBE"},
		MaxDurationMinutes: 60}, aws.Config(), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, query, body string) {
		req := events.APIGatewayV2HTTPRequest{Body: body, QueryStringParameters: map[string]string{}}
		req.RequestContext.HTTP.Method = method
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			req.QueryStringParameters[k] = v
		}
		res, err := h.Handle(context.Background(), req)
		if err != nil || res.StatusCode >= 500 {
			t.Fatalf("%s %q %q: %d %v %s", method, query, body, res.StatusCode, err, res.Body)
		}
	})
}

// verifyWithOpenSSL checks the token's ES384 signature with the openssl
// command, independently of Go's crypto.
func verifyWithOpenSSL(t *testing.T, token string, pub *ecdsa.PublicKey) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Log("openssl is not installed: signature not checked with it")
		return
	}
	dir := t.TempDir()
	pubPEM, _ := ivstoken.MarshalPublicKeyPEM(pub)
	last := strings.LastIndexByte(token, '.')
	raw, _ := base64.RawURLEncoding.DecodeString(token[last+1:])
	der, _ := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:48]), new(big.Int).SetBytes(raw[48:])})
	files := map[string][]byte{"pub.pem": pubPEM, "sig.der": der, "input": []byte(token[:last])}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("openssl", "dgst", "-sha384", "-verify", filepath.Join(dir, "pub.pem"),
		"-signature", filepath.Join(dir, "sig.der"), filepath.Join(dir, "input")).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl does not verify the participant token: %v: %s", err, out)
	}
}

// PUBLISH goes only to callers whose verified JWT carries the hosts scope;
// everyone else may only watch.
func TestCapabilityGrantsFollowTheCallersScopes(t *testing.T) {
	f := newFixture(t, Config{Mode: ModeCreateParticipantToken, Capabilities: []string{"SUBSCRIBE"},
		CapabilityGrants: []tokenapi.Grant{{Scope: "stage/host", Capabilities: []string{"PUBLISH"}}}})
	stage := f.stages[0]
	host := withClaims(post(`{"stage": "`+stage+`"}`), map[string]string{"sub": "h", "scope": "openid stage/host"})
	if status, res, e := f.call(host); status != 200 || strings.Join(res.Capabilities, ",") != "PUBLISH,SUBSCRIBE" {
		t.Errorf("a host: %d %v %+v, want PUBLISH and SUBSCRIBE", status, res.Capabilities, e)
	}
	viewer := withClaims(post(`{"stage": "`+stage+`", "capabilities": ["PUBLISH"]}`), map[string]string{"sub": "v", "scope": "openid"})
	if status, _, e := f.call(viewer); status != 403 || e.Code != "CapabilityNotAllowed" {
		t.Errorf("a viewer asking to publish: %d %+v, want 403 CapabilityNotAllowed", status, e)
	}
	iam := post(`{"stage": "` + stage + `"}`)
	if status, res, _ := f.call(iam); status != 200 || strings.Join(res.Capabilities, ",") != "SUBSCRIBE" {
		t.Errorf("an IAM caller (no JWT, so no grant): %d %v", status, res.Capabilities)
	}
}

// TestHandleAnswersOnlyWhatAPIGatewayAuthorized: a request API Gateway did
// not authorize as the configuration says (a route changed by hand, a
// direct invocation) gets 403, never a token.
func TestHandleAnswersOnlyWhatAPIGatewayAuthorized(t *testing.T) {
	apigwtest.CheckAuthorization(t, func(kind string) apigwtest.Handler {
		f := newFixture(t, Config{Authentication: kind, Mode: ModeCreateParticipantToken})
		return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			req.QueryStringParameters = map[string]string{"stage": f.stages[0]}
			return f.h.Handle(ctx, req)
		}
	}, get(nil), map[string]string{"sub": "participant-1"})
	if _, err := ParseConfig(`{"stages": ["arn:aws:ivs:us-west-2:123456789012:stage/abc"], "mode": "create-participant-token", "maxDurationMinutes": 60, "authentication": "cookie"}`); err == nil ||
		!strings.Contains(err.Error(), `authentication "cookie"`) {
		t.Errorf("an unknown authentication: %v", err)
	}
}

// TestACallerGrantedNothingIsRefused: with Capabilities empty and PUBLISH
// for hosts only, a caller who meets no grant has no capability. IVS reads
// a CreateParticipantToken request without capabilities as PUBLISH and
// SUBSCRIBE, so such a caller must be refused before IVS is called, never
// sent an empty list (or none) that IVS widens. Self-signed tokens refuse
// alike: a token that allows nothing is no answer either.
func TestACallerGrantedNothingIsRefused(t *testing.T) {
	for _, mode := range []string{ModeCreateParticipantToken, ModeSelfSigned} {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t, Config{Mode: mode, Capabilities: []string{},
				CapabilityGrants: []tokenapi.Grant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{"PUBLISH", "SUBSCRIBE"}}}})
			stage := f.stages[0]
			for name, req := range map[string]events.APIGatewayV2HTTPRequest{
				"a signed-in non-host": withClaims(post(`{"stage": "`+stage+`"}`), map[string]string{"sub": "v", "cognito:groups": "[viewers]"}),
				"an IAM caller":        post(`{"stage": "` + stage + `"}`),
			} {
				status, res, e := f.call(req)
				if status != http.StatusForbidden || e.Code != "NoCapability" || res.Token != "" {
					t.Errorf("%s: %d %+v %+v, want 403 NoCapability and no token", name, status, res, e)
				}
			}
			if n := f.aws.Calls("CreateParticipantToken"); n != 0 {
				t.Errorf("CreateParticipantToken called %d times for callers granted nothing", n)
			}
			host := withClaims(post(`{"stage": "`+stage+`"}`), map[string]string{"sub": "h", "cognito:groups": "[hosts]"})
			if status, res, e := f.call(host); status != 200 || strings.Join(res.Capabilities, ",") != "PUBLISH,SUBSCRIBE" {
				t.Errorf("a host: %d %v %+v, want PUBLISH and SUBSCRIBE", status, res.Capabilities, e)
			}
		})
	}
}

// TestResponseJSONIsEncodingJSONs: the answer written by hand equals
// json.Marshal's, the omitted user ID and escapes included.
func TestResponseJSONIsEncodingJSONs(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 120000000, time.UTC)
	for _, r := range []Response{
		{StageArn: "arn:aws:ivs:us-west-2:123456789012:stage/abc", ParticipantID: "p1", Token: "a.b.c", UserID: "u<&>\"é\u2029",
			Capabilities: []string{"PUBLISH", "SUBSCRIBE"}, ExpiresAt: at},
		{Capabilities: []string{}, ExpiresAt: at.In(time.FixedZone("Y", -5*3600))},
		{},
	} {
		want, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}
