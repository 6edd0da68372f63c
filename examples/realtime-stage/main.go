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

	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/ivs"
)

//go:embed demo-public-key.pem
var demoPublicKey string

func main() {
	defer jsii.Close()
	// `cdk synth` names the output folder in CDK_OUTDIR; plain `go run`
	// writes to cdk.out/ in the working directory.
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir == "" {
		outdir = "cdk.out"
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
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
	// so the stack does not manage a policy that could overwrite it (which
	// is why it cannot enforce SSL with one). Who reads or writes it is
	// logged to a second bucket.
	accessLogs := awss3.NewBucket(stack, jsii.String("RecordingsAccessLogs"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
	})
	suppressNag(accessLogs.Node().DefaultChild(), "AwsSolutions-S1", "This bucket receives the recordings bucket's access logs; logging it would log the logs.")
	bucket := awss3.NewBucket(stack, jsii.String("Recordings"), &awss3.BucketProps{
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		ServerAccessLogsBucket: accessLogs,
		ServerAccessLogsPrefix: jsii.String("recordings/"),
	})
	suppressNag(bucket.Node().DefaultChild(), "AwsSolutions-S10",
		"IVS writes its own statement into this bucket's policy when it records; a policy managed by the stack (as EnforceSSL makes) could overwrite it.")
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
	suppressNag(privateKey.Node().DefaultChild(), "AwsSolutions-SMG4",
		"The key is brought by the team (ivscdk keygen) and paired with an IVS public key in this template; rotating it means importing a new public key, done by redeploying with a new key.")

	// Built from ./tokenfn with the local Go toolchain; its own log group
	// and a role that may only log until granted more.
	tokenFunction, err := golambda.NewFunction(stack, "TokenFunction", &golambda.FunctionProps{
		Package:     "github.com/ivscdk/ivscdk/examples/realtime-stage/tokenfn",
		Description: "Signs IVS stage participant tokens",
		Environment: map[string]*string{
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
	if err != nil {
		panic(err) // no go command, or tokenfn does not build
	}
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

	updates := awssns.NewTopic(stack, jsii.String("StageUpdates"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})
	stage.OnStageUpdate("StageUpdate", &awsevents.OnEventOptions{
		Description: jsii.String("Participants publishing to and leaving the stage"),
		Target:      awseventstargets.NewSnsTopic(updates, nil),
	})

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("TokenUrl", tokenURL.Url(), "GET <this>?userId=alice&publish=true for a participant token")
	output("StageArn", stage.StageArn(), "the stage")
	output("PrivateKeySecretArn", privateKey.SecretArn(), "put ivs-private.pem into this secret")
	output("RecordingsBucket", bucket.BucketName(), "participant recordings land here")
	output("StageUpdatesTopicArn", updates.TopicArn(), "subscribe to participant events")
	return stack
}

// suppressNag records why a cdk-nag rule does not apply to a resource, in
// the metadata cdk-nag reads (so the app needs no cdk-nag dependency).
func suppressNag(resource constructs.IConstruct, rule, reason string) {
	resource.(awscdk.CfnResource).AddMetadata(jsii.String("cdk_nag"), map[string]any{
		"rules_to_suppress": []any{map[string]any{"id": rule, "reason": reason}},
	})
}
