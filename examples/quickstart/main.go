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

	"github.com/ivscdk/ivscdk/internal/exampleapp"
	"github.com/ivscdk/ivscdk/ivs"
)

//go:embed demo-public-key.pem
var demoPublicKey string

func main() {
	defer jsii.Close()
	app := exampleapp.NewApp()
	NewQuickstartStack(app, "IvsQuickstart", nil)
	app.Synth(nil)
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

	exampleapp.Output(stack, "IngestEndpoint", channel.ChannelIngestEndpoint(), "RTMPS ingest server: rtmps://<this>:443/app/")
	exampleapp.Output(stack, "PlaybackUrl", channel.ChannelPlaybackUrl(), "HLS playback URL of the public channel")
	exampleapp.Output(stack, "PrivatePlaybackUrl", private.ChannelPlaybackUrl(), "HLS playback URL of the private channel (append ?token=...)")
	// The stream key's ARN, not its value: the value is a secret; read it
	// with `aws ivs get-stream-key --arn <this>`.
	exampleapp.Output(stack, "StreamKeyArn", streamKey.StreamKeyArn(), "ARN of the stream key")
	return stack
}
