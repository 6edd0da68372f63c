// Command private-channel is a complete private live channel: an
// authorized channel recorded to a new S3 bucket, the playback key pair
// that verifies its viewers' tokens, the private half of that key in AWS
// Secrets Manager (never in the template), a Go Lambda function behind a
// function URL that hands out signed playback URLs, an EventBridge rule
// that announces stream starts and ends, and an alarm on viewer numbers.
//
//	go run ./examples/private-channel     # writes the template to cdk.out/
//
// The public key comes from a PEM file that `ivscdk keygen` writes: pass its
// path as the CDK context value publicKeyFile (`cdk deploy -c
// publicKeyFile=ivs-public.pem`); without it the example uses
// demo-public-key.pem, whose private half was thrown away. See README.md
// for deploying and testing it with a real account.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/exampleapp"
	"github.com/ivscdk/ivscdk/ivs"
)

//go:embed demo-public-key.pem
var demoPublicKey string

func main() {
	defer jsii.Close()
	app := exampleapp.NewApp()
	publicKey, err := publicKeyPEM(app)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	NewPrivateChannelStack(app, "IvsPrivateChannel", &PrivateChannelProps{PublicKeyPEM: publicKey})
	app.Synth(nil)
}

// publicKeyPEM reads the file named by the context value publicKeyFile, or
// returns the demo key.
func publicKeyPEM(app awscdk.App) (string, error) {
	path, _ := app.Node().TryGetContext(jsii.String("publicKeyFile")).(string)
	if path == "" {
		return demoPublicKey, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("publicKeyFile: %w", err)
	}
	return string(b), nil
}

// PrivateChannelProps configures the stack.
type PrivateChannelProps struct {
	awscdk.StackProps
	// PublicKeyPEM is the playback key pair's public key. Required.
	PublicKeyPEM string
	// TokenTTL is how long the vended tokens can start playback. Default 5m.
	TokenTTL string
	// MaxViewers raises an alarm when exceeded. Default 1000.
	MaxViewers float64
}

// NewPrivateChannelStack defines the stack.
func NewPrivateChannelStack(scope constructs.Construct, id string, props *PrivateChannelProps) awscdk.Stack {
	if props.TokenTTL == "" {
		props.TokenTTL = "5m"
	}
	if props.MaxViewers == 0 {
		props.MaxViewers = 1000
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// Recordings go to a private, encrypted bucket that outlives the stack.
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
	})
	recording := ivs.NewRecordingConfiguration(stack, "Recording", &ivs.RecordingConfigurationProps{
		Bucket:                   bucket,
		RecordingReconnectWindow: 60e9, // 60 s: a broadcaster's brief drop stays one recording
	})

	ivs.NewPlaybackKeyPair(stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: props.PublicKeyPEM})
	channel := ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{
		Authorized:             true,
		RecordingConfiguration: recording,
	})
	streamKey := channel.AddStreamKey("StreamKey")

	// The private key is put into this secret after deployment
	// (README.md); the template holds only a random placeholder.
	privateKey := awssecretsmanager.NewSecret(stack, jsii.String("PlaybackPrivateKey"), &awssecretsmanager.SecretProps{
		Description: jsii.String("IVS playback private key (PEM). Replace the placeholder with the output of `ivscdk keygen`."),
	})

	tokenFunction := awslambda.NewFunction(stack, jsii.String("TokenFunction"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         exampleapp.GoFunctionCode("examples/private-channel/tokenfn"),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(10)),
		Description:  jsii.String("Signs IVS playback tokens for the private channel"),
		Environment: &map[string]*string{
			"CHANNEL_ARN":  channel.ChannelArn(),
			"PLAYBACK_URL": channel.ChannelPlaybackUrl(),
			"SECRET_ARN":   privateKey.SecretArn(),
			"TOKEN_TTL":    jsii.String(props.TokenTTL),
		},
	})
	privateKey.GrantRead(tokenFunction, nil)
	tokenURL := tokenFunction.AddFunctionUrl(&awslambda.FunctionUrlOptions{
		// Open for the demo; authenticate viewers before vending tokens in
		// production (README.md).
		AuthType: awslambda.FunctionUrlAuthType_NONE,
		Cors: &awslambda.FunctionUrlCorsOptions{
			AllowedOrigins: jsii.Strings("*"),
			AllowedMethods: &[]awslambda.HttpMethod{awslambda.HttpMethod_GET},
		},
	})

	// Stream starts, ends and failures, and too many viewers, go to a topic.
	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), nil)
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

	exampleapp.Output(stack, "TokenUrl", tokenURL.Url(), "GET this URL for a signed playback URL of the private channel")
	exampleapp.Output(stack, "IngestEndpoint", channel.ChannelIngestEndpoint(), "RTMPS ingest server: rtmps://<this>:443/app/")
	exampleapp.Output(stack, "StreamKeyArn", streamKey.StreamKeyArn(), "read the key's value with: aws ivs get-stream-key --arn <this>")
	exampleapp.Output(stack, "PrivateKeySecretArn", privateKey.SecretArn(), "put ivs-private.pem into this secret")
	exampleapp.Output(stack, "AlertsTopicArn", alerts.TopicArn(), "subscribe to stream and viewer alerts")
	exampleapp.Output(stack, "RecordingsBucket", bucket.BucketName(), "recordings land here")
	return stack
}
