package ivstoken

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; ivstoken has no golden files")

func mustGenerate(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func encodePEM(blockType string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

func TestKeyRoundTrip(t *testing.T) {
	key := mustGenerate(t)
	if key.Curve != elliptic.P384() {
		t.Fatalf("GenerateKey curve = %s", key.Curve.Params().Name)
	}
	privPEM, err := MarshalPrivateKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(privPEM), "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("private key PEM is not PKCS #8: %.40s", privPEM)
	}
	pubPEM, err := MarshalPublicKeyPEM(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	gotPriv, err := ParsePrivateKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	gotPub, err := ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !gotPriv.Equal(key) || !gotPub.Equal(&key.PublicKey) {
		t.Error("keys changed in the round trip")
	}
}

func TestParsesReferenceAndSEC1Keys(t *testing.T) {
	ref, err := os.ReadFile("testdata/reference-public-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParsePublicKeyPEM(ref); err != nil {
		t.Errorf("reference public key: %v", err)
	}
	key := mustGenerate(t)
	sec1, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePrivateKeyPEM(encodePEM("EC PRIVATE KEY", sec1))
	if err != nil || !got.Equal(key) {
		t.Errorf("SEC 1 key: %v", err)
	}
}

func TestRefusesWrongKeys(t *testing.T) {
	p384 := mustGenerate(t)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	der := func(b []byte, err error) []byte {
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	privPKCS8, _ := MarshalPrivateKeyPEM(p384)
	pubPEM, _ := MarshalPublicKeyPEM(&p384.PublicKey)
	public := []struct {
		name string
		pem  []byte
		is   error
		want string
	}{
		{"private PKCS8", privPKCS8, ErrPrivateKey, "holds a private key"},
		{"private SEC1", encodePEM("EC PRIVATE KEY", der(x509.MarshalECPrivateKey(p384))), ErrPrivateKey, "openssl ec"},
		{"private RSA", encodePEM("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), ErrPrivateKey, ""},
		{"public then private", append(append([]byte{}, pubPEM...), privPKCS8...), ErrPrivateKey, "second PEM block"},
		{"P-256", encodePEM("PUBLIC KEY", der(x509.MarshalPKIXPublicKey(&p256.PublicKey))), ErrNotP384, "curve P-256"},
		{"RSA", encodePEM("PUBLIC KEY", der(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey))), ErrNotP384, "RSA public key"},
		{"Ed25519", encodePEM("PUBLIC KEY", der(x509.MarshalPKIXPublicKey(edPub))), ErrNotP384, "Ed25519"},
		{"garbage", []byte("not a key"), nil, "no PEM block"},
		{"empty", nil, nil, "no PEM block"},
		{"two public keys", append(append([]byte{}, pubPEM...), pubPEM...), nil, "more than one PEM block"},
		{"certificate", encodePEM("CERTIFICATE", []byte{1}), nil, "certificate"},
		{"corrupt", encodePEM("PUBLIC KEY", []byte{1, 2, 3}), nil, "does not parse"},
	}
	for _, c := range public {
		_, err := ParsePublicKeyPEM(c.pem)
		if err == nil || (c.is != nil && !errors.Is(err, c.is)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParsePublicKeyPEM(%s) = %v, want %v containing %q", c.name, err, c.is, c.want)
		}
	}
	private := []struct {
		name string
		pem  []byte
		want string
	}{
		{"public key", pubPEM, "holds a public key"},
		{"P-256", encodePEM("PRIVATE KEY", der(x509.MarshalPKCS8PrivateKey(p256))), "curve P-256"},
		{"RSA", encodePEM("PRIVATE KEY", der(x509.MarshalPKCS8PrivateKey(rsaKey))), "RSA private key"},
		{"Ed25519", encodePEM("PRIVATE KEY", der(x509.MarshalPKCS8PrivateKey(edPriv))), "Ed25519"},
		{"encrypted", encodePEM("ENCRYPTED PRIVATE KEY", []byte{1}), "decrypt it first"},
		{"garbage", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "does not parse"},
	}
	for _, c := range private {
		if _, err := ParsePrivateKeyPEM(c.pem); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParsePrivateKeyPEM(%s) = %v, want an error containing %q", c.name, err, c.want)
		}
	}
	if _, err := MarshalPublicKeyPEM(&p256.PublicKey); !errors.Is(err, ErrNotP384) {
		t.Errorf("MarshalPublicKeyPEM(P-256) = %v", err)
	}
	if _, err := MarshalPrivateKeyPEM(nil); err == nil {
		t.Error("MarshalPrivateKeyPEM(nil) did not fail")
	}
}

func FuzzParsePublicKeyPEM(f *testing.F) {
	ref, _ := os.ReadFile("testdata/reference-public-key.pem")
	f.Add(ref)
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParsePublicKeyPEM(data)
		if err == nil && key.Curve != elliptic.P384() {
			t.Errorf("accepted a %s key", key.Curve.Params().Name)
		}
	})
}

func FuzzParsePrivateKeyPEM(f *testing.F) {
	key, _ := GenerateKey()
	pkcs8, _ := MarshalPrivateKeyPEM(key)
	sec1, _ := x509.MarshalECPrivateKey(key)
	f.Add(pkcs8)
	f.Add(encodePEM("EC PRIVATE KEY", sec1))
	f.Add([]byte("-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParsePrivateKeyPEM(data)
		if err == nil && key.Curve != elliptic.P384() {
			t.Errorf("accepted a %s key", key.Curve.Params().Name)
		}
	})
}
