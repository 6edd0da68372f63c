package managedkey

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

// newCookieFixture is a manager of CloudFront cookie keys.
func newCookieFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.m.Keys = CloudFrontPublicKeys(cloudfront.NewFromConfig(f.aws.Config()), f.secret, f.m.NamePrefix)
	f.m.Format = CookieKeys
	return f
}

// cookieKeyNames lists the CloudFront public keys by name, and the names of
// the keys in the manager's key group.
func (f *fixture) cookieKeyNames() (keys, inGroup []string) {
	byID := map[string]string{}
	for _, k := range f.aws.CloudFrontKeys() {
		keys = append(keys, k.Name)
		byID[k.ID] = k.Name
	}
	for _, g := range f.aws.KeyGroups() {
		if g.Name != f.m.NamePrefix {
			continue
		}
		for _, id := range g.Items {
			inGroup = append(inGroup, byID[id])
		}
	}
	slices.Sort(inGroup)
	return keys, inGroup
}

func TestCookieKeysLiveInOneKeyGroup(t *testing.T) {
	f := newCookieFixture(t)
	_, data := f.create()

	value := f.aws.SecretValue(f.secret, "AWSCURRENT")
	private, err := keysecret.ParseCookieKey(value)
	if err != nil {
		t.Fatalf("AWSCURRENT does not hold a cookie key: %v", err)
	}
	keys := f.aws.CloudFrontKeys()
	groups := f.aws.KeyGroups()
	if len(keys) != 1 || len(groups) != 1 {
		t.Fatalf("after create: %d public keys and %d key groups, want 1 and 1", len(keys), len(groups))
	}
	if keys[0].Name != "TestStackKey-00000000-0000-4000-8000-000000000001" || groups[0].Name != "TestStackKey" {
		t.Errorf("public key %q in group %q", keys[0].Name, groups[0].Name)
	}
	public, err := cfcookie.ParsePublicKeyPEM([]byte(keys[0].EncodedKey))
	if err != nil || !public.Equal(private.Public()) || strings.Contains(keys[0].EncodedKey, "PRIVATE") {
		t.Fatalf("CloudFront did not get exactly the secret's public key (%v)", err)
	}
	if data[AttributeKeyArn] != keys[0].ID || data[AttributeKeyGroupID] != groups[0].ID || len(data) != 2 {
		t.Errorf("response data %v, want KeyArn %s and KeyGroupId %s only", data, keys[0].ID, groups[0].ID)
	}
	if !slices.Equal(groups[0].Items, []string{keys[0].ID}) {
		t.Errorf("key group items %v, want the one key", groups[0].Items)
	}
	// A retried create changes nothing.
	f.create()
	if len(f.aws.CloudFrontKeys()) != 1 || len(f.aws.KeyGroups()) != 1 {
		t.Error("a retried create made another key or group")
	}
}

func TestCookieKeyRotationKeepsTheOldKeyTrustedForTheGrace(t *testing.T) {
	f := newCookieFixture(t)
	f.create()
	const token = "77777777-7777-4777-8777-777777777777"
	f.startRotation(token)
	if err := f.rotate(token); err != nil {
		t.Fatal(err)
	}
	keys, inGroup := f.cookieKeyNames()
	want := []string{"TestStackKey-00000000-0000-4000-8000-000000000001", "TestStackKey-" + token}
	if !slices.Equal(keys, want) || !slices.Equal(inGroup, want) {
		t.Fatalf("after a rotation: keys %v, in the group %v; want both, both trusted", keys, inGroup)
	}
	id, err := FindKey(context.Background(), f.m.Keys, f.secret, token)
	if err != nil || id == "" {
		t.Fatalf("FindKey(current version) = %q, %v", id, err)
	}
	if err := f.sweep(); err != nil {
		t.Fatal(err)
	}
	if keys, _ := f.cookieKeyNames(); len(keys) != 2 {
		t.Fatalf("a sweep inside the grace left %v", keys)
	}
	f.now = f.now.Add(grace + 1)
	if err := f.sweep(); err != nil {
		t.Fatal(err)
	}
	keys, inGroup = f.cookieKeyNames()
	if !slices.Equal(keys, want[1:]) || !slices.Equal(inGroup, want[1:]) {
		t.Fatalf("after the grace: keys %v, in the group %v; want only the new one", keys, inGroup)
	}
}

func TestCookieKeyRevokeAndDeleteLeaveNoKeyOrGroup(t *testing.T) {
	f := newCookieFixture(t)
	other := f.aws.AddCloudFrontKey("SomeoneElse-1")
	f.create()
	f.m.NewVersionID = func() string { return "88888888-8888-4888-8888-888888888888" }
	report, err := f.m.Revoke(context.Background(), f.secret)
	if err != nil {
		t.Fatalf("Revoke: %v (%+v)", err, report)
	}
	_, inGroup := f.cookieKeyNames()
	if len(inGroup) != 1 || strings.HasSuffix(inGroup[0], "-00000000-0000-4000-8000-000000000001") {
		t.Fatalf("after revoke the group trusts %v, want only a new key", inGroup)
	}
	_, _, err = f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType: cfn.RequestDelete, PhysicalResourceID: f.secret,
	})
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	keys := f.aws.CloudFrontKeys()
	if len(keys) != 1 || keys[0].ID != other || len(f.aws.KeyGroups()) != 0 {
		t.Fatalf("after delete: keys %+v, groups %+v; want only someone else's key", keys, f.aws.KeyGroups())
	}
}

func TestCookieKeyCreateFinishesAnImportCutShort(t *testing.T) {
	f := newCookieFixture(t)
	f.aws.Fail("CreateKeyGroup", awsfake.Failure{Code: "ServiceUnavailable", Status: 503, Times: 10})
	if _, _, err := f.m.HandleCustomResource(context.Background(), cfn.Event{
		RequestType: cfn.RequestCreate, ResourceProperties: map[string]any{PropertySecretArn: f.secret},
	}); err == nil {
		t.Fatal("a create whose key group failed reported success")
	}
	if keys, inGroup := f.cookieKeyNames(); len(keys) != 1 || len(inGroup) != 0 {
		t.Fatalf("the failure left keys %v, group %v", keys, inGroup)
	}
	f.aws.Recover("CreateKeyGroup")
	_, data := f.create()
	keys, inGroup := f.cookieKeyNames()
	if len(keys) != 1 || !slices.Equal(keys, inGroup) || data[AttributeKeyGroupID] == nil {
		t.Fatalf("the retry left keys %v, group %v, data %v; want the one key trusted", keys, inGroup, data)
	}
}

func TestCookieKeysComeFromTheEnvironment(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	env := map[string]string{EnvGracePeriod: "15m", EnvKeyKind: KindCloudFrontPublicKey}
	if _, err := FromEnvironment(context.Background(), func(k string) string { return env[k] }); err == nil ||
		!strings.Contains(err.Error(), EnvSecretArn) {
		t.Fatalf("a CloudFront manager without its secret and prefix: %v", err)
	}
	env[EnvSecretArn], env[EnvNamePrefix] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:k-abcdef", "Stack-Key"
	m, err := FromEnvironment(context.Background(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != CookieKeys || m.Keys.Kind() != "CloudFront public key" {
		t.Errorf("format %v, keys %s", m.Format, m.Keys.Kind())
	}
}
