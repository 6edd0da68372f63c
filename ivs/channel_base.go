package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// The grants, metrics and events of a channel, shared by channels created in
// the app and imported ones. Every grant is scoped to the channel's ARN.

// EventSource is the EventBridge source of IVS events.
const EventSource = "aws.ivs"

// MetricNamespace is the CloudWatch namespace of IVS low-latency metrics.
const MetricNamespace = "AWS/IVS"

// Dimensions of AWS/IVS metrics. The Channel dimension is set by a
// channel's Metric methods; add the others through
// MetricOptions.DimensionsMap, for example
// ch.MetricLiveDeliveredTime(&awscloudwatch.MetricOptions{DimensionsMap:
// &map[string]*string{ivs.DimensionViewerCountryCode: jsii.String("GB")}}).
const (
	// DimensionChannel is the channel's ID (the last part of its ARN).
	DimensionChannel = "Channel"
	// DimensionHealth is a stream's health (see StreamHealth), on
	// ConcurrentStreams.
	DimensionHealth = "Health"
	// DimensionTrack is the ingested track, with Channel, on
	// IngestVideoBitrate, IngestAudioBitrate, IngestFramerate and
	// KeyframeInterval of multitrack channels.
	DimensionTrack = "Track"
	// DimensionViewerCountryCode is the viewers' country, on
	// LiveDeliveredTime.
	DimensionViewerCountryCode = "ViewerCountryCode"
)

// StreamHealth is the health of a live stream, as IVS reports it in
// GetStream and in the Health dimension of ConcurrentStreams.
type StreamHealth string

// Stream health values (IVS API reference, StreamHealth).
const (
	StreamHealthHealthy  StreamHealth = "HEALTHY"
	StreamHealthStarving StreamHealth = "STARVING"
	StreamHealthUnknown  StreamHealth = "UNKNOWN"
)

// channelBase implements the IChannel methods that only need the
// channel's ARN and a scope to create rules in.
type channelBase struct {
	scope constructs.Construct
	arn   func() *string
}

// Grant gives grantee the IVS actions on this channel, such as
// "ivs:GetChannel".
func (c channelBase) Grant(grantee awsiam.IGrantable, actions ...string) awsiam.Grant {
	return awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings(actions...),
		ResourceArns: &[]*string{c.arn()},
	})
}

// GrantPutMetadata lets grantee insert timed metadata into the channel's
// live stream (ivs:PutMetadata).
func (c channelBase) GrantPutMetadata(grantee awsiam.IGrantable) awsiam.Grant {
	return c.Grant(grantee, "ivs:PutMetadata")
}

// GrantStopStream lets grantee disconnect the channel's broadcaster
// (ivs:StopStream).
func (c channelBase) GrantStopStream(grantee awsiam.IGrantable) awsiam.Grant {
	return c.Grant(grantee, "ivs:StopStream")
}

// GrantInsertAdBreak lets grantee insert ad breaks into the channel's live
// stream (ivs:InsertAdBreak), for a channel with an AdConfiguration.
func (c channelBase) GrantInsertAdBreak(grantee awsiam.IGrantable) awsiam.Grant {
	return c.Grant(grantee, "ivs:InsertAdBreak")
}

// GrantRevokeViewerSessions lets grantee end the playback sessions of a
// viewer ID on the channel (ivs:StartViewerSessionRevocation), the way to
// cut off a viewer whose tokens carry a viewer ID (IVS user guide,
// "Revoke IVS Viewer Sessions").
func (c channelBase) GrantRevokeViewerSessions(grantee awsiam.IGrantable) awsiam.Grant {
	return c.Grant(grantee, "ivs:StartViewerSessionRevocation")
}

// GrantRead lets grantee read the channel, its live stream and its stream
// sessions (ivs:GetChannel, ivs:GetStream, ivs:GetStreamSession,
// ivs:ListStreamSessions). It does not give the stream key's value.
func (c channelBase) GrantRead(grantee awsiam.IGrantable) awsiam.Grant {
	return c.Grant(grantee, "ivs:GetChannel", "ivs:GetStream", "ivs:GetStreamSession", "ivs:ListStreamSessions")
}

// Metric returns the channel's metric called name in namespace AWS/IVS,
// with the "Channel" dimension set to the channel's ID.
func (c channelBase) Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic(name, "", opts)
}

// MetricConcurrentViews counts the channel's concurrent views (unit Count;
// Maximum by default).
func (c channelBase) MetricConcurrentViews(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("ConcurrentViews", "Maximum", opts)
}

// MetricIngestVideoBitrate is the bitrate of the ingested video (unit
// Bits/Second; Average).
func (c channelBase) MetricIngestVideoBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("IngestVideoBitrate", "Average", opts)
}

// MetricIngestAudioBitrate is the bitrate of the ingested audio (unit
// Bits/Second; Average).
func (c channelBase) MetricIngestAudioBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("IngestAudioBitrate", "Average", opts)
}

// MetricIngestFramerate is the frame rate of the ingested video (unit
// Count/Second; Average).
func (c channelBase) MetricIngestFramerate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("IngestFramerate", "Average", opts)
}

// MetricKeyframeInterval is the keyframe interval of the ingested video
// (unit Seconds; Average).
func (c channelBase) MetricKeyframeInterval(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("KeyframeInterval", "Average", opts)
}

// MetricLiveDeliveredTime is the time of live video delivered to viewers
// (unit Seconds; Sum). Add DimensionViewerCountryCode to opts.DimensionsMap
// for the viewers of one country.
func (c channelBase) MetricLiveDeliveredTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("LiveDeliveredTime", "Sum", opts)
}

// MetricLiveInputTime is the time of live video ingested (unit Seconds;
// Sum).
func (c channelBase) MetricLiveInputTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("LiveInputTime", "Sum", opts)
}

// MetricRecordedTime is the time of video recorded to S3 (unit Seconds;
// Sum).
func (c channelBase) MetricRecordedTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("RecordedTime", "Sum", opts)
}

// MetricIngestBitrate is the bitrate of everything ingested, video, audio
// and metadata over all tracks (unit Bits/Second; Average). IVS publishes
// it per channel, not per track: for one track of a multitrack channel,
// add DimensionTrack to MetricIngestVideoBitrate, MetricIngestAudioBitrate,
// MetricIngestFramerate or MetricKeyframeInterval.
func (c channelBase) MetricIngestBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return c.withStatistic("IngestBitrate", "Average", opts)
}

func (c channelBase) withStatistic(name, statistic string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric(name, map[string]*string{DimensionChannel: l2.ARNResourceID(c.arn())}, statistic, opts)
}

// ivsMetric builds a metric of namespace AWS/IVS.
func ivsMetric(name string, dimensions map[string]*string, statistic string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, name, dimensions, statistic, opts)
}

// Account-level IVS metrics, without a channel dimension.

// MetricAccountConcurrentStreams counts the account's live streams in the
// region (unit Count; Maximum).
func MetricAccountConcurrentStreams(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("ConcurrentStreams", nil, "Maximum", opts)
}

// MetricAccountConcurrentStreamsByHealth counts the account's live streams
// in the region whose health is health (unit Count; Maximum): a rising
// STARVING count is an ingest problem before viewers report one.
func MetricAccountConcurrentStreamsByHealth(health StreamHealth, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("ConcurrentStreams", map[string]*string{DimensionHealth: jsii.String(string(health))}, "Maximum", opts)
}

// MetricAccountConcurrentViews counts the account's concurrent views over all
// channels (unit Count; Maximum).
func MetricAccountConcurrentViews(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("ConcurrentViews", nil, "Maximum", opts)
}

// MetricAccountLiveDeliveredTime is the live video delivered over all
// channels (unit Seconds; Sum).
func MetricAccountLiveDeliveredTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("LiveDeliveredTime", nil, "Sum", opts)
}

// MetricAccountLiveInputTime is the live video ingested over all channels
// (unit Seconds; Sum).
func MetricAccountLiveInputTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("LiveInputTime", nil, "Sum", opts)
}

// MetricAccountRecordedTime is the video recorded over all channels (unit
// Seconds; Sum).
func MetricAccountRecordedTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return ivsMetric("RecordedTime", nil, "Sum", opts)
}

// OnEvent defines an EventBridge rule for IVS events about this channel.
// opts.EventPattern may narrow it (for example by detail); its source and
// resources are set to this channel.
func (c channelBase) OnEvent(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(c.scope, id, EventSource, "", []*string{c.arn()}, opts)
}

// OnStreamStateChange defines a rule for the channel's "IVS Stream State
// Change" events (stream start, end, failure).
func (c channelBase) OnStreamStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(c.scope, id, EventSource, "IVS Stream State Change", []*string{c.arn()}, opts)
}

// OnStreamHealthChange defines a rule for the channel's "IVS Stream Health
// Change" events (starvation start and end).
func (c channelBase) OnStreamHealthChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(c.scope, id, EventSource, "IVS Stream Health Change", []*string{c.arn()}, opts)
}

// OnRecordingStateChange defines a rule for the channel's "IVS Recording
// State Change" events (recording start, end, failure).
func (c channelBase) OnRecordingStateChange(id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(c.scope, id, EventSource, "IVS Recording State Change", []*string{c.arn()}, opts)
}

// OnLimitBreach defines a rule, in scope, for the account's "IVS Limit
// Breach" events, which IVS sends when a channel goes over a service limit.
func OnLimitBreach(scope constructs.Construct, id string, opts *awsevents.OnEventOptions) awsevents.Rule {
	return l2.Rule(scope, id, EventSource, "IVS Limit Breach", nil, opts)
}
