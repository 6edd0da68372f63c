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

func TestManagedCookieKeyTemplate(t *testing.T) {
	env := cdktest.New(t)
	key := ivs.NewManagedCookieKey(env.Stack, "Key", &ivs.ManagedCookieKeyProps{
		RotationInterval: month, KeyGroupName: "recordings", ExternalTokenLifetime: 3 * time.Hour})
	awscdk.NewCfnOutput(env.Stack, jsii.String("KeyGroup"), &awscdk.CfnOutputProps{Value: key.KeyGroup().KeyGroupId()})
	awscdk.NewCfnOutput(env.Stack, jsii.String("PublicKey"), &awscdk.CfnOutputProps{Value: key.PublicKeyId()})
	signer := awsiam.NewRole(env.Stack, jsii.String("Signer"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	key.GrantReadPrivateKey(signer)
	got := env.Synth()
	cdktest.Golden(t, "testdata/managed-cookie-key.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	secret, fn, resource := env.LogicalID("Key/Secret"), env.LogicalID("Key/Function"), env.LogicalID("Key")

	template.HasResourceProperties(jsii.String("Custom::IvsManagedCookieKey"), map[string]any{
		"SecretArn": map[string]any{"Ref": secret}, "ServiceToken": map[string]any{"Fn::GetAtt": []any{fn, "Arn"}},
	})
	// The key group and its keys change at run time: none is in the
	// template.
	template.ResourceCountIs(jsii.String("AWS::CloudFront::PublicKey"), jsii.Number(0))
	template.ResourceCountIs(jsii.String("AWS::CloudFront::KeyGroup"), jsii.Number(0))
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{
			"KEY_KIND": "cloudfront-public-key", "KEY_PAIR_NAME_PREFIX": "recordings", "GRACE_PERIOD": "3h0m0s",
			"SECRET_ARN": map[string]any{"Ref": secret},
		}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{
			assertions.Match_ObjectLike(&map[string]any{"Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"}}),
			map[string]any{"Action": []any{"cloudfront:CreatePublicKey", "cloudfront:GetPublicKey", "cloudfront:DeletePublicKey",
				"cloudfront:ListPublicKeys", "cloudfront:CreateKeyGroup", "cloudfront:GetKeyGroup", "cloudfront:UpdateKeyGroup",
				"cloudfront:DeleteKeyGroup", "cloudfront:ListKeyGroups"}, "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": []any{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
				"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"}, "Effect": "Allow", "Resource": map[string]any{"Ref": secret}},
		}},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Key/FunctionRole")}},
	})
	template.HasOutput(jsii.String("KeyGroup"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{resource, "KeyGroupId"}}})
	template.HasOutput(jsii.String("PublicKey"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{resource, "KeyArn"}}})
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "ivs:") || strings.Contains(string(b), "PRIVATE KEY") {
		t.Error("the template grants IVS actions or holds key material")
	}
	wantNoKeyPairSlotTaken(t, env, "a cookie key")
}

func TestManagedCookieKeyValidation(t *testing.T) {
	for name, c := range map[string]struct {
		props ivs.ManagedCookieKeyProps
		want  string
	}{
		"long name": {ivs.ManagedCookieKeyProps{KeyGroupName: strings.Repeat("k", 91)}, "KeyGroupName"},
		"bad name":  {ivs.ManagedCookieKeyProps{KeyGroupName: "no spaces"}, "KeyGroupName"},
		"rotation":  {ivs.ManagedCookieKeyProps{RotationInterval: 90 * time.Minute}, "RotationInterval 1h30m0s is invalid"},
		"grace":     {ivs.ManagedCookieKeyProps{RotationInterval: 4 * time.Hour, ExternalTokenLifetime: 5 * time.Hour}, "shorter than the grace period 5h0m0s"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewManagedCookieKey(env.Stack, "Key", &c.props)
			wantMessages(t, validationMessages(t, env, "Key"), c.want)
		})
	}
}
