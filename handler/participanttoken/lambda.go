package participanttoken

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
)

// FromEnvironment returns the Handler the Lambda function runs: its Config
// from getenv(EnvConfig), AWS clients from the environment's configuration
// (the Lambda role).
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Handler, error) {
	c, err := ParseConfig(getenv(EnvConfig))
	if err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return New(*c, cfg, nil)
}
