// Command live-event is the whole product in one stack: a private live
// channel with chat beside the video on one page, past broadcasts and
// rewind, hosts who go live from OBS or from their browser (a real-time
// stage broadcast to the channel), cues from hosts over the video, chat
// moderation and video moderation, and a dashboard with alarms. People
// sign in with Amazon Cognito: everyone may watch and chat, the "hosts"
// group goes live and sends cues, the "moderators" group deletes messages,
// disconnects chatters, ends shows and deletes recordings.
//
//	go run .     # in this folder: writes the template to cdk.out/
//
// NewLiveEventStack reads top to bottom: where recordings go, the channel,
// the keys nobody handles, the page and its people, watching, chatting,
// hosting, safety, and the dashboard.
//
// This folder imports only public ivscdk packages: copy it into your own
// module and run it there. See README.md for deploying it and running a
// show.
package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
	"github.com/ivscdk/ivscdk/ivsops"
	"github.com/ivscdk/ivscdk/signin"
)

// main synthesizes the app (cdkapp.Main prints its warnings and errors,
// and what it wrote where).
func main() {
	cdkapp.Main(func(app awscdk.App) {
		NewLiveEventStack(app, "IvsLiveEvent", &LiveEventProps{BannedWords: "spoiler"})
	})
}

// LiveEventProps configures the stack. The zero value is a complete
// event.
type LiveEventProps struct {
	awscdk.StackProps
	// BannedWords is the chat moderator's comma-separated list of words
	// whose messages are denied. Default: none (empty messages only).
	BannedWords string
	// MaxViewers raises an alarm when the channel has more concurrent
	// viewers. Default 1000.
	MaxViewers int
	// ConcurrentStreamsQuota is the account's IVS "Concurrent streams"
	// quota (Service Quotas), for the dashboard's line and its 80% alarm.
	// Default: neither.
	ConcurrentStreamsQuota int
}

// Group names of the user pool: hosts go live and send cues; moderators
// moderate the chat, the shows and the recordings.
const (
	hosts      = "hosts"
	moderators = "moderators"
)

// NewLiveEventStack defines the stack.
func NewLiveEventStack(scope constructs.Construct, id string, props *LiveEventProps) awscdk.Stack {
	if props.MaxViewers == 0 {
		props.MaxViewers = 1000
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	memberOf := func(group string, capabilities ...string) ivs.CapabilityGrant {
		return ivs.CapabilityGrant{Claim: "cognito:groups", Value: group, Capabilities: capabilities}
	}

	// Where recordings go: a private, encrypted bucket that outlives the
	// stack, its access logged to a second one.
	accessLogs := awss3.NewBucket(stack, jsii.String("RecordingsAccessLogs"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
	})
	cdkapp.SuppressNag(accessLogs, "AwsSolutions-S1", "This bucket receives the recordings bucket's access logs; logging it would log the logs.")
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:             jsii.Bool(true),
		ServerAccessLogsBucket: accessLogs,
		ServerAccessLogsPrefix: jsii.String("recordings/"),
	})

	// The channel: private (every viewer needs a signed token), recorded
	// with a thumbnail a minute, which video moderation reviews. A host's
	// brief drop stays one recording. The stream key is for OBS.
	recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:                   bucket,
		RecordingReconnectWindow: 60 * time.Second,
	})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true, RecordingConfiguration: recording})
	streamKey := channel.AddStreamKey("StreamKey")

	// The keys nobody handles: generated in the account, rotated monthly,
	// the private halves only in AWS Secrets Manager. One signs playback
	// tokens, the other the hosts' stage tokens.
	playbackKeys := ivs.NewManagedPlaybackKeyPair(stack, "PlaybackKeys", &ivs.ManagedPlaybackKeyPairProps{
		RotationInterval: 30 * 24 * time.Hour,
	})
	stageKey := ivs.NewManagedPublicKey(stack, "StageKey", &ivs.ManagedPublicKeyProps{
		RotationInterval: 30 * 24 * time.Hour,
	})

	// The page and its people. The page's settings name endpoints made
	// below (whose CORS names the page), so they are read at synthesis.
	var (
		users    *signin.Users
		tokens   *ivs.PlaybackTokenEndpoint
		chat     *ivschat.ChatTokenEndpoint
		cues     *ivsops.TimedMetadataEndpoint
		sessions *ivs.StageSessions
	)
	page := eventPage(stack, pageSettings{
		playbackTokenURL: func() *string { return tokens.Url() },
		chatTokenURL:     func() *string { return chat.Url() },
		metadataURL:      func() *string { return cues.Url() },
		sessionsURL:      func() *string { return sessions.Url() },
		signInURL:        func() *string { return users.SignInURL() },
		clientID:         func() *string { return users.Client().UserPoolClientId() },
		channelArn:       func() *string { return channel.ChannelArn() },
		ingestServer:     func() *string { return channel.ChannelIngestEndpoint() },
	})
	users = signin.NewUsers(stack, "Users", &signin.UsersProps{PageURL: page.Url(), Groups: []string{hosts, moderators},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY})
	users.AddOutputs(stack)
	signedIn, origins := users.Authentication(), []string{*page.Origin()}

	// Watching: a playback token for each signed-in viewer (their "sub"
	// is the viewer ID, recorded so that their sessions can be revoked),
	// past broadcasts and rewind on the page's own distribution (signed
	// cookies for one recording at a time), moderators deleting them.
	tokens = ivs.NewPlaybackTokenEndpoint(stack, "PlaybackTokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: playbackKeys,
		Authentication: signedIn, ViewerIDClaim: "sub", RecordViewers: true, AllowedOrigins: origins,
	})
	library := ivs.NewRecordingLibrary(stack, "Library", &ivs.RecordingLibraryProps{
		Bucket: bucket, Channels: []ivs.IChannel{channel}, Distribution: page.Distribution(), Authentication: signedIn,
		CapabilityGrants: []ivs.CapabilityGrant{memberOf(moderators, ivs.CapabilityDeleteRecording)},
	})

	// Chatting: one room beside the video. Every message goes to
	// ./moderator first (denied if it cannot say in time); messages and
	// events are logged for a month. Everyone sends; moderators delete
	// messages and disconnect chatters.
	moderator, err := golambda.NewFunction(stack, "ChatModerator", &golambda.FunctionProps{
		Package:     "./moderator",
		MemorySize:  128,
		Timeout:     time.Second, // IVS Chat waits 200 ms for a review
		Description: "Reviews the live event's chat messages",
		Environment: map[string]*string{"BANNED_WORDS": jsii.String(props.BannedWords)},
	})
	if err != nil {
		panic(err) // no go command, or the moderator does not build
	}
	chatLogs := awslogs.NewLogGroup(stack, jsii.String("ChatLogs"), &awslogs.LogGroupProps{Retention: awslogs.RetentionDays_ONE_MONTH})
	room := ivschat.NewRoom(stack, "Chat", &ivschat.RoomProps{
		MaximumMessageLength:        300,
		MaximumMessageRatePerSecond: 5,
		MessageReviewHandler:        &ivschat.MessageReviewHandler{Handler: moderator, FallbackResult: ivschat.FallbackResultDeny},
		LoggingConfigurations: []ivschat.ILoggingConfiguration{
			ivschat.NewLoggingConfiguration(stack, "ChatLogging", &ivschat.LoggingConfigurationProps{LogGroup: chatLogs}),
		},
	})
	chat = ivschat.NewChatTokenEndpoint(stack, "ChatTokens", &ivschat.ChatTokenEndpointProps{
		Rooms:        []ivschat.IRoom{room},
		Capabilities: []string{ivschat.CapabilitySendMessage},
		CapabilityGrants: []ivs.CapabilityGrant{
			memberOf(moderators, ivschat.CapabilityDeleteMessage, ivschat.CapabilityDisconnectUser),
		},
		SessionDuration: 3 * time.Hour,
		Authentication:  signedIn, UserIDClaim: "sub", AllowedOrigins: origins,
	})

	// Hosting: a host goes live from OBS with the stream key, or from the
	// page: a show of their own (a real-time stage made on demand, deleted
	// when idle) composed onto the channel while they publish, one show
	// on air at a time. Moderators may end any show. Hosts put cues into
	// the live stream, which every viewer's page shows over the video.
	sessions = ivs.NewStageSessions(stack, "Shows", &ivs.StageSessionsProps{
		Authentication: signedIn, AllowedOrigins: origins, PublicKey: stageKey,
		CapabilityGrants: []ivs.CapabilityGrant{memberOf(hosts, ivs.CapabilityHost), memberOf(moderators, ivs.CapabilityModerate)},
		Broadcast: &ivs.SessionBroadcast{
			Channel:              channel,
			EncoderConfiguration: ivs.NewEncoderConfiguration(stack, "ShowEncoder", nil),
		},
	})
	cues = ivsops.NewTimedMetadataEndpoint(stack, "Cues", &ivsops.TimedMetadataEndpointProps{
		Channels: []ivs.IChannel{channel}, Authentication: signedIn, AllowedOrigins: origins,
		CapabilityGrants: []ivs.CapabilityGrant{memberOf(hosts, ivsops.CapabilityPutMetadata)},
	})

	// Safety: every new thumbnail goes to Amazon Rekognition; explicit
	// content or violence stops the stream, revokes every viewer's
	// session, keeps the evidence beside the recording (moderators see it
	// with the past broadcasts) and tells the alerts topic, with the
	// thumbnail and the labels. When Rekognition cannot say, the show goes
	// on and the topic is told (fail open; FallbackStopStream fails
	// closed). Stream starts, ends and failures go to the topic too.
	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	ivsops.NewVideoModeration(stack, "VideoModeration", &ivsops.VideoModerationProps{
		Channels: []ivs.IChannel{channel}, Bucket: bucket, Topic: alerts, RevokeViewersOf: tokens, Library: library,
		Categories: []string{"Explicit", "Violence"}, Fallback: ivsops.FallbackKeepStreaming,
	})
	channel.OnStreamStateChange("StreamStateChange", &awsevents.OnEventOptions{
		Description: jsii.String("The live event's stream starting, ending and failing"),
		Target:      awseventstargets.NewSnsTopic(alerts, nil),
	})

	// The dashboard: the channel's ingest and viewers, the chat's
	// messages and the moderator's verdicts, the account's quotas; its
	// alarms (ingest under its floor, keyframes too far apart, more
	// viewers than planned, stream failures) tell the alerts topic.
	dashboard := ivsops.NewDashboard(stack, "Dashboard", &ivsops.DashboardProps{
		Channels: []ivs.IChannel{channel}, Rooms: []ivschat.IRoom{room}, AlarmTopic: alerts,
		Alarms: ivsops.DashboardAlarms{ConcurrentViewsPerChannel: props.MaxViewers, ConcurrentStreamsQuota: props.ConcurrentStreamsQuota},
	})

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("PageUrl", page.Url(), "open this page, sign in, watch and chat; hosts go live here")
	output("IngestServer", channel.ChannelIngestEndpoint(), "OBS: server rtmps://<this>:443/app/")
	output("StreamKeyArn", streamKey.StreamKeyArn(), "OBS: read the stream key with aws ivs get-stream-key --arn <this>")
	output("AlertsTopicArn", alerts.TopicArn(), "subscribe to stream, moderation and dashboard alerts")
	output("DashboardName", dashboard.CloudWatchDashboard().DashboardName(), "the event's CloudWatch dashboard")
	output("RecordingsBucket", bucket.BucketName(), "recordings and thumbnails land here")
	return stack
}
