package playbacktoken

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/handler/keysecret"
	"github.com/ivscdk/ivscdk/handler/tokenapi"
)

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), its key from Secrets Manager with the
// environment's AWS configuration (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		keys := &keysecret.Source{Client: secretsmanager.NewFromConfig(cfg), SecretID: c.SecretArn, TTL: time.Duration(c.KeyCacheTTL)}
		h := New(c, keys, nil)
		if c.ViewerTable != "" {
			h.LogViewers(dynamodb.NewFromConfig(cfg))
		}
		return h, nil
	})
}
