package ivs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestManagedPublicKeyTemplate(t *testing.T) {
	env := cdktest.New(t)
	key := ivs.NewManagedPublicKey(env.Stack, "Key", &ivs.ManagedPublicKeyProps{RotationInterval: month, PublicKeyName: "hosts"})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Arn"), &awscdk.CfnOutputProps{Value: key.PublicKeyArn()})
	signer := awsiam.NewRole(env.Stack, jsii.String("Signer"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	key.GrantReadPrivateKey(signer)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	secret, fn, resource := env.LogicalID("Key/Secret"), env.LogicalID("Key/Function"), env.LogicalID("Key")

	template.HasResourceProperties(jsii.String("Custom::IvsManagedPublicKey"), map[string]any{
		"SecretArn": map[string]any{"Ref": secret}, "ServiceToken": map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
	})
	template.ResourceCountIs(jsii.String("AWS::IVS::PublicKey"), jsii.Number(0))
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{
			"KEY_KIND": "public-key", "KEY_PAIR_NAME_PREFIX": "hosts", "GRACE_PERIOD": "15m0s",
		}},
	})
	// The key manager may import, delete and tag IVS public keys, list
	// them, and use this secret; nothing of playback key pairs.
	publicKeys := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:",
		map[string]any{"Ref": "AWS::Region"}, ":", map[string]any{"Ref": "AWS::AccountId"}, ":public-key/*"}}}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "ivs:ImportPublicKey", "Effect": "Allow", "Resource": publicKeys},
			map[string]any{"Action": "ivs:DeletePublicKey", "Effect": "Allow", "Resource": publicKeys,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:secret": map[string]any{"Ref": env.LogicalID("Key/Secret")}}}},
			map[string]any{"Action": "ivs:TagResource", "Effect": "Allow", "Resource": publicKeys, "Condition": map[string]any{
				"StringEquals":              map[string]any{"aws:RequestTag/ivscdk:secret": map[string]any{"Ref": env.LogicalID("Key/Secret")}},
				"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"ivscdk:secret", "ivscdk:secret-version"}},
			}},
			map[string]any{"Action": "ivs:ListPublicKeys", "Effect": "Allow", "Resource": "*"},
		})},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Key/FunctionRole")}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, "Effect": "Allow", "Resource": map[string]any{"Ref": secret},
		}}},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Signer")}},
	})
	template.HasOutput(jsii.String("Arn"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{resource, "KeyArn"}}})
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "PlaybackKeyPair") || strings.Contains(string(b), "PRIVATE KEY") {
		t.Error("the template names playback key pairs or holds key material")
	}
	wantNoKeyPairSlotTaken(t, env, "a public key")
}

func TestManagedPublicKeyValidation(t *testing.T) {
	for name, c := range map[string]struct {
		props ivs.ManagedPublicKeyProps
		want  string
	}{
		"long name":       {ivs.ManagedPublicKeyProps{PublicKeyName: strings.Repeat("k", 91)}, "PublicKeyName"},
		"bad name":        {ivs.ManagedPublicKeyProps{PublicKeyName: "no spaces"}, "PublicKeyName"},
		"rotation":        {ivs.ManagedPublicKeyProps{RotationInterval: 90 * time.Minute}, "RotationInterval 1h30m0s is invalid"},
		"negative extern": {ivs.ManagedPublicKeyProps{ExternalTokenLifetime: -time.Second}, "ExternalTokenLifetime -1s is negative"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewManagedPublicKey(env.Stack, "Key", &c.props)
			wantMessages(t, validationMessages(t, env, "Key"), c.want)
		})
	}
}
