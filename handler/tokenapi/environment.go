package tokenapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// FromEnvironment is what each token function's FromEnvironment does: it
// parses the configuration the construct wrote into the environment
// variable env, loads the environment's AWS configuration (the Lambda
// role) and makes the handler with both.
func FromEnvironment[C, H any](ctx context.Context, getenv func(string) string, env string,
	parse func(string) (*C, error), build func(C, aws.Config) (H, error)) (H, error) {
	var none H
	c, err := parse(getenv(env))
	if err != nil {
		return none, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return none, fmt.Errorf("loading AWS configuration: %w", err)
	}
	return build(*c, cfg)
}

// ParseConfig is what each token function's ParseConfig does: it reads the
// JSON configuration data (from the environment variable env) into a C and
// checks it with check, naming env in every error.
func ParseConfig[C any](env, data string, check func(*C) error) (*C, error) {
	var c C
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("%s is not a valid configuration: %w", env, err)
	}
	if err := check(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", env, err)
	}
	return &c, nil
}
