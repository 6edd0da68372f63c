package ivs

import (
	"fmt"
	"regexp"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// AdConfigurationProps configures an AdConfiguration.
type AdConfigurationProps struct {
	// MediaTailorPlaybackConfigurationArns are the AWS Elemental MediaTailor
	// playback configurations that serve the ads: 1 to 3 ARNs of the form
	// arn:aws:mediatailor:REGION:ACCOUNT:playbackConfiguration/NAME.
	// Required.
	MediaTailorPlaybackConfigurationArns []string
	// PostRoll, when not zero, plays an ad break of this length after the
	// stream ends: 1 to 300 whole seconds. Default: 0 (no post-roll).
	PostRoll time.Duration
	// AdConfigurationName is the name: letters, digits, '-' and '_', at most
	// 128 characters. Default: none.
	AdConfigurationName string
	// Tags are added to the ad configuration.
	Tags map[string]string
}

// IAdConfiguration is an IVS ad configuration, created in this app or
// imported.
type IAdConfiguration interface {
	awscdk.IResource
	// AdConfigurationRef returns the reference CDK APIs take (interfacesawsivs.IAdConfigurationRef).
	interfacesawsivs.IAdConfigurationRef
	// AdConfigurationArn returns the ad configuration's ARN.
	AdConfigurationArn() *string
}

// AdConfigurationFromAdConfigurationArn imports an existing ad
// configuration by ARN (service "ivs", resource type "ad-configuration";
// tokens are accepted as they are).
func AdConfigurationFromAdConfigurationArn(scope constructs.Construct, id string, arn string) IAdConfiguration {
	a := &importedAdConfiguration{arn: arn}
	l2.NewImported(a, &a.Construct, scope, id, arn, "ivs", "ad-configuration")
	return a
}

type importedAdConfiguration struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (a *importedAdConfiguration) AdConfigurationArn() *string { return jsii.String(a.arn) }

// AdConfiguration is an AWS::IVS::AdConfiguration: server-side ad insertion
// for IVS channels through AWS Elemental MediaTailor. Attach it to a
// channel with ChannelProps.AdConfiguration.
type AdConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnAdConfiguration
}

var mediaTailorArnPattern = regexp.MustCompile(`^arn:aws:mediatailor:[a-z0-9-]+:[0-9]+:playbackConfiguration/[a-zA-Z0-9-]+$`)

// NewAdConfiguration defines an ad configuration.
func NewAdConfiguration(scope constructs.Construct, id string, props *AdConfigurationProps) *AdConfiguration {
	if props == nil {
		props = &AdConfigurationProps{}
	}
	a := &AdConfiguration{}
	path := l2.NewResource(a, &a.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.AdConfigurationName)})
	var problems check.Problems
	problems.Name("AdConfigurationName", props.AdConfigurationName)
	problems.Tags("Tags", props.Tags)
	if n := len(props.MediaTailorPlaybackConfigurationArns); n < 1 || n > 3 {
		problems.Addf("MediaTailorPlaybackConfigurationArns has %d entries: give 1 to 3", n)
	}
	configs := make([]any, 0, len(props.MediaTailorPlaybackConfigurationArns))
	for i, arn := range props.MediaTailorPlaybackConfigurationArns {
		if !cdktoken.IsUnresolved(arn) && !mediaTailorArnPattern.MatchString(arn) {
			problems.Addf("MediaTailorPlaybackConfigurationArns %q is invalid: want arn:aws:mediatailor:REGION:ACCOUNT:playbackConfiguration/NAME", arn)
		} else {
			l2.SameEnvironment(&problems, fmt.Sprintf("MediaTailorPlaybackConfigurationArns[%d]", i), arn,
				"IVS takes a MediaTailor playback configuration \"in the same region and account\" only (IVS API reference, "+
					"MediaTailorPlaybackConfiguration); create one there", path.Stack())
		}
		configs = append(configs, &awsivs.CfnAdConfiguration_MediaTailorPlaybackConfigurationProperty{PlaybackConfigurationArn: jsii.String(arn)})
	}
	cfnProps := &awsivs.CfnAdConfigurationProps{
		Name:                              l2.Optional(props.AdConfigurationName),
		MediaTailorPlaybackConfigurations: &configs,
		Tags:                              l2.CfnTags(props.Tags),
	}
	if seconds := l2.WholeSeconds(&problems, "PostRoll", props.PostRoll, 1, 300); seconds != nil {
		cfnProps.PostRollConfiguration = &awsivs.CfnAdConfiguration_PostRollConfigurationProperty{
			Enabled: jsii.Bool(true), DurationSeconds: seconds,
		}
	}
	a.cfn = awsivs.NewCfnAdConfiguration(a, jsii.String("Resource"), cfnProps)
	// The CloudFormation Validate engine built into the CDK does not know this
	// resource type yet and reports it as an error that would fail every
	// synth; ivscdk checks the properties against the registry schema instead.
	awscdk.Validations_Of(a).Acknowledge(&awscdk.Acknowledgment{
		Id:     jsii.String("CloudFormation-Validate::F3006"),
		Reason: jsii.String("AWS::IVS::AdConfiguration is newer than the validation engine's resource specification; ivscdk validates it against the CloudFormation registry schema"),
	})
	problems.Report(a)
	return a
}

// AdConfigurationArn returns the ad configuration's ARN.
func (a *AdConfiguration) AdConfigurationArn() *string { return a.cfn.AttrArn() }
