package ivs

import (
	"errors"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// PlaybackKeyPairProps configures a PlaybackKeyPair.
type PlaybackKeyPairProps struct {
	// PublicKeyMaterial is the public key, as a PEM "PUBLIC KEY" block of an
	// ECDSA P-384 key (`ivscdk keygen` or `openssl ec -pubout` writes one).
	// Required. A private key is refused: it must never be in a template.
	PublicKeyMaterial string
	// PlaybackKeyPairName is the key pair's name: letters, digits, '-' and
	// '_', at most 128 characters. Default: none (IVS leaves it empty).
	PlaybackKeyPairName string
	// Tags are added to the key pair (same limits as ChannelProps.Tags).
	// Default: none.
	Tags map[string]string
}

// IPlaybackKeyPair is an IVS playback key pair, created in this app or
// imported.
type IPlaybackKeyPair interface {
	awscdk.IResource
	// PlaybackKeyPairRef returns the reference CDK APIs take (interfacesawsivs.IPlaybackKeyPairRef).
	interfacesawsivs.IPlaybackKeyPairRef
	// PlaybackKeyPairArn returns the key pair's ARN.
	PlaybackKeyPairArn() *string
}

// PlaybackKeyPair is an AWS::IVS::PlaybackKeyPair: the public key IVS uses to
// verify the playback tokens of authorized (private) channels. The private
// half stays with whoever signs tokens, for example with package ivstoken.
type PlaybackKeyPair struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnPlaybackKeyPair
}

// NewPlaybackKeyPair imports a public key into IVS as a playback key pair.
func NewPlaybackKeyPair(scope constructs.Construct, id string, props *PlaybackKeyPairProps) *PlaybackKeyPair {
	if props == nil {
		props = &PlaybackKeyPairProps{}
	}
	p := &PlaybackKeyPair{}
	path := l2.NewResource(p, &p.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.PlaybackKeyPairName)})

	var problems check.Problems
	problems.Name("PlaybackKeyPairName", props.PlaybackKeyPairName)
	problems.Tags("Tags", props.Tags)
	checkPublicKeyMaterial(&problems, props.PublicKeyMaterial)
	p.cfn = awsivs.NewCfnPlaybackKeyPair(p, jsii.String("Resource"), &awsivs.CfnPlaybackKeyPairProps{
		Name:              l2.Optional(props.PlaybackKeyPairName),
		PublicKeyMaterial: jsii.String(props.PublicKeyMaterial),
		Tags:              l2.CfnTags(props.Tags),
	})
	problems.Report(p)
	noteKeyPair(path)
	claimKeyPairSlots(path.Stack(), path.String(), 1, props.PublicKeyMaterial)
	return p
}

// checkPublicKeyMaterial accepts a PEM ECDSA P-384 public key, or a token.
func checkPublicKeyMaterial(problems *check.Problems, material string) {
	if cdktoken.IsUnresolved(material) {
		return
	}
	if material == "" {
		problems.Addf("PublicKeyMaterial is required: give a PEM \"PUBLIC KEY\" block of an ECDSA P-384 key (create one with `ivscdk keygen`)")
		return
	}
	_, err := ivstoken.ParsePublicKeyPEM([]byte(material))
	switch {
	case err == nil:
	case errors.Is(err, ivstoken.ErrPrivateKey):
		problems.Addf("PublicKeyMaterial holds a PRIVATE key, which must never be put in a template or uploaded: " +
			"give its public half instead (`openssl ec -in private.pem -pubout -out public.pem`), and keep the private key " +
			"where tokens are signed, for example in AWS Secrets Manager")
	case errors.Is(err, ivstoken.ErrNotP384):
		// The error already says what IVS needs and what was given.
		problems.Addf("PublicKeyMaterial is invalid: %v", err)
	default:
		problems.Addf("PublicKeyMaterial is invalid: %v; IVS needs a PEM \"PUBLIC KEY\" block of an ECDSA P-384 key", err)
	}
}

// PlaybackKeyPairArn returns the key pair's ARN.
func (p *PlaybackKeyPair) PlaybackKeyPairArn() *string { return p.cfn.AttrArn() }

// PlaybackKeyPairFingerprint returns the fingerprint IVS computes for the
// public key.
func (p *PlaybackKeyPair) PlaybackKeyPairFingerprint() *string { return p.cfn.AttrFingerprint() }

// PlaybackKeyPairFromPlaybackKeyPairArn imports an existing playback key
// pair by ARN. Literal ARNs are checked (service "ivs", resource type
// "playback-key"); tokens are accepted as they are.
func PlaybackKeyPairFromPlaybackKeyPairArn(scope constructs.Construct, id string, arn string) IPlaybackKeyPair {
	p := &importedPlaybackKeyPair{arn: arn}
	l2.NewImported(p, &p.Construct, scope, id, arn, "ivs", "playback-key")
	noteKeyPair(cdkname.Of(scope))
	return p
}

type importedPlaybackKeyPair struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (p *importedPlaybackKeyPair) PlaybackKeyPairArn() *string { return jsii.String(p.arn) }
