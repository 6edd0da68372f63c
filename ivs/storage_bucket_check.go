package ivs

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

// storageBucketEncryption checks, at synth, that a bucket defined in this
// app encrypts with SSE-S3 only: the IVS real-time user guide ("IVS
// Individual Participant Recording", step 1) requires its Default
// Encryption to be "Server-side encryption with Amazon S3 managed keys
// (SSE-S3)". Imported buckets are not checked (their settings are not in
// the app). The check reads the bucket's final CloudFormation properties, so
// it runs as a validation rather than at construction.
type storageBucketEncryption struct {
	bucket awss3.IBucket
}

// Validate implements constructs.IValidation.
func (v *storageBucketEncryption) Validate() *[]*string {
	algorithms := bucketSSEAlgorithms(v.bucket)
	var out []*string
	for _, a := range algorithms {
		if a != "AES256" {
			out = append(out, jsii.String(fmt.Sprintf("Bucket encrypts with %q: IVS records real-time stages only to buckets whose default "+
				"encryption is SSE-S3 (IVS real-time user guide, \"IVS Individual Participant Recording\"). Use "+
				"awss3.BucketEncryption_S3_MANAGED (or leave Encryption unset) for this bucket", a)))
		}
	}
	return &out
}

// bucketSSEAlgorithms returns the default-encryption algorithms of a bucket
// defined in this app ("AES256", "aws:kms", "aws:kms:dsse"), or nil for an
// imported bucket, one without default encryption, or one whose settings
// hold tokens.
func bucketSSEAlgorithms(bucket awss3.IBucket) []string {
	cfn, ok := bucket.Node().DefaultChild().(awss3.CfnBucket)
	if !ok {
		return nil
	}
	inspector := awscdk.NewTreeInspector()
	cfn.Inspect(inspector)
	props, _ := (*inspector.Attributes())["aws:cdk:cloudformation:props"].(map[string]any)
	encryption, ok := props["bucketEncryption"]
	if !ok {
		return nil
	}
	stack := awscdk.Stack_Of(bucket)
	resolved, ok := stack.Resolve(stack.ToJsonString(encryption, nil)).(string)
	if !ok {
		return nil
	}
	var parsed struct {
		ServerSideEncryptionConfiguration []struct {
			ServerSideEncryptionByDefault struct {
				SseAlgorithm string `json:"sseAlgorithm"`
			} `json:"serverSideEncryptionByDefault"`
		} `json:"serverSideEncryptionConfiguration"`
	}
	if json.Unmarshal([]byte(resolved), &parsed) != nil {
		return nil
	}
	var out []string
	for _, rule := range parsed.ServerSideEncryptionConfiguration {
		if a := rule.ServerSideEncryptionByDefault.SseAlgorithm; a != "" {
			out = append(out, a)
		}
	}
	return out
}
