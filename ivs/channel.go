package ivs

import (
	"fmt"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsivs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// ChannelType sets the channel's allowed input and output resolutions and
// bitrates, and whether IVS transcodes the input.
type ChannelType string

// Channel types.
const (
	// ChannelTypeStandard transcodes the input to several renditions, up to
	// 1080p. The default.
	ChannelTypeStandard ChannelType = "STANDARD"
	// ChannelTypeBasic delivers the original input only, up to 1080p.
	ChannelTypeBasic ChannelType = "BASIC"
	// ChannelTypeAdvancedSD transcodes with a preset, up to 480p output.
	ChannelTypeAdvancedSD ChannelType = "ADVANCED_SD"
	// ChannelTypeAdvancedHD transcodes with a preset, up to 720p output.
	ChannelTypeAdvancedHD ChannelType = "ADVANCED_HD"
)

// LatencyMode chooses between low-latency and normal HLS delivery.
type LatencyMode string

// Latency modes.
const (
	// LatencyModeLow delivers with low latency. The default.
	LatencyModeLow LatencyMode = "LOW"
	// LatencyModeNormal delivers with standard HLS latency.
	LatencyModeNormal LatencyMode = "NORMAL"
)

// Preset is the transcode preset of an ADVANCED_SD or ADVANCED_HD channel.
type Preset string

// Transcode presets.
const (
	// PresetHigherBandwidthDelivery favours quality; IVS's default for
	// advanced channels.
	PresetHigherBandwidthDelivery Preset = "HIGHER_BANDWIDTH_DELIVERY"
	// PresetConstrainedBandwidthDelivery uses a lower bitrate ladder for
	// viewers on constrained networks.
	PresetConstrainedBandwidthDelivery Preset = "CONSTRAINED_BANDWIDTH_DELIVERY"
)

// ContainerFormat is the packaging format of the channel's output.
type ContainerFormat string

// Container formats.
const (
	// ContainerFormatTS packages MPEG transport stream segments. The default.
	ContainerFormatTS ContainerFormat = "TS"
	// ContainerFormatFragmentedMP4 packages fragmented MP4 segments; required
	// for multitrack input.
	ContainerFormatFragmentedMP4 ContainerFormat = "FRAGMENTED_MP4"
)

// MultitrackPolicy says whether broadcasters may or must send multitrack
// video.
type MultitrackPolicy string

// Multitrack policies.
const (
	// MultitrackPolicyAllow accepts single-track and multitrack input.
	MultitrackPolicyAllow MultitrackPolicy = "ALLOW"
	// MultitrackPolicyRequire accepts multitrack input only.
	MultitrackPolicyRequire MultitrackPolicy = "REQUIRE"
)

// MultitrackMaximumResolution caps the resolution of multitrack input.
type MultitrackMaximumResolution string

// Multitrack maximum resolutions.
const (
	MultitrackMaximumResolutionSD     MultitrackMaximumResolution = "SD"
	MultitrackMaximumResolutionHD     MultitrackMaximumResolution = "HD"
	MultitrackMaximumResolutionFullHD MultitrackMaximumResolution = "FULL_HD"
)

// MultitrackInput enables multitrack video input on a STANDARD channel.
// Both fields are required. The channel's container format must be
// fragmented MP4; when ChannelProps.ContainerFormat is left empty, a channel
// with multitrack input uses ContainerFormatFragmentedMP4.
type MultitrackInput struct {
	// Policy says whether multitrack input is allowed or required.
	Policy MultitrackPolicy
	// MaximumResolution caps the resolution of multitrack input.
	MaximumResolution MultitrackMaximumResolution
}

// ChannelProps configures a Channel. The zero value is a STANDARD,
// low-latency, public channel with a generated name.
type ChannelProps struct {
	// ChannelName is the channel's name: letters, digits, '-' and '_', at most
	// 128 characters. Default: a name unique in the account and region,
	// generated from the construct path as the CDK does
	// (e.g. "TestStackChannel4A2C4B0C").
	ChannelName string
	// Authorized makes the channel private: viewers need a playback token
	// signed with the private half of a PlaybackKeyPair. Default: false.
	Authorized bool
	// InsecureIngest allows RTMP ingest in addition to RTMPS. Default: false.
	InsecureIngest bool
	// LatencyMode is the delivery latency. Default: LatencyModeLow.
	LatencyMode LatencyMode
	// Type is the channel type. Default: ChannelTypeStandard.
	Type ChannelType
	// Preset is the transcode preset of ChannelTypeAdvancedSD and
	// ChannelTypeAdvancedHD channels. On other types it has no effect: the
	// channel gets the empty preset, as with the TypeScript alpha, and
	// synthesis warns (WarningPresetIgnored). Default: IVS uses
	// PresetHigherBandwidthDelivery for advanced channels.
	Preset Preset
	// ContainerFormat is the output packaging. Default: ContainerFormatTS, or
	// ContainerFormatFragmentedMP4 when MultitrackInput is set.
	ContainerFormat ContainerFormat
	// MultitrackInput, when set, enables multitrack video input. Only for
	// STANDARD channels. Default: nil (disabled).
	MultitrackInput *MultitrackInput
	// RecordingConfiguration, when set, records the channel's streams.
	// Default: nil (no recording).
	RecordingConfiguration IRecordingConfiguration
	// PlaybackRestrictionPolicy, when set, limits the countries and origins
	// the channel plays in. AWS::IVS::Channel has no property for it, so a
	// custom resource (a Lambda function from the CDK) attaches it with the
	// IVS UpdateChannel API at deploy time and detaches it on delete.
	// Default: nil (no restriction).
	PlaybackRestrictionPolicy IPlaybackRestrictionPolicy
	// AdConfiguration, when set, enables server-side ad insertion on the
	// channel. AWS::IVS::Channel has no property for it either: a custom
	// resource sets it with UpdateChannel (adConfigurationArn) at deploy
	// time and clears it on delete. Default: nil (no ads).
	AdConfiguration IAdConfiguration
	// Tags are added to the channel: at most 50, keys 1-128 characters,
	// values up to 256. Default: none (tags applied to a parent scope with
	// awscdk.Tags_Of still apply).
	Tags map[string]string
}

// IChannel is an IVS channel, created in this app or imported.
type IChannel interface {
	awscdk.IResource
	// ChannelRef returns the reference CDK APIs take (interfacesawsivs.IChannelRef).
	interfacesawsivs.IChannelRef
	// ChannelArn returns the channel's ARN.
	ChannelArn() *string
	// AddStreamKey creates a stream key for the channel, as a child construct
	// of the channel.
	AddStreamKey(id string) *StreamKey

	// Grant gives grantee IVS actions (such as "ivs:GetChannel") on this
	// channel only.
	Grant(grantee awsiam.IGrantable, actions ...string) awsiam.Grant
	// GrantPutMetadata allows ivs:PutMetadata (timed metadata) on the channel.
	GrantPutMetadata(grantee awsiam.IGrantable) awsiam.Grant
	// GrantStopStream allows ivs:StopStream on the channel.
	GrantStopStream(grantee awsiam.IGrantable) awsiam.Grant
	// GrantRead allows reading the channel, its stream and stream sessions.
	GrantRead(grantee awsiam.IGrantable) awsiam.Grant
	// GrantInsertAdBreak allows ivs:InsertAdBreak on the channel.
	GrantInsertAdBreak(grantee awsiam.IGrantable) awsiam.Grant
	// GrantRevokeViewerSessions allows ivs:StartViewerSessionRevocation on
	// the channel: cutting off the sessions of a viewer ID.
	GrantRevokeViewerSessions(grantee awsiam.IGrantable) awsiam.Grant

	// Metric returns the channel's metric called name (namespace AWS/IVS,
	// dimension Channel); the Metric... methods below are the documented
	// ones with a fitting default statistic.
	Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricConcurrentViews counts concurrent views (Maximum).
	MetricConcurrentViews(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricIngestVideoBitrate is the ingested video bitrate (Average).
	MetricIngestVideoBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricIngestAudioBitrate is the ingested audio bitrate (Average).
	MetricIngestAudioBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricIngestFramerate is the ingested frame rate (Average).
	MetricIngestFramerate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricKeyframeInterval is the ingested keyframe interval (Average).
	MetricKeyframeInterval(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricLiveDeliveredTime is the live video delivered (Sum).
	MetricLiveDeliveredTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricLiveInputTime is the live video ingested (Sum).
	MetricLiveInputTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricRecordedTime is the video recorded (Sum).
	MetricRecordedTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric
	// MetricIngestBitrate is the bitrate of everything ingested (Average).
	MetricIngestBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric

	// OnEvent defines an EventBridge rule for any IVS event about the channel.
	OnEvent(id string, opts *awsevents.OnEventOptions) awsevents.Rule
	// OnStreamStateChange defines a rule for "IVS Stream State Change".
	OnStreamStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule
	// OnStreamHealthChange defines a rule for "IVS Stream Health Change".
	OnStreamHealthChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule
	// OnRecordingStateChange defines a rule for "IVS Recording State Change".
	OnRecordingStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule
}

// Channel is an AWS::IVS::Channel: the resource broadcasters stream to and
// viewers play back from.
type Channel struct {
	l2.Construct // first field: see l2.Construct
	channelBase
	cfn        awsivs.CfnChannel
	path       cdkname.Path
	arn        *string
	name       string
	authorized bool
}

// WarningCustomRenditionsOnBasicChannel is the ID of the synth-time warning
// for a BASIC channel recording with a configuration that selects CUSTOM
// renditions, which IVS ignores for BASIC channels. Acknowledge it with
// awscdk.Annotations_Of(channel).AcknowledgeWarning when the configuration
// is shared with other channel types on purpose.
const WarningCustomRenditionsOnBasicChannel = "ivscdk:ivs:customRenditionsOnBasicChannel"

// WarningPresetIgnored is the ID of the synth-time warning for a Preset on
// a channel type IVS applies no preset to (STANDARD, BASIC); the channel
// gets the empty preset, as with the TypeScript alpha.
const WarningPresetIgnored = "ivscdk:ivs:presetIgnored"

// NewChannel defines an IVS channel. props may be nil for all defaults.
func NewChannel(scope constructs.Construct, id string, props *ChannelProps) *Channel {
	if props == nil {
		props = &ChannelProps{}
	}
	c := &Channel{path: cdkname.Of(scope).Child(id), authorized: props.Authorized}
	c.channelBase = channelBase{scope: c, arn: c.ChannelArn}
	name := props.ChannelName
	if name == "" {
		name = c.path.UniqueName(128, "-_")
	}
	l2.NewResource(c, &c.Construct, scope, id, &awscdk.ResourceProps{PhysicalName: jsii.String(name)})

	var problems check.Problems
	c.name = name
	cfnProps := channelCfnProps(props, name, c.path.Stack(), &problems)
	if props.AdConfiguration != nil && (props.ContainerFormat == ContainerFormatFragmentedMP4 || props.MultitrackInput != nil) {
		problems.Addf("AdConfiguration needs the TS container format: IVS refuses an ad configuration on a FRAGMENTED_MP4 channel " +
			"(IVS user guide, \"Server-Side Ad Insertion (SSAI)\"), and multitrack input uses FRAGMENTED_MP4. Use ContainerFormatTS " +
			"without MultitrackInput, or no ads")
	}
	if props.Authorized && props.PlaybackRestrictionPolicy != nil {
		problems.Addf("PlaybackRestrictionPolicy would do nothing: IVS ignores playback restriction policies on authorized channels " +
			"(IVS user guide, \"Enable Playback Authorization on IVS Channels\"). On a private channel, restrict origins with the " +
			"tokens (PlaybackTokenEndpointProps.AllowedOrigins, ivstoken's AccessControlAllowOrigin) and check the viewer's country " +
			"before issuing a token; or leave the channel public and keep the policy")
	}
	c.cfn = awsivs.NewCfnChannel(c, jsii.String("Resource"), cfnProps)
	problems.Report(c)
	if props.Preset != "" && !advancedType(props.Type) {
		channelType := props.Type
		if channelType == "" {
			channelType = ChannelTypeStandard
		}
		check.Warn(c, WarningPresetIgnored, fmt.Sprintf(
			"Preset %s has no effect on a %s channel: IVS applies transcode presets only to %s and %s channels, and the preset "+
				"of other types is the empty string (IVS API reference, CreateChannel), which is what this channel gets. "+
				"Remove Preset, or set Type to an advanced type", props.Preset, channelType, ChannelTypeAdvancedSD, ChannelTypeAdvancedHD))
	}
	if rc, ok := props.RecordingConfiguration.(*RecordingConfiguration); ok && rc.renditions == RenditionSelectionCustom && props.Type == ChannelTypeBasic {
		check.Warn(c, WarningCustomRenditionsOnBasicChannel,
			"RecordingConfiguration selects CUSTOM renditions, which have no effect on a BASIC channel (IVS API reference, "+
				"RenditionConfiguration): this channel records as if the selection were ALL. Use a recording configuration "+
				"without CUSTOM renditions for BASIC channels, or acknowledge this warning")
	}
	if props.Authorized {
		watchAuthorizedChannel(c)
	}
	if props.PlaybackRestrictionPolicy != nil {
		attachPlaybackRestrictionPolicy(c, props.PlaybackRestrictionPolicy)
	}
	if props.AdConfiguration != nil {
		attachAdConfiguration(c, props.AdConfiguration)
	}
	return c
}

// advancedType reports whether IVS applies transcode presets to channels
// of type t.
func advancedType(t ChannelType) bool {
	return t == ChannelTypeAdvancedSD || t == ChannelTypeAdvancedHD
}

// channelCfnProps turns props into the L1's properties, recording every
// problem it finds.
func channelCfnProps(props *ChannelProps, name string, stack awscdk.Stack, problems *check.Problems) *awsivs.CfnChannelProps {
	problems.Name("ChannelName", props.ChannelName)
	problems.OneOf("LatencyMode", string(props.LatencyMode), string(LatencyModeLow), string(LatencyModeNormal))
	problems.OneOf("Type", string(props.Type), string(ChannelTypeStandard), string(ChannelTypeBasic),
		string(ChannelTypeAdvancedSD), string(ChannelTypeAdvancedHD))
	problems.OneOf("Preset", string(props.Preset), string(PresetHigherBandwidthDelivery), string(PresetConstrainedBandwidthDelivery))
	problems.OneOf("ContainerFormat", string(props.ContainerFormat), string(ContainerFormatTS), string(ContainerFormatFragmentedMP4))
	problems.Tags("Tags", props.Tags)

	channelType := props.Type
	if channelType == "" {
		channelType = ChannelTypeStandard
	}
	preset := l2.Optional(string(props.Preset))
	if props.Preset != "" && !advancedType(channelType) {
		// As the alpha does: IVS's preset for STANDARD and BASIC channels
		// is the empty string (IVS API reference, CreateChannel, preset).
		preset = jsii.String("")
	}

	cfn := &awsivs.CfnChannelProps{
		Name:            jsii.String(name),
		LatencyMode:     l2.Optional(string(props.LatencyMode)),
		Type:            l2.Optional(string(props.Type)),
		Preset:          preset,
		ContainerFormat: l2.Optional(string(props.ContainerFormat)),
		Tags:            l2.CfnTags(props.Tags),
	}
	if props.Authorized {
		cfn.Authorized = jsii.Bool(true)
	}
	if props.InsecureIngest {
		cfn.InsecureIngest = jsii.Bool(true)
	}
	if m := props.MultitrackInput; m != nil {
		cfn.MultitrackInputConfiguration = multitrackCfn(m, channelType, props.ContainerFormat, problems)
		if props.ContainerFormat == "" {
			cfn.ContainerFormat = jsii.String(string(ContainerFormatFragmentedMP4))
		}
	}
	if rc := props.RecordingConfiguration; rc != nil {
		arn := rc.RecordingConfigurationArn()
		if arn != nil {
			if err := check.ARN(*arn, "ivs", "recording-configuration"); err != nil {
				problems.Addf("RecordingConfiguration ARN %v", err)
			} else {
				l2.SameEnvironment(problems, "RecordingConfiguration", *arn, "\"the channel, recording configuration, and S3 location "+
					"must be in the same AWS region\", and the channel's account must own the bucket (IVS user guide, "+
					"\"Auto-Record to Amazon S3\"); use a recording configuration of the channel's own account and region", stack)
			}
		}
		cfn.RecordingConfigurationArn = arn
	}
	return cfn
}

func multitrackCfn(m *MultitrackInput, channelType ChannelType, format ContainerFormat, problems *check.Problems) *awsivs.CfnChannel_MultitrackInputConfigurationProperty {
	if channelType != ChannelTypeStandard {
		problems.Addf("MultitrackInput is invalid for channel type %q: multitrack input needs a %q channel",
			channelType, ChannelTypeStandard)
	}
	if format != "" && format != ContainerFormatFragmentedMP4 {
		problems.Addf("ContainerFormat %q is invalid with MultitrackInput: multitrack input needs %q (leave ContainerFormat empty to get it)",
			format, ContainerFormatFragmentedMP4)
	}
	if m.Policy == "" {
		problems.Addf("MultitrackInput.Policy is required: use %q or %q", MultitrackPolicyAllow, MultitrackPolicyRequire)
	}
	problems.OneOf("MultitrackInput.Policy", string(m.Policy), string(MultitrackPolicyAllow), string(MultitrackPolicyRequire))
	if m.MaximumResolution == "" {
		problems.Addf("MultitrackInput.MaximumResolution is required: use %q, %q or %q",
			MultitrackMaximumResolutionSD, MultitrackMaximumResolutionHD, MultitrackMaximumResolutionFullHD)
	}
	problems.OneOf("MultitrackInput.MaximumResolution", string(m.MaximumResolution), string(MultitrackMaximumResolutionSD),
		string(MultitrackMaximumResolutionHD), string(MultitrackMaximumResolutionFullHD))
	return &awsivs.CfnChannel_MultitrackInputConfigurationProperty{
		Enabled:           jsii.Bool(true),
		Policy:            l2.Optional(string(m.Policy)),
		MaximumResolution: l2.Optional(string(m.MaximumResolution)),
	}
}

// ChannelArn returns the channel's ARN (a token resolved at deploy time).
func (c *Channel) ChannelArn() *string {
	if c.arn == nil {
		c.arn = c.cfn.AttrArn()
	}
	return c.arn
}

// ChannelIngestEndpoint returns the channel's ingest server host name, which
// broadcasting software combines with a stream key.
func (c *Channel) ChannelIngestEndpoint() *string { return c.cfn.AttrIngestEndpoint() }

// OnAdBreakStateChange defines a rule for the channel's "IVS Ad Break State
// Change" events, sent when an ad break inserted with InsertAdBreak is
// scheduled (IVS user guide, "Server-Side Ad Insertion (SSAI)"). Those
// events name the channel by name (detail.channel_name), so the rule
// matches this channel's name: channels of one account that insert ads
// should have distinct names.
func (c *Channel) OnAdBreakStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.RuleMatchingDetail(c, id, EventSource, "IVS Ad Break State Change",
		map[string]any{"channel_name": []*string{jsii.String(c.name)}}, opts)
}

// Authorized reports whether the channel is private: viewers need a
// playback token.
func (c *Channel) Authorized() bool { return c.authorized }

// ChannelPlaybackUrl returns the URL of the channel's HLS playlist.
func (c *Channel) ChannelPlaybackUrl() *string { return c.cfn.AttrPlaybackUrl() }

// AddStreamKey creates a stream key for this channel.
func (c *Channel) AddStreamKey(id string) *StreamKey {
	return NewStreamKey(c, id, &StreamKeyProps{Channel: c})
}

// ChannelFromChannelArn imports an existing channel by ARN, for example to
// add a stream key to it. Literal ARNs are checked (service "ivs", resource
// type "channel"); tokens are accepted as they are.
func ChannelFromChannelArn(scope constructs.Construct, id string, channelArn string) IChannel {
	c := &importedChannel{arn: channelArn}
	c.channelBase = channelBase{scope: c, arn: c.ChannelArn}
	l2.NewImported(c, &c.Construct, scope, id, channelArn, "ivs", "channel")
	return c
}

// ChannelAttributes describe an existing channel to import.
type ChannelAttributes struct {
	// ChannelArn is the channel's ARN. Required.
	ChannelArn string
	// ChannelPlaybackUrl is the channel's playback URL (GetChannel's
	// playbackUrl), which a PlaybackTokenEndpoint needs. Default: unknown.
	ChannelPlaybackUrl string
}

// ChannelFromChannelAttributes imports an existing channel with more than
// its ARN, for example to serve it from a PlaybackTokenEndpoint.
func ChannelFromChannelAttributes(scope constructs.Construct, id string, attrs *ChannelAttributes) IChannel {
	if attrs == nil {
		attrs = &ChannelAttributes{}
	}
	c := &importedChannel{arn: attrs.ChannelArn, playbackURL: attrs.ChannelPlaybackUrl}
	c.channelBase = channelBase{scope: c, arn: c.ChannelArn}
	l2.NewImported(c, &c.Construct, scope, id, attrs.ChannelArn, "ivs", "channel")
	return c
}

type importedChannel struct {
	l2.Construct // first field: see l2.Construct
	channelBase
	arn         string
	playbackURL string
}

func (c *importedChannel) ChannelArn() *string { return jsii.String(c.arn) }

// ChannelPlaybackUrl returns the playback URL given at import, or nil.
func (c *importedChannel) ChannelPlaybackUrl() *string { return l2.Optional(c.playbackURL) }

func (c *importedChannel) AddStreamKey(id string) *StreamKey {
	return NewStreamKey(c, id, &StreamKeyProps{Channel: c})
}
