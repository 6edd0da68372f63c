package participanttoken

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
)

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), AWS clients from the environment's configuration
// (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	return tokenapi.FromEnvironment(ctx, getenv, EnvConfig, ParseConfig, func(c Config, cfg aws.Config) (*Handler, error) {
		return New(c, cfg, nil)
	})
}
