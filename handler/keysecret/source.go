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

// Source reads a token endpoint's signing key from the AWSCURRENT version
// of a Secrets Manager secret (a managed key or a bare PEM) and caches it.
//
// It fails closed: a key is used for at most TTL after the read that
// returned it, never longer. After TTL/2 each call reads the secret again;
// when that read fails, the cached key keeps signing only until its TTL
// ends, so that a Secrets Manager hiccup does not fail viewers, while
// deleting the secret, disabling its KMS key or revoking GetSecretValue
// stops every warm instance from signing within one TTL. A rotation is
// picked up at most TTL/2 after it finishes. It is safe for concurrent use.
type Source struct {
	// Client reads the secret.
	Client SecretsAPI
	// SecretID is the secret's ARN or name.
	SecretID string
	// TTL is the longest a read key is used; it must be positive.
	TTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Parse reads a version's value; ReadPrivateKey (IVS keys) when nil,
	// ReadCookieKey for CloudFront cookie keys.
	Parse func(value string) (*ecdsa.PrivateKey, error)

	mu      sync.Mutex
	key     *ecdsa.PrivateKey
	version string
	readAt  time.Time // when key was last read successfully
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
	at := now()
	age := at.Sub(s.readAt)
	fresh := s.key != nil && age >= 0 && age < s.TTL
	if fresh && age < s.TTL/2 {
		return s.key, s.version, nil
	}
	key, version, err := s.read(ctx)
	if err != nil {
		if fresh {
			return s.key, s.version, nil
		}
		// Forget the key: nothing signs with a key the secret no longer
		// vouches for.
		s.key, s.version = nil, ""
		return nil, "", fmt.Errorf("reading the signing key from %s: %w", s.SecretID, err)
	}
	s.key, s.version, s.readAt = key, version, at
	return key, version, nil
}

// read reads and parses the secret's current version; a version already
// cached is not parsed again.
func (s *Source) read(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.SecretID)})
	if err != nil {
		return nil, "", err
	}
	if out.SecretString == nil {
		return nil, "", fmt.Errorf("secret %s has no string value", s.SecretID)
	}
	version := aws.ToString(out.VersionId)
	if s.key != nil && version != "" && version == s.version {
		return s.key, version, nil
	}
	parse := s.Parse
	if parse == nil {
		parse = ReadPrivateKey
	}
	key, err := parse(*out.SecretString)
	if err != nil {
		return nil, "", err
	}
	return key, version, nil
}
