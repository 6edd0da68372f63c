package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
)

// awsCustomResourceProvider is the ID the CDK gives the one Lambda function
// behind every AwsCustomResource of a stack.
const awsCustomResourceProvider = "AWS679f53fac002430cb0da5b7982bd2287"

// suppressProviderNagFindings explains, for cdk-nag, the managed policy of
// the CDK's AwsCustomResource provider function, which ivscdk's deploy-time
// API calls (UpdateChannel, GetStage) use and cannot change.
func suppressProviderNagFindings(scope constructs.Construct) {
	provider := awscdk.Stack_Of(scope).Node().TryFindChild(jsii.String(awsCustomResourceProvider))
	if provider == nil {
		return
	}
	role := provider.Node().TryFindChild(jsii.String("ServiceRole"))
	if role == nil || role.Node().DefaultChild() == nil {
		return
	}
	lambdafn.SuppressNag(role.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM4",
		"The AWS CDK's AwsCustomResource provider function (one per stack) has AWSLambdaBasicExecutionRole for its logs; "+
			"each API call it makes is allowed by its own least-privilege policy.",
		"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
}
