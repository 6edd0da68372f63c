package ivsops

import (
	"fmt"
	"math"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3notifications"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivs"
)

// ModerationFallback is what happens to a stream when Rekognition cannot
// check its thumbnail (throttled, failing, or refusing the image).
type ModerationFallback string

const (
	// FallbackStopStream stops the stream, as a hit would: fail closed.
	FallbackStopStream ModerationFallback = wire.VideoModerationFallbackStop
	// FallbackKeepStreaming lets the stream go on: fail open.
	FallbackKeepStreaming ModerationFallback = wire.VideoModerationFallbackAllow
)

// Defaults of VideoModerationProps.
const (
	// DefaultModerationConfidence is the confidence, in percent, a label
	// needs by default: ivscdk's choice, above Rekognition's own 50.
	DefaultModerationConfidence = 80
	// DefaultModerationInterval is the least time between two checks of a
	// channel: IVS's default thumbnail interval (60 s; RecordingConfiguration
	// ThumbnailConfiguration, CloudFormation reference).
	DefaultModerationInterval = time.Minute
)

// VideoModerationProps configures a VideoModeration.
type VideoModerationProps struct {
	// Channels are the channels moderated. Required. Their recording
	// configuration must record thumbnails to Bucket (IVS's default
	// thumbnail recording does).
	Channels []ivs.IChannel
	// Bucket is where the channels record. Required.
	Bucket awss3.IBucket
	// Categories are the moderation labels that count: a label counts
	// when its name or its parent's is listed. Rekognition's taxonomy
	// (model version 7) has three levels, such as "Explicit" > "Explicit
	// Nudity" > "Exposed Male Genitalia", or "Violence" (Rekognition
	// developer guide, "Moderating content", Label Categories): list the
	// levels you mean. Default: every label.
	Categories []string
	// MinConfidence is the confidence a label needs, in percent, above 0
	// and at most 100. Default: DefaultModerationConfidence.
	MinConfidence float64
	// KeepStreaming only tells Topic of a hit, without stopping the
	// stream. Default: a hit stops the stream.
	KeepStreaming bool
	// Topic is told of every hit and every fallback, with the evidence:
	// the thumbnail's key, the labels, when, and what was done. Default:
	// none.
	Topic awssns.ITopic
	// RevokeViewersOf is the playback token endpoint of the (private)
	// channels, with RecordViewers: whenever a hit or FallbackStopStream
	// stops a stream, the sessions of every viewer its viewer log lists
	// for that channel are revoked too (ivs:StartViewerSessionRevocation,
	// one call per viewer, RevokeParallelism at a time), so that nobody
	// keeps watching what was flagged. Default: none (stopping the stream
	// only).
	RevokeViewersOf *ivs.PlaybackTokenEndpoint
	// Library is the channels' recording library: the evidence of every
	// hit and fallback is kept in its index beside the recording (the
	// thumbnail's key, the labels, when, what was done), with the index's
	// retention, and its endpoint lists it to moderators with the
	// recordings. Default: none (the topic alone hears of it).
	Library *ivs.RecordingLibrary
	// Fallback is what happens when Rekognition cannot check a thumbnail.
	// Required: there is no safe default (chat review's FallbackResult is
	// the same choice).
	Fallback ModerationFallback
	// Interval is the least time between two checks of one channel, whole
	// seconds, 1 second to 1 hour: it bounds Rekognition's cost. Default:
	// DefaultModerationInterval.
	Interval time.Duration
	// Code replaces the function's code (the handler in
	// github.com/ivscdk/ivscdk/lambda/videomoderation).
	Code awslambda.Code
}

// VideoModeration checks each new thumbnail of its channels with Amazon
// Rekognition (DetectModerationLabels) and, on a hit, stops the stream
// and tells a topic, with a bounded cost: one check per channel per
// Interval. Its Go Lambda function may read the bucket's IVS thumbnails
// and stop those channels' streams, nothing else (package
// github.com/ivscdk/ivscdk/handler/videomoderation documents what it does).
type VideoModeration struct {
	l2.Construct // first field: see l2.Construct
	function     awslambda.Function
}

// NewVideoModeration defines the moderation of the channels' video.
func NewVideoModeration(scope constructs.Construct, id string, props *VideoModerationProps) *VideoModeration {
	if props == nil {
		props = &VideoModerationProps{}
	}
	m := &VideoModeration{}
	path := l2.NewResource(m, &m.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	p := *props
	if p.MinConfidence == 0 {
		p.MinConfidence = DefaultModerationConfidence
	}
	if p.Interval == 0 {
		p.Interval = DefaultModerationInterval
	}
	if p.MinConfidence < 0 || p.MinConfidence > 100 || math.IsNaN(p.MinConfidence) {
		problems.Addf("MinConfidence %v is not a percentage: give more than 0 and at most 100", p.MinConfidence)
	}
	if p.Interval < time.Second || p.Interval > time.Hour || p.Interval%time.Second != 0 {
		problems.Addf("Interval %s is invalid: give whole seconds, 1 second to 1 hour", p.Interval)
	}
	switch p.Fallback {
	case FallbackStopStream, FallbackKeepStreaming:
	case "":
		problems.Addf("Fallback is not set: choose FallbackStopStream (fail closed) or FallbackKeepStreaming (fail open) " +
			"for when Rekognition cannot check a thumbnail")
	default:
		problems.Addf("Fallback %q is neither FallbackStopStream nor FallbackKeepStreaming", p.Fallback)
	}
	if p.Bucket == nil {
		problems.Addf("Bucket is required: the bucket the channels record their thumbnails to")
	}
	if p.KeepStreaming && p.Topic == nil && p.Library == nil {
		problems.Addf("KeepStreaming without a Topic or a Library: a hit would do nothing; give the Topic to tell, or the Library to keep the evidence in")
	}
	if p.RevokeViewersOf != nil && p.RevokeViewersOf.Viewers() == nil {
		problems.Addf("RevokeViewersOf %s keeps no viewer log: set RecordViewers (and ViewerIDClaim) on its props, so that there are viewers to revoke",
			*p.RevokeViewersOf.Node().Path())
	}
	if p.RevokeViewersOf != nil && p.KeepStreaming {
		problems.Addf("RevokeViewersOf with KeepStreaming: sessions are revoked when a stream is stopped, and KeepStreaming stops none; leave one out")
	}
	for i, c := range p.Categories {
		if c == "" {
			problems.Addf("Categories[%d] is empty: give a Rekognition moderation label", i)
		}
	}
	channels := tokenendpoint.Served(&problems, "Channels", channelArns(p.Channels), path.Stack(), "IVS")
	config := map[string]any{
		"channels":      channels,
		"categories":    p.Categories,
		"minConfidence": p.MinConfidence,
		"stopStream":    !p.KeepStreaming,
		"fallback":      string(p.Fallback),
		"interval":      p.Interval.String(),
	}
	if p.Topic != nil {
		config["topicArn"] = p.Topic.TopicArn()
	}
	revoke := p.RevokeViewersOf != nil && p.RevokeViewersOf.Viewers() != nil
	timeout := 30 * time.Second
	if revoke {
		config["viewerTable"] = p.RevokeViewersOf.Viewers().TableName()
		// One call per viewer: a large audience takes a while.
		timeout = 5 * time.Minute
	}
	if p.Library != nil {
		config["indexTable"] = p.Library.Table().TableName()
		if r := p.Library.Retention(); r > 0 {
			config["indexRetention"] = r.String()
		}
	}
	m.function = lambdafn.New(m, &problems, p.Code, "videomoderation", "ivscdk: checks IVS thumbnails with Rekognition", timeout,
		map[string]*string{wire.VideoModerationEnvConfig: awscdk.Stack_Of(m).ToJsonString(config, nil)})
	if revoke {
		p.RevokeViewersOf.Viewers().Grant(m.function, jsii.String("dynamodb:Query"))
		if len(channels) > 0 {
			m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ivs:StartViewerSessionRevocation"), Resources: &channels,
			}))
		}
	}
	if p.Library != nil {
		p.Library.GrantKeepEvidence(m.function)
	}
	// DetectModerationLabels has no resource to name (Service Authorization
	// Reference, Amazon Rekognition); Rekognition reads the thumbnail with
	// the caller's permission.
	m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("rekognition:DetectModerationLabels"), Resources: jsii.Strings("*"),
	}))
	if len(channels) > 0 && !p.KeepStreaming {
		m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ivs:StopStream"), Resources: &channels,
		}))
	}
	if p.Topic != nil {
		p.Topic.GrantPublish(m.function)
	}
	if p.Bucket != nil {
		thumbnails := ivs.RecordingsPrefix + "v1/*/media/thumbnails/*"
		m.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("s3:GetObject"), Resources: jsii.Strings(*p.Bucket.ArnForObjects(jsii.String(thumbnails))),
		}))
		// New thumbnails (ivs/v1/…/media/thumbnails/…/*.jpg) wake the
		// function; the recording library's notification takes .json.
		p.Bucket.AddEventNotification(awss3.EventType_OBJECT_CREATED, awss3notifications.NewLambdaDestination(m.function),
			&awss3.NotificationKeyFilter{Prefix: jsii.String(ivs.RecordingsPrefix + "v1/"), Suffix: jsii.String(".jpg")})
		lambdafn.SuppressNotificationsHandlerNag(awscdk.Stack_Of(p.Bucket))
		if policy, ok := m.function.Role().Node().TryFindChild(jsii.String("DefaultPolicy")).(awsiam.Policy); ok {
			finding := fmt.Sprintf("Resource::%s/%s", *p.Bucket.BucketArn(), thumbnails)
			if cfn, ok := p.Bucket.Node().DefaultChild().(awscdk.CfnElement); ok {
				finding = fmt.Sprintf("Resource::<%s.Arn>/%s", *awscdk.Stack_Of(cfn).GetLogicalId(cfn), thumbnails)
			}
			lambdafn.SuppressNag(policy.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM5",
				"The function reads the thumbnails IVS writes, under keys IVS makes; DetectModerationLabels has no resource to name.",
				finding, "Resource::*")
		}
	}
	problems.Report(m)
	return m
}

// Function returns the Lambda function that checks the thumbnails.
func (m *VideoModeration) Function() awslambda.IFunction { return m.function }
