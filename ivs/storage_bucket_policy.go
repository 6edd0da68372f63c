package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawss3"
	"github.com/aws/jsii-runtime-go"
)

// StorageWriteStatementID is the Sid of IVS's write access in a
// storage configuration bucket's policy that the stack manages.
const StorageWriteStatementID = "IvsStorageConfigurationWrite"

// storageBucketPolicy keeps IVS's write access in a bucket policy the
// stack manages. Creating a storage configuration makes IVS add a
// statement of its own to the bucket's policy (IVS Real-Time API
// Reference, CreateStorageConfiguration), and "if the policy for the
// bucket is altered in a way that removes IVS's access, ongoing and new
// recordings will fail" (IVS Real-Time User Guide, "IVS Composite
// Recording", Bucket Policy for StorageConfiguration). A policy the stack
// manages (EnforceSSL, a CloudFront origin access control such as
// RecordingLibrary's) is written whole by CloudFormation, dropping IVS's
// statement. So, at synthesis, when the bucket of the app has such a
// policy, the documented statement (principal
// ivs-composite.<region>.amazonaws.com, s3:PutObject and s3:PutObjectAcl
// with the bucket-owner-full-control ACL over TLS) is added to it:
// whichever of the policy and the storage configuration CloudFormation
// makes first, and however often it rewrites the policy, IVS keeps its
// access. (No DependsOn orders them: a distribution that serves the
// bucket's recordings and names a stage would close a cycle.) A bucket
// without a stack-managed policy is left alone: IVS's own statement is
// then the only one. It runs as a validation, after every construct has
// added what it adds to the policy.
type storageBucketPolicy struct {
	bucket interfacesawss3.IBucketRef
	added  bool
}

// Validate implements constructs.IValidation; it reports nothing.
func (v *storageBucketPolicy) Validate() *[]*string {
	none := &[]*string{}
	bucket, ok := v.bucket.(awss3.IBucket)
	if v.added || !ok {
		return none
	}
	policy := bucket.Policy()
	if policy == nil {
		return none
	}
	v.added = true
	policy.Document().AddStatements(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid: jsii.String(StorageWriteStatementID),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(awscdk.Fn_Join(jsii.String(""),
			&[]*string{jsii.String("ivs-composite."), awscdk.Stack_Of(bucket).Region(), jsii.String(".amazonaws.com")}), nil)},
		Actions:   jsii.Strings("s3:PutObject", "s3:PutObjectAcl"),
		Resources: jsii.Strings(*bucket.ArnForObjects(jsii.String("*"))),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control"},
			"Bool":         map[string]any{"aws:SecureTransport": "true"},
		},
	}))
	return none
}
