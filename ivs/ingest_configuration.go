package ivs

import (
	"unicode/utf8"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// IngestProtocol is how a broadcaster sends video to a stage through an
// ingest configuration.
type IngestProtocol string

// Ingest protocols.
const (
	// IngestProtocolRTMPS is RTMP over TLS. The default.
	IngestProtocolRTMPS IngestProtocol = "RTMPS"
	// IngestProtocolRTMP is plain RTMP; it needs InsecureIngest.
	IngestProtocolRTMP IngestProtocol = "RTMP"
)

// IngestConfigurationProps configures an IngestConfiguration.
type IngestConfigurationProps struct {
	// Stage is the stage the broadcast joins as a participant. Default: none
	// (attach it later with the IVS API).
	Stage IStage
	// IngestProtocol is RTMPS (default) or RTMP.
	IngestProtocol IngestProtocol
	// InsecureIngest allows plain RTMP; required with IngestProtocolRTMP.
	InsecureIngest bool
	// UserID is the participant's user ID, visible to every participant.
	UserID string
	// IngestConfigurationName is the name: letters, digits, '-' and '_', at
	// most 128 characters. Default: none.
	IngestConfigurationName string
	// Tags are added to the ingest configuration.
	Tags map[string]string
}

// IngestConfiguration is an AWS::IVS::IngestConfiguration: lets an RTMP(S)
// encoder such as OBS publish to a real-time stage as a participant.
type IngestConfiguration struct {
	l2.Construct // first field: see l2.Construct
	cfn          awsivs.CfnIngestConfiguration
	path         cdkname.Path
}

// NewIngestConfiguration defines an ingest configuration.
func NewIngestConfiguration(scope constructs.Construct, id string, props *IngestConfigurationProps) *IngestConfiguration {
	if props == nil {
		props = &IngestConfigurationProps{}
	}
	c := &IngestConfiguration{}
	c.path = l2.NewResource(c, &c.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.IngestConfigurationName)})
	var problems check.Problems
	problems.Name("IngestConfigurationName", props.IngestConfigurationName)
	problems.Tags("Tags", props.Tags)
	problems.OneOf("IngestProtocol", string(props.IngestProtocol), string(IngestProtocolRTMPS), string(IngestProtocolRTMP))
	if props.IngestProtocol == IngestProtocolRTMP && !props.InsecureIngest {
		problems.Addf("IngestProtocol %q needs InsecureIngest: true (RTMP is unencrypted); or use %q", IngestProtocolRTMP, IngestProtocolRTMPS)
	}
	// CloudFormation's schema sets no length; the IVS Real-Time API takes
	// at most 128 characters (CreateIngestConfiguration, UserId).
	if n := utf8.RuneCountInString(props.UserID); n > 128 && !cdktoken.IsUnresolved(props.UserID) {
		problems.Addf("UserID is %d characters: IVS takes at most 128 (CreateIngestConfiguration)", n)
	}
	if props.Stage != nil {
		l2.SameEnvironment(&problems, "Stage", *props.Stage.StageArn(),
			"an ingest configuration is created in this stack's account and region and publishes to a stage there", c.path.Stack())
	}
	cfnProps := &awsivs.CfnIngestConfigurationProps{
		Name:           l2.Optional(props.IngestConfigurationName),
		IngestProtocol: l2.Optional(string(props.IngestProtocol)),
		UserId:         l2.Optional(props.UserID),
		Tags:           l2.CfnTags(props.Tags),
	}
	if props.InsecureIngest {
		cfnProps.InsecureIngest = jsii.Bool(true)
	}
	if props.Stage != nil {
		cfnProps.StageArn = props.Stage.StageArn()
	}
	c.cfn = awsivs.NewCfnIngestConfiguration(c, jsii.String("Resource"), cfnProps)
	problems.Report(c)
	return c
}

// IngestConfigurationArn returns the ingest configuration's ARN.
func (c *IngestConfiguration) IngestConfigurationArn() *string { return c.cfn.AttrArn() }

// IngestConfigurationParticipantId returns the participant ID the broadcast
// gets in the stage.
func (c *IngestConfiguration) IngestConfigurationParticipantId() *string {
	return c.cfn.AttrParticipantId()
}

// IngestConfigurationState returns the state IVS reports (ACTIVE or
// INACTIVE).
func (c *IngestConfiguration) IngestConfigurationState() *string { return c.cfn.AttrState() }

// IngestConfigurationStreamKey returns the stream key of the ingest
// configuration: a secret that lets its holder publish to the stage. Do not
// put it in outputs, tags or environment variables; read it at run time with
// the IVS GetIngestConfiguration API.
func (c *IngestConfiguration) IngestConfigurationStreamKey() *string {
	return noteSecretAttribute(c.path, "the ingest stream key", c.cfn, "StreamKey", c.cfn.AttrStreamKey())
}
