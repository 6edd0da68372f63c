package recordinglist

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/internal/test/awsfake"
)

type fakeSecrets struct {
	value string
	reads int
}

func (f *fakeSecrets) GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.reads++
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(f.value), VersionId: aws.String("v1")}, nil
}

// TestSecretKeyReadsABroughtKey: a bare PEM P-256 key is read from its
// secret with its fixed key ID, kept for the cache's TTL, and a secret
// that is no P-256 key is an error.
func TestSecretKeyReadsABroughtKey(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	secrets := &fakeSecrets{value: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	source := &keysecret.Source{Client: secrets, SecretID: "arn:secret", TTL: time.Minute, Parse: keysecret.ReadCookieKey, Now: func() time.Time { return now }}
	s := &SecretKey{Source: source, KeyPairID: "K1"}
	for range 3 {
		got, id, err := s.SigningKey(context.Background())
		if err != nil || !got.Equal(key) || id != "K1" {
			t.Fatalf("SigningKey: %v %v", id, err)
		}
	}
	now = now.Add(time.Minute)
	s.SigningKey(context.Background())
	if secrets.reads != 2 {
		t.Errorf("%d reads, want 2 (one, then one after the TTL)", secrets.reads)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der, _ = x509.MarshalPKCS8PrivateKey(p384)
	for _, value := range []string{"not a key", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))} {
		bad := &SecretKey{Source: &keysecret.Source{Client: &fakeSecrets{value: value}, TTL: time.Minute, Parse: keysecret.ReadCookieKey}, KeyPairID: "K1"}
		if _, _, err := bad.SigningKey(context.Background()); err == nil {
			t.Errorf("a secret holding %.20q was accepted as a cookie key", value)
		}
	}
}

// TestSecretKeyFollowsTheManagedKey: with a managed cookie key, the key ID
// is the CloudFront public key of the secret's current version, and it
// follows a rotation (here a revocation) once the cache reads the secret
// again.
func TestSecretKeyFollowsTheManagedKey(t *testing.T) {
	fake := awsfake.New(t)
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	cfg := fake.Config()
	secret := fake.CreateSecret("CookieKey")
	keys := managedkey.CloudFrontPublicKeys(cloudfront.NewFromConfig(cfg), secret, "Stack-CookieKey")
	versions := []string{"11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"}
	m := &managedkey.Manager{Keys: keys, Format: managedkey.CookieKeys, Secrets: secretsmanager.NewFromConfig(cfg),
		NamePrefix: "Stack-CookieKey", SecretArn: secret, GracePeriod: time.Hour, Now: func() time.Time { return now },
		NewVersionID: func() string { v := versions[0]; versions = versions[1:]; return v }, Logf: func(string, ...any) {}}
	if _, _, err := m.HandleCustomResource(context.Background(), cfn.Event{RequestType: cfn.RequestCreate,
		ResourceProperties: map[string]any{managedkey.PropertySecretArn: secret}}); err != nil {
		t.Fatal(err)
	}
	s := &SecretKey{Keys: keys, Source: &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: secret,
		TTL: time.Minute, Parse: keysecret.ReadCookieKey, Now: func() time.Time { return now }}}
	idOf := func(name string) string {
		for _, k := range fake.CloudFrontKeys() {
			if k.Name == name {
				return k.ID
			}
		}
		return "(none)"
	}
	key, id, err := s.SigningKey(context.Background())
	if err != nil || id != idOf("Stack-CookieKey-11111111-1111-4111-8111-111111111111") {
		t.Fatalf("SigningKey: %q, %v", id, err)
	}
	lists := fake.Calls("ListPublicKeys")
	s.SigningKey(context.Background())
	if fake.Calls("ListPublicKeys") != lists {
		t.Error("the key ID was looked up again for the same version")
	}
	if _, err := m.Revoke(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	newKey, id, err := s.SigningKey(context.Background())
	if err != nil || id != idOf("Stack-CookieKey-22222222-2222-4222-8222-222222222222") || newKey.Equal(key) {
		t.Fatalf("after a revocation: %q, %v", id, err)
	}
}

func TestParseConfig(t *testing.T) {
	good := `{"table":"t","bucket":"b","site":"https://d1.cloudfront.net","channels":[{"arn":"arn:aws:ivs:us-west-2:123456789012:channel/abc","authorized":true}],"secretArn":"arn:s","keyPairId":"K1","cookieLifetime":"1h0m0s"}`
	c, err := ParseConfig(good)
	if err != nil || time.Duration(c.CookieLifetime) != time.Hour {
		t.Fatalf("ParseConfig: %+v %v", c, err)
	}
	managed := strings.Replace(good, `"keyPairId":"K1"`, `"keyNamePrefix":"Stack-CookieKey"`, 1)
	if c, err := ParseConfig(managed); err != nil || c.KeyNamePrefix != "Stack-CookieKey" {
		t.Fatalf("a managed cookie key's configuration: %+v %v", c, err)
	}
	for config, want := range map[string]string{
		strings.Replace(managed, `"keyNamePrefix":"Stack-CookieKey"`, `"pageSize":1`, 1): "secretArn and keyPairId or keyNamePrefix",
		strings.Replace(good, `,"secretArn":"arn:s"`, "", 1):                             "secretArn and keyPairId or keyNamePrefix",
		strings.Replace(good, `https://d1.cloudfront.net`, "http://d1", 1):               "is not https://<domain>",
		strings.Replace(good, `channel/abc`, "stage/abc", 1):                             "is not an IVS channel ARN",
		strings.Replace(good, `"table":"t",`, "", 1):                                     "table and bucket are required",
		strings.Replace(good, `"cookieLifetime":"1h0m0s"`, `"pageSize":500`, 1):          "pageSize 500",
	} {
		if _, err := ParseConfig(config); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", config, err, want)
		}
	}
}
