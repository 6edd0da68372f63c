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

// ManagedPublicKeyProps configures a ManagedPublicKey. The zero value is a
// key without rotation.
type ManagedPublicKeyProps struct {
	// RotationInterval turns on scheduled rotation through AWS Secrets
	// Manager: whole hours from 4h, or whole days up to 1000 days (as
	// ManagedPlaybackKeyPairProps.RotationInterval). It must be at least
	// the grace period (see GracePeriod). Default: no rotation.
	RotationInterval time.Duration
	// EncryptionKey encrypts the secret. Default: the account's
	// aws/secretsmanager key.
	EncryptionKey awskms.IKey
	// RemovalPolicy applies to the secret. Default: DESTROY. The IVS
	// public keys are always deleted with the construct.
	RemovalPolicy awscdk.RemovalPolicy
	// PublicKeyName starts the names of the IVS public keys, which end in
	// the secret version's ID: letters, digits, '-' and '_', at most 90
	// characters. Default: a name made from the construct path.
	PublicKeyName string
	// ExternalTokenLifetime is, for participant tokens signed with this
	// key by services other than ivscdk's ParticipantTokenEndpoint, their
	// longest lifetime plus how long those services cache the key. It
	// lengthens the grace period. Default: 0.
	ExternalTokenLifetime time.Duration
	// Code replaces the Lambda code of the key manager (the handler in
	// github.com/ivscdk/ivscdk/lambda/managedkey). It must run on
	// provided.al2023, arm64, as "bootstrap".
	Code awslambda.Code
}

// ManagedPublicKey is an IVS public key (the key IVS real-time verifies
// self-signed participant tokens with) whose private half is generated at
// deploy time inside the account and never leaves AWS Secrets Manager, the
// same way as ManagedPlaybackKeyPair: a custom resource backed by a Go
// Lambda function from this module generates an ECDSA P-384 key into a
// secret the construct creates and imports the public half with
// ImportPublicKey. ParticipantTokenEndpoint signs with it.
//
// With RotationInterval set, Secrets Manager rotates the key; the old IVS
// public key is deleted once no token signed with it can still be used
// (participant tokens may live up to 14 days: keep them short when you
// rotate). Deleting the construct deletes every IVS public key it created.
type ManagedPublicKey struct {
	l2.Construct // first field: see l2.Construct
	managedKey
}

// NewManagedPublicKey defines a managed public key. props may be nil for
// all defaults.
func NewManagedPublicKey(scope constructs.Construct, id string, props *ManagedPublicKeyProps) *ManagedPublicKey {
	if props == nil {
		props = &ManagedPublicKeyProps{}
	}
	k := &ManagedPublicKey{}
	path := l2.NewResource(k, &k.Construct, scope, id, &awscdk.ResourceProps{})
	k.init(k, path, managedKeyOptions{
		RotationInterval: props.RotationInterval, EncryptionKey: props.EncryptionKey, RemovalPolicy: props.RemovalPolicy,
		Name: props.PublicKeyName, ExternalTokenLifetime: props.ExternalTokenLifetime, Code: props.Code,
	}, publicKeySpec)
	return k
}

var publicKeySpec = managedKeySpec{
	service:      "IVS",
	kind:         "public key",
	storeKind:    wire.KeyKindPublicKey,
	resourceType: "Custom::IvsManagedPublicKey",
	nameProperty: "PublicKeyName",
	arnResource:  "public-key",
	importAction: "ivs:ImportPublicKey",
	deleteAction: "ivs:DeletePublicKey",
	listAction:   "ivs:ListPublicKeys",
	listOnKeys:   false,
}

// PublicKeyArn returns the ARN of the IVS public key imported when the
// construct was created (or last updated). A rotation replaces it; the
// current one is the public key tagged ivscdk:secret-version with the
// secret's AWSCURRENT version ID (ParticipantTokenEndpoint finds it).
func (k *ManagedPublicKey) PublicKeyArn() *string {
	return k.resource.GetAttString(jsii.String(wire.KeyAttributeKeyArn))
}

// A managed public key stands wherever a public key does.
var _ IPublicKey = (*ManagedPublicKey)(nil)
