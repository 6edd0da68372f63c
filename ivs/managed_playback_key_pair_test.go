package ivs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

const month = 30 * 24 * time.Hour

func TestManagedPlaybackKeyPairTemplate(t *testing.T) {
	env := cdktest.New(t)
	pair := ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Arn"), &awscdk.CfnOutputProps{Value: pair.PlaybackKeyPairArn()})
	got := env.Synth()
	cdktest.Golden(t, "testdata/managed-playback-key-pair.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))

	secret := env.LogicalID("Key/Secret")
	fn := env.LogicalID("Key/Function")
	resource := env.LogicalID("Key")
	// The secret gets no value from the template: the key manager puts the
	// only one, generated in the account.
	template.HasResource(jsii.String("AWS::SecretsManager::Secret"), map[string]any{
		"Properties": assertions.Match_ObjectEquals(&map[string]any{
			"Description": assertions.Match_AnyValue(),
		}),
		"DeletionPolicy": "Delete",
	})
	template.HasResourceProperties(jsii.String("Custom::IvsManagedPlaybackKeyPair"), map[string]any{
		"SecretArn":    map[string]any{"Ref": secret},
		"ServiceToken": map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
		"Environment": map[string]any{"Variables": map[string]any{
			"GRACE_PERIOD":         "15m0s",
			"KEY_PAIR_NAME_PREFIX": "TestStackKeyB586D3AA",
		}},
	})
	template.HasResource(jsii.String("AWS::SecretsManager::RotationSchedule"), map[string]any{
		"Properties": map[string]any{
			"SecretId":                  map[string]any{"Ref": secret},
			"RotationLambdaARN":         map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
			"RotateImmediatelyOnUpdate": false,
			"RotationRules":             map[string]any{"ScheduleExpression": "rate(30 days)"},
		},
		"DependsOn": []any{resource},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{
		"Principal": "secretsmanager.amazonaws.com", "SourceAccount": map[string]any{"Ref": "AWS::AccountId"},
	})
	template.HasOutput(jsii.String("Arn"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{resource, "KeyArn"}}})
	if s := jsonString(t, got); strings.Contains(s, "PRIVATE KEY") {
		t.Error("the template holds key material")
	}
}

// TestManagedPlaybackKeyPairLeastPrivilege lists every statement of the key
// manager's role: the IVS key pair calls, and only this secret.
func TestManagedPlaybackKeyPairLeastPrivilege(t *testing.T) {
	env := cdktest.New(t)
	key := awskms.NewKey(env.Stack, jsii.String("Cmk"), nil)
	ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{EncryptionKey: key})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	secret := env.LogicalID("Key/Secret")
	keys := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:", map[string]any{"Ref": "AWS::Region"}, ":", map[string]any{"Ref": "AWS::AccountId"}, ":playback-key/*"}}}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			map[string]any{
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Effect":   "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Key/FunctionLogs"), "Arn"}},
			},
			map[string]any{"Action": "ivs:ImportPlaybackKeyPair", "Effect": "Allow", "Resource": keys},
			// Delete and tag only this secret's keys (Service Authorization
			// Reference: playback-key takes aws:ResourceTag; TagResource
			// aws:RequestTag and aws:TagKeys).
			map[string]any{
				"Action":    "ivs:DeletePlaybackKeyPair",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:secret": map[string]any{"Ref": secret}}},
				"Effect":    "Allow",
				"Resource":  keys,
			},
			map[string]any{
				"Action": "ivs:TagResource",
				"Condition": map[string]any{
					"StringEquals":              map[string]any{"aws:RequestTag/ivscdk:secret": map[string]any{"Ref": secret}},
					"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"ivscdk:secret", "ivscdk:secret-version"}},
				},
				"Effect":   "Allow",
				"Resource": keys,
			},
			// The reference lists Playback-Key-Pair* for ListPlaybackKeyPairs.
			map[string]any{"Action": "ivs:ListPlaybackKeyPairs", "Effect": "Allow", "Resource": keys},
			map[string]any{
				"Action":   []any{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"},
				"Effect":   "Allow",
				"Resource": map[string]any{"Ref": secret},
			},
			map[string]any{
				"Action":   []any{"kms:Decrypt", "kms:GenerateDataKey"},
				"Effect":   "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Cmk"), "Arn"}},
			},
		}},
	})
	template.ResourceCountIs(jsii.String("AWS::SecretsManager::RotationSchedule"), jsii.Number(0))
	// The custom resource gives up after 5 minutes, not CloudFormation's
	// hour; the sweep runs every 30 minutes with the documented event.
	template.HasResourceProperties(jsii.String("Custom::IvsManagedPlaybackKeyPair"), map[string]any{"ServiceTimeout": "300"})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"ScheduleExpression": "rate(30 minutes)",
		"Targets":            []any{assertions.Match_ObjectLike(&map[string]any{"Input": `{"Action":"RetireExpiredKeys"}`})},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": assertions.Match_ObjectLike(&map[string]any{"SECRET_ARN": map[string]any{"Ref": secret}})},
	})
	template.ResourceCountIs(jsii.String("AWS::IAM::Policy"), jsii.Number(1))
	// No AWS managed policy: the role may only log to its own log group.
	template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{"ManagedPolicyArns": assertions.Match_Absent()})
	template.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 365})
	template.HasResourceProperties(jsii.String("AWS::SecretsManager::Secret"), map[string]any{
		"KmsKeyId": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Cmk"), "Arn"}},
	})
}

func TestManagedPlaybackKeyPairValidation(t *testing.T) {
	cases := []struct {
		name  string
		props ivs.ManagedPlaybackKeyPairProps
		want  []string
	}{
		{"rotation too often", ivs.ManagedPlaybackKeyPairProps{RotationInterval: 2 * time.Hour}, []string{"RotationInterval 2h0m0s is invalid", "at most every 4 hours", "RotationRulesType"}},
		{"rotation not whole hours", ivs.ManagedPlaybackKeyPairProps{RotationInterval: 36*time.Hour + time.Minute}, []string{"RotationInterval 36h1m0s is invalid", "whole hours or whole days"}},
		{"rotation too rare", ivs.ManagedPlaybackKeyPairProps{RotationInterval: 1001 * 24 * time.Hour}, []string{"at least every 1000 days"}},
		{"name", ivs.ManagedPlaybackKeyPairProps{PlaybackKeyPairName: "has space"}, []string{`PlaybackKeyPairName "has space" is invalid`}},
		{"long name", ivs.ManagedPlaybackKeyPairProps{PlaybackKeyPairName: strings.Repeat("k", 91)}, []string{"at most 90"}},
		{"negative external lifetime", ivs.ManagedPlaybackKeyPairProps{ExternalTokenLifetime: -time.Minute}, []string{"ExternalTokenLifetime -1m0s is negative"}},
		{"grace", ivs.ManagedPlaybackKeyPairProps{RotationInterval: 4 * time.Hour, ExternalTokenLifetime: 5 * time.Hour},
			[]string{"RotationInterval 4h0m0s is shorter than the grace period 5h0m0s (ExternalTokenLifetime)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &c.props)
			msgs := validationMessages(t, env, "Key")
			wantMessages(t, msgs, c.want...)
			wantMessages(t, []string{env.SynthError()}, "TestStack/Key")
		})
	}
	for _, every := range []time.Duration{4 * time.Hour, 23 * time.Hour, 24 * time.Hour, 1000 * 24 * time.Hour} {
		env := cdktest.New(t)
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: every})
		if msgs := validationMessages(t, env, "Key"); len(msgs) != 0 {
			t.Errorf("RotationInterval %s: %q", every, msgs)
		}
	}
}

func TestManagedPlaybackKeyPairCountsForAuthorizedChannels(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil)
	env.Synth()
	assertions.Annotations_FromStack(env.Stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

func TestPlaybackKeyPairQuotaPerAccountAndRegion(t *testing.T) {
	other := publicKeyPEM(t)
	t.Run("rotation takes two of three", func(t *testing.T) {
		env := cdktest.New(t)
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Rotating", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Fixed", nil)
		env.Synth() // 3: fits
		env = cdktest.New(t)
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Rotating", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Fixed", nil)
		ivs.NewPlaybackKeyPair(env.Stack, "Imported", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: other})
		wantMessages(t, []string{env.SynthError()}, "up to 4 IVS playback key pairs",
			"TestStack/Fixed (1), TestStack/Imported (1), TestStack/Rotating (2)", "IVS allows 3 per account and region")
	})
	t.Run("stacks of one environment add up", func(t *testing.T) {
		env := cdktest.NewApp(t)
		where := &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")}
		a := awscdk.NewStack(env.App, jsii.String("A"), &awscdk.StackProps{Env: where})
		b := awscdk.NewStack(env.App, jsii.String("B"), &awscdk.StackProps{Env: where})
		c := awscdk.NewStack(env.App, jsii.String("C"), &awscdk.StackProps{Env: &awscdk.Environment{Account: where.Account, Region: jsii.String("us-east-1")}})
		ivs.NewManagedPlaybackKeyPair(a, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
		ivs.NewManagedPlaybackKeyPair(c, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month}) // another region
		ivs.NewManagedPlaybackKeyPair(b, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
		env.Stack = a
		wantMessages(t, []string{env.SynthError()}, "up to 4 IVS playback key pairs for account 123456789012, region eu-west-1: A/Key (2), B/Key (2)")
		if strings.Contains(env.SynthError(), "C/Key") {
			t.Error("a stack in another region was counted")
		}
	})
	t.Run("same public key twice", func(t *testing.T) {
		env := cdktest.New(t)
		ivs.NewPlaybackKeyPair(env.Stack, "One", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: other})
		ivs.NewPlaybackKeyPair(env.Stack, "Two", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: other + "\n"})
		wantMessages(t, []string{env.SynthError()}, "TestStack/One and TestStack/Two import the same public key")
	})
}

// Code replaces the built handler: nothing is built, the user's asset is
// deployed.
func TestManagedPlaybackKeyPairTakesYourOwnCode(t *testing.T) {
	env := cdktest.New(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("my build"), 0o755); err != nil {
		t.Fatal(err)
	}
	ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{
		Code: awslambda.Code_FromAsset(jsii.String(dir), nil),
	})
	got := env.Synth()
	key := jsonString(t, got)
	if !strings.Contains(key, "ivscdk: creates, rotates and deletes") {
		t.Fatal("no key manager function")
	}
	staged, _ := filepath.Glob(filepath.Join(env.Outdir, "asset.*", "bootstrap"))
	if len(staged) != 1 {
		t.Fatalf("staged bootstraps %v, want only the user's", staged)
	}
	if b, _ := os.ReadFile(staged[0]); string(b) != "my build" {
		t.Error("the staged code is not the user's")
	}
}

// 36 hours is whole hours, which Secrets Manager's rate() takes; no rule
// refuses it, but its windows start at midnight, so it warns.
func TestRotationInHoursBeyondADayWarns(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewManagedPlaybackKeyPair(env.Stack, "Keys", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: 36 * time.Hour})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::SecretsManager::RotationSchedule"),
		map[string]any{"RotationRules": map[string]any{"ScheduleExpression": "rate(36 hours)"}})
	warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Keys"),
		assertions.Match_StringLikeRegexp(jsii.String("not a whole number of days: the schedule is rate\\(36 hours\\)")))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings, want 1", len(*warnings))
	}
}
