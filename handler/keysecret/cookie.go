package keysecret

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/ivscdk/ivscdk/cfcookie"
)

// NewCookieKey generates an ECDSA P-256 key pair, the kind a CloudFront
// key group takes for signed cookies (CloudFront API reference,
// PublicKeyConfig: "RSA 2048 or ECDSA 256"), and returns its Value as
// JSON: the same format as New, another curve.
func NewCookieKey() (string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", fmt.Errorf("generating a P-256 key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(Value{
		PrivateKeyPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		PublicKeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
	})
	return string(b), err
}

// ParseCookieKey reads a managed cookie key secret's value and returns its
// P-256 private key, checked against the public key it names.
func ParseCookieKey(value string) (*ecdsa.PrivateKey, error) {
	var v Value
	if err := json.Unmarshal([]byte(value), &v); err != nil || v.PrivateKeyPEM == "" {
		return nil, errors.New("the secret does not hold an ivscdk managed cookie key (JSON with privateKeyPem and publicKeyPem)")
	}
	key, err := cfcookie.ParsePrivateKeyPEM([]byte(v.PrivateKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("the secret's privateKeyPem: %w", err)
	}
	pub, err := cfcookie.ParsePublicKeyPEM([]byte(v.PublicKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("the secret's publicKeyPem: %w", err)
	}
	if !key.PublicKey.Equal(pub) {
		return nil, errors.New("the secret's publicKeyPem is not the public half of its privateKeyPem")
	}
	return key, nil
}

// ReadCookieKey returns the P-256 private key of a secret value that is
// either a managed cookie key (ParseCookieKey) or a bare PEM private key,
// as teams that bring their own key store it.
func ReadCookieKey(value string) (*ecdsa.PrivateKey, error) {
	if strings.HasPrefix(strings.TrimSpace(value), "{") {
		return ParseCookieKey(value)
	}
	key, err := cfcookie.ParsePrivateKeyPEM([]byte(value))
	if err != nil {
		return nil, fmt.Errorf("the secret holds neither an ivscdk managed cookie key nor a PEM private key: %w", err)
	}
	return key, nil
}
