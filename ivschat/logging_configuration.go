package ivschat

import (
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivschat"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivschat"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// LoggingConfigurationProps configures a LoggingConfiguration: give exactly
// one of Bucket, LogGroup and DeliveryStream.
//
// When the logging configuration is created, CloudFormation gives the
// destination the access IVS Chat needs (a bucket policy statement, a
// CloudWatch Logs resource policy, or the tag a Firehose stream needs), as
// the CloudFormation resource's handler is allowed to. If the stack also
// manages the bucket's policy, a later update of that policy by
// CloudFormation can drop the statement; a dedicated bucket avoids that.
type LoggingConfigurationProps struct {
	// Bucket receives the chat logs. Any of Bucket, LogGroup and
	// DeliveryStream is a reference as the CDK takes it: an L2 (awss3.Bucket,
	// awslogs.LogGroup, awskinesisfirehose.DeliveryStream), an imported
	// one, or the L1 resource.
	Bucket interfacesawss3.IBucketRef
	// LogGroup receives the chat logs.
	LogGroup interfacesawslogs.ILogGroupRef
	// DeliveryStream receives the chat logs.
	DeliveryStream interfacesawskinesisfirehose.IDeliveryStreamRef
	// LoggingConfigurationName is the name: letters, digits, '-' and '_', at
	// most 128 characters. Default: none.
	LoggingConfigurationName string
	// Tags are added to the logging configuration: at most 50, keys 1-128
	// characters, values 1-256 (IVS Chat refuses empty values).
	Tags map[string]string
}

// ILoggingConfiguration is an IVS Chat logging configuration, created in this
// app or imported.
type ILoggingConfiguration interface {
	awscdk.IResource
	// LoggingConfigurationRef returns the reference CDK APIs take (interfacesawsivschat.ILoggingConfigurationRef).
	interfacesawsivschat.ILoggingConfigurationRef
	// LoggingConfigurationArn returns the logging configuration's ARN.
	LoggingConfigurationArn() *string
}

// LoggingConfiguration is an AWS::IVSChat::LoggingConfiguration: where the
// messages and events of the rooms that use it are logged.
type LoggingConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivschat.CfnLoggingConfiguration
}

var (
	logGroupNamePattern       = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)
	deliveryStreamNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)
	bucketNamePattern         = regexp.MustCompile(`^[a-z0-9-.]{3,63}$`)
)

// NewLoggingConfiguration defines a logging configuration.
func NewLoggingConfiguration(scope constructs.Construct, id string, props *LoggingConfigurationProps) *LoggingConfiguration {
	if props == nil {
		props = &LoggingConfigurationProps{}
	}
	l := &LoggingConfiguration{}
	l2.NewResource(l, &l.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.LoggingConfigurationName)})
	var problems check.Problems
	problems.Name("LoggingConfigurationName", props.LoggingConfigurationName)
	// Tag values may be empty here: AWS::IVSChat::LoggingConfiguration's
	// schema allows length 0 (only the room's needs 1).
	problems.Tags("Tags", props.Tags)

	destination := &awsivschat.CfnLoggingConfiguration_DestinationConfigurationProperty{}
	count := 0
	if props.Bucket != nil {
		count++
		name := props.Bucket.BucketRef().BucketName
		checkPattern(&problems, "Bucket name", *name, bucketNamePattern, "3 to 63 lowercase letters, digits, '-' and '.'")
		destination.S3 = &awsivschat.CfnLoggingConfiguration_S3DestinationConfigurationProperty{BucketName: name}
	}
	if props.LogGroup != nil {
		count++
		name := props.LogGroup.LogGroupRef().LogGroupName
		checkPattern(&problems, "LogGroup name", *name, logGroupNamePattern, "1 to 512 letters, digits and . - _ / #")
		destination.CloudWatchLogs = &awsivschat.CfnLoggingConfiguration_CloudWatchLogsDestinationConfigurationProperty{LogGroupName: name}
	}
	if props.DeliveryStream != nil {
		count++
		name := props.DeliveryStream.DeliveryStreamRef().DeliveryStreamName
		checkPattern(&problems, "DeliveryStream name", *name, deliveryStreamNamePattern, "1 to 64 letters, digits and _ . -")
		destination.Firehose = &awsivschat.CfnLoggingConfiguration_FirehoseDestinationConfigurationProperty{DeliveryStreamName: name}
	}
	if count != 1 {
		problems.Addf("give exactly one destination of Bucket, LogGroup and DeliveryStream (got %d)", count)
	}
	l.cfn = awsivschat.NewCfnLoggingConfiguration(l, jsii.String("Resource"), &awsivschat.CfnLoggingConfigurationProps{
		Name:                     l2.Optional(props.LoggingConfigurationName),
		DestinationConfiguration: destination,
		Tags:                     l2.CfnTags(props.Tags),
	})
	problems.Report(l)
	return l
}

func checkPattern(problems *check.Problems, what, value string, pattern *regexp.Regexp, allowed string) {
	if !cdktoken.IsUnresolved(value) && !pattern.MatchString(value) {
		problems.Addf("%s %q is invalid: IVS Chat needs %s", what, value, allowed)
	}
}

// checkChatTags applies the shared tag rules, plus the room's own: values
// may not be empty (AWS::IVSChat::Room's schema: Tag.Value minLength 1).
func checkChatTags(problems *check.Problems, tags map[string]string) {
	problems.Tags("Tags", tags)
	for _, k := range check.SortedKeys(tags) {
		if tags[k] == "" {
			problems.Addf("Tags value for key %q is empty: IVS Chat needs tag values of 1 to 256 characters", k)
		}
	}
}

// LoggingConfigurationArn returns the logging configuration's ARN.
func (l *LoggingConfiguration) LoggingConfigurationArn() *string { return l.cfn.AttrArn() }

// LoggingConfigurationId returns the logging configuration's ID.
func (l *LoggingConfiguration) LoggingConfigurationId() *string { return l.cfn.AttrId() }

// LoggingConfigurationState returns the state IVS Chat reports.
func (l *LoggingConfiguration) LoggingConfigurationState() *string { return l.cfn.AttrState() }

// LoggingConfigurationFromLoggingConfigurationArn imports an existing logging
// configuration by ARN (service "ivschat", resource type
// "logging-configuration").
func LoggingConfigurationFromLoggingConfigurationArn(scope constructs.Construct, id string, arn string) ILoggingConfiguration {
	l := &importedLoggingConfiguration{arn: arn}
	l2.NewImported(l, &l.Construct, scope, id, arn, "ivschat", "logging-configuration")
	return l
}

type importedLoggingConfiguration struct {
	l2.Construct
	arn string
}

func (l *importedLoggingConfiguration) LoggingConfigurationArn() *string { return jsii.String(l.arn) }
