package ivs

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawss3"
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
	bucket interfacesawss3.IBucketRef
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
// defined in this app, as an L2 or an L1 awss3.CfnBucket ("AES256",
// "aws:kms", "aws:kms:dsse"), or nil for an imported bucket or one without
// default encryption. A KMS key ARN (a
// token) elsewhere in the settings does not hide the algorithm: the
// settings are resolved to their CloudFormation form and only
// sseAlgorithm values that are literal strings are read.
func bucketSSEAlgorithms(bucket interfacesawss3.IBucketRef) []string {
	cfn, ok := bucket.(awss3.CfnBucket)
	if !ok {
		if cfn, ok = bucket.Node().DefaultChild().(awss3.CfnBucket); !ok {
			return nil
		}
	}
	inspector := awscdk.NewTreeInspector()
	cfn.Inspect(inspector)
	props, _ := (*inspector.Attributes())["aws:cdk:cloudformation:props"].(map[string]any)
	encryption, ok := props["bucketEncryption"]
	if !ok {
		return nil
	}
	var out []string
	collectSSEAlgorithms(awscdk.Stack_Of(bucket).Resolve(encryption), &out)
	return out
}

// collectSSEAlgorithms appends every literal sseAlgorithm (any key casing)
// found in v.
func collectSSEAlgorithms(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if a, ok := x.(string); ok && strings.EqualFold(k, "sseAlgorithm") {
				*out = append(*out, a)
				continue
			}
			collectSSEAlgorithms(x, out)
		}
	case []any:
		for _, x := range v {
			collectSSEAlgorithms(x, out)
		}
	}
}
