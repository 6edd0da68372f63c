package ivsops_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivsops"
)

var hostsMayPut = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivsops.CapabilityPutMetadata}}}

// Hosts (a group of the JWT) put metadata on two channels: PutMetadata on
// those channels only, one POST route, throttled to IVS's 5 per second per
// channel.
func TestTimedMetadataEndpoint(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Main", nil)
	backup := ivs.ChannelFromChannelArn(env.Stack, "Backup", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	endpoint := ivsops.NewTimedMetadataEndpoint(env.Stack, "Cues", &ivsops.TimedMetadataEndpointProps{
		Channels:         []ivs.IChannel{channel, backup},
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "app"),
		CapabilityGrants: hostsMayPut,
		AllowedOrigins:   []string{"https://show.example.com"},
	})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Url"), &awscdk.CfnOutputProps{Value: endpoint.Url()})
	got := env.Synth()
	cdktest.Golden(t, "testdata/golden/timed-metadata-endpoint.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Cues/FunctionLogs"), "Arn"}}},
			map[string]any{"Action": "ivs:PutMetadata", "Effect": "Allow",
				"Resource": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Main"), "Arn"}}, "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"}},
		}},
	})
	template.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "POST /metadata", "AuthorizationType": "JWT"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 10, "ThrottlingBurstLimit": 10},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowMethods": []any{"POST"}, "AllowOrigins": []any{"https://show.example.com"}}),
	})
	b, _ := json.Marshal(got)
	for _, want := range []string{`\"authentication\":\"jwt\"`, `\"capabilities\":[]`,
		`capabilityGrants\":[{\"capabilities\":[\"PUT_METADATA\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the function's configuration lacks %s", want)
		}
	}
	for _, f := range cdktest.NagFindings(env.App, env.Stack) {
		t.Error(f)
	}
}

// With IAM (the default), every caller allowed to invoke may put metadata:
// the backends given GrantInvoke.
func TestTimedMetadataEndpointForBackends(t *testing.T) {
	env := cdktest.New(t)
	endpoint := ivsops.NewTimedMetadataEndpoint(env.Stack, "Cues", &ivsops.TimedMetadataEndpointProps{
		Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Main", nil)},
	})
	role := awsiam.NewRole(env.Stack, jsii.String("Quizmaster"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)})
	endpoint.GrantInvoke(role)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "POST /metadata", "AuthorizationType": "AWS_IAM"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 5},
	})
	b, _ := json.Marshal(got)
	if !strings.Contains(string(b), `\"capabilities\":[\"PUT_METADATA\"]`) || !strings.Contains(string(b), `execute-api:Invoke`) {
		t.Errorf("an IAM endpoint's callers may not put metadata, or the role may not invoke it")
	}
}

func TestTimedMetadataEndpointRefusesBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		props func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps
		want  string
	}{
		"no channel": {func(ivs.IChannel) *ivsops.TimedMetadataEndpointProps { return &ivsops.TimedMetadataEndpointProps{} }, "Channels is empty"},
		"anyone": {func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps {
			return &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{ch}, Authentication: ivs.NoAuthentication()}
		}, "anyone could put metadata"},
		"nobody": {func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps {
			return &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{ch}, Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app")}
		}, "no caller may put metadata"},
		"capability": {func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps {
			return &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{ch}, Capabilities: []string{"PUBLISH"}}
		}, `Capabilities holds "PUBLISH"`},
		"grants without JWT": {func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps {
			return &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{ch}, CapabilityGrants: hostsMayPut}
		}, "CapabilityGrants needs JWTAuthentication"},
		"channel twice": {func(ch ivs.IChannel) *ivsops.TimedMetadataEndpointProps {
			return &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{ch, ch}}
		}, "twice"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.NewOregon(t)
			ch := ivs.ChannelFromChannelArn(env.Stack, "Main", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
			ivsops.NewTimedMetadataEndpoint(env.Stack, "Cues", c.props(ch))
			if msg := env.SynthError(); !strings.Contains(msg, "Oregon/Cues") || !strings.Contains(msg, c.want) {
				t.Errorf("synth error %q, want one naming Oregon/Cues and %q", msg, c.want)
			}
		})
	}
}

func TestTimedMetadataEndpointWarnsAboveTheAccountsRate(t *testing.T) {
	env := cdktest.New(t)
	ivsops.NewTimedMetadataEndpoint(env.Stack, "Cues", &ivsops.TimedMetadataEndpointProps{
		Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Main", nil)}, ThrottlingRateLimit: 200,
	})
	annotations := assertions.Annotations_FromStack(env.Stack)
	annotations.HasWarning(jsii.String("/TestStack/Cues"), assertions.Match_StringLikeRegexp(jsii.String("above IVS's 155 PutMetadata calls per second")))
}
