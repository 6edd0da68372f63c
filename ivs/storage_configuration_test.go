package ivs_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// TestStorageConfigurationKeepsIVSWriteAccess: a storage configuration
// bucket whose policy the stack manages (here through EnforceSSL) gets
// IVS's documented write statement in that policy, once; a bucket without
// a managed policy gets none (IVS adds its own).
func TestStorageConfigurationKeepsIVSWriteAccess(t *testing.T) {
	env := cdktest.New(t)
	bucket := awss3.NewBucket(env.Stack, jsii.String("Recordings"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true)})
	ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
	got := env.Synth()
	env.Synth() // a second synthesis adds nothing
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	b, policy := env.LogicalID("Recordings"), env.LogicalID("Recordings/Policy")
	template.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Sid":       ivs.StorageWriteStatementID,
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": map[string]any{"Fn::Join": []any{"", []any{"ivs-composite.", map[string]any{"Ref": "AWS::Region"}, ".amazonaws.com"}}}},
			"Action":    []any{"s3:PutObject", "s3:PutObjectAcl"},
			"Resource":  map[string]any{"Fn::Join": []any{"", []any{map[string]any{"Fn::GetAtt": []any{b, "Arn"}}, "/*"}}},
			"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control"}, "Bool": map[string]any{"aws:SecureTransport": "true"}},
		}})},
	})
	statements := got["Resources"].(map[string]any)[policy].(map[string]any)["Properties"].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(statements) != 2 {
		t.Errorf("the policy has %d statements, want EnforceSSL's and IVS's once", len(statements))
	}

	plain := cdktest.New(t)
	ivs.NewStorageConfiguration(plain.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: awss3.NewBucket(plain.Stack, jsii.String("Recordings"), nil)})
	out := plain.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&out, nil)).ResourceCountIs(jsii.String("AWS::S3::BucketPolicy"), jsii.Number(0))
}
