package playbacktoken

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
)

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), its key from Secrets Manager with the
// environment's AWS configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	c, err := ParseConfig(getenv(EnvConfig))
	if err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	keys := &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn, TTL: time.Duration(c.KeyCacheTTL)}
	return New(*c, keys, nil), nil
}
