package recordinglist

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/managedkey"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EnvConfig is the environment variable holding the function's Config as
// JSON.
const EnvConfig = wire.RecordingListEnvConfig

// keyCacheTTL is the longest a read cookie key is used (keysecret.Source):
// a rotation reaches the endpoint within half of it. The managed key's
// grace period counts it.
const keyCacheTTL = wire.RecordingKeyCacheTTL

// SecretKey gives the cookie signing key from a Secrets Manager secret
// (a managed cookie key or a bare PEM, ECDSA P-256) and the ID of its
// CloudFront public key: KeyPairID when the team brought its own key, or,
// for a managed key, the key Keys holds for the secret's current version
// (found once per version).
type SecretKey struct {
	// Source reads and caches the secret (its Parse should be
	// keysecret.ReadCookieKey).
	Source *keysecret.Source
	// KeyPairID is the public key's ID when it never changes.
	KeyPairID string
	// Keys are the managed key's CloudFront public keys, when KeyPairID
	// is "".
	Keys managedkey.KeyStore

	mu      sync.Mutex
	version string
	id      string
}

// SigningKey implements Keys.
func (s *SecretKey) SigningKey(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	key, version, err := s.Source.KeyVersion(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("the cookie key: %w", err)
	}
	if s.KeyPairID != "" {
		return key, s.KeyPairID, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if version != s.version || s.id == "" {
		id, err := managedkey.FindKey(ctx, s.Keys, s.Source.SecretID, version)
		if err != nil {
			return nil, "", err
		}
		s.version, s.id = version, id
	}
	return key, s.id, nil
}

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), its clients with the environment's AWS
// configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		keys := &SecretKey{
			Source: &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn,
				TTL: keyCacheTTL, Parse: keysecret.ReadCookieKey},
			KeyPairID: c.KeyPairID,
		}
		if c.KeyPairID == "" && c.KeyNamePrefix != "" {
			keys.Keys = managedkey.CloudFrontPublicKeys(cloudfront.NewFromConfig(cfg), c.SecretArn, c.KeyNamePrefix)
		}
		return New(c, dynamodb.NewFromConfig(cfg), s3.NewFromConfig(cfg), keys, nil), nil
	})
}
