package main

// These tests use only public packages, like the rest of this folder, so
// that they keep working when the folder is copied into another module.

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
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

var update = flag.Bool("update", false, "rewrite testdata/private-channel.json instead of comparing with it")

func synth(t *testing.T, props *PrivateChannelProps) (awscdk.Stack, map[string]any) {
	t.Helper()
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir: jsii.String(outdir),
		// CloudFormation's own rules fail synthesis instead of warning.
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewPrivateChannelStack(app, "IvsPrivateChannel", props)
	template := assertions.Template_FromStack(stack, nil).ToJSON()
	// Strict mode fails synthesis on the engine's errors; its warnings fail here.
	cfnvalidate.Check(t, outdir)
	return stack, *template
}

// pageSettings returns the config.json the deploy writes beside the page,
// as staged in the cloud assembly (values CDK tokens).
func pageSettings(t *testing.T, stack awscdk.Stack) string {
	t.Helper()
	var found string
	filepath.WalkDir(*awscdk.Stage_Of(stack).Outdir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "config.json" {
			b, _ := os.ReadFile(path)
			found = string(b)
		}
		return nil
	})
	if found == "" {
		t.Fatal("no config.json in the cloud assembly")
	}
	return found
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

func TestPrivateChannelStack(t *testing.T) {
	stack, got := synth(t, &PrivateChannelProps{})
	all, _ := json.Marshal(got)

	// Secrets stay out: no private key, no stream key value.
	if strings.Contains(string(all), "PRIVATE KEY") {
		t.Error("the template holds a private key")
	}
	if strings.Contains(string(all), `"Value"]`) {
		t.Error("the template reads a secret Value attribute")
	}

	template := assertions.Template_FromJSON(&got, nil)
	channel := logicalID(stack, "Channel")
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Authorized":                true,
		"RecordingConfigurationArn": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Recording"), "Arn"}},
	})
	template.ResourceCountIs(jsii.String("AWS::IVS::PlaybackKeyPair"), jsii.Number(0)) // managed instead
	template.HasResourceProperties(jsii.String("Custom::IvsManagedPlaybackKeyPair"), map[string]any{
		"SecretArn": map[string]any{"Ref": logicalID(stack, "PlaybackKeys", "Secret")},
	})
	template.HasResourceProperties(jsii.String("AWS::SecretsManager::RotationSchedule"), map[string]any{
		"RotationRules": map[string]any{"ScheduleExpression": "rate(30 days)"},
	})
	// The endpoint takes IAM-signed requests by default.
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
		"RouteKey": "GET /playback-token", "AuthorizationType": "AWS_IAM",
	})
	// Least privilege: the token function reads the key's secret, nothing else.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Tokens", "FunctionLogs"), "Arn"}},
		}, map[string]any{
			"Action":   []any{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Ref": logicalID(stack, "PlaybackKeys", "Secret")},
		}}},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "Tokens", "FunctionRole")}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{
			"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stream State Change"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{channel, "Arn"}}},
		},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentViews", "Threshold": 1000,
	})
	// Timed metadata: backends allowed to invoke put cues on the channel,
	// and nothing else.
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
		"RouteKey": "POST /metadata", "AuthorizationType": "AWS_IAM",
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "ivs:PutMetadata", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{channel, "Arn"}}}})},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "Cues", "FunctionRole")}},
	})
	// Video moderation: the thumbnails wake a function that may ask
	// Rekognition and stop this channel's stream on a hit.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "rekognition:DetectModerationLabels", "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": "ivs:StopStream", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{channel, "Arn"}}},
		})},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "VideoModeration", "FunctionRole")}},
	})
	for _, o := range []string{"TokenUrl", "MetadataUrl", "IngestEndpoint", "StreamKeyArn", "AlertsTopicArn", "RecordingsBucket"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

func TestJWTViewers(t *testing.T) {
	_, got := synth(t, &PrivateChannelProps{
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123", "client"),
		ViewerIDClaim:  "sub",
	})
	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"AuthorizationType": "JWT"})
	if !strings.Contains(jsonText(t, got), `\"viewerIdClaim\":\"sub\"`) {
		t.Error("the token function does not take the viewer ID from sub")
	}
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack, the CDK's
// security linter: no finding may stay unsuppressed, and every suppression
// states its reason where it is made.
func TestCdkNagAwsSolutions(t *testing.T) {
	for variant, props := range map[string]*PrivateChannelProps{
		"default": &PrivateChannelProps{},
		"cognito": &PrivateChannelProps{CognitoUsers: true},
	} {
		t.Run(variant, func(t *testing.T) {
			app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack := NewPrivateChannelStack(app, "IvsPrivateChannel", props)
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

func jsonText(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// With CognitoUsers the stack brings its own user pool: the endpoint takes
// the pool's ID tokens (issuer and audience from the pool and its client).
// InvokerRoleArn lets that role call the routes.
func TestPrivateChannelWithCognitoUsersOrAnInvoker(t *testing.T) {
	stack, got := synth(t, &PrivateChannelProps{CognitoUsers: true})
	// This is the stack `go run .` and `cdk deploy` make by default; the
	// golden file is its template.
	golden.Check(t, "testdata/private-channel.json", got, *update, golden.MaskAssets())
	template := assertions.Template_FromJSON(&got, nil)
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPool"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType":   "JWT",
		"JwtConfiguration": map[string]any{"Audience": []any{map[string]any{"Ref": logicalID(stack, "Users", "Default", "App")}}},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "GET /playback-token", "AuthorizationType": "JWT"})
	for _, o := range []string{"UserPoolId", "UserPoolClientId", "PageUrl"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	// The viewer page: hosted sign-in with the authorization code flow
	// back to the page, and the endpoint's CORS and the tokens' allowed
	// origin limited to the page.
	page := map[string]any{"Fn::Join": []any{"", []any{"https://", map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Page", "Distribution"), "DomainName"}}}}}
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), map[string]any{
		"AllowedOAuthFlows": []any{"code"}, "AllowedOAuthScopes": []any{"openid"},
		"CallbackURLs": []any{map[string]any{"Fn::Join": []any{"", []any{"https://",
			map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Page", "Distribution"), "DomainName"}}, "/"}}}},
	})
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolDomain"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{page}}),
	})
	template.ResourceCountIs(jsii.String("Custom::CDKBucketDeployment"), jsii.Number(1))

	// Past broadcasts, from the page's own distribution: the recordings
	// (the private bucket through origin access control) trust only the
	// managed cookie key's group, so nothing plays without the signed
	// cookies; the endpoint takes the pool's tokens, and moderators may
	// delete.
	trusted := []any{map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Library", "CookieKey"), "KeyGroupId"}}}
	template.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), map[string]any{
		"DistributionConfig": assertions.Match_ObjectLike(&map[string]any{"CacheBehaviors": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*.m3u8", "TrustedKeyGroups": trusted, "ViewerProtocolPolicy": "https-only"}),
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "ivs/*", "TrustedKeyGroups": trusted, "ViewerProtocolPolicy": "https-only"}),
			assertions.Match_ObjectLike(&map[string]any{"PathPattern": "recordings*"}),
		})}),
	})
	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
		"LoggingConfiguration":           assertions.Match_ObjectLike(&map[string]any{"LogFilePrefix": "recordings/"}),
	})
	for _, route := range []string{"GET /recordings", "GET /recordings/watch", "DELETE /recordings"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": "moderators"})
	// Hosts (their group) put cues from the page: the route takes the
	// pool's tokens, its CORS names the page, and the page's settings
	// hold its URL.
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": "hosts"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "POST /metadata", "AuthorizationType": "JWT"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"Description":       "IVS timed metadata (ivscdk)",
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{page}, "AllowMethods": []any{"POST"}}),
	})
	if !strings.Contains(jsonText(t, got), `{\"capabilities\":[\"PUT_METADATA\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}`) {
		t.Error("hosts are not granted putting metadata")
	}
	if settings := pageSettings(t, stack); !strings.Contains(settings, `"metadataUrl"`) {
		t.Errorf("the page's config.json has no metadataUrl: %s", settings)
	}
	if !strings.Contains(jsonText(t, got), `{\"capabilities\":[\"DELETE_RECORDING\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}`) {
		t.Error("moderators are not granted deleting recordings")
	}

	// With IAM authentication (the default), the invoker role may call the
	// routes: the token endpoint's and the cue endpoint's.
	_, got = synth(t, &PrivateChannelProps{InvokerRoleArn: "arn:aws:iam::123456789012:role/backend"})
	invoker := assertions.Template_FromJSON(&got, nil)
	invoker.ResourcePropertiesCountIs(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": assertions.Match_AnyValue()}})},
		"Roles": []any{"backend"},
	}, jsii.Number(2))
}
