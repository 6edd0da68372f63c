package ivs

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// CompositionTargets names what compositions started under
// GrantStartComposition may use. A composition needs at least one
// destination: a channel to broadcast to or a storage configuration to
// record to (IVS Real-Time API reference, StartComposition).
type CompositionTargets struct {
	// EncoderConfigurations the compositions may encode with. IAM requires an
	// encoder configuration resource for ivs:StartComposition. Default:
	// every encoder configuration of the stage's account and region.
	EncoderConfigurations []IEncoderConfiguration
	// Channels the compositions may broadcast to.
	Channels []IChannel
	// StorageConfigurations the compositions may record to.
	StorageConfigurations []IStorageConfiguration
}

// GrantStartComposition lets grantee start server-side compositions of the
// stage (ivs:StartComposition) with the encoder configurations and to the
// destinations in targets, and nothing else: the Service Authorization
// Reference lists the stage and an encoder configuration as required
// resources of ivs:StartComposition, and the channel and storage
// configuration as optional ones, so a destination not named here is
// refused by IAM. targets without any channel or storage configuration
// fails synthesis: such a grant could start nothing.
func (s stageBase) GrantStartComposition(grantee awsiam.IGrantable, targets *CompositionTargets) awsiam.Grant {
	if targets == nil {
		targets = &CompositionTargets{}
	}
	resources := []*string{s.arn()}
	for _, e := range targets.EncoderConfigurations {
		resources = append(resources, e.EncoderConfigurationArn())
	}
	if len(targets.EncoderConfigurations) == 0 {
		resources = append(resources, l2.SameEnvironmentARNs(s.arn(), "encoder-configuration"))
	}
	for _, c := range targets.Channels {
		resources = append(resources, c.ChannelArn())
	}
	for _, st := range targets.StorageConfigurations {
		resources = append(resources, st.StorageConfigurationArn())
	}
	var problems check.Problems
	if len(targets.Channels)+len(targets.StorageConfigurations) == 0 {
		problems.Addf("GrantStartComposition needs a destination: name at least one channel or storage configuration in CompositionTargets (a composition broadcasts to a channel or records to a storage configuration, and IAM refuses destinations the grant does not name)")
	}
	s.checkTargetsLocal(&problems, targets)
	problems.Report(s.scope)
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("ivs:StartComposition"), ResourceArns: &resources,
	})
}

// checkTargetsLocal refuses literal target ARNs of another account or
// region than the stage's: the IVS Real-Time API reference says of each
// (ChannelDestinationConfiguration, S3DestinationConfiguration) that it
// "and stage resources must be in the same AWS account and region".
func (s stageBase) checkTargetsLocal(problems *check.Problems, targets *CompositionTargets) {
	stack := awscdk.Stack_Of(s.scope)
	const reason = "a composition's channel, storage configuration and encoder configurations must be in the stage's account and " +
		"region (IVS Real-Time API reference, ChannelDestinationConfiguration and S3DestinationConfiguration)"
	check := func(what string, arn *string) {
		if arn != nil {
			l2.SameEnvironment(problems, what, *arn, reason, stack)
		}
	}
	for i, c := range targets.Channels {
		if c != nil {
			check(fmt.Sprintf("CompositionTargets.Channels[%d]", i), c.ChannelArn())
		}
	}
	for i, e := range targets.EncoderConfigurations {
		if e != nil {
			check(fmt.Sprintf("CompositionTargets.EncoderConfigurations[%d]", i), e.EncoderConfigurationArn())
		}
	}
	for i, st := range targets.StorageConfigurations {
		if st != nil {
			check(fmt.Sprintf("CompositionTargets.StorageConfigurations[%d]", i), st.StorageConfigurationArn())
		}
	}
}

// GrantStopComposition lets grantee stop compositions
// (ivs:StopComposition). IAM scopes that action to the composition, whose
// ARN is only known once it starts, so the grant covers every composition
// of the stage's account and region.
func (s stageBase) GrantStopComposition(grantee awsiam.IGrantable) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("ivs:StopComposition"),
		ResourceArns: &[]*string{l2.SameEnvironmentARNs(s.arn(), "composition")},
	})
}
