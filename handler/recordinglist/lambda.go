package recordinglist

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/cfcookie"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EnvConfig is the environment variable holding the function's Config as
// JSON.
const EnvConfig = wire.RecordingListEnvConfig

// SecretsAPI is the part of the Secrets Manager client SecretKey uses.
type SecretsAPI interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// SecretKey reads the cookie signing key (a PEM private key) from a
// secret, and keeps it for TTL.
type SecretKey struct {
	Client    SecretsAPI
	SecretID  string
	KeyPairID string
	TTL       time.Duration
	Now       func() time.Time

	mu     sync.Mutex
	key    *ecdsa.PrivateKey
	readAt time.Time
}

// SigningKey implements Keys.
func (s *SecretKey) SigningKey(ctx context.Context) (*ecdsa.PrivateKey, string, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil && now().Sub(s.readAt) < s.TTL {
		return s.key, s.KeyPairID, nil
	}
	out, err := s.Client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.SecretID)})
	if err != nil {
		return nil, "", fmt.Errorf("reading the cookie key secret: %w", err)
	}
	key, err := cfcookie.ParsePrivateKeyPEM([]byte(aws.ToString(out.SecretString)))
	if err != nil {
		return nil, "", fmt.Errorf("the cookie key secret: %w", err)
	}
	s.key, s.readAt = key, now()
	return key, s.KeyPairID, nil
}

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), its clients with the environment's AWS
// configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		keys := &SecretKey{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn, KeyPairID: c.KeyPairID, TTL: 5 * time.Minute}
		return New(c, dynamodb.NewFromConfig(cfg), s3.NewFromConfig(cfg), keys, nil), nil
	})
}
