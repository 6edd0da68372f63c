package ivstoken

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ErrPrivateKey is returned (wrapped) when a private key is given where a
// public key is expected. A private key must never be uploaded to IVS or put
// in a CloudFormation template; upload only its public half.
var ErrPrivateKey = errors.New("ivstoken: this PEM holds a private key; give the public key instead " +
	"(derive it with `ivscdk keygen -from private.pem` or `openssl ec -in private.pem -pubout -out public.pem`)")

// ErrNotP384 is returned (wrapped) when a key is valid but is not an ECDSA
// key on the P-384 curve, the only kind IVS accepts.
var ErrNotP384 = errors.New("ivstoken: IVS needs an ECDSA key on curve P-384 (secp384r1)")

// GenerateKey returns a new ECDSA P-384 private key, the kind IVS uses for
// playback key pairs and real-time stage public keys.
func GenerateKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
}

// MarshalPublicKeyPEM encodes pub as a PEM "PUBLIC KEY" block
// (SubjectPublicKeyInfo), the form IVS imports.
func MarshalPublicKeyPEM(pub *ecdsa.PublicKey) ([]byte, error) {
	if err := checkCurve(pub); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("ivstoken: encoding public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// MarshalPrivateKeyPEM encodes key as a PEM "PRIVATE KEY" block (PKCS #8).
func MarshalPrivateKeyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	if key == nil {
		return nil, errors.New("ivstoken: nil private key")
	}
	if err := checkCurve(&key.PublicKey); err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("ivstoken: encoding private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePublicKeyPEM decodes a PEM "PUBLIC KEY" block holding an ECDSA P-384
// key. It refuses private keys (wrapping ErrPrivateKey), keys of other types
// or curves (wrapping ErrNotP384), and anything that is not exactly one PEM
// block.
func ParsePublicKeyPEM(data []byte) (*ecdsa.PublicKey, error) {
	block, err := singleBlock(data)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PUBLIC KEY":
	case "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY":
		return nil, ErrPrivateKey
	case "CERTIFICATE":
		return nil, fmt.Errorf("ivstoken: this PEM holds a certificate; give the bare public key as a %q block", "PUBLIC KEY")
	default:
		return nil, fmt.Errorf("ivstoken: PEM block %q is not a public key; want a %q block", block.Type, "PUBLIC KEY")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("ivstoken: PUBLIC KEY block does not parse: %w", err)
	}
	return asP384Public(key)
}

// ParsePrivateKeyPEM decodes an ECDSA P-384 private key from a PEM
// "PRIVATE KEY" block (PKCS #8) or an "EC PRIVATE KEY" block (SEC 1, as
// written by `openssl ecparam -genkey`). Other key types and curves are
// refused, wrapping ErrNotP384.
func ParsePrivateKeyPEM(data []byte) (*ecdsa.PrivateKey, error) {
	block, err := singleBlock(data)
	if err != nil {
		return nil, err
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PUBLIC KEY":
		return nil, errors.New("ivstoken: this PEM holds a public key; signing needs the private key")
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("ivstoken: encrypted private keys are not supported; decrypt it first " +
			"(`openssl pkcs8 -in key.pem -out plain.pem`)")
	default:
		return nil, fmt.Errorf("ivstoken: PEM block %q is not an EC private key; want %q or %q", block.Type, "PRIVATE KEY", "EC PRIVATE KEY")
	}
	if err != nil {
		return nil, fmt.Errorf("ivstoken: %s block does not parse: %w", block.Type, err)
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w; got %s private key", ErrNotP384, keyKind(key))
	}
	if err := checkCurve(&ec.PublicKey); err != nil {
		return nil, err
	}
	return ec, nil
}

// singleBlock decodes exactly one PEM block and refuses trailing content,
// so that a file holding a public and a private key is never half-read.
func singleBlock(data []byte) (*pem.Block, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("ivstoken: no PEM block found; want text starting with -----BEGIN PUBLIC KEY----- (or PRIVATE KEY)")
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		if next, _ := pem.Decode(rest); next != nil && isPrivateType(next.Type) {
			return nil, fmt.Errorf("%w (found in a second PEM block)", ErrPrivateKey)
		}
		return nil, errors.New("ivstoken: found more than one PEM block or trailing text; give exactly one key")
	}
	return block, nil
}

func isPrivateType(t string) bool {
	return bytes.HasSuffix([]byte(t), []byte("PRIVATE KEY"))
}

func asP384Public(key any) (*ecdsa.PublicKey, error) {
	ec, ok := key.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w; got %s public key", ErrNotP384, keyKind(key))
	}
	if err := checkCurve(ec); err != nil {
		return nil, err
	}
	return ec, nil
}

func checkCurve(pub *ecdsa.PublicKey) error {
	if pub == nil || pub.Curve == nil {
		return errors.New("ivstoken: nil public key")
	}
	if pub.Curve != elliptic.P384() {
		return fmt.Errorf("%w; got curve %s", ErrNotP384, pub.Curve.Params().Name)
	}
	return nil
}

// keyKind names the kind of key, with its article ("an RSA").
func keyKind(key any) string {
	switch k := key.(type) {
	case *rsa.PublicKey, *rsa.PrivateKey:
		return "an RSA"
	case ed25519.PublicKey, ed25519.PrivateKey:
		return "an Ed25519"
	case *ecdh.PublicKey, *ecdh.PrivateKey:
		return "an X25519"
	case *ecdsa.PublicKey:
		return "an ECDSA " + k.Curve.Params().Name
	default:
		return fmt.Sprintf("a %T", key)
	}
}
