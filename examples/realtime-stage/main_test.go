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

var update = flag.Bool("update", false, "rewrite testdata/realtime-stage.json instead of comparing with it")

func synth(t *testing.T, props *RealtimeStageProps) (awscdk.Stack, map[string]any) {
	t.Helper()
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewRealtimeStageStack(app, "IvsRealtimeStage", props)
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

func TestRealtimeStageStack(t *testing.T) {
	stack, got := synth(t, &RealtimeStageProps{})
	all, _ := json.Marshal(got)
	if strings.Contains(string(all), "PRIVATE KEY") {
		t.Error("the template holds a private key")
	}
	template := assertions.Template_FromJSON(&got, nil)
	stage := logicalID(stack, "Stage")
	template.HasResourceProperties(jsii.String("AWS::IVS::Stage"), map[string]any{
		"AutoParticipantRecordingConfiguration": map[string]any{
			"StorageConfigurationArn":         map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Storage"), "Arn"}},
			"RecordingReconnectWindowSeconds": 60,
		},
	})
	// The key is managed: no public key material in the template, a
	// custom resource that generates it into the secret, monthly rotation.
	template.ResourceCountIs(jsii.String("AWS::IVS::PublicKey"), jsii.Number(0))
	template.HasResourceProperties(jsii.String("Custom::IvsManagedPublicKey"), map[string]any{
		"SecretArn": map[string]any{"Ref": logicalID(stack, "ParticipantKey", "Secret")},
	})
	template.HasResourceProperties(jsii.String("AWS::SecretsManager::RotationSchedule"), map[string]any{
		"RotationRules": map[string]any{"ScheduleExpression": "rate(30 days)"},
	})
	// Least privilege: the token function reads its key, reads this stage's
	// endpoints, and finds the key's current IVS public key.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Tokens", "FunctionLogs"), "Arn"}}},
			map[string]any{"Action": "ivs:GetStage", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{stage, "Arn"}}},
			map[string]any{"Action": "ivs:ListPublicKeys", "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": []any{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"}, "Effect": "Allow",
				"Resource": map[string]any{"Ref": logicalID(stack, "ParticipantKey", "Secret")}},
		}},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "Tokens", "FunctionRole")}},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
		"RouteKey": "GET /participant-token", "AuthorizationType": "AWS_IAM",
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stage Update"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{stage, "Arn"}}}},
	})
	for _, o := range []string{"TokenUrl", "StageArn", "RecordingsBucket", "StageUpdatesTopicArn"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

func TestJWTUsers(t *testing.T) {
	_, got := synth(t, &RealtimeStageProps{
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
	for variant, props := range map[string]*RealtimeStageProps{
		"default": &RealtimeStageProps{},
		"cognito": &RealtimeStageProps{CognitoUsers: true},
	} {
		t.Run(variant, func(t *testing.T) {
			app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack := NewRealtimeStageStack(app, "IvsRealtimeStage", props)
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
func TestRealtimeStageWithCognitoUsersOrAnInvoker(t *testing.T) {
	stack, got := synth(t, &RealtimeStageProps{CognitoUsers: true})
	// This is the stack `go run .` and `cdk deploy` make by default; the
	// golden file is its template.
	golden.Check(t, "testdata/realtime-stage.json", got, *update, golden.MaskAssets())
	template := assertions.Template_FromJSON(&got, nil)
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPool"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": "hosts"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType":   "JWT",
		"JwtConfiguration": map[string]any{"Audience": []any{map[string]any{"Ref": logicalID(stack, "Users", "Default", "App")}}},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "GET /participant-token", "AuthorizationType": "JWT"})
	for _, o := range []string{"UserPoolId", "UserPoolClientId", "PageUrl"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	// The join page: its origin is the endpoint's only CORS origin.
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{map[string]any{"Fn::Join": []any{"",
			[]any{"https://", map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Page", "Distribution"), "DomainName"}}}}}}}),
	})

	// Hosts (the pool's "hosts" group) may list and watch the stage's
	// recordings on the page's own distribution, under the stage's folder,
	// with signed cookies; the page knows where.
	endpoint := got["Resources"].(map[string]any)[logicalID(stack, "Library", "Endpoint", "Function")].(map[string]any)
	endpointConfig, _ := json.Marshal(endpoint["Properties"].(map[string]any)["Environment"])
	if !strings.Contains(string(endpointConfig), `{\"capabilities\":[\"`+ivs.CapabilityWatchStageRecordings+`\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}`) {
		t.Errorf("the recordings endpoint does not grant the hosts %s: %s", ivs.CapabilityWatchStageRecordings, endpointConfig)
	}
	stageID := map[string]any{"Fn::Select": []any{1, map[string]any{"Fn::Split": []any{"/", map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Stage"), "Arn"}}}}}}
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{"CacheBehaviors": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": map[string]any{"Fn::Join": []any{"", []any{stageID, "/*"}}},
				"TrustedKeyGroups": assertions.Match_AnyValue()}),
		})}),
	})

	// Shows: hosts open them, moderators remove participants; the page
	// knows the sessions endpoint, whose CORS names the page and allows
	// the DELETE that ends a show; each show is broadcast to the channel.
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": "moderators"})
	sessions := got["Resources"].(map[string]any)[logicalID(stack, "Shows", "Function")].(map[string]any)
	sessionsConfig, _ := json.Marshal(sessions["Properties"].(map[string]any)["Environment"])
	for _, grant := range []string{`{\"capabilities\":[\"HOST\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}`,
		`{\"capabilities\":[\"MODERATE\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}`, `channelArn`} {
		if !strings.Contains(string(sessionsConfig), grant) {
			t.Errorf("the sessions function's configuration lacks %s: %s", grant, sessionsConfig)
		}
	}
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowMethods": []any{"GET", "POST", "DELETE"}}),
	})
	template.HasOutput(jsii.String("ShowPlaybackUrl"), assertions.Match_AnyValue())
	// config.json's values are the deploy's markers (its keys are in the
	// page's asset): one is the sessions endpoint's URL.
	if b, _ := json.Marshal(got["Resources"].(map[string]any)[logicalID(stack, "Page", "Files", "CustomResource")]); !strings.Contains(string(b), `"Fn::GetAtt":["`+logicalID(stack, "Shows", "Api")+`","ApiEndpoint"]`) {
		t.Errorf("the page's config.json does not say where the sessions endpoint is: %s", b)
	}

	// With IAM authentication (the default), the invoker role may call the
	// routes.
	_, got = synth(t, &RealtimeStageProps{InvokerRoleArn: "arn:aws:iam::123456789012:role/backend"})
	assertions.Template_FromJSON(&got, nil).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": assertions.Match_AnyValue()}})},
		"Roles": []any{"backend"},
	})
}
