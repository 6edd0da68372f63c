package ivsops_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
	"github.com/ivscdk/ivscdk/ivschat"
	"github.com/ivscdk/ivscdk/ivsops"
)

// A show's dashboard: its channel, stage and chat room, with the default
// alarms sent to an on-call topic, and a viewer limit.
func ExampleNewDashboard() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)
	channel := ivs.NewChannel(stack, "Channel", nil)
	stage := ivs.NewStage(stack, "Studio", nil)
	room := ivschat.NewRoom(stack, "Chat", nil)

	dashboard := ivsops.NewDashboard(stack, "Dashboard", &ivsops.DashboardProps{
		Channels:   []ivs.IChannel{channel},
		Stages:     []ivs.IStage{stage},
		Rooms:      []ivschat.IRoom{room},
		AlarmTopic: awssns.NewTopic(stack, jsii.String("OnCall"), nil),
		Alarms:     ivsops.DashboardAlarms{ConcurrentViewsPerChannel: 10_000},
	})

	fmt.Println(len(dashboard.Alarms()), "alarms")
	// Output: 5 alarms
}

// Hosts, the "hosts" group of a Cognito user pool, put timed metadata (a
// quiz, a product card) on the channel; players receive it in the stream.
func ExampleNewTimedMetadataEndpoint() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)
	channel := ivs.NewChannel(stack, "Channel", nil)
	pool := awscognito.NewUserPool(stack, jsii.String("Users"), nil)
	client := pool.AddClient(jsii.String("Page"), nil)

	cues := ivsops.NewTimedMetadataEndpoint(stack, "Cues", &ivsops.TimedMetadataEndpointProps{
		Channels:       []ivs.IChannel{channel},
		Authentication: ivs.CognitoAuthentication(pool, client),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts",
			Capabilities: []string{ivsops.CapabilityPutMetadata}}},
	})
	awscdk.NewCfnOutput(stack, jsii.String("CuesUrl"), &awscdk.CfnOutputProps{Value: cues.Url()})

	fmt.Println(ivsops.TimedMetadataPath, ivsops.MaxMetadataBytes, ivsops.MaxMetadataPerSecondPerChannel)
	// Output: /metadata 1024 5
}

// A channel recorded with thumbnails, each checked by Rekognition: nudity
// or violence at 80% confidence stops the stream and tells the topic; when
// Rekognition cannot say, the stream stops too (fail closed).
func ExampleNewVideoModeration() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_S3_MANAGED})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		RecordingConfiguration: ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{Bucket: bucket}),
	})

	ivsops.NewVideoModeration(stack, "Moderation", &ivsops.VideoModerationProps{
		Channels:   []ivs.IChannel{channel},
		Bucket:     bucket,
		Categories: []string{"Explicit", "Violence"},
		Topic:      awssns.NewTopic(stack, jsii.String("Moderators"), nil),
		Fallback:   ivsops.FallbackStopStream,
	})

	fmt.Println(ivsops.DefaultModerationConfidence, ivsops.DefaultModerationInterval)
	// Output: 80 1m0s
}

// A private channel's moderation also ends every viewer's session and
// keeps its evidence beside the recording.
func ExampleVideoModerationProps_revokeViewersOf() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Show"), nil)
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{Encryption: awss3.BucketEncryption_S3_MANAGED})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		Authorized:             true,
		RecordingConfiguration: ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{Bucket: bucket}),
	})
	tokens := ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:       []ivs.IChannel{channel},
		KeyPair:        ivs.NewManagedPlaybackKeyPair(stack, "Keys", nil),
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_EXAMPLE", "client-id"),
		ViewerIDClaim:  "sub",
		RecordViewers:  true, // the viewer log moderation revokes from
	})
	library := ivs.NewRecordingLibrary(stack, "Library", &ivs.RecordingLibraryProps{Bucket: bucket})

	ivsops.NewVideoModeration(stack, "Moderation", &ivsops.VideoModerationProps{
		Channels:        []ivs.IChannel{channel},
		Bucket:          bucket,
		Categories:      []string{"Explicit", "Violence"},
		Fallback:        ivsops.FallbackStopStream,
		RevokeViewersOf: tokens,  // a hit also ends every viewer's session
		Library:         library, // and keeps the evidence beside the recording
	})

	fmt.Println(ivs.DefaultViewerRetention)
	// Output: 24h0m0s
}
