package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// PublicKeyProps configures a PublicKey.
type PublicKeyProps struct {
	// PublicKeyMaterial is the public key, as a PEM "PUBLIC KEY" block of an
	// ECDSA P-384 key (`ivscdk keygen` writes one). Required. A private key
	// is refused: it must never be in a template.
	PublicKeyMaterial string
	// PublicKeyName is the name: letters, digits, '-' and '_', at most 128
	// characters. Default: none.
	PublicKeyName string
	// Tags are added to the public key (same limits as ChannelProps.Tags).
	Tags map[string]string
}

// IPublicKey is an IVS public key, created in this app or imported.
type IPublicKey interface {
	awscdk.IResource
	// PublicKeyRef returns the reference CDK APIs take (interfacesawsivs.IPublicKeyRef).
	interfacesawsivs.IPublicKeyRef
	// PublicKeyArn returns the public key's ARN: the "kid" of the
	// participant tokens it verifies.
	PublicKeyArn() *string
}

// PublicKey is an AWS::IVS::PublicKey: the key IVS real-time uses to verify
// self-signed stage participant tokens (ivstoken.ParticipantSigner signs
// them with the private half).
type PublicKey struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnPublicKey
}

// NewPublicKey imports a public key into IVS.
func NewPublicKey(scope constructs.Construct, id string, props *PublicKeyProps) *PublicKey {
	if props == nil {
		props = &PublicKeyProps{}
	}
	k := &PublicKey{}
	l2.NewResource(k, &k.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.PublicKeyName)})
	var problems check.Problems
	problems.Name("PublicKeyName", props.PublicKeyName)
	problems.Tags("Tags", props.Tags)
	checkPublicKeyMaterial(&problems, props.PublicKeyMaterial)
	k.cfn = awsivs.NewCfnPublicKey(k, jsii.String("Resource"), &awsivs.CfnPublicKeyProps{
		Name:              l2.Optional(props.PublicKeyName),
		PublicKeyMaterial: jsii.String(props.PublicKeyMaterial),
		Tags:              l2.CfnTags(props.Tags),
	})
	problems.Report(k)
	return k
}

// PublicKeyArn returns the public key's ARN.
func (k *PublicKey) PublicKeyArn() *string { return k.cfn.AttrArn() }

// PublicKeyFingerprint returns the fingerprint IVS computes for the key.
func (k *PublicKey) PublicKeyFingerprint() *string { return k.cfn.AttrFingerprint() }

// PublicKeyFromPublicKeyArn imports an existing public key by ARN. Literal
// ARNs are checked (service "ivs", resource type "public-key").
func PublicKeyFromPublicKeyArn(scope constructs.Construct, id string, arn string) IPublicKey {
	k := &importedPublicKey{arn: arn}
	l2.NewImported(k, &k.Construct, scope, id, arn, "ivs", "public-key")
	return k
}

type importedPublicKey struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (k *importedPublicKey) PublicKeyArn() *string { return jsii.String(k.arn) }
