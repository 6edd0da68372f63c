// Command quickstart is a CDK app with the IVS basics: a public channel with
// a stream key, and a private (authorized) channel with the playback key pair
// that verifies its viewers' tokens.
//
//	go run ./examples/quickstart        # writes the template to cdk.out/
//	cd examples/quickstart && npx cdk synth   # the same, through the CDK CLI
//
// demo-public-key.pem is a public key whose private half was thrown away:
// replace it with your own (`ivscdk keygen`) before you deploy, or nobody can
// sign playback tokens for the private channel.
package main

import (
	_ "embed"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
)

//go:embed demo-public-key.pem
var demoPublicKey string

// main synthesizes the app: to cdk.out/ under `go run` (printing what it
// wrote, and every warning and error with its construct path), or where
// the CDK CLI says under `cdk synth`.
func main() {
	cdkapp.Main(func(app awscdk.App) {
		NewQuickstartStack(app, "IvsQuickstart", nil)
	})
}

// NewQuickstartStack defines the quick-start stack.
func NewQuickstartStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)

	// A public channel and the key a broadcaster streams to it with.
	channel := ivs.NewChannel(stack, "Channel", nil)
	streamKey := channel.AddStreamKey("StreamKey")

	// A private channel: viewers need a token signed with the private half
	// of this key pair.
	ivs.NewPlaybackKeyPair(stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: demoPublicKey})
	private := ivs.NewChannel(stack, "PrivateChannel", &ivs.ChannelProps{Authorized: true})

	output := func(id string, value *string, description string) {
		awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
	}
	output("IngestEndpoint", channel.ChannelIngestEndpoint(), "RTMPS ingest server: rtmps://<this>:443/app/")
	output("PlaybackUrl", channel.ChannelPlaybackUrl(), "HLS playback URL of the public channel")
	output("PrivatePlaybackUrl", private.ChannelPlaybackUrl(), "HLS playback URL of the private channel (append ?token=...)")
	// The stream key's ARN, not its value: the value is a secret; read it
	// with `aws ivs get-stream-key --arn <this>`.
	output("StreamKeyArn", streamKey.StreamKeyArn(), "ARN of the stream key")
	return stack
}
