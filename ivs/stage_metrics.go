package ivs

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
)

// RealTimeMetricNamespace is the CloudWatch namespace of IVS real-time
// metrics.
const RealTimeMetricNamespace = "AWS/IVSRealTime"

// DimensionStage is the stage's ID (the last part of its ARN) on
// AWS/IVSRealTime metrics.
const DimensionStage = "Stage"

// RealTimeMetric returns the IVS real-time metric called name without a
// stage dimension (the account's, in the stack's region), with the options
// given (statistic, period, dimensions). No unit is set (decision 14).
func RealTimeMetric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(RealTimeMetricNamespace, name, nil, "", opts)
}

// MetricAccountConcurrentPublishers counts the participants publishing
// across all stages of the account in the stack's region (unit Count;
// Maximum). IVS publishes it without a Stage dimension.
func MetricAccountConcurrentPublishers(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(RealTimeMetricNamespace, "ConcurrentPublishers", nil, "Maximum", opts)
}

// MetricAccountConcurrentSubscriptions counts the publisher-to-subscriber
// connections across all stages of the account in the stack's region
// (unit Count; Maximum).
func MetricAccountConcurrentSubscriptions(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(RealTimeMetricNamespace, "ConcurrentSubscriptions", nil, "Maximum", opts)
}

// Metric returns the stage's metric called name in namespace
// AWS/IVSRealTime, with the Stage dimension set to the stage's ID; the
// Metric... methods are the documented ones with a fitting statistic.
func (s stageBase) Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric(name, "", opts)
}

// MetricPublishers counts the participants publishing to the stage (unit
// Count; Maximum).
func (s stageBase) MetricPublishers(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("Publishers", "Maximum", opts)
}

// MetricDroppedFrames is the share of video frames the stage's subscribers
// dropped (unit Percent; Average).
func (s stageBase) MetricDroppedFrames(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("DroppedFrames", "Average", opts)
}

// MetricDownloadPacketLoss is the share of packets the stage's subscribers
// lost downloading from IVS (unit Percent; Average).
func (s stageBase) MetricDownloadPacketLoss(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("DownloadPacketLoss", "Average", opts)
}

// MetricSubscribers counts the participants subscribed to the stage (unit
// Count; Maximum).
func (s stageBase) MetricSubscribers(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("Subscribers", "Maximum", opts)
}

// MetricPublishBitrate is the bitrate published to the stage (unit
// Bits/Second; Average).
func (s stageBase) MetricPublishBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("PublishBitrate", "Average", opts)
}

// MetricSubscribeBitrate is the bitrate subscribers receive (unit
// Bits/Second; Average).
func (s stageBase) MetricSubscribeBitrate(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return s.stageMetric("SubscribeBitrate", "Average", opts)
}

func (s stageBase) stageMetric(name, statistic string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(RealTimeMetricNamespace, name, map[string]*string{DimensionStage: l2.ARNResourceID(s.arn())}, statistic, opts)
}
