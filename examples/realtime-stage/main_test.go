package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestRealtimeStageStack(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewRealtimeStageStack(env.App, "IvsRealtimeStage", &RealtimeStageProps{PublicKeyPEM: demoPublicKey})
	env.Stack = stack
	stage, key, secret := env.LogicalID("Stage"), env.LogicalID("ParticipantTokenKey"), env.LogicalID("ParticipantTokenPrivateKey")
	got := env.Synth()
	if all, _ := json.Marshal(got); strings.Contains(string(all), "PRIVATE KEY") {
		t.Error("the template holds a private key")
	}
	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::IVS::Stage"), map[string]any{
		"AutoParticipantRecordingConfiguration": map[string]any{
			"StorageConfigurationArn": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Storage"), "Arn"}}, "RecordingReconnectWindowSeconds": 60,
		},
	})
	template.HasResourceProperties(jsii.String("AWS::IVS::PublicKey"), map[string]any{"PublicKeyMaterial": demoPublicKey})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{
			"STAGE_ARN":      map[string]any{"Fn::GetAtt": []any{stage, "Arn"}},
			"PUBLIC_KEY_ARN": map[string]any{"Fn::GetAtt": []any{key, "Arn"}},
			"SECRET_ARN":     map[string]any{"Ref": secret},
			"TOKEN_TTL":      "2h",
			"EVENTS_URL":     map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage/Endpoints"), "stage.endpoints.events"}},
			"WHIP_URL":       map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage/Endpoints"), "stage.endpoints.whip"}},
		}},
	})
	// Self-signed tokens need no IVS permission: the function reads its key,
	// nothing else; the stage's endpoints are read once, at deploy time, by a
	// custom resource that may only get this stage.
	template.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(2))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:GetStage", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{stage, "Arn"}},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("TokenFunctionLogs"), "Arn"}},
		}, map[string]any{
			"Action": []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, "Effect": "Allow", "Resource": map[string]any{"Ref": secret},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stage Update"},
			"resources": []any{map[string]any{"Fn::GetAtt": []any{stage, "Arn"}}}},
	})
	cdktest.Golden(t, "testdata/realtime-stage.json", got)
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewRealtimeStageStack(env.App, "IvsRealtimeStage", &RealtimeStageProps{PublicKeyPEM: demoPublicKey})
	for _, f := range cdktest.NagFindings(env.App, stack) {
		t.Errorf("unsuppressed cdk-nag finding: %s", f)
	}
}
