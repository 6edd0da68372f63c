package ivs

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// DefaultCookieKeyRotation is how often the cookie key a RecordingLibrary
// makes for itself is rotated.
const DefaultCookieKeyRotation = 30 * 24 * time.Hour

// ManagedCookieKeyProps configures a ManagedCookieKey. The zero value is a
// key without rotation.
type ManagedCookieKeyProps struct {
	// RotationInterval turns on scheduled rotation through AWS Secrets
	// Manager: whole hours from 4h, or whole days up to 1000 days (as
	// ManagedPlaybackKeyPairProps.RotationInterval). It must be at least
	// the grace period. Default: no rotation.
	RotationInterval time.Duration
	// EncryptionKey encrypts the secret. Default: the account's
	// aws/secretsmanager key.
	EncryptionKey awskms.IKey
	// RemovalPolicy applies to the secret. Default: DESTROY. The
	// CloudFront public keys and key group are always deleted with the
	// construct.
	RemovalPolicy awscdk.RemovalPolicy
	// KeyGroupName names the CloudFront key group and starts the names of
	// its public keys, which end in the secret version's ID: letters,
	// digits, '-' and '_', at most 90 characters. Default: a name made
	// from the construct path.
	KeyGroupName string
	// ExternalTokenLifetime is, for cookies or URLs signed with this key by
	// services of your own, their longest lifetime plus how long those
	// services cache the key. It lengthens the grace period. Default: 0.
	ExternalTokenLifetime time.Duration
	// Code replaces the Lambda code of the key manager (the handler in
	// github.com/ivscdk/ivscdk/lambda/managedkey).
	Code awslambda.Code
}

// ManagedCookieKey is a key that signs CloudFront cookies, made the way
// ManagedPlaybackKeyPair makes IVS keys: a custom resource backed by the
// same Go Lambda function generates an ECDSA P-256 key (CloudFront takes
// RSA 2048 or ECDSA P-256, API reference, PublicKeyConfig) into a secret
// the construct creates, and creates its public half as a CloudFront
// public key in a key group of its own (KeyGroup), which distributions
// trust. The private half never leaves the secret.
//
// With RotationInterval set, Secrets Manager rotates the key: the new
// public key joins the group at the rotation's setSecret step, before any
// cookie is signed with it, and the old one leaves the group (and is
// deleted) once no cookie signed with it can still be used. Deleting the
// construct deletes its public keys and its key group.
//
// RecordingLibrary makes one for itself when it serves an authorized
// channel and is given no CookieKey.
type ManagedCookieKey struct {
	l2.Construct // first field: see l2.Construct
	managedKey
	keyGroup awscloudfront.IKeyGroup
}

// NewManagedCookieKey defines a managed cookie key. props may be nil for
// all defaults.
func NewManagedCookieKey(scope constructs.Construct, id string, props *ManagedCookieKeyProps) *ManagedCookieKey {
	if props == nil {
		props = &ManagedCookieKeyProps{}
	}
	k := &ManagedCookieKey{}
	path := l2.NewResource(k, &k.Construct, scope, id, &awscdk.ResourceProps{})
	k.init(k, path, managedKeyOptions{
		RotationInterval: props.RotationInterval, EncryptionKey: props.EncryptionKey, RemovalPolicy: props.RemovalPolicy,
		Name: props.KeyGroupName, ExternalTokenLifetime: props.ExternalTokenLifetime, Code: props.Code,
	}, cookieKeySpec)
	k.keyGroup = awscloudfront.KeyGroup_FromKeyGroupId(k, jsii.String("KeyGroup"),
		k.resource.GetAttString(jsii.String(wire.KeyAttributeKeyGroupID)))
	return k
}

var cookieKeySpec = managedKeySpec{
	service:      "CloudFront",
	kind:         "cookie key",
	storeKind:    wire.KeyKindCloudFrontPublicKey,
	resourceType: "Custom::IvsManagedCookieKey",
	nameProperty: "KeyGroupName",
	grant:        (*managedKey).grantCloudFrontKeys,
}

// grantCloudFrontKeys gives the key manager the CloudFront calls on public
// keys and key groups. The Service Authorization Reference (Amazon
// CloudFront) names no resource type and no condition key for any of
// them, so they are granted on "*"; the function touches only the keys
// and the group named after its own prefix.
func (m *managedKey) grantCloudFrontKeys(constructs.Construct) {
	m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("cloudfront:CreatePublicKey", "cloudfront:GetPublicKey", "cloudfront:DeletePublicKey",
			"cloudfront:ListPublicKeys", "cloudfront:CreateKeyGroup", "cloudfront:GetKeyGroup", "cloudfront:UpdateKeyGroup",
			"cloudfront:DeleteKeyGroup", "cloudfront:ListKeyGroups"),
		Resources: jsii.Strings("*"),
	}))
	policy := m.function.Role().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
	lambdafn.SuppressNag(policy, "AwsSolutions-IAM5",
		"The Service Authorization Reference names no resource type and no condition key for CloudFront public keys "+
			"and key groups, so their actions can only be granted on \"*\"; the key manager changes only the keys and the "+
			"key group named after its own prefix.", "Resource::*")
}

// KeyGroup returns the CloudFront key group holding the key's public
// halves, for a cache behaviour's TrustedKeyGroups.
func (k *ManagedCookieKey) KeyGroup() awscloudfront.IKeyGroup { return k.keyGroup }

// KeyGroupName returns the key group's name, which starts the names of
// its public keys (<name>-<secret version ID>).
func (k *ManagedCookieKey) KeyGroupName() string { return k.prefix }

// PublicKeyId returns the ID of the CloudFront public key created when the
// construct was created (or last updated). A rotation replaces it; the
// current one is named after the secret's AWSCURRENT version ID.
func (k *ManagedCookieKey) PublicKeyId() *string {
	return k.resource.GetAttString(jsii.String(wire.KeyAttributeKeyArn))
}
