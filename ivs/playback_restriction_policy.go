package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/iso3166"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/origin"
)

// maxAllowedOriginLength is the longest origin a playback restriction
// policy takes.
const maxAllowedOriginLength = 128

// PlaybackRestrictionPolicyProps configures a PlaybackRestrictionPolicy.
// The zero value restricts nothing.
type PlaybackRestrictionPolicyProps struct {
	// AllowedCountries limits playback to viewers in these countries, as
	// ISO 3166-1 alpha-2 codes ("US", "DE"). Default: all countries.
	AllowedCountries []string
	// AllowedOrigins limits playback to pages of these origins: Origin
	// header values (scheme://host[:port]), each at most 128 characters.
	// Default: all origins.
	AllowedOrigins []string
	// EnableStrictOriginEnforcement applies the origin restriction to every
	// playback request, not only the multivariant playlist. Default: false.
	EnableStrictOriginEnforcement bool
	// PlaybackRestrictionPolicyName is the name: letters, digits, '-' and
	// '_', at most 128 characters. Default: none.
	PlaybackRestrictionPolicyName string
	// Tags are added to the policy (same limits as ChannelProps.Tags).
	Tags map[string]string
}

// IPlaybackRestrictionPolicy is an IVS playback restriction policy, created
// in this app or imported.
type IPlaybackRestrictionPolicy interface {
	awscdk.IResource
	// PlaybackRestrictionPolicyRef returns the reference CDK APIs take (interfacesawsivs.IPlaybackRestrictionPolicyRef).
	interfacesawsivs.IPlaybackRestrictionPolicyRef
	// PlaybackRestrictionPolicyArn returns the policy's ARN.
	PlaybackRestrictionPolicyArn() *string
}

// PlaybackRestrictionPolicy is an AWS::IVS::PlaybackRestrictionPolicy: the
// countries and origins a channel may be watched from. Attach it with
// ChannelProps.PlaybackRestrictionPolicy.
type PlaybackRestrictionPolicy struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnPlaybackRestrictionPolicy
}

// NewPlaybackRestrictionPolicy defines a playback restriction policy.
func NewPlaybackRestrictionPolicy(scope constructs.Construct, id string, props *PlaybackRestrictionPolicyProps) *PlaybackRestrictionPolicy {
	if props == nil {
		props = &PlaybackRestrictionPolicyProps{}
	}
	p := &PlaybackRestrictionPolicy{}
	l2.NewResource(p, &p.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.PlaybackRestrictionPolicyName)})

	var problems check.Problems
	problems.Name("PlaybackRestrictionPolicyName", props.PlaybackRestrictionPolicyName)
	problems.Tags("Tags", props.Tags)
	seen := map[string]bool{}
	for _, c := range props.AllowedCountries {
		if cdktoken.IsUnresolved(c) {
			continue
		}
		if err := iso3166.Check(c); err != nil {
			problems.Addf("AllowedCountries %v", err)
		}
		if seen[c] {
			problems.Addf("AllowedCountries lists %q twice", c)
		}
		seen[c] = true
	}
	seenOrigins := map[string]bool{}
	for _, o := range props.AllowedOrigins {
		if cdktoken.IsUnresolved(o) {
			continue
		}
		if seenOrigins[o] {
			problems.Addf("AllowedOrigins lists %q twice", o)
		}
		seenOrigins[o] = true
		if len(o) > maxAllowedOriginLength {
			// IVS API reference, PlaybackRestrictionPolicy (botocore model ivs
			// 2020-07-14: PlaybackRestrictionPolicyAllowedOrigin, max 128);
			// the CloudFormation schema sets no limit.
			problems.Addf("AllowedOrigins %q has %d characters: IVS takes origins of at most %d", o, len(o), maxAllowedOriginLength)
		}
		if o == "*" {
			problems.Addf("AllowedOrigins %q is invalid: leave AllowedOrigins empty to allow every origin", o)
		} else if err := origin.Check(o, false); err != nil {
			problems.Addf("AllowedOrigins %v", err)
		}
	}
	strictWithoutOrigins := props.EnableStrictOriginEnforcement && len(props.AllowedOrigins) == 0
	cfnProps := &awsivs.CfnPlaybackRestrictionPolicyProps{
		Name:             l2.Optional(props.PlaybackRestrictionPolicyName),
		AllowedCountries: l2.StringList(props.AllowedCountries),
		AllowedOrigins:   l2.StringList(props.AllowedOrigins),
		Tags:             l2.CfnTags(props.Tags),
	}
	if props.EnableStrictOriginEnforcement {
		cfnProps.EnableStrictOriginEnforcement = jsii.Bool(true)
	}
	p.cfn = awsivs.NewCfnPlaybackRestrictionPolicy(p, jsii.String("Resource"), cfnProps)
	problems.Report(p)
	if strictWithoutOrigins {
		check.Warn(p, WarningStrictOriginWithoutOrigins, "EnableStrictOriginEnforcement without AllowedOrigins has nothing to enforce: "+
			"strict enforcement applies the allowed origins to every playback request (IVS API reference, PlaybackRestrictionPolicy). "+
			"Name the origins, or leave strict enforcement off")
	}
	return p
}

// WarningStrictOriginWithoutOrigins is the ID of the synth warning for
// strict origin enforcement with no origins to enforce (a playback
// restriction policy or a playback token endpoint).
const WarningStrictOriginWithoutOrigins = "ivscdk:ivs:strictOriginWithoutOrigins"

// PlaybackRestrictionPolicyArn returns the policy's ARN.
func (p *PlaybackRestrictionPolicy) PlaybackRestrictionPolicyArn() *string { return p.cfn.AttrArn() }

// PlaybackRestrictionPolicyFromPlaybackRestrictionPolicyArn imports an
// existing policy by ARN. Literal ARNs are checked (service "ivs", resource
// type "playback-restriction-policy"); tokens are accepted as they are.
func PlaybackRestrictionPolicyFromPlaybackRestrictionPolicyArn(scope constructs.Construct, id string, arn string) IPlaybackRestrictionPolicy {
	p := &importedPlaybackRestrictionPolicy{arn: arn}
	l2.NewImported(p, &p.Construct, scope, id, arn, "ivs", "playback-restriction-policy")
	return p
}

type importedPlaybackRestrictionPolicy struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (p *importedPlaybackRestrictionPolicy) PlaybackRestrictionPolicyArn() *string {
	return jsii.String(p.arn)
}
