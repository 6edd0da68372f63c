package managedkey

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"time"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// KeyFormat is the kind of key pair a Manager generates into the secret:
// what IVS takes (ECDSA P-384) or what CloudFront takes (ECDSA P-256).
type KeyFormat interface {
	// New generates a key pair and returns the secret's value.
	New() (string, error)
	// PublicKeyPEM returns the public half of a secret's value, checking
	// that the value holds a key of this format.
	PublicKeyPEM(value string) (string, error)
	// Test checks that the value's private key makes signatures its
	// public key verifies.
	Test(value string, now time.Time) error
}

// PlaybackKeys is the format of IVS keys (playback key pairs and
// real-time public keys): ECDSA P-384, tested by signing a playback token.
var PlaybackKeys KeyFormat = ivsFormat{}

// CookieKeys is the format of CloudFront signed-cookie keys: ECDSA P-256,
// tested by a SHA-256 signature as CloudFront checks it.
var CookieKeys KeyFormat = cookieFormat{}

type ivsFormat struct{}

func (ivsFormat) New() (string, error) { return keysecret.New() }

func (ivsFormat) PublicKeyPEM(value string) (string, error) {
	key, err := keysecret.Parse(value)
	if err != nil {
		return "", err
	}
	pub, err := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	return string(pub), err
}

func (ivsFormat) Test(value string, now time.Time) error {
	key, err := keysecret.Parse(value)
	if err != nil {
		return err
	}
	signer, err := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(func() time.Time { return now }))
	if err != nil {
		return err
	}
	signed, err := signer.Sign(ivstoken.PlaybackClaims{
		ChannelArn: "arn:aws:ivs:us-east-1:000000000000:channel/rotationTest",
		ExpiresAt:  now.Add(time.Minute),
	})
	if err != nil {
		return err
	}
	if _, err := ivstoken.VerifyPlaybackToken(signed, &key.PublicKey, now); err != nil {
		return fmt.Errorf("a token signed with the pending key does not verify: %w", err)
	}
	return nil
}

type cookieFormat struct{}

func (cookieFormat) New() (string, error) { return keysecret.NewCookieKey() }

func (cookieFormat) PublicKeyPEM(value string) (string, error) {
	key, err := keysecret.ParseCookieKey(value)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

func (cookieFormat) Test(value string, _ time.Time) error {
	key, err := keysecret.ParseCookieKey(value)
	if err != nil {
		return err
	}
	digest := sha256.Sum256([]byte(`{"Statement":[{"Resource":"https://rotation.test/*"}]}`))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return err
	}
	if !ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig) {
		return fmt.Errorf("a signature made with the pending key does not verify")
	}
	return nil
}
