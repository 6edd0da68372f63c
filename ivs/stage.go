package ivs

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// MediaType is what auto participant recording records.
type MediaType string

// Media types.
const (
	MediaTypeAudioVideo MediaType = "AUDIO_VIDEO"
	MediaTypeAudioOnly  MediaType = "AUDIO_ONLY"
)

// ParticipantThumbnails configures thumbnails of recorded participants.
// nil, or the zero value, records none (IVS's default).
type ParticipantThumbnails struct {
	// TargetInterval is the time between thumbnails, 1 to 86,400 whole
	// seconds. Setting it turns thumbnails on. Default: 60 s when Storage is
	// set.
	TargetInterval time.Duration
	// Storage lists how thumbnails are kept. Setting it turns thumbnails
	// on. Default: SEQUENTIAL.
	Storage []ThumbnailStorage
}

// AutoParticipantRecording records every participant who publishes to the
// stage, each to its own folder of the storage configuration's bucket.
type AutoParticipantRecording struct {
	// StorageConfiguration is where recordings go. Required.
	StorageConfiguration IStorageConfiguration
	// MediaType is what is recorded. Default: MediaTypeAudioVideo.
	MediaType MediaType
	// ReconnectWindow merges a participant's reconnect within this window
	// into one recording: 0 to 300 whole seconds. Default: 0.
	ReconnectWindow time.Duration
	// HLSTargetSegmentDuration is the length of the recording's HLS
	// segments: 2 to 10 whole seconds. Default: 6 s.
	HLSTargetSegmentDuration time.Duration
	// Thumbnails, when set, records thumbnails too. Default: none.
	Thumbnails *ParticipantThumbnails
}

// StageProps configures a Stage. The zero value is a stage without
// recording and without a name (AWS::IVS::Stage does not need one, so none
// is generated).
type StageProps struct {
	// StageName is the name: letters, digits, '-' and '_', at most 128
	// characters. Default: none.
	StageName string
	// AutoParticipantRecording, when set, records every publishing
	// participant to S3. Default: nil (no recording).
	AutoParticipantRecording *AutoParticipantRecording
	// Tags are added to the stage.
	Tags map[string]string
}

// IStage is an IVS real-time stage, created in this app or imported.
type IStage interface {
	awscdk.IResource
	// StageRef returns the reference CDK APIs take (interfacesawsivs.IStageRef).
	interfacesawsivs.IStageRef
	// StageArn returns the stage's ARN.
	StageArn() *string
	// GrantCreateParticipantToken lets grantee create participant tokens
	// for the stage (ivs:CreateParticipantToken).
	GrantCreateParticipantToken(grantee awsiam.IGrantable) awsiam.Grant
	// GrantDisconnectParticipant lets grantee disconnect participants from
	// the stage (ivs:DisconnectParticipant).
	GrantDisconnectParticipant(grantee awsiam.IGrantable) awsiam.Grant
	// GrantRead lets grantee read the stage, its sessions and participants.
	GrantRead(grantee awsiam.IGrantable) awsiam.Grant
	// GrantStartComposition lets grantee start compositions of the stage
	// with the encoder configurations and to the destinations in targets
	// (ivs:StartComposition).
	GrantStartComposition(grantee awsiam.IGrantable, targets *CompositionTargets) awsiam.Grant
	// GrantStopComposition lets grantee stop compositions of the stage's
	// account and region (ivs:StopComposition).
	GrantStopComposition(grantee awsiam.IGrantable) awsiam.Grant
	// GrantParticipantReplication lets grantee replicate participants
	// from the stage to the destination stages and stop it
	// (ivs:StartParticipantReplication, ivs:StopParticipantReplication),
	// on the stage and each destination.
	GrantParticipantReplication(grantee awsiam.IGrantable, destinations ...IStage) awsiam.Grant
	// Metric returns the stage's metric called name (namespace
	// AWS/IVSRealTime, dimension Stage).
	Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricPublishers counts publishing participants (Maximum).
	MetricPublishers(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricSubscribers counts subscribed participants (Maximum).
	MetricSubscribers(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricPublishBitrate is the published bitrate (Average).
	MetricPublishBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricSubscribeBitrate is the bitrate subscribers receive (Average).
	MetricSubscribeBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricDroppedFrames is the share of frames subscribers dropped
	// (Average).
	MetricDroppedFrames(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricDownloadPacketLoss is the share of packets subscribers lost
	// (Average).
	MetricDownloadPacketLoss(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// OnStageUpdate defines a rule for the stage's "IVS Stage Update" events
	// (participants publishing, unpublishing, replication).
	OnStageUpdate(id string, opts *awsevents.OnEventOptions) awsevents.Rule
	// OnParticipantRecordingStateChange defines a rule for "IVS Participant
	// Recording State Change" events.
	OnParticipantRecordingStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule
	// OnCompositionStateChange defines a rule for "IVS Composition State
	// Change" events of the stage's server-side compositions.
	OnCompositionStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule
}

// stageBase implements the IStage methods shared by new and imported
// stages.
type stageBase struct {
	scope constructs.Construct
	arn   func() *string
}

func (s stageBase) grant(grantee awsiam.IGrantable, actions ...string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings(actions...), ResourceArns: &[]*string{s.arn()},
	})
}

// GrantCreateParticipantToken lets grantee create participant tokens for the
// stage.
func (s stageBase) GrantCreateParticipantToken(grantee awsiam.IGrantable) awsiam.Grant {
	return s.grant(grantee, "ivs:CreateParticipantToken")
}

// GrantDisconnectParticipant lets grantee disconnect a participant from
// the stage and revoke its token (ivs:DisconnectParticipant), for
// moderation.
func (s stageBase) GrantDisconnectParticipant(grantee awsiam.IGrantable) awsiam.Grant {
	return s.grant(grantee, "ivs:DisconnectParticipant")
}

// GrantParticipantReplication lets grantee replicate participants from
// the stage to the destination stages, and stop it
// (ivs:StartParticipantReplication and ivs:StopParticipantReplication,
// whose resource type is the stage: Service Authorization Reference), on
// the stage and on each destination.
func (s stageBase) GrantParticipantReplication(grantee awsiam.IGrantable, destinations ...IStage) awsiam.Grant {
	arns := []*string{s.arn()}
	for _, d := range destinations {
		if d != nil {
			arns = append(arns, d.StageArn())
		}
	}
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: grantee, Actions: jsii.Strings("ivs:StartParticipantReplication", "ivs:StopParticipantReplication"), ResourceArns: &arns,
	})
}

// GrantRead lets grantee read the stage, its sessions and its participants.
func (s stageBase) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return s.grant(grantee, "ivs:GetStage", "ivs:GetStageSession", "ivs:ListStageSessions", "ivs:GetParticipant", "ivs:ListParticipants", "ivs:ListParticipantEvents")
}

// OnStageUpdate defines a rule for the stage's "IVS Stage Update" events.
func (s stageBase) OnStageUpdate(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(s.scope, id, EventSource, "IVS Stage Update", []*string{s.arn()}, opts)
}

// OnParticipantRecordingStateChange defines a rule for the stage's "IVS
// Participant Recording State Change" events (recording start, end and
// failures of individual participant recording). Those events name the
// stage in their resources, as the IVS real-time user guide's example shows
// ("IVS Individual Participant Recording").
func (s stageBase) OnParticipantRecordingStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(s.scope, id, EventSource, "IVS Participant Recording State Change", []*string{s.arn()}, opts)
}

// OnCompositionStateChange defines a rule for "IVS Composition State Change"
// events of compositions of the stage. Those events name the composition in
// their resources and the stage in detail.stage_arn (IVS real-time user
// guide, "Using Amazon EventBridge with IVS Real-Time Streaming"), so the
// rule filters on the detail; a detail pattern in opts is kept beside it.
func (s stageBase) OnCompositionStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.RuleMatchingDetail(s.scope, id, EventSource, "IVS Composition State Change",
		map[string]any{"stage_arn": []*string{s.arn()}}, opts)
}

// OnPublisherRecordingStateChange defines a rule, in scope, for the
// account's "IVS Publisher Recording State Change" events. The EventBridge
// events reference ("Amazon Interactive Video Service events") lists that
// detail type, but no IVS guide documents which resource its events name or
// what their detail holds, so the rule matches every such event of the
// stack's account and region rather than guessing a filter that might never
// match; narrow it with opts.EventPattern (its detail, for example).
// Individual participant recording sends "IVS Participant Recording State
// Change" events: see Stage.OnParticipantRecordingStateChange.
func OnPublisherRecordingStateChange(scope constructs.Construct, id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(scope, id, EventSource, "IVS Publisher Recording State Change", nil, opts)
}

// Stage is an AWS::IVS::Stage: a real-time room where participants publish
// and subscribe to each other's video.
type Stage struct {
	l2.Construct // first field: see l2.Construct
	stageBase
	cfn       awsivs.CfnStage
	endpoints *StageEndpoints
}

// NewStage defines a stage. props may be nil.
func NewStage(scope constructs.Construct, id string, props *StageProps) *Stage {
	if props == nil {
		props = &StageProps{}
	}
	s := &Stage{}
	s.stageBase = stageBase{scope: s, arn: s.StageArn}
	path := l2.NewResource(s, &s.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: l2.Optional(props.StageName)})
	var problems check.Problems
	problems.Name("StageName", props.StageName)
	problems.Tags("Tags", props.Tags)
	cfnProps := &awsivs.CfnStageProps{Name: l2.Optional(props.StageName), Tags: l2.CfnTags(props.Tags)}
	if r := props.AutoParticipantRecording; r != nil {
		cfnProps.AutoParticipantRecordingConfiguration = autoRecordingCfn(&problems, r, path.Stack())
	}
	s.cfn = awsivs.NewCfnStage(s, jsii.String("Resource"), cfnProps)
	problems.Report(s)
	return s
}

func autoRecordingCfn(problems *check.Problems, r *AutoParticipantRecording, stack awscdk.Stack) *awsivs.CfnStage_AutoParticipantRecordingConfigurationProperty {
	out := &awsivs.CfnStage_AutoParticipantRecordingConfigurationProperty{
		StorageConfigurationArn:         jsii.String(""),
		RecordingReconnectWindowSeconds: l2.WholeSeconds(problems, "AutoParticipantRecording.ReconnectWindow", r.ReconnectWindow, 0, 300),
	}
	if r.StorageConfiguration == nil {
		problems.Addf("AutoParticipantRecording.StorageConfiguration is required: give an ivs.NewStorageConfiguration")
	} else {
		out.StorageConfigurationArn = r.StorageConfiguration.StorageConfigurationArn()
		// IVS real-time user guide, "IVS Individual Participant Recording":
		// the bucket must be in the stage's region.
		l2.SameEnvironment(problems, "AutoParticipantRecording.StorageConfiguration", *out.StorageConfigurationArn,
			"a stage records to a storage configuration (and its bucket) of its own account and region", stack)
	}
	if r.MediaType != "" {
		problems.OneOf("AutoParticipantRecording.MediaType", string(r.MediaType), string(MediaTypeAudioVideo), string(MediaTypeAudioOnly))
		out.MediaTypes = jsii.Strings(string(r.MediaType))
	}
	if d := l2.WholeSeconds(problems, "AutoParticipantRecording.HLSTargetSegmentDuration", r.HLSTargetSegmentDuration, 2, 10); d != nil {
		out.HlsConfiguration = &awsivs.CfnStage_HlsConfigurationProperty{
			ParticipantRecordingHlsConfiguration: &awsivs.CfnStage_ParticipantRecordingHlsConfigurationProperty{TargetSegmentDurationSeconds: d},
		}
	}
	if t := r.Thumbnails; t != nil && (t.TargetInterval != 0 || len(t.Storage) > 0) {
		thumbs := &awsivs.CfnStage_ParticipantThumbnailConfigurationProperty{
			RecordingMode:         jsii.String("INTERVAL"),
			TargetIntervalSeconds: l2.WholeSeconds(problems, "AutoParticipantRecording.Thumbnails.TargetInterval", t.TargetInterval, 1, 86400),
		}
		seen := map[ThumbnailStorage]bool{}
		var storage []*string
		for _, st := range t.Storage {
			problems.OneOf("AutoParticipantRecording.Thumbnails.Storage", string(st), string(ThumbnailStorageSequential), string(ThumbnailStorageLatest))
			if seen[st] {
				problems.Addf("AutoParticipantRecording.Thumbnails.Storage lists %q twice", st)
			}
			seen[st] = true
			storage = append(storage, jsii.String(string(st)))
		}
		if len(storage) > 0 {
			thumbs.Storage = &storage
		}
		out.ThumbnailConfiguration = &awsivs.CfnStage_ThumbnailConfigurationProperty{ParticipantThumbnailConfiguration: thumbs}
	}
	return out
}

// StageArn returns the stage's ARN.
func (s *Stage) StageArn() *string { return s.cfn.AttrArn() }

// StageActiveSessionId returns the ID of the stage's active session.
func (s *Stage) StageActiveSessionId() *string { return s.cfn.AttrActiveSessionId() }

// StageId returns the stage's ID, the "topic" of its participant tokens.
func (s *Stage) StageId() *string { return l2.ARNResourceID(s.StageArn()) }

// StageFromStageArn imports an existing stage by ARN (service "ivs",
// resource type "stage").
func StageFromStageArn(scope constructs.Construct, id string, arn string) IStage {
	s := &importedStage{arn: arn}
	s.stageBase = stageBase{scope: s, arn: s.StageArn}
	l2.NewImported(s, &s.Construct, scope, id, arn, "ivs", "stage")
	return s
}

type importedStage struct {
	l2.Construct // first field: see l2.Construct
	stageBase
	arn string
}

func (s *importedStage) StageArn() *string { return jsii.String(s.arn) }
