package ivschat_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivschat"
)

// Any log group reference the CDK takes will do: an L1 awslogs.CfnLogGroup
// too.
func TestLoggingTakesAnyLogGroupReference(t *testing.T) {
	env := cdktest.New(t)
	group := awslogs.NewCfnLogGroup(env.Stack, jsii.String("ChatLogs"), nil)
	ivschat.NewLoggingConfiguration(env.Stack, "Logging", &ivschat.LoggingConfigurationProps{LogGroup: group})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVSChat::LoggingConfiguration"), map[string]any{
		"DestinationConfiguration": map[string]any{"CloudWatchLogs": map[string]any{"LogGroupName": map[string]any{"Ref": "ChatLogs"}}},
	})
}
