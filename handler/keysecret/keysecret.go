// Package keysecret is the format of the AWS Secrets Manager secrets that
// hold ivscdk's managed keys: JSON with the private key and its public half,
// both PEM. Token services read it with Parse (or ReadPrivateKey, which also
// takes a secret holding a bare private key PEM). It never imports the CDK.
package keysecret

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ivscdk/ivscdk/ivstoken"
)

// Value is what a managed key secret holds, as JSON.
type Value struct {
	// PrivateKeyPEM is the PKCS #8 PEM of the private key: it signs tokens.
	PrivateKeyPEM string `json:"privateKeyPem"`
	// PublicKeyPEM is the PEM of the public key imported into IVS.
	PublicKeyPEM string `json:"publicKeyPem"`
}

// Parse reads a managed key secret's value and returns its private key,
// checked against the public key it names.
func Parse(value string) (*ecdsa.PrivateKey, error) {
	var v Value
	if err := json.Unmarshal([]byte(value), &v); err != nil || v.PrivateKeyPEM == "" {
		return nil, errors.New("the secret does not hold an ivscdk managed key (JSON with privateKeyPem and publicKeyPem)")
	}
	key, err := ivstoken.ParsePrivateKeyPEM([]byte(v.PrivateKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("the secret's privateKeyPem: %w", err)
	}
	pub, err := ivstoken.ParsePublicKeyPEM([]byte(v.PublicKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("the secret's publicKeyPem: %w", err)
	}
	if !key.PublicKey.Equal(pub) {
		return nil, errors.New("the secret's publicKeyPem is not the public half of its privateKeyPem")
	}
	return key, nil
}

// New generates a key pair and returns its Value as JSON.
func New() (string, error) {
	key, err := ivstoken.GenerateKey()
	if err != nil {
		return "", err
	}
	private, err := ivstoken.MarshalPrivateKeyPEM(key)
	if err != nil {
		return "", err
	}
	public, err := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(Value{PrivateKeyPEM: string(private), PublicKeyPEM: string(public)})
	return string(b), err
}

// ReadPrivateKey returns the private key of a secret value that is either
// a managed key (Parse) or a bare PEM private key, as teams that bring
// their own key store it.
func ReadPrivateKey(value string) (*ecdsa.PrivateKey, error) {
	if strings.HasPrefix(strings.TrimSpace(value), "{") {
		return Parse(value)
	}
	key, err := ivstoken.ParsePrivateKeyPEM([]byte(value))
	if err != nil {
		return nil, fmt.Errorf("the secret holds neither an ivscdk managed key nor a PEM private key: %w", err)
	}
	return key, nil
}
