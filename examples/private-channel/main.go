// Command private-channel is a complete private live channel with no key
// handling: an authorized channel recorded to a new S3 bucket, a managed
// playback key pair (generated inside the account, rotated every 30 days,
// the private half only ever in AWS Secrets Manager), an authenticated
// HTTPS endpoint that hands out signed playback URLs, an EventBridge rule
// that announces stream starts and ends, an alarm on viewer numbers, video
// moderation of the thumbnails, and cues (timed metadata) from hosts.
//
//	go run .     # in this folder: writes the template to cdk.out/
//
// By default the stack also creates an Amazon Cognito user pool and a
// viewer page on CloudFront (output PageUrl): its users sign in there and
// watch, the endpoint taking their ID tokens. The CDK context chooses
// otherwise (see signin.AccessFromContext): -c cognito=false makes the endpoint take AWS
// IAM-signed requests (from your backend), -c invokerRoleArn=<role ARN>
// also lets that role call it, and
//
//	cdk deploy -c jwtIssuer=https://issuer.example.com -c jwtAudience=<client ID>
//
// takes the ID tokens of your own OpenID Connect provider; the last two
// deploy no page.
//
// This folder imports only public ivscdk packages: copy it into your own
// module and run it there. See README.md for deploying and trying it.
package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivsops"
	"github.com/ivscdk/ivscdk/signin"
)

// main synthesizes the app (cdkapp.Main prints its warnings and errors,
// and what it wrote where).
func main() {
	cdkapp.Main(func(app awscdk.App) {
		a, err := signin.AccessFromContext(app)
		if err != nil {
			panic(err)
		}
		props := &PrivateChannelProps{CognitoUsers: a.Cognito, InvokerRoleArn: a.InvokerRoleArn}
		if a.OwnProvider() {
			props.Authentication = ivs.JWTAuthentication(a.Issuer, a.Audience)
			props.ViewerIDClaim = "sub"
		}
		NewPrivateChannelStack(app, "IvsPrivateChannel", props)
	})
}

// PrivateChannelProps configures the stack. The zero value is a complete
// stack whose token endpoint takes IAM-signed requests.
type PrivateChannelProps struct {
	awscdk.StackProps
	// Authentication of the token endpoint. Default: AWS IAM.
	Authentication ivs.EndpointAuthentication
	// ViewerIDClaim puts this JWT claim into each token as the viewer ID
	// (needs JWT authentication). Default: none.
	ViewerIDClaim string
	// MaxViewers raises an alarm when exceeded. Default 1000.
	MaxViewers float64
	// CognitoUsers creates an Amazon Cognito user pool and the viewer
	// page its users sign in on; it sets the authentication and
	// ViewerIDClaim "sub". Default: false (main turns it on unless the
	// CDK context chooses otherwise).
	CognitoUsers bool
	// InvokerRoleArn names an IAM role of this account that may call the
	// endpoint (IAM authentication; your backend's role). Default: none.
	InvokerRoleArn string
}

// NewPrivateChannelStack defines the stack.
func NewPrivateChannelStack(scope constructs.Construct, id string, props *PrivateChannelProps) awscdk.Stack {
	if props.MaxViewers == 0 {
		props.MaxViewers = 1000
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// Recordings go to a private, encrypted bucket that outlives the stack;
	// who read or wrote them is logged to a second bucket.
	accessLogs := awss3.NewBucket(stack, jsii.String("RecordingsAccessLogs"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
	})
	// cdk-nag (AwsSolutions-S1) asks every bucket for access logs; this one
	// is where they go.
	cdkapp.SuppressNag(accessLogs, "AwsSolutions-S1", "This bucket receives the recordings bucket's access logs; logging it would log the logs.")
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:             jsii.Bool(true),
		ServerAccessLogsBucket: accessLogs,
		ServerAccessLogsPrefix: jsii.String("recordings/"),
	})
	recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:                   bucket,
		RecordingReconnectWindow: 60 * time.Second, // a broadcaster's brief drop stays one recording
	})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		Authorized:             true,
		RecordingConfiguration: recording,
	})
	streamKey := channel.AddStreamKey("StreamKey")

	// The private key is generated in the account and rotated monthly;
	// nobody ever handles it.
	keys := ivs.NewManagedPlaybackKeyPair(stack, "PlaybackKeys", &ivs.ManagedPlaybackKeyPairProps{
		RotationInterval: 30 * 24 * time.Hour,
	})
	authentication, viewerIDClaim := props.Authentication, props.ViewerIDClaim
	var tokens *ivs.PlaybackTokenEndpoint
	var cues *ivsops.TimedMetadataEndpoint
	library := &ivs.RecordingLibraryProps{}
	var allowedOrigins []string
	if props.CognitoUsers {
		// The viewer page: signed-in viewers watch from it, and only from
		// it (the tokens' allowed origin and the endpoint's CORS). Its
		// settings are read when the app synthesizes, once all exist.
		var u *signin.Users
		page := viewerPage(stack, func() *string { return tokens.Url() },
			func() *string { return u.SignInURL() }, func() *string { return u.Client().UserPoolClientId() },
			func() *string { return channel.ChannelArn() }, func() *string { return cues.Url() })
		u = signin.NewUsers(stack, "Users", &signin.UsersProps{PageURL: page.Url(), RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
			Groups: []string{"moderators", "hosts"}})
		u.AddOutputs(stack)
		authentication, viewerIDClaim, allowedOrigins = u.Authentication(), "sub", []string{*page.Origin()}
		// Past broadcasts, on the page's own distribution: an index of the
		// bucket's recordings, the /recordings endpoint for signed-in
		// viewers (signed cookies for one recording at a time, the
		// channel being private), and deleting for moderators.
		library = &ivs.RecordingLibraryProps{
			Channels: []ivs.IChannel{channel}, Distribution: page.Distribution(), Authentication: u.Authentication(),
			CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "moderators",
				Capabilities: []string{ivs.CapabilityDeleteRecording}}},
		}
		awscdk.NewCfnOutput(stack, jsii.String("PageUrl"), &awscdk.CfnOutputProps{Value: page.Url(),
			Description: jsii.String("open this page, sign in and watch")})
	}
	tokens = ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:       []ivs.IChannel{channel},
		KeyPair:        keys,
		Authentication: authentication,
		ViewerIDClaim:  viewerIDClaim,
		RecordViewers:  viewerIDClaim != "", // so that video moderation can revoke their sessions
		AllowedOrigins: allowedOrigins,
	})
	if props.InvokerRoleArn != "" {
		signin.GrantInvoke(stack, tokens, props.InvokerRoleArn)
	}
	// Timed metadata: the "hosts" group (or, without the page, the
	// backends allowed to invoke it) put cues into the live stream, a quiz
	// or a product card, which the page shows over the video in step with
	// it. Your own OpenID Connect provider's groups are its own: add a
	// grant for them.
	if a := authentication.Kind(); props.CognitoUsers || a == "iam" {
		metadata := &ivsops.TimedMetadataEndpointProps{Channels: []ivs.IChannel{channel}, Authentication: authentication,
			AllowedOrigins: allowedOrigins}
		if props.CognitoUsers {
			metadata.CapabilityGrants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts",
				Capabilities: []string{ivsops.CapabilityPutMetadata}}}
		}
		cues = ivsops.NewTimedMetadataEndpoint(stack, "Cues", metadata)
		if props.InvokerRoleArn != "" {
			signin.GrantInvoke(stack, cues, props.InvokerRoleArn)
		}
		awscdk.NewCfnOutput(stack, jsii.String("MetadataUrl"), &awscdk.CfnOutputProps{Value: cues.Url(),
			Description: jsii.String(`POST {"metadata": "..."} here (a host's ID token, or IAM-signed) to put a cue into the live stream`)})
	}
	// The index of the bucket's recordings (channel, start, length,
	// renditions, thumbnails) is kept from the bucket's own notifications
	// and reconciled with the bucket every hour; with the page, it serves
	// them too.
	library.Bucket = bucket
	recordings := ivs.NewRecordingLibrary(stack, "Library", library)

	// Stream starts, ends and failures, and too many viewers, go to a topic.
	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	channel.OnStreamStateChange("StreamStateChange", &awsevents.OnEventOptions{
		Description: jsii.String("IVS stream state changes of the private channel"),
		Target:      awseventstargets.NewSnsTopic(alerts, nil),
	})
	manyViewers := awscloudwatch.NewAlarm(stack, jsii.String("ManyViewers"), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String("More concurrent viewers than planned for"),
		Metric:             channel.MetricConcurrentViews(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(1))}),
		Threshold:          jsii.Number(props.MaxViewers),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	manyViewers.AddAlarmAction(awscloudwatchactions.NewSnsAction(alerts))

	// Video moderation: each new thumbnail of the recording goes to Amazon
	// Rekognition; explicit content or violence stops the stream, revokes
	// the sessions of the viewers the tokens went to (with viewer IDs),
	// keeps the evidence beside the recording and tells the alerts topic,
	// with the thumbnail and the labels. When Rekognition cannot say, the
	// show goes on and the topic is told (fail open): FallbackStopStream
	// fails closed instead.
	moderation := &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{channel}, Bucket: bucket, Topic: alerts, Library: recordings,
		Categories: []string{"Explicit", "Violence"}, Fallback: ivsops.FallbackKeepStreaming,
	}
	if viewerIDClaim != "" {
		moderation.RevokeViewersOf = tokens
	}
	ivsops.NewVideoModeration(stack, "VideoModeration", moderation)

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("TokenUrl", tokens.Url(), "GET this URL (IAM-signed, or with a JWT) for a signed playback URL of the channel")
	output("IngestEndpoint", channel.ChannelIngestEndpoint(), "RTMPS ingest server: rtmps://<this>:443/app/")
	output("StreamKeyArn", streamKey.StreamKeyArn(), "read the key's value with: aws ivs get-stream-key --arn <this>")
	output("AlertsTopicArn", alerts.TopicArn(), "subscribe to stream and viewer alerts")
	output("RecordingsBucket", bucket.BucketName(), "recordings land here")
	return stack
}
