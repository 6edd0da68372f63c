package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestPrivateChannelStack(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewPrivateChannelStack(env.App, "IvsPrivateChannel", &PrivateChannelProps{PublicKeyPEM: demoPublicKey})
	env.Stack = stack
	channel, secret, function := env.LogicalID("Channel"), env.LogicalID("PlaybackPrivateKey"), env.LogicalID("TokenFunction")
	got := env.Synth()
	all, _ := json.Marshal(got)

	// Secrets stay out: no private key, no stream key value.
	if strings.Contains(string(all), "PRIVATE KEY") {
		t.Error("the template holds a private key")
	}
	if strings.Contains(string(all), `"Value"]`) {
		t.Error("the template reads a secret Value attribute")
	}

	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::IVS::PlaybackKeyPair"), map[string]any{"PublicKeyMaterial": demoPublicKey})
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Authorized":                true,
		"RecordingConfigurationArn": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Recording"), "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
		"PublicAccessBlockConfiguration": map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
	})

	// Least privilege: the token function may read this one secret, nothing else.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":   []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Ref": secret},
		}}},
		"Roles": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^TokenFunctionServiceRole"))}},
	})
	template.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{"arm64"},
		"Environment": map[string]any{"Variables": map[string]any{
			"CHANNEL_ARN":  map[string]any{"Fn::GetAtt": []any{channel, "Arn"}},
			"PLAYBACK_URL": map[string]any{"Fn::GetAtt": []any{channel, "PlaybackUrl"}},
			"SECRET_ARN":   map[string]any{"Ref": secret},
			"TOKEN_TTL":    "5m",
		}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Url"), map[string]any{
		"AuthType": "NONE", "TargetFunctionArn": map[string]any{"Fn::GetAtt": []any{function, "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{
			"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stream State Change"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{channel, "Arn"}}},
		},
		"Targets": []any{map[string]any{"Arn": map[string]any{"Ref": env.LogicalID("Alerts")}, "Id": "Target0"}},
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentViews", "Threshold": 1000,
		"AlarmActions": []any{map[string]any{"Ref": env.LogicalID("Alerts")}},
	})
	for _, o := range []string{"TokenUrl", "IngestEndpoint", "StreamKeyArn", "PrivateKeySecretArn", "AlertsTopicArn", "RecordingsBucket"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
	cdktest.Golden(t, "testdata/private-channel.json", got)
}

func TestPublicKeyFileFromContext(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"publicKeyFile": "demo-public-key.pem"}})
	if got, err := publicKeyPEM(app); err != nil || got != demoPublicKey {
		t.Errorf("publicKeyPEM = %q, %v", got, err)
	}
	app = awscdk.NewApp(&awscdk.AppProps{Context: &map[string]any{"publicKeyFile": "missing.pem"}})
	if _, err := publicKeyPEM(app); err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("missing file: %v", err)
	}
}
