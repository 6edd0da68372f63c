package ivschat_test

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

// A chat room whose messages a Lambda function reviews, logged to
// CloudWatch Logs, and a role allowed to hand out chat tokens.
func ExampleNewRoom() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("TestStack"), nil)
	moderator := awslambda.NewFunction(stack, jsii.String("Moderator"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String("index.handler"),
		Code: awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({ReviewResult: 'ALLOW'})")),
	})
	logs := ivschat.NewLoggingConfiguration(stack, "ChatLogs", &ivschat.LoggingConfigurationProps{
		LogGroup: awslogs.NewLogGroup(stack, jsii.String("ChatLogGroup"), nil),
	})

	room := ivschat.NewRoom(stack, "Room", &ivschat.RoomProps{
		MaximumMessageLength:        200,
		MaximumMessageRatePerSecond: 5,
		MessageReviewHandler:        &ivschat.MessageReviewHandler{Handler: moderator, FallbackResult: ivschat.FallbackResultDeny},
		LoggingConfigurations:       []ivschat.ILoggingConfiguration{logs},
	})
	tokenVendor := awsiam.NewRole(stack, jsii.String("TokenVendor"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	room.GrantCreateChatToken(tokenVendor)

	template := assertions.Template_FromStack(stack, nil)
	for _, kind := range []string{"AWS::IVSChat::Room", "AWS::IVSChat::LoggingConfiguration", "AWS::Lambda::Permission"} {
		fmt.Println(kind, len(*template.FindResources(jsii.String(kind), nil)))
	}
	// Output:
	// AWS::IVSChat::Room 1
	// AWS::IVSChat::LoggingConfiguration 1
	// AWS::Lambda::Permission 1
}

// Chat tokens for signed-in users: each chatter's user ID is the caller's
// verified JWT subject, and the function may create tokens for this room
// only.
func ExampleNewChatTokenEndpoint() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("TestStack"), nil)
	room := ivschat.NewRoom(stack, "Room", nil)

	tokens := ivschat.NewChatTokenEndpoint(stack, "ChatTokens", &ivschat.ChatTokenEndpointProps{
		Rooms:           []ivschat.IRoom{room},
		Capabilities:    []string{ivschat.CapabilitySendMessage},
		SessionDuration: time.Hour,
		Authentication:  ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example", "client-id"),
		UserIDClaim:     "sub",
	})
	awscdk.NewCfnOutput(stack, jsii.String("ChatTokenUrl"), &awscdk.CfnOutputProps{Value: tokens.Url()})

	template := assertions.Template_FromStack(stack, nil)
	for _, kind := range []string{"AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Authorizer", "AWS::Lambda::Function"} {
		fmt.Println(kind, len(*template.FindResources(jsii.String(kind), nil)))
	}
	// Output:
	// AWS::ApiGatewayV2::Route 2
	// AWS::ApiGatewayV2::Authorizer 1
	// AWS::Lambda::Function 1
}
