package managedkey

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// TestSetUpProbePassesWithoutSideEffects: when rotation is turned on
// without an immediate rotation, Secrets Manager runs testSecret on an
// AWSPENDING version it made and then removes. Whatever that version
// holds, the step passes and changes nothing in IVS or the secret.
func TestSetUpProbePassesWithoutSideEffects(t *testing.T) {
	for name, shape := range map[string]awsfake.ProbeShape{"empty": awsfake.ProbeEmpty, "copy of AWSCURRENT": awsfake.ProbeCopy} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			f.create()
			f.enableRotation()
			keysBefore, versionsBefore := f.aws.KeyPairs(), f.aws.SecretVersions(f.secret)
			imports, deletes, puts := f.aws.Calls("ImportPlaybackKeyPair"), f.aws.Calls("DeletePlaybackKeyPair"), f.aws.Calls("PutSecretValue")

			if err := f.aws.RotateSecret(f.secret, "77777777-7777-4777-8777-777777777777", false, shape); err != nil {
				t.Fatalf("the set-up test failed: %v", err)
			}
			if got := f.aws.Calls("ImportPlaybackKeyPair") - imports + f.aws.Calls("DeletePlaybackKeyPair") - deletes; got != 0 {
				t.Errorf("the set-up test made %d IVS key changes", got)
			}
			if f.aws.Calls("PutSecretValue") != puts || f.aws.Calls("UpdateSecretVersionStage") != 0 {
				t.Error("the set-up test wrote to the secret")
			}
			if !slices.EqualFunc(f.aws.KeyPairs(), keysBefore, func(a, b awsfake.KeyPair) bool { return a.Arn == b.Arn }) {
				t.Error("the IVS keys changed")
			}
			if after := f.aws.SecretVersions(f.secret); !slices.Equal(slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(versionsBefore))) {
				t.Errorf("secret versions %v, want %v", slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(versionsBefore)))
			}
		})
	}
}

// TestFinishSecretNeverPromotesAProbe: were Secrets Manager to run
// finishSecret on a version no createSecret made, AWSCURRENT stays.
func TestFinishSecretNeverPromotesAProbe(t *testing.T) {
	f := newFixture(t)
	f.create()
	before := f.currentKey()
	const token = "88888888-8888-4888-8888-888888888888"
	f.startRotation(token)
	if err := f.step("testSecret", token); err != nil {
		t.Fatalf("testSecret on an empty pending version: %v", err)
	}
	if err := f.step("finishSecret", token); err == nil {
		t.Fatal("finishSecret promoted a version without a key")
	}
	if f.currentKey() != before {
		t.Fatal("AWSCURRENT moved")
	}
}

// TestRotateImmediatelyRunsTheFourSteps: RotateSecret with
// RotateImmediately, through the local Secrets Manager.
func TestRotateImmediatelyRunsTheFourSteps(t *testing.T) {
	f := newFixture(t)
	f.create()
	before := f.currentKey()
	if err := f.rotate("99999999-9999-4999-8999-999999999999"); err != nil {
		t.Fatal(err)
	}
	if f.currentKey() == before || len(f.keyPairVersions()) != 2 {
		t.Errorf("after an immediate rotation: key moved %v, %d keys", f.currentKey() != before, len(f.keyPairVersions()))
	}
	if v := f.aws.SecretVersions(f.secret)["99999999-9999-4999-8999-999999999999"]; slices.Contains(v.Stages, "AWSPENDING") {
		t.Error("AWSPENDING left on the rotated version")
	}
}

// TestRevokeCutsEveryOtherKeyAtOnce: the emergency revocation leaves one
// key in IVS, the new current one; tokens signed with the old keys verify
// against no key IVS holds any more; a token signed with the new key does.
func TestRevokeCutsEveryOtherKeyAtOnce(t *testing.T) {
	f := newFixture(t)
	f.create()
	if err := f.rotate("11111111-1111-4111-8111-111111111111"); err != nil {
		t.Fatal(err)
	}
	compromised := f.currentKey()
	others := f.aws.AddKeyPair("another-teams-key", map[string]string{"team": "b"})
	f.m.NewVersionID = func() string { return "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" }

	out, err := f.m.Handle(context.Background(), json.RawMessage(`{"Action":"Revoke"}`))
	if err != nil {
		t.Fatal(err)
	}
	report := out.(*RevokeReport)
	if len(report.Revoked) != 2 || report.Version != "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" || !strings.Contains(report.Note, "valid ones included") {
		t.Errorf("report %+v", report)
	}
	now := f.currentKey()
	if now == compromised {
		t.Fatal("AWSCURRENT still holds the compromised key")
	}
	if f.aws.SecretValue(f.secret, "AWSPREVIOUS") != compromised {
		t.Error("the compromised key is not AWSPREVIOUS")
	}
	var ivsKeys []*keysecret.Value
	for _, kp := range f.aws.KeyPairs() {
		if kp.Arn == others {
			continue
		}
		ivsKeys = append(ivsKeys, &keysecret.Value{PublicKeyPEM: kp.PublicKeyMaterial})
	}
	if len(ivsKeys) != 1 || report.Current == "" {
		t.Fatalf("%d keys of the secret left in IVS, want 1", len(ivsKeys))
	}
	pub, _ := ivstoken.ParsePublicKeyPEM([]byte(ivsKeys[0].PublicKeyPEM))
	signWith := func(value string) string {
		key, _ := keysecret.Parse(value)
		signer, _ := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(func() time.Time { return f.now }))
		token, err := signer.Sign(ivstoken.PlaybackClaims{ChannelArn: "arn:aws:ivs:us-west-2:123456789012:channel/c", ExpiresAt: f.now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	if _, err := ivstoken.VerifyPlaybackToken(signWith(compromised), pub, f.now); err == nil {
		t.Error("a token of the compromised key verifies against the key IVS holds")
	}
	if _, err := ivstoken.VerifyPlaybackToken(signWith(now), pub, f.now); err != nil {
		t.Errorf("a token of the new key does not verify: %v", err)
	}
	if pairs := f.aws.KeyPairs(); !slices.ContainsFunc(pairs, func(k awsfake.KeyPair) bool { return k.Arn == others }) {
		t.Error("the revocation deleted another team's key")
	}
}

// TestRevokeFailureKeepsTheCurrentKey: when the new key cannot be stored,
// the old key stays current and in IVS.
func TestRevokeFailureKeepsTheCurrentKey(t *testing.T) {
	f := newFixture(t)
	f.create()
	before := f.currentKey()
	f.m.NewVersionID = func() string { return "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb" }
	f.aws.Fail("PutSecretValue", awsfake.Failure{Code: "AccessDeniedException", Times: 1})
	if _, err := f.m.Revoke(context.Background(), f.secret); err == nil || !strings.Contains(err.Error(), "the current key was not replaced") {
		t.Fatalf("err = %v", err)
	}
	if f.currentKey() != before || len(f.keyPairVersions()) != 2 {
		t.Errorf("after a failed revocation: key moved %v, %d keys (old plus the unused new one)", f.currentKey() != before, len(f.keyPairVersions()))
	}
	if err := f.sweep(); err != nil || len(f.keyPairVersions()) != 1 {
		t.Errorf("the sweep did not remove the unused key: %v, %d keys", err, len(f.keyPairVersions()))
	}
}

// TestDeleteTrustsThePhysicalID: a Delete whose properties name another
// secret deletes the keys of the secret in the physical ID; a physical ID
// that is no secret of this function deletes nothing.
func TestDeleteTrustsThePhysicalID(t *testing.T) {
	f := newFixture(t)
	f.create()
	victim := f.aws.CreateSecret("SomeoneElsesSecret")
	theirs := f.aws.AddKeyPair("theirs", map[string]string{TagSecret: victim, TagVersion: "v"})
	for _, physical := range []string{"2026/11/30/[$LATEST]abcdef", victim} {
		_, _, err := f.m.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestDelete,
			PhysicalResourceID: physical, ResourceProperties: map[string]any{PropertySecretArn: victim}})
		if err != nil {
			t.Fatalf("Delete of %q: %v", physical, err)
		}
		if n := len(f.aws.KeyPairs()); n != 2 {
			t.Fatalf("Delete of %q deleted keys: %d left, want 2", physical, n)
		}
	}
	_, _, err := f.m.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestDelete,
		PhysicalResourceID: f.secret, ResourceProperties: map[string]any{PropertySecretArn: victim}})
	if err != nil {
		t.Fatal(err)
	}
	if pairs := f.aws.KeyPairs(); len(pairs) != 1 || pairs[0].Arn != theirs {
		t.Errorf("after Delete of our physical ID: %+v, want only the other secret's key", pairs)
	}
	// Requests naming another secret are refused outright.
	_, _, err = f.m.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestCreate,
		ResourceProperties: map[string]any{PropertySecretArn: victim}})
	if err == nil || !strings.Contains(err.Error(), "serves secret") {
		t.Errorf("Create for another secret: %v", err)
	}
	if err := f.m.HandleRotation(context.Background(), RotationEvent{SecretID: victim, ClientRequestToken: "x", Step: "createSecret"}); err == nil {
		t.Error("a rotation of another secret was accepted")
	}
}

// TestCustomResourceAnswersBeforeTheFunctionTimesOut: a request that
// cannot finish is answered FAILED before the function's deadline.
func TestCustomResourceAnswersBeforeTheFunctionTimesOut(t *testing.T) {
	f := newFixture(t)
	responses := make(chan string, 1)
	server := newResponseServer(t, responses)
	f.aws.Delay = 2 * time.Second // every AWS call hangs this long
	ctx, cancel := context.WithTimeout(context.Background(), responseMargin+500*time.Millisecond)
	defer cancel()
	event, _ := json.Marshal(map[string]any{
		"RequestType": "Create", "ResponseURL": server, "StackId": "arn:aws:cloudformation:us-west-2:123456789012:stack/s/1",
		"RequestId": "r1", "LogicalResourceId": "Key", "ResourceType": "Custom::IvsManagedPlaybackKeyPair",
		"ResourceProperties": map[string]any{PropertySecretArn: f.secret},
	})
	start := time.Now()
	f.m.Handle(ctx, event)
	select {
	case body := <-responses:
		if !strings.Contains(body, `"Status":"FAILED"`) {
			t.Errorf("response %s, want FAILED", body)
		}
	default:
		t.Fatal("no response reached CloudFormation")
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("answered after %s, want within the 500 ms left before the margin", took)
	}
}

// newResponseServer stands in for CloudFormation's pre-signed response URL:
// each response body is sent on responses.
func newResponseServer(t *testing.T, responses chan<- string) string {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		responses <- string(body)
	}))
	t.Cleanup(server.Close)
	return server.URL
}

// TestRevokeWithAFullQuota: with every IVS slot taken, the revocation
// deletes the compromised current key first, then imports the new one.
func TestRevokeWithAFullQuota(t *testing.T) {
	f := newFixture(t)
	f.create()
	f.aws.AddKeyPair("team-b", nil)
	f.aws.AddKeyPair("team-c", nil)
	f.m.NewVersionID = func() string { return "cccccccc-cccc-4ccc-8ccc-cccccccccccc" }
	compromised := f.currentKey()
	report, err := f.m.Revoke(context.Background(), f.secret)
	if err != nil {
		t.Fatal(err)
	}
	if f.currentKey() == compromised || len(report.Revoked) != 1 || len(f.keyPairVersions()) != 1 || len(f.aws.KeyPairs()) != 3 {
		t.Errorf("report %+v; %d keys of the secret, %d in all", report, len(f.keyPairVersions()), len(f.aws.KeyPairs()))
	}
}
