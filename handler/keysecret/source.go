package keysecret

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// SecretsAPI is the part of the Secrets Manager client a Source calls.
type SecretsAPI interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Source reads a token endpoint's signing key from the AWSCURRENT version of a
// Secrets Manager secret (a managed key or a bare PEM) and keeps it for TTL, so that a rotation is picked
// up at most TTL after it finishes. When a read fails after the key was
// known, the known key is used for one more TTL rather than failing
// viewers: the old key still verifies in IVS during the rotation's grace
// period. It is safe for concurrent use.
type Source struct {
	// Client reads the secret.
	Client SecretsAPI
	// SecretID is the secret's ARN or name.
	SecretID string
	// TTL is how long a read key is kept before the secret is read again.
	TTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	mu      sync.Mutex
	key     *ecdsa.PrivateKey
	version string
	until   time.Time
}

// Key returns the current key.
func (s *Source) Key(ctx context.Context) (*ecdsa.PrivateKey, error) {
	key, _, err := s.KeyVersion(ctx)
	return key, err
}

// KeyVersion returns the current key and the ID of the secret version it
// was read from.
func (s *Source) KeyVersion(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil && now().Before(s.until) {
		return s.key, s.version, nil
	}
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.SecretID)})
	if err == nil && out.SecretString == nil {
		err = fmt.Errorf("secret %s has no string value", s.SecretID)
	}
	var key *ecdsa.PrivateKey
	if err == nil && aws.ToString(out.VersionId) == s.version && s.key != nil {
		key = s.key // same version: no need to parse it again
	} else if err == nil {
		key, err = ReadPrivateKey(*out.SecretString)
	}
	if err != nil {
		if s.key != nil {
			s.until = now().Add(s.TTL)
			return s.key, s.version, nil
		}
		return nil, "", fmt.Errorf("reading the signing key from %s: %w", s.SecretID, err)
	}
	s.key, s.version, s.until = key, aws.ToString(out.VersionId), now().Add(s.TTL)
	return key, s.version, nil
}
