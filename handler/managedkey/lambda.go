package managedkey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/ivs"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Environment variables of the Lambda function.
const (
	// EnvNamePrefix holds Manager.NamePrefix.
	EnvNamePrefix = wire.KeyEnvNamePrefix
	// EnvGracePeriod holds Manager.GracePeriod as a Go duration ("15m").
	EnvGracePeriod = wire.KeyEnvGracePeriod
	// EnvKeyKind says where the public halves go: KindPlaybackKeyPair
	// (the default) or KindPublicKey.
	EnvKeyKind = wire.KeyEnvKind
	// EnvSecretArn holds Manager.SecretArn: the one secret the function
	// serves.
	EnvSecretArn = wire.KeyEnvSecretArn
)

// responseMargin is how long before the Lambda function's own timeout a
// custom resource request stops working, so that the function still
// answers CloudFormation (FAILED, with the reason) instead of dying
// silently and leaving the stack waiting.
const responseMargin = 15 * time.Second

// Values of EnvKeyKind.
const (
	KindPlaybackKeyPair = wire.KeyKindPlaybackKeyPair
	KindPublicKey       = wire.KeyKindPublicKey
	// KindCloudFrontPublicKey makes ECDSA P-256 keys (CookieKeys) and
	// keeps their public halves in a CloudFront key group
	// (CloudFrontPublicKeys, named after EnvNamePrefix).
	KindCloudFrontPublicKey = wire.KeyKindCloudFrontPublicKey
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
	format := PlaybackKeys
	switch kind := getenv(EnvKeyKind); kind {
	case "", KindPlaybackKeyPair:
		keys = PlaybackKeyPairs(ivs.NewFromConfig(cfg))
	case KindPublicKey:
		keys = PublicKeys(cfg)
	case KindCloudFrontPublicKey:
		if getenv(EnvSecretArn) == "" || getenv(EnvNamePrefix) == "" {
			return nil, fmt.Errorf("%s %q needs %s and %s: CloudFront public keys carry no tags, so their names say whose they are", EnvKeyKind, kind, EnvSecretArn, EnvNamePrefix)
		}
		keys = CloudFrontPublicKeys(cloudfront.NewFromConfig(cfg), getenv(EnvSecretArn), getenv(EnvNamePrefix))
		format = CookieKeys
	default:
		return nil, fmt.Errorf("%s %q is none of %q, %q and %q", EnvKeyKind, kind, KindPlaybackKeyPair, KindPublicKey, KindCloudFrontPublicKey)
	}
	return &Manager{
		Keys:        keys,
		Format:      format,
		Secrets:     secretsmanager.NewFromConfig(cfg),
		NamePrefix:  getenv(EnvNamePrefix),
		GracePeriod: grace,
		SecretArn:   getenv(EnvSecretArn),
	}, nil
}

// Handle is the Lambda entry point. It serves:
//   - a CloudFormation custom resource request (it has a RequestType),
//     answered through CloudFormation's response URL before the function's
//     own timeout;
//   - a Secrets Manager rotation step (it has a Step);
//   - {"Action": "RetireExpiredKeys"}, from the construct's schedule;
//   - {"Action": "Revoke"}, the emergency revocation; the answer is a
//     RevokeReport.
func (m *Manager) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct{ RequestType, Step, Action string }
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("the event is not JSON: %w", err)
	}
	switch {
	case probe.RequestType != "":
		var event cfn.Event
		if err := json.Unmarshal(raw, &event); err != nil {
			return nil, fmt.Errorf("reading the custom resource request: %w", err)
		}
		// The work stops responseMargin before the function's deadline;
		// the answer to CloudFormation is sent with the full one.
		work, cancel := ctx, context.CancelFunc(func() {})
		if deadline, ok := ctx.Deadline(); ok {
			work, cancel = context.WithDeadline(ctx, deadline.Add(-responseMargin))
		}
		defer cancel()
		_, err := cfn.LambdaWrap(func(_ context.Context, event cfn.Event) (string, map[string]any, error) {
			return m.HandleCustomResource(work, event)
		})(ctx, event)
		return nil, err
	case probe.Step != "":
		var event RotationEvent
		if err := json.Unmarshal(raw, &event); err != nil {
			return nil, fmt.Errorf("reading the rotation request: %w", err)
		}
		return nil, m.HandleRotation(ctx, event)
	case probe.Action == ActionRetireExpiredKeys || probe.Action == ActionRevoke:
		if m.SecretArn == "" {
			return nil, fmt.Errorf("%s needs %s: the function does not know its secret", probe.Action, EnvSecretArn)
		}
		if probe.Action == ActionRevoke {
			return m.Revoke(ctx, m.SecretArn)
		}
		return nil, m.RetireExpired(ctx, m.SecretArn)
	case probe.Action != "":
		return nil, fmt.Errorf("unknown Action %q: use %q or %q", probe.Action, ActionRetireExpiredKeys, ActionRevoke)
	}
	return nil, fmt.Errorf("the event is neither a CloudFormation custom resource request, a Secrets Manager rotation step nor an Action")
}
