package ivschat

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// MetricNamespace is the CloudWatch namespace of IVS Chat metrics.
const MetricNamespace = "AWS/IVSChat"

// Metric returns the IVS Chat metric called name, account-wide in the
// stack's region, with the options given (statistic, period, dimensions).
// No unit is set, so the metric matches what IVS Chat publishes.
func Metric(name string, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, name, nil, "", opts)
}

// MetricConcurrentChatConnections counts the account's open chat
// connections (Maximum by default).
func MetricConcurrentChatConnections(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, "ConcurrentChatConnections", nil, "Maximum", opts)
}

// MetricMessagingRequests counts the messaging requests made across all the
// account's rooms in the stack's region (unit Count; Sum). IVS Chat
// publishes no per-room metric.
func MetricMessagingRequests(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, "MessagingRequests", nil, "Sum", opts)
}

// MetricMessagingDeliveries counts the deliveries of messaging requests to
// chat connections across all the account's rooms in the stack's region
// (unit Count; Sum).
func MetricMessagingDeliveries(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, "MessagingDeliveries", nil, "Sum", opts)
}

// DefaultConcurrentChatConnectionsQuota is IVS Chat's default quota of
// concurrent chat connections per account and region (adjustable; IVS Chat
// user guide, "IVS Chat Service Quotas").
const DefaultConcurrentChatConnectionsQuota = 50_000

// Dimensions of AWS/IVSChat metrics, for ivschat.Metric's
// opts.DimensionsMap.
const (
	// DimensionUri is a message review handler's URI: its Lambda
	// function's ARN.
	DimensionUri = "Uri"
	// DimensionLoggingConfiguration is a logging configuration, on the
	// errors of delivering chat logs to its destination.
	DimensionLoggingConfiguration = "LoggingConfiguration"
)

// MetricReviewHandlerInvocationErrors counts the calls IVS Chat could not
// make to the message review handler function (unit Count; Sum): each one
// gets the room's FallbackResult.
func MetricReviewHandlerInvocationErrors(handler awslambda.IFunction, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, "InvocationErrors", map[string]*string{DimensionUri: handler.FunctionArn()}, "Sum", opts)
}

// MetricReviewHandlerResponseValidationErrors counts the handler's answers
// IVS Chat refused as invalid (unit Count; Sum): each one gets the room's
// FallbackResult. chatmoderation.Handler answers so that this stays at 0.
func MetricReviewHandlerResponseValidationErrors(handler awslambda.IFunction, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(MetricNamespace, "ResponseValidationErrors", map[string]*string{DimensionUri: handler.FunctionArn()}, "Sum", opts)
}

// MetricMessagesDenied counts the room's messages its review handler
// denied (unit Count; Sum), fallbacks included, as ivscdk's chatmoderation
// handler publishes them with Options.Metrics set (namespace
// ivscdk/ChatModeration, dimension RoomArn). IVS Chat publishes no
// per-room count; a review handler of your own publishes none.
func MetricMessagesDenied(room IRoom, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(wire.ChatModerationMetricNamespace, "Denied", map[string]*string{"RoomArn": room.RoomArn()}, "Sum", opts)
}

// MetricMessagesAllowed counts the room's messages its review handler
// allowed (unit Count; Sum), as MetricMessagesDenied.
func MetricMessagesAllowed(room IRoom, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(wire.ChatModerationMetricNamespace, "Allowed", map[string]*string{"RoomArn": room.RoomArn()}, "Sum", opts)
}

// MetricReviewFallbacks counts the room's messages that got the
// handler's fallback (unit Count; Sum), as MetricMessagesDenied.
func MetricReviewFallbacks(room IRoom, opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	return l2.Metric(wire.ChatModerationMetricNamespace, "Fallbacks", map[string]*string{"RoomArn": room.RoomArn()}, "Sum", opts)
}
