package managedkey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// Environment variables of the Lambda function.
const (
	// EnvNamePrefix holds Manager.NamePrefix.
	EnvNamePrefix = "KEY_PAIR_NAME_PREFIX"
	// EnvGracePeriod holds Manager.GracePeriod as a Go duration ("15m").
	EnvGracePeriod = "GRACE_PERIOD"
	// EnvKeyKind says where the public halves go: KindPlaybackKeyPair
	// (the default) or KindPublicKey.
	EnvKeyKind = "KEY_KIND"
)

// Values of EnvKeyKind.
const (
	KindPlaybackKeyPair = "playback-key-pair"
	KindPublicKey       = "public-key"
)

// FromEnvironment returns a Manager with AWS clients for the environment's
// configuration (the Lambda role) and the settings in getenv.
func FromEnvironment(ctx context.Context, getenv func(string) string) (*Manager, error) {
	grace, err := time.ParseDuration(getenv(EnvGracePeriod))
	if err != nil || grace < 0 {
		return nil, fmt.Errorf("%s %q is not a duration such as 15m", EnvGracePeriod, getenv(EnvGracePeriod))
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading AWS configuration: %w", err)
	}
	var keys KeyStore
	switch kind := getenv(EnvKeyKind); kind {
	case "", KindPlaybackKeyPair:
		keys = PlaybackKeyPairs(ivs.NewFromConfig(cfg))
	case KindPublicKey:
		keys = PublicKeys(cfg)
	default:
		return nil, fmt.Errorf("%s %q is neither %q nor %q", EnvKeyKind, kind, KindPlaybackKeyPair, KindPublicKey)
	}
	return &Manager{
		Keys:        keys,
		Secrets:     secretsmanager.NewFromConfig(cfg),
		NamePrefix:  getenv(EnvNamePrefix),
		GracePeriod: grace,
	}, nil
}

// Handle is the Lambda entry point: a CloudFormation custom resource
// request (it has a RequestType) is answered through CloudFormation's
// response URL; anything else is a Secrets Manager rotation step.
func (m *Manager) Handle(ctx context.Context, raw json.RawMessage) error {
	var probe struct{ RequestType, Step string }
	if err := json.Unmarshal(raw, &probe); err != nil {
		return fmt.Errorf("the event is not JSON: %w", err)
	}
	switch {
	case probe.RequestType != "":
		var event cfn.Event
		if err := json.Unmarshal(raw, &event); err != nil {
			return fmt.Errorf("reading the custom resource request: %w", err)
		}
		_, err := cfn.LambdaWrap(m.HandleCustomResource)(ctx, event)
		return err
	case probe.Step != "":
		var event RotationEvent
		if err := json.Unmarshal(raw, &event); err != nil {
			return fmt.Errorf("reading the rotation request: %w", err)
		}
		return m.HandleRotation(ctx, event)
	}
	return fmt.Errorf("the event is neither a CloudFormation custom resource request nor a Secrets Manager rotation step")
}
