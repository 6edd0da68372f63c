// Command chat-room is an IVS Chat room with a Go moderation Lambda that
// reviews every message, and logging of the room's messages and events to
// CloudWatch Logs.
//
//	go run ./examples/chat-room     # writes the template to cdk.out/
package main

import (
	"os"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/ivschat"
)

func main() {
	defer jsii.Close()
	// `cdk synth` names the output folder in CDK_OUTDIR; plain `go run`
	// writes to cdk.out/ in the working directory.
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir == "" {
		outdir = "cdk.out"
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	NewChatRoomStack(app, "IvsChatRoom", &ChatRoomProps{BannedWords: "spoiler"})
	app.Synth(nil)
}

// ChatRoomProps configures the stack.
type ChatRoomProps struct {
	awscdk.StackProps
	// BannedWords is the moderator's comma-separated list of words whose
	// messages are denied.
	BannedWords string
}

// NewChatRoomStack defines the stack.
func NewChatRoomStack(scope constructs.Construct, id string, props *ChatRoomProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// Built from ./moderator with the local Go toolchain; its own log
	// group and a role that may only log.
	moderator, err := golambda.NewFunction(stack, "Moderator", &golambda.FunctionProps{
		Package:    "github.com/ivscdk/ivscdk/examples/chat-room/moderator",
		MemorySize: 128,
		// IVS Chat waits only briefly for a review: keep the function lean.
		Timeout:     time.Second,
		Description: "Reviews IVS Chat messages",
		Environment: map[string]*string{"BANNED_WORDS": jsii.String(props.BannedWords)},
	})
	if err != nil {
		panic(err) // no go command, or the moderator does not build
	}

	logGroup := awslogs.NewLogGroup(stack, jsii.String("ChatLogs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_MONTH,
	})
	logging := ivschat.NewLoggingConfiguration(stack, "Logging", &ivschat.LoggingConfigurationProps{LogGroup: logGroup})

	room := ivschat.NewRoom(stack, "Room", &ivschat.RoomProps{
		MaximumMessageLength:        300,
		MaximumMessageRatePerSecond: 5,
		MessageReviewHandler:        &ivschat.MessageReviewHandler{Handler: moderator, FallbackResult: ivschat.FallbackResultDeny},
		LoggingConfigurations:       []ivschat.ILoggingConfiguration{logging},
	})

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("RoomArn", room.RoomArn(), "create chat tokens with: aws ivschat create-chat-token --room-identifier <this> --user-id <id>")
	output("LogGroupName", logGroup.LogGroupName(), "the room's messages and events")
	return stack
}
