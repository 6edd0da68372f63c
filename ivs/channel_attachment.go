package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/jsii-runtime-go"
)

// attachPlaybackRestrictionPolicy sets the channel's playback restriction
// policy at deploy time (AWS::IVS::Channel has no property for it).
func attachPlaybackRestrictionPolicy(c *Channel, policy IPlaybackRestrictionPolicy) {
	attachToChannel(c, "PlaybackRestrictionPolicyAttachment", "playbackRestrictionPolicyArn", policy.PlaybackRestrictionPolicyArn())
}

// attachAdConfiguration sets the channel's ad configuration at deploy time
// (AWS::IVS::Channel has no property for it; UpdateChannel takes
// adConfigurationArn).
func attachAdConfiguration(c *Channel, ads IAdConfiguration) {
	attachToChannel(c, "AdConfigurationAttachment", "adConfigurationArn", ads.AdConfigurationArn())
}

// attachToChannel sets one ARN field of the channel with the IVS
// UpdateChannel API, from a custom resource (id): the ARN on create and
// update, "" on delete, which detaches it before either resource is
// deleted. UpdateChannel leaves the fields it is not given as they are, so
// several attachments coexist. Its role may call ivs:UpdateChannel on this
// channel and the attached resource only.
func attachToChannel(c *Channel, id, field string, arn *string) {
	channelArn := c.ChannelArn()
	call := func(value *string) *customresources.AwsSdkCall {
		return &customresources.AwsSdkCall{
			Service:            jsii.String("ivs"),
			Action:             jsii.String("UpdateChannel"),
			Parameters:         map[string]any{"arn": channelArn, field: value},
			PhysicalResourceId: customresources.PhysicalResourceId_Of(channelArn),
		}
	}
	customresources.NewAwsCustomResource(c, jsii.String(id), &customresources.AwsCustomResourceProps{
		OnCreate: call(arn),
		OnUpdate: call(arn),
		OnDelete: call(jsii.String("")),
		Policy: customresources.AwsCustomResourcePolicy_FromStatements(&[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ivs:UpdateChannel"),
				Resources: &[]*string{channelArn, arn},
			}),
		}),
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	suppressProviderNagFindings(c)
}
