package keysecret

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
)

func TestCookieKeyIsP256AndParses(t *testing.T) {
	value, err := NewCookieKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseCookieKey(value)
	if err != nil {
		t.Fatal(err)
	}
	if key.Curve != elliptic.P256() {
		t.Errorf("curve %s, want P-256", key.Curve.Params().Name)
	}
	if got, err := ReadCookieKey(value); err != nil || !got.Equal(key) {
		t.Errorf("ReadCookieKey(managed): %v", err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	bare := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if got, err := ReadCookieKey(bare); err != nil || !got.Equal(key) {
		t.Errorf("ReadCookieKey(bare PEM): %v", err)
	}
}

func TestParseCookieKeyRefuses(t *testing.T) {
	good, _ := NewCookieKey()
	var v Value
	_ = json.Unmarshal([]byte(good), &v)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherDER, _ := x509.MarshalPKIXPublicKey(&other.PublicKey)
	mismatched := v
	mismatched.PublicKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: otherDER}))
	mismatchedJSON, _ := json.Marshal(mismatched)
	ivsKey, _ := New() // P-384: an IVS key is no cookie key
	for value, want := range map[string]string{
		"not json":             "does not hold an ivscdk managed cookie key",
		string(mismatchedJSON): "not the public half",
		ivsKey:                 "not ECDSA P-256",
	} {
		if _, err := ParseCookieKey(value); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.20s: %v, want %q", value, err, want)
		}
	}
	if _, err := ReadCookieKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"); err == nil {
		t.Error("ReadCookieKey took a public key")
	}
}
