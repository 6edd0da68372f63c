package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// StorageConfigurationProps configures a StorageConfiguration.
type StorageConfigurationProps struct {
	// Bucket receives the recordings of real-time stages. Required. Same
	// account and region as the storage configuration; its default
	// encryption must be SSE-S3 (checked for a bucket of this app; KMS
	// fails synthesis) and its object ownership "bucket owner enforced" or
	// "bucket owner preferred" (not checked: the CDK keeps that setting out
	// of reach of Go code until synthesis). When the storage
	// configuration is created, IVS adds what it needs to the bucket's
	// policy itself; if the stack also manages that bucket policy (for
	// example through EnforceSSL, or a CloudFront origin access control),
	// CloudFormation writes the policy whole, so the storage configuration
	// adds IVS's documented write statement (StorageWriteStatementID) to
	// it. Any bucket reference the
	// CDK takes will do (an awss3.Bucket, an imported one, an awss3.CfnBucket).
	Bucket interfacesawss3.IBucketRef
	// StorageConfigurationName is the name: letters, digits, '-' and '_',
	// at most 128 characters. Default: none.
	StorageConfigurationName string
	// Tags are added to the storage configuration.
	Tags map[string]string
}

// IStorageConfiguration is an IVS storage configuration, created in this
// app or imported.
type IStorageConfiguration interface {
	awscdk.IResource
	// StorageConfigurationRef returns the reference CDK APIs take (interfacesawsivs.IStorageConfigurationRef).
	interfacesawsivs.IStorageConfigurationRef
	// StorageConfigurationArn returns the storage configuration's ARN.
	StorageConfigurationArn() *string
}

// StorageConfiguration is an AWS::IVS::StorageConfiguration: the S3 bucket
// real-time stages record their participants to.
type StorageConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnStorageConfiguration
}

// NewStorageConfiguration defines a storage configuration.
func NewStorageConfiguration(scope constructs.Construct, id string, props *StorageConfigurationProps) *StorageConfiguration {
	if props == nil {
		props = &StorageConfigurationProps{}
	}
	s := &StorageConfiguration{}
	path := l2.NewResource(s, &s.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.StorageConfigurationName)})
	var problems check.Problems
	problems.Name("StorageConfigurationName", props.StorageConfigurationName)
	problems.Tags("Tags", props.Tags)
	bucketName := recordingBucketName(&problems, props.Bucket, path.Stack())
	s.cfn = awsivs.NewCfnStorageConfiguration(s, jsii.String("Resource"), &awsivs.CfnStorageConfigurationProps{
		Name: l2.Optional(props.StorageConfigurationName),
		S3:   &awsivs.CfnStorageConfiguration_S3StorageConfigurationProperty{BucketName: bucketName},
		Tags: l2.CfnTags(props.Tags),
	})
	problems.Report(s)
	if props.Bucket != nil {
		s.Node().AddValidation(&storageBucketEncryption{bucket: props.Bucket})
		s.Node().AddValidation(&storageBucketPolicy{bucket: props.Bucket})
	}
	return s
}

// StorageConfigurationArn returns the storage configuration's ARN.
func (s *StorageConfiguration) StorageConfigurationArn() *string { return s.cfn.AttrArn() }

// StorageConfigurationFromStorageConfigurationArn imports an existing storage
// configuration by ARN (service "ivs", resource type
// "storage-configuration").
func StorageConfigurationFromStorageConfigurationArn(scope constructs.Construct, id string, arn string) IStorageConfiguration {
	s := &importedStorageConfiguration{arn: arn}
	l2.NewImported(s, &s.Construct, scope, id, arn, "ivs", "storage-configuration")
	return s
}

type importedStorageConfiguration struct {
	l2.Construct // first field: see l2.Construct
	arn          string
}

func (s *importedStorageConfiguration) StorageConfigurationArn() *string { return jsii.String(s.arn) }
