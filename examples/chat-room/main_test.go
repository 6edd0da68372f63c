package main

// These tests use only public packages, like the rest of this folder, so
// that they keep working when the folder is copied into another module.

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/ivs"

	"github.com/ivscdk/ivscdk/cdkapp/cfnvalidate"
	"github.com/ivscdk/ivscdk/cdkapp/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/chat-room.json instead of comparing with it")

func synth(t *testing.T, props *ChatRoomProps) (awscdk.Stack, map[string]any) {
	t.Helper()
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewChatRoomStack(app, "IvsChatRoom", props)
	template := *assertions.Template_FromStack(stack, nil).ToJSON()
	// Strict mode fails synthesis on the engine's errors; its warnings fail here.
	cfnvalidate.Check(t, outdir)
	return stack, template
}

func logicalID(stack awscdk.Stack, path ...string) string {
	c := stack.Node().FindChild(jsii.String(path[0]))
	for _, id := range path[1:] {
		c = c.Node().FindChild(jsii.String(id))
	}
	for child := c.Node().DefaultChild(); child != nil; child = c.Node().DefaultChild() {
		c = child
	}
	return *stack.GetLogicalId(c.(awscdk.CfnElement))
}

func TestChatRoomStack(t *testing.T) {
	stack, got := synth(t, &ChatRoomProps{BannedWords: "spoiler"})
	template := assertions.Template_FromJSON(&got, nil)
	room, moderator := logicalID(stack, "Room"), logicalID(stack, "Moderator")
	template.HasResourceProperties(jsii.String("AWS::IVSChat::Room"), map[string]any{
		"MessageReviewHandler":            map[string]any{"FallbackResult": "DENY", "Uri": map[string]any{"Fn::GetAtt": []any{moderator, "Arn"}}},
		"LoggingConfigurationIdentifiers": []any{map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Logging"), "Arn"}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
		"Principal": "ivschat.amazonaws.com", "SourceArn": map[string]any{"Fn::GetAtt": []any{room, "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Timeout": 1,
		"Environment": map[string]any{"Variables": map[string]any{"BANNED_WORDS": "spoiler"}},
	})
	// The moderator may only write its logs; the token function may create
	// chat tokens for this room only.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "ModeratorLogs"), "Arn"}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Tokens", "FunctionLogs"), "Arn"}},
		}, map[string]any{
			"Action": "ivschat:CreateChatToken", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{room, "Arn"}},
		}}},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "Tokens", "FunctionRole")}},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
		"RouteKey": "GET /chat-token", "AuthorizationType": "AWS_IAM",
	})
	for _, o := range []string{"TokenUrl", "RoomArn", "LogGroupName"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

func TestJWTChatters(t *testing.T) {
	_, got := synth(t, &ChatRoomProps{
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123", "client"),
		UserIDClaim:    "sub",
	})
	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"AuthorizationType": "JWT"})
	if b, _ := json.Marshal(got); !strings.Contains(string(b), `\"userIdClaim\":\"sub\"`) {
		t.Error("the token function does not take the user ID from sub")
	}
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	for variant, props := range map[string]*ChatRoomProps{
		"default": &ChatRoomProps{BannedWords: "spoiler"},
		"cognito": &ChatRoomProps{BannedWords: "spoiler", CognitoUsers: true},
	} {
		t.Run(variant, func(t *testing.T) {
			app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack := NewChatRoomStack(app, "IvsChatRoom", props)
			awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
			annotations := assertions.Annotations_FromStack(stack)
			nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
			for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
				b, _ := json.Marshal(f)
				t.Errorf("unsuppressed cdk-nag finding: %s", b)
			}
		})
	}
}

// With CognitoUsers the stack brings its own user pool: the endpoint takes
// the pool's ID tokens (issuer and audience from the pool and its client).
// InvokerRoleArn lets that role call the routes.
func TestChatRoomWithCognitoUsersOrAnInvoker(t *testing.T) {
	stack, got := synth(t, &ChatRoomProps{BannedWords: "spoiler", CognitoUsers: true})
	// This is the stack `go run .` and `cdk deploy` make by default; the
	// golden file is its template.
	golden.Check(t, "testdata/chat-room.json", got, *update, golden.MaskAssets())
	template := assertions.Template_FromJSON(&got, nil)
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPool"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": "moderators"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType":   "JWT",
		"JwtConfiguration": map[string]any{"Audience": []any{map[string]any{"Ref": logicalID(stack, "Users", "Default", "App")}}},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "GET /chat-token", "AuthorizationType": "JWT"})
	for _, o := range []string{"UserPoolId", "UserPoolClientId", "PageUrl"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	// The chat page: its origin is the endpoint's only CORS origin.
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{map[string]any{"Fn::Join": []any{"",
			[]any{"https://", map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Page", "Distribution"), "DomainName"}}}}}}}),
	})

	// With IAM authentication (the default), the invoker role may call the
	// routes.
	_, got = synth(t, &ChatRoomProps{BannedWords: "spoiler", InvokerRoleArn: "arn:aws:iam::123456789012:role/backend"})
	assertions.Template_FromJSON(&got, nil).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": assertions.Match_AnyValue()}})},
		"Roles": []any{"backend"},
	})
}
