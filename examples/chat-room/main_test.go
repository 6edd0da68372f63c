package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestChatRoomStack(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewChatRoomStack(env.App, "IvsChatRoom", &ChatRoomProps{BannedWords: "spoiler"})
	env.Stack = stack
	room, moderator := env.LogicalID("Room"), env.LogicalID("Moderator")
	got := env.Synth()
	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::IVSChat::Room"), map[string]any{
		"MessageReviewHandler":            map[string]any{"FallbackResult": "DENY", "Uri": map[string]any{"Fn::GetAtt": []any{moderator, "Arn"}}},
		"LoggingConfigurationIdentifiers": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Logging"), "Arn"}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
		"Principal": "ivschat.amazonaws.com", "SourceArn": map[string]any{"Fn::GetAtt": []any{room, "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Timeout": 1,
		"Environment": map[string]any{"Variables": map[string]any{"BANNED_WORDS": "spoiler"}},
	})
	// The moderator needs no permissions beyond writing its own logs.
	template.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("ModeratorLogs"), "Arn"}},
		}}},
	})
	cdktest.Golden(t, "testdata/chat-room.json", got)
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewChatRoomStack(env.App, "IvsChatRoom", &ChatRoomProps{BannedWords: "spoiler"})
	for _, f := range cdktest.NagFindings(env.App, stack) {
		t.Errorf("unsuppressed cdk-nag finding: %s", f)
	}
}
