package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/jsii-runtime-go"
)

// attachPlaybackRestrictionPolicy sets the channel's playback restriction
// policy at deploy time. AWS::IVS::Channel has no property for it, so a
// custom resource calls the IVS UpdateChannel API: with the policy's ARN on
// create and update, and with "" on delete, which detaches the policy before
// either resource is deleted. Its role may call ivs:UpdateChannel on this
// channel and policy only.
func attachPlaybackRestrictionPolicy(c *Channel, policy IPlaybackRestrictionPolicy) {
	channelArn, policyArn := c.ChannelArn(), policy.PlaybackRestrictionPolicyArn()
	call := func(arn *string) *customresources.AwsSdkCall {
		return &customresources.AwsSdkCall{
			Service: jsii.String("ivs"),
			Action:  jsii.String("UpdateChannel"),
			Parameters: map[string]any{
				"arn":                          channelArn,
				"playbackRestrictionPolicyArn": arn,
			},
			PhysicalResourceId: customresources.PhysicalResourceId_Of(channelArn),
		}
	}
	customresources.NewAwsCustomResource(c, jsii.String("PlaybackRestrictionPolicyAttachment"), &customresources.AwsCustomResourceProps{
		OnCreate: call(policyArn),
		OnUpdate: call(policyArn),
		OnDelete: call(jsii.String("")),
		Policy: customresources.AwsCustomResourcePolicy_FromStatements(&[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings("ivs:UpdateChannel"),
				Resources: &[]*string{channelArn, policyArn},
			}),
		}),
		InstallLatestAwsSdk: jsii.Bool(false),
	})
	suppressProviderNagFindings(c)
}
