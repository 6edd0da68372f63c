// Command realtime-stage is an IVS real-time stage with everything around
// it: every publishing participant recorded to a new S3 bucket, the IVS
// public key that verifies self-signed participant tokens, its private half
// in AWS Secrets Manager (never in the template), a Go Lambda function behind
// a function URL that signs participant tokens with package ivstoken, and an
// EventBridge rule for participants publishing and leaving.
//
//	go run ./examples/realtime-stage     # writes the template to cdk.out/
//
// The public key comes from a PEM file that `ivscdk keygen` writes: pass its
// path as the CDK context value publicKeyFile; without it the example uses
// demo-public-key.pem, whose private half was thrown away.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
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
	publicKey := demoPublicKey
	if path, _ := app.Node().TryGetContext(jsii.String("publicKeyFile")).(string); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "publicKeyFile:", err)
			os.Exit(1)
		}
		publicKey = string(b)
	}
	NewRealtimeStageStack(app, "IvsRealtimeStage", &RealtimeStageProps{PublicKeyPEM: publicKey})
	app.Synth(nil)
}

// RealtimeStageProps configures the stack.
type RealtimeStageProps struct {
	awscdk.StackProps
	// PublicKeyPEM is the public key that verifies participant tokens.
	PublicKeyPEM string
	// TokenTTL is how long vended tokens stay valid. Default "2h".
	TokenTTL string
}

// NewRealtimeStageStack defines the stack.
func NewRealtimeStageStack(scope constructs.Construct, id string, props *RealtimeStageProps) awscdk.Stack {
	if props.TokenTTL == "" {
		props.TokenTTL = "2h"
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)

	// A dedicated bucket: IVS adds its own statement to this bucket's policy,
	// so the stack does not manage a policy that could overwrite it.
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
	})
	storage := ivs.NewStorageConfiguration(stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket})
	stage := ivs.NewStage(stack, "Stage", &ivs.StageProps{
		AutoParticipantRecording: &ivs.AutoParticipantRecording{
			StorageConfiguration: storage,
			ReconnectWindow:      60e9, // 60 s
		},
	})
	publicKey := ivs.NewPublicKey(stack, "ParticipantTokenKey", &ivs.PublicKeyProps{PublicKeyMaterial: props.PublicKeyPEM})
	privateKey := awssecretsmanager.NewSecret(stack, jsii.String("ParticipantTokenPrivateKey"), &awssecretsmanager.SecretProps{
		Description: jsii.String("Private key (PEM) of the IVS public key that verifies participant tokens. Replace the placeholder with the output of `ivscdk keygen`."),
	})

	tokenFunction := awslambda.NewFunction(stack, jsii.String("TokenFunction"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         exampleapp.GoFunctionCode("examples/realtime-stage/tokenfn"),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(10)),
		Description:  jsii.String("Signs IVS stage participant tokens"),
		Environment: &map[string]*string{
			"STAGE_ARN":      stage.StageArn(),
			"PUBLIC_KEY_ARN": publicKey.PublicKeyArn(),
			"SECRET_ARN":     privateKey.SecretArn(),
			"TOKEN_TTL":      jsii.String(props.TokenTTL),
			// Every participant token carries the stage's endpoints, which
			// only GetStage knows: read at deploy time.
			"EVENTS_URL": stage.Endpoints().Events,
			"WHIP_URL":   stage.Endpoints().Whip,
		},
	})
	privateKey.GrantRead(tokenFunction, nil)
	tokenURL := tokenFunction.AddFunctionUrl(&awslambda.FunctionUrlOptions{
		// Open for the demo; authenticate users before vending tokens in
		// production.
		AuthType: awslambda.FunctionUrlAuthType_NONE,
		Cors: &awslambda.FunctionUrlCorsOptions{
			AllowedOrigins: jsii.Strings("*"),
			AllowedMethods: &[]awslambda.HttpMethod{awslambda.HttpMethod_GET},
		},
	})

	updates := awssns.NewTopic(stack, jsii.String("StageUpdates"), nil)
	stage.OnStageUpdate("StageUpdate", &awsevents.OnEventOptions{
		Description: jsii.String("Participants publishing to and leaving the stage"),
		Target:      awseventstargets.NewSnsTopic(updates, nil),
	})

	exampleapp.Output(stack, "TokenUrl", tokenURL.Url(), "GET <this>?userId=alice&publish=true for a participant token")
	exampleapp.Output(stack, "StageArn", stage.StageArn(), "the stage")
	exampleapp.Output(stack, "PrivateKeySecretArn", privateKey.SecretArn(), "put ivs-private.pem into this secret")
	exampleapp.Output(stack, "RecordingsBucket", bucket.BucketName(), "participant recordings land here")
	exampleapp.Output(stack, "StageUpdatesTopicArn", updates.TopicArn(), "subscribe to participant events")
	return stack
}
