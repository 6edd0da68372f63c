package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// IRecordingConfiguration is an IVS recording configuration, which a channel
// uses to record its streams to Amazon S3.
type IRecordingConfiguration interface {
	awscdk.IResource
	// RecordingConfigurationArn returns the recording configuration's ARN.
	RecordingConfigurationArn() *string
}

// RecordingConfigurationFromRecordingConfigurationArn imports an existing
// recording configuration by ARN, so that channels can record with it.
// Literal ARNs are checked (service "ivs", resource type
// "recording-configuration"); tokens are accepted as they are.
func RecordingConfigurationFromRecordingConfigurationArn(scope constructs.Construct, id string, arn string) IRecordingConfiguration {
	r := &importedRecordingConfiguration{arn: arn}
	newImported(r, scope, id, arn, "recording-configuration")
	return r
}

type importedRecordingConfiguration struct {
	awscdk.Resource
	arn string
}

func (r *importedRecordingConfiguration) RecordingConfigurationArn() *string {
	return jsii.String(r.arn)
}
