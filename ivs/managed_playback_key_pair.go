package ivs

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// DefaultGracePeriod is how long a rotated-out key stays in IVS when no
// PlaybackTokenEndpoint uses the key pair and ExternalTokenLifetime is not
// set: enough for 10-minute tokens from a service that caches the key for
// 5 minutes.
const DefaultGracePeriod = 15 * time.Minute

// KeySweepInterval is how often a managed key's function deletes the IVS
// keys whose grace period has ended (an EventBridge schedule): a
// rotated-out key leaves IVS at most this long after its grace period.
const KeySweepInterval = 30 * time.Minute

// CustomResourceServiceTimeout is how long CloudFormation waits for a
// managed key's custom resource to answer (ServiceTimeout; CloudFormation's
// default is an hour).
const CustomResourceServiceTimeout = 5 * time.Minute

// ManagedPlaybackKeyPairProps configures a ManagedPlaybackKeyPair. The zero
// value is a key pair without rotation.
type ManagedPlaybackKeyPairProps struct {
	// RotationInterval turns on scheduled rotation through AWS Secrets
	// Manager: whole hours from 4h, or whole days up to 1000 days (Secrets
	// Manager's rate() schedules; more than a day in hours that are no
	// whole days warns, WarningRotationInHours). It must be at least the
	// grace period (see GracePeriod). Default: no rotation.
	RotationInterval time.Duration
	// EncryptionKey encrypts the secret. Default: the account's
	// aws/secretsmanager key.
	EncryptionKey awskms.IKey
	// RemovalPolicy applies to the secret. Default: DESTROY (Secrets
	// Manager keeps a deleted secret recoverable for 30 days). The IVS key
	// pairs are always deleted with the construct.
	RemovalPolicy awscdk.RemovalPolicy
	// PlaybackKeyPairName starts the names of the IVS key pairs, which end
	// in the secret version's ID: letters, digits, '-' and '_', at most 90
	// characters. Default: a name made from the construct path.
	PlaybackKeyPairName string
	// ExternalTokenLifetime is, for tokens signed with this key by services
	// other than ivscdk's PlaybackTokenEndpoint, their longest lifetime
	// plus how long those services cache the key. It lengthens the grace
	// period. Default: 0.
	ExternalTokenLifetime time.Duration
	// Code replaces the Lambda code of the key manager (the handler in
	// github.com/ivscdk/ivscdk/lambda/managedkey, built with golambda by
	// default), for example with a build of your own pipeline. It must run
	// on provided.al2023, arm64, as "bootstrap".
	Code awslambda.Code
}

// ManagedPlaybackKeyPair is a playback key pair whose private key is
// generated at deploy time inside the account and never leaves AWS Secrets
// Manager: a custom resource backed by a Go Lambda function from this
// module generates an ECDSA P-384 key, puts it into a secret the construct
// creates, and imports the public half into IVS. It stands wherever a
// playback key pair does, and PlaybackTokenEndpoint signs with it.
//
// With RotationInterval set, Secrets Manager rotates the key: the new key
// is imported into IVS, signing moves to it, and the old IVS key pair is
// deleted once no token signed with it can still start playback. Never
// more than two IVS key pairs exist for one managed key pair.
//
// Deleting the construct deletes every IVS key pair it created.
type ManagedPlaybackKeyPair struct {
	l2.Construct // first field: see l2.Construct
	managedKey
}

// NewManagedPlaybackKeyPair defines a managed playback key pair. props may
// be nil for all defaults.
func NewManagedPlaybackKeyPair(scope constructs.Construct, id string, props *ManagedPlaybackKeyPairProps) *ManagedPlaybackKeyPair {
	if props == nil {
		props = &ManagedPlaybackKeyPairProps{}
	}
	m := &ManagedPlaybackKeyPair{}
	path := l2.NewResource(m, &m.Construct, scope, id, &awscdk.ResourceProps{})
	slots := m.init(m, path, managedKeyOptions{
		RotationInterval: props.RotationInterval, EncryptionKey: props.EncryptionKey, RemovalPolicy: props.RemovalPolicy,
		Name: props.PlaybackKeyPairName, ExternalTokenLifetime: props.ExternalTokenLifetime, Code: props.Code,
	}, playbackKeyPairSpec)
	noteKeyPair(path)
	claimKeyPairSlots(path.Stack(), path.String(), slots, "")
	return m
}

var playbackKeyPairSpec = managedKeySpec{
	service:      "IVS",
	kind:         "playback key pair",
	storeKind:    wire.KeyKindPlaybackKeyPair,
	resourceType: "Custom::IvsManagedPlaybackKeyPair",
	nameProperty: "PlaybackKeyPairName",
	arnResource:  "playback-key",
	importAction: "ivs:ImportPlaybackKeyPair",
	deleteAction: "ivs:DeletePlaybackKeyPair",
	listAction:   "ivs:ListPlaybackKeyPairs",
	listOnKeys:   true,
}

// PlaybackKeyPairArn returns the ARN of the IVS key pair imported when the
// construct was created (or last updated). A rotation replaces that key
// pair; the current one is the IVS key pair tagged ivscdk:secret-version
// with the secret's AWSCURRENT version ID.
func (m *ManagedPlaybackKeyPair) PlaybackKeyPairArn() *string {
	return m.resource.GetAttString(jsii.String(wire.KeyAttributeKeyArn))
}

// A managed key pair stands wherever a playback key pair does.
var _ IPlaybackKeyPair = (*ManagedPlaybackKeyPair)(nil)
