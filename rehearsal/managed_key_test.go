package rehearsal

import (
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// rehearsalKeyCacheTTL replaces the token functions' key cache TTL
// (5 minutes in the examples, a construct property) so that "within one
// TTL" takes seconds here.
const rehearsalKeyCacheTTL = 4 * time.Second

// keyedEndpoint is an example whose token endpoint signs with a managed
// key: private-channel (playback key pair) and realtime-stage (public
// key).
type keyedEndpoint struct {
	example, stack string
	// keyPrefix is the managed key's construct ID.
	keyPrefix string
	// configVar is the token function's configuration variable.
	configVar string
	// ivsKeys lists the keys the local IVS holds.
	ivsKeys func(*awsfake.Server) []awsfake.KeyPair
	// body is a token request's body the endpoint grants.
	body func(d *deployment) any
	// verify checks a token against one IVS key (its public half and
	// ARN) at a moment.
	verify func(token string, pub *ecdsa.PublicKey, keyArn string, at time.Time) error
	// stepOperations are, for each rotation step, an AWS operation only
	// that step calls: a failure injected there fails that step.
	stepOperations map[string]string
}

// tokenReply is the part of the endpoints' answers the rehearsal reads.
type tokenReply struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// managedKeyRehearsal is one example's managed key, its function and its
// token function, up under the RIE.
type managedKeyRehearsal struct {
	*deployment
	e          keyedEndpoint
	keyFn      *Running
	tokens     *Running
	secret     string
	customID   string
	grace      time.Duration
	sweepEvent json.RawMessage
	// caller makes the token requests.
	caller func(body any) events.APIGatewayV2HTTPRequest
	// failAt makes the next run of this rotation step meet a failure of
	// its operation in e.stepOperations.
	failAt string
	// viewers is the token function's viewer log (RecordViewers), on the
	// deployment's dynalite; nil without one.
	viewers *viewerlog.Log
}

// signedInUser is a user of the example's Cognito user pool, as API
// Gateway's JWT authorizer passes their ID token's claims on: the callers
// of the examples as deployed by default.
func signedInUser(body any) events.APIGatewayV2HTTPRequest {
	return JWTRequest(body, map[string]string{"sub": "alice-sub", "cognito:username": "alice", "token_use": "id"}, nil)
}

// backend is an IAM role of the account, as API Gateway's IAM
// authorization passes it on: the callers with -c cognito=false.
func backend(body any) events.APIGatewayV2HTTPRequest {
	return IAMRequest(body, "arn:aws:iam::"+awsfake.Account+":role/website")
}

// iamContext is the CDK context of the examples' IAM variant.
var iamContext = map[string]string{"cognito": "false"}

// rehearseManagedKey runs the example as deployed by default (signed-in
// users call the endpoint) through a managed key's whole life.
func rehearseManagedKey(t *testing.T, e keyedEndpoint) {
	r := newManagedKeyRehearsal(t, e, deploy(t, e.example, e.stack), signedInUser)
	if r == nil {
		return
	}
	r.tokens = r.startTokens()
	if r.viewers != nil {
		t.Run("the viewer log", r.viewerLog)
	}
	t.Run("set-up test of the rotation schedule", r.setUpProbe)
	t.Run("rotation, grace and sweep", r.rotationGraceAndSweep)
	t.Run("a failure at each rotation step", r.failureAtEachStep)
	t.Run("emergency revocation", r.revocation)
	t.Run("unreadable secret", r.unreadableSecret)
	t.Run("update and delete", r.updateAndDelete)
}

// rehearseBackend deploys the example with -c cognito=false: an IAM role
// of the account gets a token that the current IVS key verifies.
func rehearseBackend(t *testing.T, e keyedEndpoint) {
	d := deployFrom(t, synthesize(t, e.example, "-iam", iamContext), e.stack)
	r := newManagedKeyRehearsal(t, e, d, backend)
	if r == nil {
		return
	}
	r.tokens = r.startTokens()
	if reply := r.mustToken(t); r.verifiedBy(t, reply) != r.currentKey(t) {
		t.Errorf("the backend's token does not verify against the current IVS key")
	}
	// Fail closed: a request API Gateway did not IAM-authorize (a route
	// changed by hand, a direct invocation) gets no token.
	resp, err := r.tokens.HTTP(ctx(t), signedInUser(r.e.body(r.deployment)))
	if err != nil || resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Body, "NotAuthorizedByAPIGateway") {
		t.Errorf("a JWT caller at the IAM endpoint's function: %d %s %v, want 403 NotAuthorizedByAPIGateway", resp.StatusCode, resp.Body, err)
	}
}

// newManagedKeyRehearsal starts the key function and creates the key; it
// returns nil when that fails (the test has failed then).
func newManagedKeyRehearsal(t *testing.T, e keyedEndpoint, d *deployment,
	caller func(body any) events.APIGatewayV2HTTPRequest) *managedKeyRehearsal {
	r := &managedKeyRehearsal{deployment: d, e: e, caller: caller}
	keySpec := r.spec(e.keyPrefix + "Function")
	r.keyFn = r.start(keySpec)
	r.secret = keySpec.Env["SECRET_ARN"]
	if !strings.HasPrefix(r.secret, "arn:aws:secretsmanager:") {
		t.Fatalf("SECRET_ARN of the key function is %q, not the secret's ARN", r.secret)
	}
	grace, err := time.ParseDuration(keySpec.Env["GRACE_PERIOD"])
	if err != nil {
		t.Fatal(err)
	}
	r.grace = grace
	r.checkWiring(keySpec)

	t.Run("create", r.create)
	if t.Failed() {
		return nil
	}
	return r
}

// checkWiring reads from the template what invokes the key function: the
// rotation schedule (its set-up test is run only when it does not rotate
// at once) and the sweep rule's input, which the rehearsal then sends
// verbatim.
func (r *managedKeyRehearsal) checkWiring(keySpec *FunctionSpec) {
	t := r.t
	fnArn := r.ref(map[string]any{"Fn::GetAtt": []any{keySpec.LogicalID, "Arn"}})
	rotation := r.properties(r.id("AWS::SecretsManager::RotationSchedule", r.e.keyPrefix))
	if rotation["RotationLambdaARN"] != fnArn || rotation["SecretId"] != r.secret {
		t.Fatalf("the rotation schedule does not point the key function at the secret: %v", rotation)
	}
	if rotation["RotateImmediatelyOnUpdate"] != false {
		t.Fatalf("RotateImmediatelyOnUpdate is %v; the rehearsal models false (the set-up test)", rotation["RotateImmediatelyOnUpdate"])
	}
	rule := r.properties(r.id("AWS::Events::Rule", r.e.keyPrefix+"RetireExpiredKeys"))
	targets, _ := rule["Targets"].([]any)
	if len(targets) != 1 {
		t.Fatalf("the sweep rule has %d targets, want 1", len(targets))
	}
	target := targets[0].(map[string]any)
	input, _ := target["Input"].(string)
	if target["Arn"] != fnArn || input == "" {
		t.Fatalf("the sweep rule does not send an input to the key function: %v", target)
	}
	r.sweepEvent = json.RawMessage(input)
	r.customID = r.id("Custom::"+map[string]string{"PlaybackKeys": "IvsManagedPlaybackKeyPair", "ParticipantKey": "IvsManagedPublicKey"}[r.e.keyPrefix], r.e.keyPrefix)
	r.aws.SetRotationFunction(r.secret, func(step, secretID, token string) error {
		if step == r.failAt {
			r.aws.Fail(r.e.stepOperations[step], awsfake.Failure{Code: "AccessDeniedException", Times: 1})
			defer r.aws.Recover(r.e.stepOperations[step])
			r.failAt = ""
		}
		_, err := r.keyFn.Invoke(ctx(t), map[string]string{"Step": step, "SecretId": secretID, "ClientRequestToken": token})
		return err
	})
}

// startTokens starts the token function with the key cache TTL shortened.
func (r *managedKeyRehearsal) startTokens() *Running {
	spec := r.spec("TokensFunction")
	var config map[string]any
	if err := json.Unmarshal([]byte(spec.Env[r.e.configVar]), &config); err != nil {
		r.t.Fatalf("%s: %v", r.e.configVar, err)
	}
	if config["keyCacheTtl"] != "5m0s" {
		r.t.Fatalf("keyCacheTtl is %v; the examples use 5m0s", config["keyCacheTtl"])
	}
	if config["secretArn"] != r.secret {
		r.t.Fatalf("the token function reads %v, not the managed key's secret %s", config["secretArn"], r.secret)
	}
	config["keyCacheTtl"] = rehearsalKeyCacheTTL.String()
	data, _ := json.Marshal(config)
	spec.Env[r.e.configVar] = string(data)
	if table, _ := config["viewerTable"].(string); table != "" {
		r.viewers = &viewerlog.Log{Client: r.withTables(spec), Table: table}
	}
	return r.start(spec)
}

// viewerLog: the exact token asset records each viewer it gives a token
// to, in the table the template makes, and versions the token's session
// with its issue time, so that video moderation can revoke it.
func (r *managedKeyRehearsal) viewerLog(t *testing.T) {
	reply := r.mustToken(t)
	channel := r.e.body(r.deployment).(map[string]string)["channel"]
	viewers, err := r.viewers.Viewers(ctx(t), channel, reply.ExpiresAt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(viewers, []string{"alice-sub"}) {
		t.Errorf("the viewer log lists %q, want the signed-in viewer's sub", viewers)
	}
	var claims map[string]any
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(reply.Token, ".")[1])
	json.Unmarshal(payload, &claims)
	if v, _ := claims["aws:viewer-session-version"].(float64); v <= 0 || claims["aws:viewer-id"] != "alice-sub" {
		t.Errorf("the token's viewer claims %v, want alice-sub with a session version", claims)
	}
}

func (r *managedKeyRehearsal) create(t *testing.T) {
	resp, err := r.cfn.Send(ctx(t), r.keyFn, CustomResourceRequest{RequestType: "Create",
		LogicalResourceID: r.customID, ResourceType: r.stack.Resources[r.customID].Type,
		Properties: r.properties(r.customID)}, 5*time.Minute)
	if err != nil || resp.Status != "SUCCESS" {
		t.Fatalf("Create: %+v, %v", resp, err)
	}
	if resp.PhysicalResourceID != r.secret {
		t.Errorf("physical ID %q, want the secret's ARN", resp.PhysicalResourceID)
	}
	if keys := r.e.ivsKeys(r.aws); len(keys) != 1 {
		t.Fatalf("IVS holds %d keys after Create, want 1", len(keys))
	}
	r.currentKey(t) // the secret's key is the one in IVS
	out, _ := json.Marshal(resp)
	if strings.Contains(string(out), "PRIVATE KEY") {
		t.Error("the custom resource's answer holds a private key")
	}
}

// currentKey returns the ARN of the IVS key whose public half is
// AWSCURRENT's.
func (r *managedKeyRehearsal) currentKey(t *testing.T) string {
	t.Helper()
	var pair keysecret.Value
	if err := json.Unmarshal([]byte(r.aws.SecretValue(r.secret, "AWSCURRENT")), &pair); err != nil {
		t.Fatalf("AWSCURRENT: %v", err)
	}
	for _, k := range r.e.ivsKeys(r.aws) {
		if strings.TrimSpace(k.PublicKeyMaterial) == strings.TrimSpace(pair.PublicKeyPEM) {
			return k.Arn
		}
	}
	t.Fatal("IVS holds no key for AWSCURRENT")
	return ""
}

// token asks the token function for a token.
func (r *managedKeyRehearsal) token(t *testing.T) (tokenReply, events.APIGatewayV2HTTPResponse) {
	t.Helper()
	resp, err := r.tokens.HTTP(ctx(t), r.caller(r.e.body(r.deployment)))
	if err != nil {
		t.Fatal(err)
	}
	var reply tokenReply
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(resp.Body), &reply); err != nil || reply.Token == "" {
			t.Fatalf("200 without a token: %s", resp.Body)
		}
	}
	return reply, resp
}

// mustToken wants a 200 answer.
func (r *managedKeyRehearsal) mustToken(t *testing.T) tokenReply {
	t.Helper()
	reply, resp := r.token(t)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token endpoint answered %d: %s", resp.StatusCode, resp.Body)
	}
	return reply
}

// verifiedBy returns the ARN of the IVS key that verifies the token a
// minute before it expires (a moment the token itself names, not the
// clock), or "" when no key IVS holds does.
func (r *managedKeyRehearsal) verifiedBy(t *testing.T, reply tokenReply) string {
	t.Helper()
	at := reply.ExpiresAt.Add(-time.Minute)
	for _, k := range r.e.ivsKeys(r.aws) {
		pub, err := ivstoken.ParsePublicKeyPEM([]byte(k.PublicKeyMaterial))
		if err != nil {
			t.Fatalf("IVS key %s: %v", k.Arn, err)
		}
		if r.e.verify(reply.Token, pub, k.Arn, at) == nil {
			return k.Arn
		}
	}
	return ""
}

func (r *managedKeyRehearsal) keyArns() []string {
	var arns []string
	for _, k := range r.e.ivsKeys(r.aws) {
		arns = append(arns, k.Arn)
	}
	return arns
}

func (r *managedKeyRehearsal) sweep(t *testing.T) {
	t.Helper()
	if _, err := r.keyFn.Invoke(ctx(t), r.sweepEvent); err != nil {
		t.Fatalf("sweep %s: %v", r.sweepEvent, err)
	}
}

// setUpProbe: Secrets Manager tests a new rotation schedule by running
// testSecret on an AWSPENDING version it then removes. Both shapes pass,
// and nothing changes.
func (r *managedKeyRehearsal) setUpProbe(t *testing.T) {
	keys, versions := r.keyArns(), len(r.aws.SecretVersions(r.secret))
	current := r.aws.SecretValue(r.secret, "AWSCURRENT")
	for _, shape := range []awsfake.ProbeShape{awsfake.ProbeEmpty, awsfake.ProbeCopy} {
		if err := r.aws.RotateSecret(r.secret, "", false, shape); err != nil {
			t.Fatalf("set-up test (shape %d): %v", shape, err)
		}
	}
	if got := r.keyArns(); strings.Join(got, ",") != strings.Join(keys, ",") {
		t.Errorf("the set-up test changed IVS's keys: %v -> %v", keys, got)
	}
	if got := len(r.aws.SecretVersions(r.secret)); got != versions || r.aws.SecretValue(r.secret, "AWSCURRENT") != current {
		t.Errorf("the set-up test changed the secret: %d versions -> %d", versions, got)
	}
	if by := r.verifiedBy(t, r.mustToken(t)); by != r.currentKey(t) {
		t.Errorf("a token after the set-up test verifies against %q, want the current key", by)
	}
}

// rotationGraceAndSweep: a rotation keeps the old key through its grace
// period (tokens of both verify, the sweep keeps both), endpoints sign
// with the new key within one TTL, a rotation inside the grace goes ahead,
// and once the grace is over the sweep leaves only the current key.
func (r *managedKeyRehearsal) rotationGraceAndSweep(t *testing.T) {
	first := r.currentKey(t)
	old := r.mustToken(t)
	if err := r.aws.RotateSecret(r.secret, "", true, 0); err != nil {
		t.Fatalf("rotation: %v", err)
	}
	second := r.currentKey(t)
	if second == first || len(r.keyArns()) != 2 {
		t.Fatalf("after a rotation IVS holds %v (current %s, was %s)", r.keyArns(), second, first)
	}
	r.sweep(t)
	if len(r.keyArns()) != 2 {
		t.Fatalf("the sweep inside the grace left %v", r.keyArns())
	}
	if by := r.verifiedBy(t, old); by != first {
		t.Errorf("during the grace a token of the old key verifies against %q, want %s", by, first)
	}
	time.Sleep(rehearsalKeyCacheTTL/2 + 500*time.Millisecond)
	if by := r.verifiedBy(t, r.mustToken(t)); by != second {
		t.Errorf("TTL/2 after the rotation a new token verifies against %q, want the new key %s", by, second)
	}

	// A second rotation inside the first one's grace; Secrets Manager's
	// clock is set so that this one completed a grace period ago.
	r.aws.SetClock(func() time.Time { return time.Now().Add(-r.grace - time.Minute) })
	defer r.aws.SetClock(time.Now)
	if err := r.aws.RotateSecret(r.secret, "", true, 0); err != nil {
		t.Fatalf("a rotation inside the grace failed: %v", err)
	}
	third := r.currentKey(t)
	if n := len(r.keyArns()); n != 3 {
		t.Errorf("a rotation inside the grace holds %d keys, want 3 (two in grace, the new one)", n)
	}
	r.sweep(t)
	if got := r.keyArns(); len(got) != 1 || got[0] != third {
		t.Errorf("after the grace the sweep left %v, want only %s", got, third)
	}
	if by := r.verifiedBy(t, old); by != "" {
		t.Errorf("after the grace a token of the first key still verifies against %s", by)
	}
}

// failureAtEachStep: a failure in any step leaves AWSCURRENT and the
// endpoints working; Secrets Manager's retry of the same version then
// completes. Secrets Manager's clock is set a grace period back, so each
// rotation's createSecret retires the keys before the current one; the
// test waits TTL/2 after each rotation, as the construct's grace period
// (key cache TTL + token lifetime) guarantees the endpoints do.
func (r *managedKeyRehearsal) failureAtEachStep(t *testing.T) {
	r.aws.SetClock(func() time.Time { return time.Now().Add(-r.grace - time.Minute) })
	defer r.aws.SetClock(time.Now)
	time.Sleep(rehearsalKeyCacheTTL/2 + 500*time.Millisecond)
	for _, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		before, current := r.aws.SecretValue(r.secret, "AWSCURRENT"), r.currentKey(t)
		r.failAt = step
		token := ivstoken.NewUUID()
		err := r.aws.RotateSecret(r.secret, token, true, 0)
		if err == nil || !strings.HasPrefix(err.Error(), step+":") {
			t.Errorf("%s failing in %s: the rotation answered %v", r.e.stepOperations[step], step, err)
			continue
		}
		if r.aws.SecretValue(r.secret, "AWSCURRENT") != before {
			t.Errorf("a failed %s changed AWSCURRENT", step)
		}
		if by := r.verifiedBy(t, r.mustToken(t)); by != current {
			t.Errorf("after a failed %s the endpoint's token verifies against %q, want the current key %s", step, by, current)
		}
		if err := r.aws.RotateSecret(r.secret, token, true, 0); err != nil {
			t.Errorf("retrying the rotation after a failed %s: %v", step, err)
		}
		if r.aws.SecretValue(r.secret, "AWSCURRENT") == before {
			t.Errorf("the retry after a failed %s did not rotate", step)
		}
		time.Sleep(rehearsalKeyCacheTTL/2 + 500*time.Millisecond)
	}
	r.sweep(t)
	if got := r.keyArns(); len(got) != 1 || got[0] != r.currentKey(t) {
		t.Errorf("after the failed rotations and a sweep IVS holds %v, want only the current key", got)
	}
}

// revocation: the documented emergency command deletes the current key
// at once; tokens of it no longer verify against any IVS key, and the
// endpoint signs with the new key within one TTL.
func (r *managedKeyRehearsal) revocation(t *testing.T) {
	time.Sleep(rehearsalKeyCacheTTL) // the endpoint holds the key of the last rotation
	compromised := r.currentKey(t)
	before := r.mustToken(t)
	if by := r.verifiedBy(t, before); by != compromised {
		t.Fatalf("before the revocation a token verifies against %q, want %s", by, compromised)
	}
	out, err := r.keyFn.Invoke(ctx(t), map[string]string{"Action": "Revoke"})
	if err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	var report struct {
		Revoked []string `json:"revoked"`
		Current string   `json:"current"`
	}
	if err := json.Unmarshal(out, &report); err != nil || len(report.Revoked) == 0 {
		t.Fatalf("Revoke answered %s", out)
	}
	if got := r.keyArns(); len(got) != 1 || got[0] != report.Current || report.Current == compromised {
		t.Fatalf("after the revocation IVS holds %v; the report says current %s", got, report.Current)
	}
	if by := r.verifiedBy(t, before); by != "" {
		t.Errorf("a token of the revoked key still verifies against %s", by)
	}
	time.Sleep(rehearsalKeyCacheTTL/2 + 500*time.Millisecond)
	if by := r.verifiedBy(t, r.mustToken(t)); by != report.Current {
		t.Errorf("TTL/2 after the revocation the endpoint signs for %q, want %s", by, report.Current)
	}
}

// unreadableSecret: once GetSecretValue is refused, a warm endpoint stops
// signing within one TTL and answers 503.
func (r *managedKeyRehearsal) unreadableSecret(t *testing.T) {
	r.mustToken(t) // warm, with a key read at most TTL/2 ago
	r.aws.Fail("GetSecretValue", awsfake.Failure{Code: "AccessDeniedException"})
	defer r.aws.Recover("GetSecretValue")
	time.Sleep(rehearsalKeyCacheTTL + 500*time.Millisecond)
	for range 3 {
		if _, resp := r.token(t); resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("one TTL after the secret became unreadable the endpoint answered %d: %s", resp.StatusCode, resp.Body)
		}
	}
	r.aws.Recover("GetSecretValue")
	r.mustToken(t) // and it recovers
}

// updateAndDelete: an Update keeps the key; a Delete removes every IVS key
// of the secret and answers SUCCESS with the same physical ID.
func (r *managedKeyRehearsal) updateAndDelete(t *testing.T) {
	props := r.properties(r.customID)
	before := r.keyArns()
	resp, err := r.cfn.Send(ctx(t), r.keyFn, CustomResourceRequest{RequestType: "Update",
		LogicalResourceID: r.customID, ResourceType: r.stack.Resources[r.customID].Type,
		PhysicalResourceID: r.secret, Properties: props, OldProperties: props}, 5*time.Minute)
	if err != nil || resp.Status != "SUCCESS" || resp.PhysicalResourceID != r.secret {
		t.Fatalf("Update: %+v, %v", resp, err)
	}
	if got := r.keyArns(); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Errorf("Update changed IVS's keys: %v -> %v", before, got)
	}
	resp, err = r.cfn.Send(ctx(t), r.keyFn, CustomResourceRequest{RequestType: "Delete",
		LogicalResourceID: r.customID, ResourceType: r.stack.Resources[r.customID].Type,
		PhysicalResourceID: r.secret, Properties: props}, 5*time.Minute)
	if err != nil || resp.Status != "SUCCESS" || resp.PhysicalResourceID != r.secret {
		t.Fatalf("Delete: %+v, %v", resp, err)
	}
	if got := r.keyArns(); len(got) != 0 {
		t.Errorf("Delete left IVS keys %v", got)
	}
}

// rehearseDeadline: when the services hang, the key function still
// answers CloudFormation (FAILED, with the reason) before its timeout. The
// function's timeout is shortened from the template's to 20 s for the
// rehearsal; the margin before it is the handler's own.
func rehearseDeadline(t *testing.T, example, stack, keyPrefix, customType string) {
	d := deploy(t, example, stack)
	spec := d.spec(keyPrefix + "Function")
	spec.Timeout = 20
	fn := d.start(spec)
	id := d.id(customType, keyPrefix)
	d.aws.SetDelay(time.Hour)
	defer d.aws.SetDelay(0)
	start := time.Now()
	resp, err := d.cfn.Send(ctx(t), fn, CustomResourceRequest{RequestType: "Create", LogicalResourceID: id,
		ResourceType: customType, Properties: d.properties(id)}, time.Duration(spec.Timeout)*time.Second)
	if err != nil {
		t.Fatalf("CloudFormation got no answer before the function's %d s timeout: %v", spec.Timeout, err)
	}
	if resp.Status != "FAILED" || resp.Reason == "" {
		t.Errorf("answer %+v, want FAILED with a reason", resp)
	}
	t.Logf("answered %s after %s: %s", resp.Status, time.Since(start).Round(time.Second), resp.Reason)
}
