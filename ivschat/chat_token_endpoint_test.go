package ivschat_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
)

func TestChatTokenEndpoint(t *testing.T) {
	env := cdktest.New(t)
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	imported := ivschat.RoomFromRoomArn(env.Stack, "Other", "arn:aws:ivschat:us-west-2:123456789012:room/otherroom123")
	endpoint := ivschat.NewChatTokenEndpoint(env.Stack, "Tokens", &ivschat.ChatTokenEndpointProps{
		Rooms:          []ivschat.IRoom{room, imported},
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"),
		UserIDClaim:    "sub",
		Capabilities:   []string{ivschat.CapabilitySendMessage, ivschat.CapabilityDeleteMessage},
	})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Url"), &awscdk.CfnOutputProps{Value: endpoint.Url()})
	got := env.Synth()
	cdktest.Golden(t, "testdata/golden/chat-token-endpoint.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	// CreateChatToken on the two rooms, nothing else of IVS Chat.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Tokens/FunctionLogs"), "Arn"}}},
			map[string]any{"Action": "ivschat:CreateChatToken", "Effect": "Allow",
				"Resource": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Room"), "Arn"}}, "arn:aws:ivschat:us-west-2:123456789012:room/otherroom123"}},
		}},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Tokens/FunctionRole")}},
	})
	for _, route := range []string{"GET /chat-token", "POST /chat-token"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	b, _ := json.Marshal(got)
	raw := string(b)
	for _, want := range []string{`maxSessionDurationMinutes\":60`, `userIdClaim\":\"sub`, `SEND_MESSAGE\",\"DELETE_MESSAGE`} {
		if !strings.Contains(raw, want) {
			t.Errorf("the function's configuration lacks %s", want)
		}
	}
	for _, f := range cdktest.NagFindings(env.App, env.Stack) {
		t.Error(f)
	}
}

// Moderation goes to one group; the route requires a scope.
func TestChatTokenEndpointScopesAndGrants(t *testing.T) {
	env := cdktest.New(t)
	ivschat.NewChatTokenEndpoint(env.Stack, "Tokens", &ivschat.ChatTokenEndpointProps{
		Rooms:          []ivschat.IRoom{ivschat.NewRoom(env.Stack, "Room", nil)},
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app").WithScopes("chat/join"),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "moderators",
			Capabilities: []string{ivschat.CapabilityDisconnectUser, ivschat.CapabilityDeleteMessage}}},
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
		"RouteKey": "POST /chat-token", "AuthorizationScopes": []any{"chat/join"}})
	b, _ := json.Marshal(got)
	want := `capabilityGrants\":[{\"capabilities\":[\"DISCONNECT_USER\",\"DELETE_MESSAGE\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}]`
	if !strings.Contains(string(b), want) {
		t.Errorf("the function's configuration lacks %s", want)
	}
}

func TestChatTokenEndpointGrantInvokeAndWarning(t *testing.T) {
	env := cdktest.New(t)
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	iam := ivschat.NewChatTokenEndpoint(env.Stack, "Iam", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{room}})
	backend := awsiam.NewRole(env.Stack, jsii.String("Backend"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	iam.GrantInvoke(backend)
	ivschat.NewChatTokenEndpoint(env.Stack, "Open", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{room}, Authentication: ivs.NoAuthentication()})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": assertions.Match_AnyValue(),
		}})},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Backend")}},
	})
	warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Open"), assertions.Match_StringLikeRegexp(jsii.String("NoAuthentication")))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings for the unauthenticated endpoint, want 1", len(*warnings))
	}
}

func TestChatTokenEndpointValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *ivschat.ChatTokenEndpointProps)
		want string
	}{
		{"no rooms", func(p *ivschat.ChatTokenEndpointProps) { p.Rooms = nil }, "Rooms is empty"},
		{"nil room", func(p *ivschat.ChatTokenEndpointProps) { p.Rooms = append(p.Rooms, nil) }, "Rooms[1] is nil"},
		{"bad capability", func(p *ivschat.ChatTokenEndpointProps) { p.Capabilities = []string{"PUBLISH"} }, `Capabilities holds "PUBLISH"`},
		{"session too long", func(p *ivschat.ChatTokenEndpointProps) { p.SessionDuration = 181 * time.Minute }, "SessionDuration 3h1m0s is invalid"},
		{"session in seconds", func(p *ivschat.ChatTokenEndpointProps) { p.SessionDuration = 30 * time.Second }, "whole minutes"},
		{"claim without JWT", func(p *ivschat.ChatTokenEndpointProps) { p.UserIDClaim = "sub" }, "needs JWTAuthentication"},
		{"attributes", func(p *ivschat.ChatTokenEndpointProps) {
			p.Attributes = map[string]string{"a": strings.Repeat("b", 1024)}
		}, "Attributes hold 1025 bytes"},
		{"grants without JWT", func(p *ivschat.ChatTokenEndpointProps) {
			p.CapabilityGrants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivschat.CapabilityDeleteMessage}}}
		}, "CapabilityGrants needs JWTAuthentication"},
		{"grant of a stage capability", func(p *ivschat.ChatTokenEndpointProps) {
			p.Authentication = ivs.JWTAuthentication("https://issuer.example.com", "app")
			p.CapabilityGrants = []ivs.CapabilityGrant{{Scope: "chat/moderate", Capabilities: []string{"PUBLISH"}}}
		}, `CapabilityGrants[0]: "PUBLISH" is not one of [SEND_MESSAGE DISCONNECT_USER DELETE_MESSAGE]`},
		{"scopes without JWT", func(p *ivschat.ChatTokenEndpointProps) {
			p.Authentication = ivs.NoAuthentication().WithScopes("chat/join")
		}, "WithScopes needs JWTAuthentication"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			p := &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{ivschat.NewRoom(env.Stack, "Room", nil)}}
			c.edit(p)
			ivschat.NewChatTokenEndpoint(env.Stack, "Tokens", p)
			var messages []string
			for _, m := range *env.Stack.Node().FindChild(jsii.String("Tokens")).Node().Validate() {
				messages = append(messages, *m)
			}
			if !strings.Contains(strings.Join(messages, "\n"), c.want) {
				t.Errorf("messages %q lack %q", messages, c.want)
			}
		})
	}
}

func TestChatTokenEndpointServesRoomsOfItsEnvironmentOnly(t *testing.T) {
	env := cdktest.NewOregon(t)
	ivschat.NewChatTokenEndpoint(env.Stack, "Tokens", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{
		ivschat.RoomFromRoomArn(env.Stack, "Local", "arn:aws:ivschat:us-west-2:123456789012:room/localroom001"),
		ivschat.RoomFromRoomArn(env.Stack, "Dublin", "arn:aws:ivschat:eu-west-1:123456789012:room/dublinroom01"),
	}})
	msg := env.SynthError()
	if !strings.Contains(msg, "Rooms[1]") || !strings.Contains(msg, "is in region eu-west-1") || strings.Contains(msg, "localroom001") {
		t.Errorf("synth error %q: want Rooms[1] refused for its region, the local room accepted", msg)
	}
}

func TestChatTokenEndpointWarnsAboveCreateChatTokensRate(t *testing.T) {
	env := cdktest.New(t)
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	ivschat.NewChatTokenEndpoint(env.Stack, "Fast", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{room}, ThrottlingRateLimit: 300})
	ivschat.NewChatTokenEndpoint(env.Stack, "Default", &ivschat.ChatTokenEndpointProps{Rooms: []ivschat.IRoom{room}})
	annotations := assertions.Annotations_FromStack(env.Stack)
	match := assertions.Match_StringLikeRegexp(jsii.String("200 CreateChatToken calls per second"))
	if n := len(*annotations.FindWarning(jsii.String("/TestStack/Fast"), match)); n != 1 {
		t.Errorf("%d warnings on the endpoint throttled at 300/s, want 1", n)
	}
	if n := len(*annotations.FindWarning(jsii.String("/TestStack/Default"), match)); n != 0 {
		t.Errorf("%d warnings on the default endpoint, want none", n)
	}
}

// A moderator grant on a claim users can write (email, with the app
// client's default write attributes) warns; one on cognito:groups does not.
func TestChatTokenEndpointWarnsOnClaimsUsersCanWrite(t *testing.T) {
	env := cdktest.New(t)
	pool := awscognito.NewUserPool(env.Stack, jsii.String("Users"), nil)
	client := pool.AddClient(jsii.String("App"), nil)
	room := ivschat.NewRoom(env.Stack, "Room", nil)
	for id, claim := range map[string]string{"ByEmail": "email", "ByGroup": "cognito:groups"} {
		ivschat.NewChatTokenEndpoint(env.Stack, id, &ivschat.ChatTokenEndpointProps{
			Rooms: []ivschat.IRoom{room}, Authentication: ivs.CognitoAuthentication(pool, client),
			CapabilityGrants: []ivs.CapabilityGrant{{Claim: claim, Value: "moderators", Capabilities: []string{ivschat.CapabilityDeleteMessage}}},
		})
	}
	annotations := assertions.Annotations_FromStack(env.Stack)
	match := assertions.Match_StringLikeRegexp(jsii.String("users can write about themselves"))
	if n := len(*annotations.FindWarning(jsii.String("/TestStack/ByEmail"), match)); n != 1 {
		t.Errorf("a grant on email: %d warnings, want 1", n)
	}
	if n := len(*annotations.FindWarning(jsii.String("/TestStack/ByGroup"), match)); n != 0 {
		t.Errorf("a grant on cognito:groups: %d warnings, want none", n)
	}
}
