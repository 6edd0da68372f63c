package ivs_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
)

// printResources prints the stack's resources as CloudFormation has them.
func printResources(stack awscdk.Stack) {
	template := assertions.Template_FromStack(stack, nil).ToJSON()
	b, _ := json.MarshalIndent((*template)["Resources"], "", "  ")
	fmt.Println(string(b))
}

func exampleStack() awscdk.Stack {
	app := awscdk.NewApp(nil)
	return awscdk.NewStack(app, jsii.String("TestStack"), nil)
}

// A channel with every setting at its default: STANDARD, low latency,
// public, with a generated name.
func ExampleNewChannel() {
	stack := exampleStack()

	ivs.NewChannel(stack, "Channel", nil)

	printResources(stack)
	// Output:
	// {
	//   "Channel4048F119": {
	//     "Properties": {
	//       "Name": "TestStackChannel4A2C4B0C"
	//     },
	//     "Type": "AWS::IVS::Channel"
	//   }
	// }
}

// A private channel: viewers need a playback token.
func ExampleNewChannel_authorized() {
	stack := exampleStack()

	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})

	printResources(stack)
	// Output:
	// {
	//   "Channel4048F119": {
	//     "Properties": {
	//       "Authorized": true,
	//       "Name": "TestStackChannel4A2C4B0C"
	//     },
	//     "Type": "AWS::IVS::Channel"
	//   }
	// }
}

// Every AWS::IVS::Channel property, as in the README.
func ExampleNewChannel_allProperties() {
	stack := exampleStack()

	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		ChannelName:     "launch-event",
		Authorized:      true,
		InsecureIngest:  false,
		LatencyMode:     ivs.LatencyModeNormal,
		Type:            ivs.ChannelTypeAdvancedHD,
		Preset:          ivs.PresetConstrainedBandwidthDelivery,
		ContainerFormat: ivs.ContainerFormatTS,
		Tags:            map[string]string{"team": "video"},
	})

	printResources(stack)
	// Output:
	// {
	//   "Channel4048F119": {
	//     "Properties": {
	//       "Authorized": true,
	//       "ContainerFormat": "TS",
	//       "LatencyMode": "NORMAL",
	//       "Name": "launch-event",
	//       "Preset": "CONSTRAINED_BANDWIDTH_DELIVERY",
	//       "Tags": [
	//         {
	//           "Key": "team",
	//           "Value": "video"
	//         }
	//       ],
	//       "Type": "ADVANCED_HD"
	//     },
	//     "Type": "AWS::IVS::Channel"
	//   }
	// }
}

// Multitrack video input; the channel uses fragmented MP4, which multitrack
// input needs.
func ExampleNewChannel_multitrack() {
	stack := exampleStack()

	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		MultitrackInput: &ivs.MultitrackInput{
			Policy:            ivs.MultitrackPolicyAllow,
			MaximumResolution: ivs.MultitrackMaximumResolutionHD,
		},
	})

	printResources(stack)
	// Output:
	// {
	//   "Channel4048F119": {
	//     "Properties": {
	//       "ContainerFormat": "FRAGMENTED_MP4",
	//       "MultitrackInputConfiguration": {
	//         "Enabled": true,
	//         "MaximumResolution": "HD",
	//         "Policy": "ALLOW"
	//       },
	//       "Name": "TestStackChannel4A2C4B0C"
	//     },
	//     "Type": "AWS::IVS::Channel"
	//   }
	// }
}

// A stream key for a channel, and the channel's endpoints as stack outputs.
// The key's value is a secret and stays out of the outputs.
func ExampleChannel_AddStreamKey() {
	stack := exampleStack()

	ch := ivs.NewChannel(stack, "Channel", nil)
	key := ch.AddStreamKey("StreamKey")
	awscdk.NewCfnOutput(stack, jsii.String("IngestEndpoint"), &awscdk.CfnOutputProps{Value: ch.ChannelIngestEndpoint()})
	awscdk.NewCfnOutput(stack, jsii.String("PlaybackUrl"), &awscdk.CfnOutputProps{Value: ch.ChannelPlaybackUrl()})
	awscdk.NewCfnOutput(stack, jsii.String("StreamKeyArn"), &awscdk.CfnOutputProps{Value: key.StreamKeyArn()})

	printResources(stack)
	// Output:
	// {
	//   "Channel4048F119": {
	//     "Properties": {
	//       "Name": "TestStackChannel4A2C4B0C"
	//     },
	//     "Type": "AWS::IVS::Channel"
	//   },
	//   "ChannelStreamKey60BDC2BE": {
	//     "Properties": {
	//       "ChannelArn": {
	//         "Fn::GetAtt": [
	//           "Channel4048F119",
	//           "Arn"
	//         ]
	//       }
	//     },
	//     "Type": "AWS::IVS::StreamKey"
	//   }
	// }
}

// Import an existing channel and its stream key (CreateChannel made one;
// IVS allows one per channel).
func ExampleChannelFromChannelArn() {
	stack := exampleStack()

	imported := ivs.ChannelFromChannelArn(stack, "Channel", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	key := ivs.StreamKeyFromStreamKeyArn(stack, "StreamKey", "arn:aws:ivs:us-west-2:123456789012:stream-key/g1H2I3j4k5L6")

	fmt.Println(*imported.ChannelArn())
	fmt.Println(*key.StreamKeyArn())
	printResources(stack) // importing creates nothing
	// Output:
	// arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh
	// arn:aws:ivs:us-west-2:123456789012:stream-key/g1H2I3j4k5L6
	// null
}

// The public key that verifies playback tokens of authorized channels,
// read from a PEM file (`ivscdk keygen` writes one).
func ExampleNewPlaybackKeyPair() {
	stack := exampleStack()
	pem, err := os.ReadFile("testdata/alpha-2.91/public-key.pem")
	if err != nil {
		panic(err)
	}

	pair := ivs.NewPlaybackKeyPair(stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{
		PublicKeyMaterial:   string(pem),
		PlaybackKeyPairName: "viewers",
	})
	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})
	awscdk.NewCfnOutput(stack, jsii.String("KeyPairArn"), &awscdk.CfnOutputProps{Value: pair.PlaybackKeyPairArn()})

	template := assertions.Template_FromStack(stack, nil)
	fmt.Println(len(*template.FindResources(jsii.String("AWS::IVS::PlaybackKeyPair"), nil)), "key pair,",
		len(*template.FindResources(jsii.String("AWS::IVS::Channel"), nil)), "authorized channel")
	// Output:
	// 1 key pair, 1 authorized channel
}

// Invalid input is reported by synthesis, all problems at once, with the
// construct path.
func ExampleNewChannel_validation() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("TestStack"), nil)

	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		ChannelName: "bad name!",
		LatencyMode: "FAST",
	})

	// What `go run .` prints with cdkapp.Main; the exit status is 1.
	cdkapp.Synth(app, os.Stdout)
	// Output:
	// [Error at /TestStack/Channel] ChannelName "bad name!" is invalid: use only letters, digits, hyphens (-) and underscores (_), at most 128 characters (got 9)
	// [Error at /TestStack/Channel] LatencyMode "FAST" is invalid: allowed values are "LOW", "NORMAL"
	// Found 2 error(s): nothing to deploy.
}

// Record a channel's streams to a new S3 bucket: the HD and full-HD
// renditions, merging reconnects within 30 seconds, with a thumbnail every
// 10 seconds.
func ExampleNewRecordingConfiguration() {
	stack := exampleStack()

	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), nil)
	recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:                   bucket,
		RecordingReconnectWindow: 30 * time.Second,
		RenditionSelection:       ivs.RenditionSelectionCustom,
		Renditions:               []ivs.Resolution{ivs.ResolutionHD, ivs.ResolutionFullHD},
		Thumbnails:               &ivs.Thumbnails{TargetInterval: 10 * time.Second, Storage: []ivs.ThumbnailStorage{ivs.ThumbnailStorageLatest}},
	})
	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: recording})

	template := assertions.Template_FromStack(stack, nil)
	fmt.Println(len(*template.FindResources(jsii.String("AWS::IVS::RecordingConfiguration"), nil)), "recording configuration")
	// Output: 1 recording configuration
}

// Let a Lambda function's role insert timed metadata and read the channel,
// alarm when nobody watches, and react when a stream starts or ends.
func ExampleChannel_GrantPutMetadata() {
	stack := exampleStack()
	ch := ivs.NewChannel(stack, "Channel", nil)
	role := awsiam.NewRole(stack, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})

	ch.GrantPutMetadata(role)
	ch.GrantRead(role)
	awscloudwatch.NewAlarm(stack, jsii.String("NoViewers"), &awscloudwatch.AlarmProps{
		Metric:             ch.MetricConcurrentViews(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5))}),
		Threshold:          jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_LESS_THAN_THRESHOLD,
		EvaluationPeriods:  jsii.Number(3),
	})
	ch.OnStreamStateChange("StreamStateChange", nil)

	template := assertions.Template_FromStack(stack, nil)
	for _, kind := range []string{"AWS::IAM::Policy", "AWS::CloudWatch::Alarm", "AWS::Events::Rule"} {
		fmt.Println(kind, len(*template.FindResources(jsii.String(kind), nil)))
	}
	// Output:
	// AWS::IAM::Policy 1
	// AWS::CloudWatch::Alarm 1
	// AWS::Events::Rule 1
}

// Allow playback only in two countries and from one site. The policy is
// attached to the channel at deploy time (see ChannelProps).
func ExampleNewPlaybackRestrictionPolicy() {
	stack := exampleStack()

	policy := ivs.NewPlaybackRestrictionPolicy(stack, "Policy", &ivs.PlaybackRestrictionPolicyProps{
		AllowedCountries:              []string{"US", "CA"},
		AllowedOrigins:                []string{"https://watch.example.com"},
		EnableStrictOriginEnforcement: true,
	})
	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{PlaybackRestrictionPolicy: policy})

	template := assertions.Template_FromStack(stack, nil)
	fmt.Println(len(*template.FindResources(jsii.String("AWS::IVS::PlaybackRestrictionPolicy"), nil)), "policy,",
		len(*template.FindResources(jsii.String("Custom::AWS"), nil)), "attachment")
	// Output: 1 policy, 1 attachment
}

// A real-time stage that records every publishing participant, the public
// key that verifies self-signed participant tokens, and a role allowed to
// create tokens through the IVS API.
func ExampleNewStage() {
	stack := exampleStack()

	bucket := awss3.NewBucket(stack, jsii.String("StageRecordings"), nil)
	storage := ivs.NewStorageConfiguration(stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
	stage := ivs.NewStage(stack, "Stage", &ivs.StageProps{
		AutoParticipantRecording: &ivs.AutoParticipantRecording{
			StorageConfiguration: storage,
			ReconnectWindow:      30 * time.Second,
		},
	})
	ivs.NewPublicKey(stack, "ParticipantTokenKey", &ivs.PublicKeyProps{PublicKeyMaterial: mustRead("testdata/alpha-2.91/public-key.pem")})
	role := awsiam.NewRole(stack, jsii.String("TokenVendor"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	stage.GrantCreateParticipantToken(role)

	template := assertions.Template_FromStack(stack, nil)
	for _, kind := range []string{"AWS::IVS::Stage", "AWS::IVS::StorageConfiguration", "AWS::IVS::PublicKey"} {
		fmt.Println(kind, len(*template.FindResources(jsii.String(kind), nil)))
	}
	// Output:
	// AWS::IVS::Stage 1
	// AWS::IVS::StorageConfiguration 1
	// AWS::IVS::PublicKey 1
}

// A service that starts and stops server-side compositions of a stage,
// broadcasting to a channel, and a rule for the compositions' events.
func ExampleStage_GrantStartComposition() {
	stack := exampleStack()

	stage := ivs.NewStage(stack, "Stage", nil)
	channel := ivs.NewChannel(stack, "Broadcast", nil)
	encoder := ivs.NewEncoderConfiguration(stack, "Encoder", &ivs.EncoderConfigurationProps{Video: ivs.EncoderVideoFullHD1080p30})
	composer := awsiam.NewRole(stack, jsii.String("Composer"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	stage.GrantStartComposition(composer, &ivs.CompositionTargets{
		EncoderConfigurations: []ivs.IEncoderConfiguration{encoder},
		Channels:              []ivs.IChannel{channel},
	})
	stage.GrantStopComposition(composer)
	stage.OnCompositionStateChange("CompositionEvents", nil)

	template := assertions.Template_FromStack(stack, nil)
	for _, kind := range []string{"AWS::IAM::Policy", "AWS::Events::Rule"} {
		fmt.Println(kind, len(*template.FindResources(jsii.String(kind), nil)))
	}
	// Output:
	// AWS::IAM::Policy 1
	// AWS::Events::Rule 1
}

func mustRead(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Server-side ads through an AWS Elemental MediaTailor playback
// configuration, with a 30-second post-roll.
func ExampleNewAdConfiguration() {
	stack := exampleStack()

	ads := ivs.NewAdConfiguration(stack, "Ads", &ivs.AdConfigurationProps{
		MediaTailorPlaybackConfigurationArns: []string{"arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/live-ads"},
		PostRoll:                             30 * time.Second,
	})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{AdConfiguration: ads})
	producer := awsiam.NewRole(stack, jsii.String("Producer"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	channel.GrantInsertAdBreak(producer)

	printResourceTypes(stack)
	// Output:
	// AWS::IAM::Policy: 2
	// AWS::IAM::Role: 2
	// AWS::IVS::AdConfiguration: 1
	// AWS::IVS::Channel: 1
	// AWS::Lambda::Function: 1
	// Custom::AWS: 1
}

// A private channel with no key handling: the key pair is generated in the
// account and rotated monthly, and viewers' backends fetch signed playback
// URLs from an IAM-authenticated endpoint.
func ExampleNewPlaybackTokenEndpoint() {
	stack := exampleStack()

	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})
	keys := ivs.NewManagedPlaybackKeyPair(stack, "PlaybackKeys", &ivs.ManagedPlaybackKeyPairProps{
		RotationInterval: 30 * 24 * time.Hour,
	})
	tokens := ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel},
		KeyPair:  keys,
	})
	backend := awsiam.NewRole(stack, jsii.String("Backend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	tokens.GrantInvoke(backend)
	awscdk.NewCfnOutput(stack, jsii.String("TokenUrl"), &awscdk.CfnOutputProps{Value: tokens.Url()})

	printResourceTypes(stack)
	// Output:
	// AWS::ApiGatewayV2::Api: 1
	// AWS::ApiGatewayV2::Integration: 1
	// AWS::ApiGatewayV2::Route: 2
	// AWS::ApiGatewayV2::Stage: 1
	// AWS::Events::Rule: 1
	// AWS::IAM::Policy: 3
	// AWS::IAM::Role: 3
	// AWS::IVS::Channel: 1
	// AWS::Lambda::Function: 2
	// AWS::Lambda::Permission: 4
	// AWS::Logs::LogGroup: 3
	// AWS::SecretsManager::RotationSchedule: 1
	// AWS::SecretsManager::Secret: 1
	// Custom::IvsManagedPlaybackKeyPair: 1
}

// JWT authentication: signed-in viewers call the endpoint themselves, and
// their sub claim becomes the token's viewer ID (so that their sessions
// can be revoked).
func ExampleJWTAuthentication() {
	stack := exampleStack()
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})

	ivs.NewPlaybackTokenEndpoint(stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:       []ivs.IChannel{channel},
		KeyPair:        ivs.NewManagedPlaybackKeyPair(stack, "PlaybackKeys", nil),
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi", "app-client-id"),
		ViewerIDClaim:  "sub",
		SingleUse:      true,
		AllowedOrigins: []string{"https://watch.example.com"},
	})

	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{"AuthorizerType": "JWT"})
	fmt.Println("routes:", len(*template.FindResources(jsii.String("AWS::ApiGatewayV2::Route"), nil)))
	// Output:
	// routes: 2
}

// printResourceTypes prints how many resources of each type the stack has.
func printResourceTypes(stack awscdk.Stack) {
	template := assertions.Template_FromStack(stack, nil).ToJSON()
	counts := map[string]int{}
	for _, r := range (*template)["Resources"].(map[string]any) {
		counts[r.(map[string]any)["Type"].(string)]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		fmt.Printf("%s: %d\n", t, counts[t])
	}
}

// What the CDK hands back for an ivscdk construct (FindChild, aspects) is
// its inner jsii object; As gives the typed construct.
func ExampleAs() {
	stack := exampleStack()
	ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})

	node := stack.Node().FindChild(jsii.String("Channel"))
	if channel, ok := ivs.As[*ivs.Channel](node); ok {
		fmt.Println("authorized:", channel.Authorized())
	}
	// Output: authorized: true
}

// Participant tokens issued by IVS: no key to manage.
func ExampleNewParticipantTokenEndpoint() {
	stack := exampleStack()

	stage := ivs.NewStage(stack, "Stage", nil)
	tokens := ivs.NewParticipantTokenEndpoint(stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages:       []ivs.IStage{stage},
		Capabilities: []string{ivs.CapabilityPublish, ivs.CapabilitySubscribe},
	})
	backend := awsiam.NewRole(stack, jsii.String("Backend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil),
	})
	tokens.GrantInvoke(backend)

	printResourceTypes(stack)
	// Output:
	// AWS::ApiGatewayV2::Api: 1
	// AWS::ApiGatewayV2::Integration: 1
	// AWS::ApiGatewayV2::Route: 2
	// AWS::ApiGatewayV2::Stage: 1
	// AWS::IAM::Policy: 2
	// AWS::IAM::Role: 2
	// AWS::IVS::Stage: 1
	// AWS::Lambda::Function: 1
	// AWS::Lambda::Permission: 2
	// AWS::Logs::LogGroup: 2
}

// Everyone signed in may watch; only the hosts group may publish. API
// Gateway refuses tokens without the stage/join scope before the function
// runs.
func ExampleCapabilityGrant() {
	stack := exampleStack()
	stage := ivs.NewStage(stack, "Stage", nil)

	ivs.NewParticipantTokenEndpoint(stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages: []ivs.IStage{stage},
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aBcDeFgHi", "app-client-id").
			WithScopes("stage/join"),
		UserIDClaim:  "sub",
		Capabilities: []string{ivs.CapabilitySubscribe},
		CapabilityGrants: []ivs.CapabilityGrant{
			{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityPublish}},
		},
	})

	routes := assertions.Template_FromStack(stack, nil).FindResources(jsii.String("AWS::ApiGatewayV2::Route"), nil)
	for _, r := range *routes {
		p := (*r)["Properties"].(map[string]any)
		fmt.Println(p["RouteKey"], p["AuthorizationScopes"])
	}
	// Unordered output:
	// GET /participant-token [stage/join]
	// POST /participant-token [stage/join]
}

// Self-signed participant tokens with a managed, rotated key; the user ID
// is the caller's verified JWT subject.
func ExampleNewManagedPublicKey() {
	stack := exampleStack()

	stage := ivs.NewStage(stack, "Stage", nil)
	key := ivs.NewManagedPublicKey(stack, "ParticipantKey", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * time.Hour})
	ivs.NewParticipantTokenEndpoint(stack, "SelfSigned", &ivs.ParticipantTokenEndpointProps{
		Stages:         []ivs.IStage{stage},
		PublicKey:      key,
		Authentication: ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example", "client-id"),
		UserIDClaim:    "sub",
	})

	printResourceTypes(stack)
	// Output:
	// AWS::ApiGatewayV2::Api: 1
	// AWS::ApiGatewayV2::Authorizer: 1
	// AWS::ApiGatewayV2::Integration: 1
	// AWS::ApiGatewayV2::Route: 2
	// AWS::ApiGatewayV2::Stage: 1
	// AWS::Events::Rule: 1
	// AWS::IAM::Policy: 2
	// AWS::IAM::Role: 2
	// AWS::IVS::Stage: 1
	// AWS::Lambda::Function: 2
	// AWS::Lambda::Permission: 4
	// AWS::Logs::LogGroup: 3
	// AWS::SecretsManager::RotationSchedule: 1
	// AWS::SecretsManager::Secret: 1
	// Custom::IvsManagedPublicKey: 1
}
