package ivschat_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivschat"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func newFunction(env *cdktest.Env, id string) awslambda.Function {
	return awslambda.NewFunction(env.Stack, jsii.String(id), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String("index.handler"),
		Code: awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({ReviewResult: 'ALLOW'})")),
	})
}

func TestRoomAllProperties(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("ChatLogs"), nil)
	group := awslogs.NewLogGroup(env.Stack, jsii.String("ChatLogGroup"), &awslogs.LogGroupProps{LogGroupName: jsii.String("/aws/vendedlogs/ivschat/demo")})
	toS3 := ivschat.NewLoggingConfiguration(env.Stack, "ToS3", &ivschat.LoggingConfigurationProps{Bucket: bucket, LoggingConfigurationName: "chat-to-s3"})
	toLogs := ivschat.NewLoggingConfiguration(env.Stack, "ToLogs", &ivschat.LoggingConfigurationProps{LogGroup: group})
	reviewer := newFunction(env, "Reviewer")
	room := ivschat.NewRoom(env.Stack, "Room", &ivschat.RoomProps{
		RoomName:                    "lobby",
		MaximumMessageLength:        200,
		MaximumMessageRatePerSecond: 5,
		MessageReviewHandler:        &ivschat.MessageReviewHandler{Handler: reviewer, FallbackResult: ivschat.FallbackResultDeny},
		LoggingConfigurations:       []ivschat.ILoggingConfiguration{toS3, toLogs},
		Tags:                        map[string]string{"team": "video"},
	})
	role := awsiam.NewRole(env.Stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	room.GrantCreateChatToken(role)
	room.GrantSendEvent(role)
	room.GrantDeleteMessage(role)
	room.GrantDisconnectUser(role)
	awscdk.NewCfnOutput(env.Stack, jsii.String("RoomId"), &awscdk.CfnOutputProps{Value: room.RoomId()})
	roomID, reviewerID := env.LogicalID("Room"), env.LogicalID("Reviewer")
	s3ID, logsID := env.LogicalID("ToS3"), env.LogicalID("ToLogs")
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	roomArn := map[string]any{"Fn::GetAtt": []any{roomID, "Arn"}}
	template.HasResourceProperties(jsii.String("AWS::IVSChat::Room"), map[string]any{
		"Name": "lobby", "MaximumMessageLength": 200, "MaximumMessageRatePerSecond": 5,
		"MessageReviewHandler": map[string]any{"FallbackResult": "DENY", "Uri": map[string]any{"Fn::GetAtt": []any{reviewerID, "Arn"}}},
		"LoggingConfigurationIdentifiers": []any{
			map[string]any{"Fn::GetAtt": []any{s3ID, "Arn"}}, map[string]any{"Fn::GetAtt": []any{logsID, "Arn"}},
		},
	})
	// IVS Chat may invoke the reviewer, for this room only.
	template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
		"Action": "lambda:InvokeFunction", "Principal": "ivschat.amazonaws.com", "SourceArn": roomArn,
		"FunctionName": map[string]any{"Fn::GetAtt": []any{reviewerID, "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::IVSChat::LoggingConfiguration"), map[string]any{
		"Name": "chat-to-s3", "DestinationConfiguration": map[string]any{"S3": map[string]any{"BucketName": map[string]any{"Ref": assertions.Match_AnyValue()}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IVSChat::LoggingConfiguration"), map[string]any{
		"DestinationConfiguration": map[string]any{"CloudWatchLogs": map[string]any{"LogGroupName": map[string]any{"Ref": assertions.Match_AnyValue()}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": "ivschat:CreateChatToken", "Effect": "Allow", "Resource": roomArn},
			map[string]any{"Action": "ivschat:SendEvent", "Effect": "Allow", "Resource": roomArn},
			map[string]any{"Action": "ivschat:DeleteMessage", "Effect": "Allow", "Resource": roomArn},
			map[string]any{"Action": "ivschat:DisconnectUser", "Effect": "Allow", "Resource": roomArn},
		}},
	})
	cdktest.Golden(t, "testdata/golden/room.json", got)
}

func TestRoomsSharingAHandlerGetOnePermissionEach(t *testing.T) {
	env := cdktest.New(t)
	reviewer := newFunction(env, "Reviewer")
	ivschat.NewRoom(env.Stack, "A", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: reviewer}})
	ivschat.NewRoom(env.Stack, "B", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: reviewer}})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).ResourceCountIs(jsii.String("AWS::Lambda::Permission"), jsii.Number(2))
}

func TestChatRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		build func(env *cdktest.Env)
		want  []string
	}{
		{"room limits", func(env *cdktest.Env) {
			ivschat.NewRoom(env.Stack, "X", &ivschat.RoomProps{MaximumMessageLength: 501, MaximumMessageRatePerSecond: 11, RoomName: "a b"})
		}, []string{"MaximumMessageLength 501 is invalid: use 1 to 500", "MaximumMessageRatePerSecond 11 is invalid: use 1 to 10", `RoomName "a b"`}},
		{"handler missing", func(env *cdktest.Env) {
			ivschat.NewRoom(env.Stack, "X", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{FallbackResult: "MAYBE"}})
		}, []string{"MessageReviewHandler.Handler is required", `MessageReviewHandler.FallbackResult "MAYBE" is invalid`}},
		{"empty tag value", func(env *cdktest.Env) {
			ivschat.NewRoom(env.Stack, "X", &ivschat.RoomProps{Tags: map[string]string{"k": ""}})
		}, []string{`Tags value for key "k" is empty`}},
		{"too many logging configurations", func(env *cdktest.Env) {
			lc := ivschat.LoggingConfigurationFromLoggingConfigurationArn(env.Stack, "L", "arn:aws:ivschat:us-west-2:123456789012:logging-configuration/AbC123")
			many := make([]ivschat.ILoggingConfiguration, 4)
			for i := range many {
				many[i] = lc
			}
			ivschat.NewRoom(env.Stack, "X", &ivschat.RoomProps{LoggingConfigurations: many})
		}, []string{"LoggingConfigurations has 4 entries: IVS Chat attaches at most 3"}},
		{"no destination", func(env *cdktest.Env) { ivschat.NewLoggingConfiguration(env.Stack, "X", nil) }, []string{"give exactly one destination", "(got 0)"}},
		{"two destinations", func(env *cdktest.Env) {
			ivschat.NewLoggingConfiguration(env.Stack, "X", &ivschat.LoggingConfigurationProps{
				Bucket:   awss3.Bucket_FromBucketName(env.Stack, jsii.String("B"), jsii.String("logs-bucket")),
				LogGroup: awslogs.LogGroup_FromLogGroupName(env.Stack, jsii.String("G"), jsii.String("chat")),
			})
		}, []string{"(got 2)"}},
		{"bad names", func(env *cdktest.Env) {
			ivschat.NewLoggingConfiguration(env.Stack, "X", &ivschat.LoggingConfigurationProps{
				LogGroup: awslogs.LogGroup_FromLogGroupName(env.Stack, jsii.String("G"), jsii.String("chat logs!")),
			})
		}, []string{`LogGroup name "chat logs!" is invalid`}},
		{"bad import", func(env *cdktest.Env) {
			ivschat.RoomFromRoomArn(env.Stack, "X", "arn:aws:ivs:us-west-2:123456789012:channel/abc")
		}, []string{`belongs to service "ivs": want service "ivschat"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			c.build(env)
			var msgs []string
			for _, m := range *env.Stack.Node().FindChild(jsii.String("X")).Node().Validate() {
				msgs = append(msgs, *m)
			}
			for _, w := range c.want {
				found := false
				for _, m := range msgs {
					found = found || strings.Contains(m, w)
				}
				if !found {
					t.Errorf("no message contains %q; got %q", w, msgs)
				}
			}
		})
	}
}

// An empty tag value: refused on a room, whose schema needs 1 character,
// and kept on a logging configuration, whose schema allows 0.
func TestEmptyTagValuesFollowEachSchema(t *testing.T) {
	env := cdktest.New(t)
	ivschat.NewLoggingConfiguration(env.Stack, "Logs", &ivschat.LoggingConfigurationProps{
		LogGroup: awslogs.NewLogGroup(env.Stack, jsii.String("Group"), nil), Tags: map[string]string{"team": ""}})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVSChat::LoggingConfiguration"),
		map[string]any{"Tags": []any{map[string]any{"Key": "team", "Value": ""}}})
}

func TestRoomImportGrants(t *testing.T) {
	env := cdktest.New(t)
	arn := "arn:aws:ivschat:us-west-2:123456789012:room/g1H2I3j4k5L6"
	room := ivschat.RoomFromRoomArn(env.Stack, "Room", arn)
	role := awsiam.NewRole(env.Stack, jsii.String("Role"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	room.GrantCreateChatToken(role)
	newFunction(env, "Placeholder") // a stack needs one resource besides IAM to be worth synthesizing
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{"Action": "ivschat:CreateChatToken", "Effect": "Allow", "Resource": arn}}},
	})
}

// IVS Chat invokes only a review handler of the room's account and region.
func TestRoomRefusesAHandlerElsewhere(t *testing.T) {
	env := cdktest.NewOregon(t)
	far := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Far"), jsii.String("arn:aws:lambda:eu-west-1:123456789012:function:moderate"))
	near := awslambda.Function_FromFunctionArn(env.Stack, jsii.String("Near"), jsii.String("arn:aws:lambda:us-west-2:123456789012:function:moderate"))
	ivschat.NewRoom(env.Stack, "FarRoom", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: far}})
	ivschat.NewRoom(env.Stack, "NearRoom", &ivschat.RoomProps{MessageReviewHandler: &ivschat.MessageReviewHandler{Handler: near}})
	msg := env.SynthError()
	if !strings.Contains(msg, "Oregon/FarRoom") || !strings.Contains(msg, "is in region eu-west-1 but this stack deploys to us-west-2") ||
		!strings.Contains(msg, "IVS Chat Message Review Handler") {
		t.Errorf("synth error %q", msg)
	}
	if strings.Contains(msg, "NearRoom") {
		t.Errorf("a handler in the room's region was refused: %q", msg)
	}
}
