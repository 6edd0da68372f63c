package managedkey

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const grace = 20 * time.Minute

// fixture is a Manager wired to a fake AWS through the real SDK clients,
// with a settable clock and a secret as CloudFormation creates it.
type fixture struct {
	t      *testing.T
	aws    *awsfake.Server
	m      *Manager
	secret string
	now    time.Time
	logs   []string
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, aws: awsfake.New(t), now: time.Date(2039, 11, 25, 12, 0, 0, 0, time.UTC)}
	f.aws.Now = func() time.Time { return f.now }
	cfg := f.aws.Config()
	f.m = &Manager{
		Keys:         PlaybackKeyPairs(ivs.NewFromConfig(cfg)),
		Secrets:      secretsmanager.NewFromConfig(cfg),
		NamePrefix:   "TestStackKey",
		GracePeriod:  grace,
		Now:          func() time.Time { return f.now },
		NewVersionID: func() string { return "00000000-0000-4000-8000-000000000001" },
		Logf: func(format string, args ...any) {
			f.logs = append(f.logs, format)
		},
	}
	f.secret = f.aws.CreateSecret("TestStackKeySecret")
	f.m.SecretArn = f.secret
	return f
}

// enableRotation makes the manager the secret's rotation function in the
// local Secrets Manager, which then runs it as RotateSecret does.
func (f *fixture) enableRotation() {
	f.aws.SetRotationFunction(f.secret, func(step, secret, token string) error {
		return f.m.HandleRotation(context.Background(), RotationEvent{SecretID: secret, ClientRequestToken: token, Step: step})
	})
}

func (f *fixture) create() (string, map[string]any) {
	f.t.Helper()
	id, data, err := f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType:        cfn.RequestCreate,
		ResourceProperties: map[string]any{PropertySecretArn: f.secret},
	})
	if err != nil {
		f.t.Fatalf("Create: %v", err)
	}
	return id, data
}

func (f *fixture) step(step, token string) error {
	return f.m.HandleRotation(context.Background(), RotationEvent{SecretID: f.secret, ClientRequestToken: token, Step: step})
}

// rotate rotates the secret at once, as RotateSecret with
// RotateImmediately does: an AWSPENDING label on version token, the four
// steps, then the rotation is complete (LastRotatedDate).
func (f *fixture) rotate(token string) error {
	f.enableRotation()
	return f.aws.RotateSecret(f.secret, token, true, awsfake.ProbeEmpty)
}

// startRotation does what RotateSecret does before calling the function:
// it reserves the version ID with the AWSPENDING label. The fake models it
// by letting createSecret's PutSecretValue create the version; the label
// must exist for DescribeSecret, so the fixture puts a placeholder.
func (f *fixture) startRotation(token string) {
	f.t.Helper()
	f.aws.EnableRotation(f.secret)
	f.aws.ReservePending(f.secret, token)
}

func (f *fixture) currentKey() string {
	f.t.Helper()
	v := f.aws.SecretValue(f.secret, "AWSCURRENT")
	if _, err := keysecret.Parse(v); err != nil {
		f.t.Fatalf("AWSCURRENT does not hold a managed key: %v", err)
	}
	return v
}

func (f *fixture) keyPairVersions() []string {
	var out []string
	for _, kp := range f.aws.KeyPairs() {
		if kp.Tags[TagSecret] == f.secret {
			out = append(out, kp.Tags[TagVersion])
		}
	}
	return out
}

func TestCreateGeneratesTheKeyInsideTheSecretAndImportsItsPublicHalf(t *testing.T) {
	f := newFixture(t)
	id, data := f.create()
	if id != f.secret {
		t.Errorf("physical ID %q, want the secret ARN", id)
	}
	value := f.currentKey()
	pairs := f.aws.KeyPairs()
	if len(pairs) != 1 {
		t.Fatalf("%d key pairs in IVS, want 1", len(pairs))
	}
	var v keysecret.Value
	_ = json.Unmarshal([]byte(value), &v)
	if pairs[0].PublicKeyMaterial != v.PublicKeyPEM || strings.Contains(pairs[0].PublicKeyMaterial, "PRIVATE") {
		t.Error("IVS did not get exactly the secret's public key")
	}
	if pairs[0].Name != "TestStackKey-00000000-0000-4000-8000-000000000001" || pairs[0].Tags[TagSecret] != f.secret {
		t.Errorf("key pair name %q, tags %v", pairs[0].Name, pairs[0].Tags)
	}
	if len(data) != 1 || data[AttributeKeyArn] != pairs[0].Arn {
		t.Errorf("response data %v, want only the key pair ARN", data)
	}
	for _, line := range f.logs {
		if strings.Contains(line, "PRIVATE") {
			t.Errorf("a log line holds key material: %s", line)
		}
	}

	// A retried create (or an update) keeps the key and the key pair.
	f.create()
	if f.currentKey() != value || len(f.aws.KeyPairs()) != 1 {
		t.Error("a retried create made a new key or key pair")
	}
	if got := f.aws.Calls("PutSecretValue"); got != 1 {
		t.Errorf("PutSecretValue called %d times, want 1", got)
	}
}

func TestCreateRecoversFromAFailedImport(t *testing.T) {
	f := newFixture(t)
	f.aws.Fail("ImportPlaybackKeyPair", awsfake.Failure{Code: "AccessDeniedException", Status: 403, Times: 1})
	_, _, err := f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{PropertySecretArn: f.secret},
	})
	if err == nil || !strings.Contains(err.Error(), "importing the IVS playback key pair") {
		t.Fatalf("err = %v", err)
	}
	value := f.currentKey()
	f.create()
	if f.currentKey() != value || len(f.aws.KeyPairs()) != 1 {
		t.Error("the retry did not import the key already in the secret")
	}
}

func TestDeleteRemovesEveryKeyPairOfTheSecretAndNoOther(t *testing.T) {
	f := newFixture(t)
	f.create()
	others := f.aws.AddKeyPair("another-teams-key", map[string]string{"team": "b"})
	f.startRotation("11111111-1111-4111-8111-111111111111")
	if err := f.rotate("11111111-1111-4111-8111-111111111111"); err != nil {
		t.Fatal(err)
	}
	if n := len(f.keyPairVersions()); n != 2 {
		t.Fatalf("%d key pairs of the secret before delete, want 2", n)
	}
	_, _, err := f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType: cfn.RequestDelete, PhysicalResourceID: f.secret,
		ResourceProperties: map[string]any{PropertySecretArn: f.secret},
	})
	if err != nil {
		t.Fatal(err)
	}
	pairs := f.aws.KeyPairs()
	if len(pairs) != 1 || pairs[0].Arn != others {
		t.Errorf("after delete: %+v, want only the other team's key pair", pairs)
	}
}

func TestRotationMovesSigningAndKeepsAtMostTwoKeyPairs(t *testing.T) {
	f := newFixture(t)
	f.create()
	first := f.currentKey()

	const t1 = "11111111-1111-4111-8111-111111111111"
	f.startRotation(t1)
	// Every step may be retried: run each twice.
	for _, step := range []string{"createSecret", "createSecret", "setSecret", "setSecret", "testSecret", "testSecret"} {
		if err := f.step(step, t1); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if f.currentKey() != first {
			t.Fatalf("AWSCURRENT moved during %s", step)
		}
	}
	if err := f.step("finishSecret", t1); err != nil {
		t.Fatal(err)
	}
	if err := f.step("finishSecret", t1); err != nil {
		t.Fatalf("a retried finishSecret: %v", err)
	}
	f.aws.CompleteRotation(f.secret, t1)
	second := f.currentKey()
	if second == first {
		t.Fatal("AWSCURRENT did not move to the new key")
	}
	if f.aws.SecretValue(f.secret, "AWSPREVIOUS") != first {
		t.Error("the old key is not AWSPREVIOUS")
	}
	if got := f.keyPairVersions(); len(got) != 2 {
		t.Fatalf("key pairs after one rotation: %v, want the old and the new", got)
	}

	// A rotation inside the grace period goes ahead; the previous key
	// stays until its grace ends, so for that while there are three.
	const t2 = "22222222-2222-4222-8222-222222222222"
	f.now = f.now.Add(grace - time.Minute)
	if err := f.rotate(t2); err != nil {
		t.Fatalf("a rotation inside the grace period: %v", err)
	}
	if versions := f.keyPairVersions(); len(versions) != 3 {
		t.Fatalf("key pairs after a rotation inside the grace: %v, want three", versions)
	}
	third := f.currentKey()
	if third == second {
		t.Fatal("the rotation inside the grace did not move AWSCURRENT")
	}

	// The scheduled sweep keeps every key until the grace of the last
	// completed rotation ends, then leaves the current and the previous.
	if err := f.sweep(); err != nil {
		t.Fatal(err)
	}
	if n := len(f.keyPairVersions()); n != 3 {
		t.Errorf("a sweep inside the grace deleted keys: %d left, want 3", n)
	}
	f.now = f.now.Add(grace)
	if err := f.sweep(); err != nil {
		t.Fatal(err)
	}
	versions := f.keyPairVersions()
	if len(versions) != 1 || !contains(versions, t2) {
		t.Errorf("key pairs after the grace: %v, want only %s", versions, t2)
	}
}

// sweep runs the scheduled event the construct sends.
func (f *fixture) sweep() error {
	_, err := f.m.Handle(context.Background(), json.RawMessage(`{"Action":"RetireExpiredKeys"}`))
	return err
}

func TestAbandonedRotationsKeyPairIsRetiredAtOnce(t *testing.T) {
	f := newFixture(t)
	f.create()
	const abandoned, next = "33333333-3333-4333-8333-333333333333", "44444444-4444-4444-8444-444444444444"
	f.startRotation(abandoned)
	for _, step := range []string{"createSecret", "setSecret"} {
		if err := f.step(step, abandoned); err != nil {
			t.Fatal(err)
		}
	}
	// Secrets Manager starts over with a new version ID.
	f.startRotation(next)
	if err := f.rotate(next); err != nil {
		t.Fatal(err)
	}
	if versions := f.keyPairVersions(); len(versions) != 2 || contains(versions, abandoned) {
		t.Errorf("key pairs: %v, want the first and %s", versions, next)
	}
}

func TestRotationFailuresLeaveTheCurrentKeyWorking(t *testing.T) {
	const token = "55555555-5555-4555-8555-555555555555"
	cases := []struct {
		name, operation, code string
		status                int
		failingStep, want     string
	}{
		{"secret unreadable", "DescribeSecret", "AccessDeniedException", 400, "createSecret", "describing secret"},
		{"cannot store the new key", "PutSecretValue", "InternalServiceError", 400, "createSecret", "storing the new private key"},
		{"IVS quota reached", "ImportPlaybackKeyPair", "ServiceQuotaExceededException", 402, "setSecret", "maximum of 3 playback key pairs"},
		{"IVS unreachable", "ListPlaybackKeyPairs", "AccessDeniedException", 403, "setSecret", "listing IVS playback key pairs"},
		{"pending key pair unlisted", "ListPlaybackKeyPairs", "AccessDeniedException", 403, "testSecret", "listing IVS playback key pairs"},
		{"label cannot move", "UpdateSecretVersionStage", "InvalidRequestException", 400, "finishSecret", "moving AWSCURRENT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.create()
			before := f.currentKey()
			f.startRotation(token)
			steps := []string{"createSecret", "setSecret", "testSecret", "finishSecret"}
			for _, step := range steps {
				if step == c.failingStep {
					f.aws.Fail(c.operation, awsfake.Failure{Code: c.code, Status: c.status, Times: 1})
					err := f.step(step, token)
					if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), step) {
						t.Fatalf("%s: err = %v, want one naming the step and %q", step, err, c.want)
					}
					if f.currentKey() != before {
						t.Fatal("a failed step moved AWSCURRENT")
					}
				}
				// The retry (Secrets Manager's next attempt) goes through.
				if err := f.step(step, token); err != nil {
					t.Fatalf("%s retried: %v", step, err)
				}
			}
			if f.currentKey() == before {
				t.Error("the retried rotation did not complete")
			}
		})
	}
}

func TestRotationRefusesWhatIsNotARotation(t *testing.T) {
	f := newFixture(t)
	f.create()
	const token = "66666666-6666-4666-8666-666666666666"
	if err := f.step("createSecret", token); err == nil || !strings.Contains(err.Error(), "does not have rotation enabled") {
		t.Errorf("rotation disabled: %v", err)
	}
	f.aws.EnableRotation(f.secret)
	if err := f.step("createSecret", token); err == nil || !strings.Contains(err.Error(), "has no version") {
		t.Errorf("unknown version: %v", err)
	}
	f.startRotation(token)
	if err := f.step("dropSecret", token); err == nil || !strings.Contains(err.Error(), "unknown step") {
		t.Errorf("unknown step: %v", err)
	}
	if err := f.step("finishSecret", token); err == nil || !strings.Contains(err.Error(), "reading the pending version") {
		t.Errorf("finishSecret before createSecret: %v", err)
	}
	if err := f.rotate(token); err != nil {
		t.Fatal(err)
	}
	if err := f.step("createSecret", token); err != nil {
		t.Errorf("a step for the version already current should do nothing: %v", err)
	}
}

// TestHandleAnswersCloudFormationWithoutKeyMaterial runs the Lambda entry
// point with a real custom resource request: the response it PUTs to the
// pre-signed URL is what CloudFormation would store and show.
func TestHandleAnswersCloudFormationWithoutKeyMaterial(t *testing.T) {
	f := newFixture(t)
	var body []byte
	responses := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
	}))
	defer responses.Close()
	event, _ := json.Marshal(map[string]any{
		"RequestType": "Create", "ResponseURL": responses.URL, "StackId": "arn:aws:cloudformation:us-west-2:123456789012:stack/s/1",
		"RequestId": "r1", "LogicalResourceId": "KeyPair", "ResourceType": "Custom::IvsManagedPlaybackKeyPair",
		"ResourceProperties": map[string]any{"ServiceToken": "arn:aws:lambda:us-west-2:123456789012:function:f", PropertySecretArn: f.secret},
	})
	if _, err := f.m.Handle(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Status, PhysicalResourceId string
		Data                       map[string]string
	}
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	if res.Status != "SUCCESS" || res.PhysicalResourceId != f.secret || res.Data[AttributeKeyArn] == "" {
		t.Errorf("response %s", body)
	}
	if strings.Contains(string(body), "PRIVATE KEY") || strings.Contains(string(body), "privateKeyPem") {
		t.Error("the CloudFormation response holds key material")
	}
	for _, unknown := range []string{`{"hello":1}`, `{"Action":"DeleteEverything"}`} {
		if _, err := f.m.Handle(context.Background(), json.RawMessage(unknown)); err == nil {
			t.Errorf("the event %s was accepted", unknown)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPublicKeysGoThroughTheSameLifecycle(t *testing.T) {
	f := newFixture(t)
	f.m.Keys = PublicKeys(f.aws.Config())
	_, data := f.create()
	keys := f.aws.PublicKeys()
	if len(keys) != 1 || len(f.aws.KeyPairs()) != 0 {
		t.Fatalf("after create: %d public keys, %d playback key pairs; want 1 and 0", len(keys), len(f.aws.KeyPairs()))
	}
	if data[AttributeKeyArn] != keys[0].Arn || !strings.Contains(keys[0].Arn, ":public-key/") {
		t.Fatalf("KeyArn = %v, want the public key's ARN %s", data[AttributeKeyArn], keys[0].Arn)
	}
	if got := f.aws.SignedFor("ImportPublicKey"); got != "ivs" {
		t.Errorf("ImportPublicKey was signed for %q; the IVS real-time API's signing name is \"ivs\"", got)
	}
	current := f.currentKey()
	secret, _ := keysecret.Parse(current)
	imported, err := ivstoken.ParsePublicKeyPEM([]byte(keys[0].PublicKeyMaterial))
	if err != nil || !imported.Equal(&secret.PublicKey) {
		t.Errorf("the imported public key is not the secret's (%v)", err)
	}

	const token = "66666666-6666-4666-8666-666666666666"
	f.startRotation(token)
	if err := f.rotate(token); err != nil {
		t.Fatal(err)
	}
	if n := len(f.aws.PublicKeys()); n != 2 {
		t.Fatalf("after the rotation: %d public keys, want 2 (old kept for the grace period)", n)
	}
	arn, err := FindKey(context.Background(), f.m.Keys, f.secret, token)
	if err != nil || !strings.Contains(arn, ":public-key/") {
		t.Fatalf("FindKey(current version) = %q, %v", arn, err)
	}
	if _, err := FindKey(context.Background(), f.m.Keys, f.secret, "no-such-version"); err == nil {
		t.Fatal("FindKey found a key for a version that has none")
	}

	_, _, err = f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType: cfn.RequestDelete, PhysicalResourceID: f.secret,
		ResourceProperties: map[string]any{PropertySecretArn: f.secret},
	})
	if err != nil || len(f.aws.PublicKeys()) != 0 {
		t.Fatalf("delete: err %v, %d public keys left", err, len(f.aws.PublicKeys()))
	}
}
