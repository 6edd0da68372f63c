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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

type fakeSecrets struct {
	value string
	reads int
}

func (f *fakeSecrets) GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.reads++
	return &secretsmanager.GetSecretValueOutput{SecretString: aws.String(f.value)}, nil
}

// TestSecretKeyIsReadOncePerTTL: the key is read from its secret, kept
// for the TTL, and a secret that is no P-256 key is an error.
func TestSecretKeyIsReadOncePerTTL(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	secrets := &fakeSecrets{value: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)
	s := &SecretKey{Client: secrets, SecretID: "arn:secret", KeyPairID: "K1", TTL: time.Minute, Now: func() time.Time { return now }}
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
	bad := &SecretKey{Client: &fakeSecrets{value: "not a key"}, TTL: time.Minute}
	if _, _, err := bad.SigningKey(context.Background()); err == nil {
		t.Error("a secret that is no key was accepted")
	}
}

func TestParseConfig(t *testing.T) {
	good := `{"table":"t","bucket":"b","site":"https://d1.cloudfront.net","channels":[{"arn":"arn:aws:ivs:us-west-2:123456789012:channel/abc","authorized":true}],"secretArn":"arn:s","keyPairId":"K1","cookieLifetime":"1h0m0s"}`
	c, err := ParseConfig(good)
	if err != nil || time.Duration(c.CookieLifetime) != time.Hour {
		t.Fatalf("ParseConfig: %+v %v", c, err)
	}
	for config, want := range map[string]string{
		strings.Replace(good, `,"secretArn":"arn:s"`, "", 1):                    "secretArn and keyPairId",
		strings.Replace(good, `https://d1.cloudfront.net`, "http://d1", 1):      "is not https://<domain>",
		strings.Replace(good, `channel/abc`, "stage/abc", 1):                    "is not an IVS channel ARN",
		strings.Replace(good, `"table":"t",`, "", 1):                            "table and bucket are required",
		strings.Replace(good, `"cookieLifetime":"1h0m0s"`, `"pageSize":500`, 1): "pageSize 500",
	} {
		if _, err := ParseConfig(config); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", config, err, want)
		}
	}
}
