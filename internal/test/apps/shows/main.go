// Command shows is the rehearsal's app for ivs.StageSessions: sessions on
// demand for the hosts of an OpenID Connect provider, broadcast to a
// channel and recorded, with self-signed tokens that promotions exchange. No example deploys StageSessions yet; the
// rehearsal synthesizes this app to run its function, the exact asset,
// under the Lambda RIE (rehearsal/stage_sessions_test.go).
package main

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
)

func main() {
	cdkapp.Main(func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("IvsShows"), nil)
		bucket := awss3.NewBucket(stack, jsii.String("Shows"), &awss3.BucketProps{EnforceSSL: jsii.Bool(true)})
		ivs.NewStageSessions(stack, "Sessions", &ivs.StageSessionsProps{
			Authentication: ivs.JWTAuthentication("https://issuer.example.com", "rehearsal-client"),
			CapabilityGrants: []ivs.CapabilityGrant{
				{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityHost}},
				{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivs.CapabilityModerate}},
			},
			MaxSessions: 3,
			ChatRooms:   true,
			PublicKey:   ivs.NewManagedPublicKey(stack, "Key", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * time.Hour}),
			Broadcast: &ivs.SessionBroadcast{
				Channel:              ivs.NewChannel(stack, "Channel", nil),
				EncoderConfiguration: ivs.NewEncoderConfiguration(stack, "Encoder", nil),
				Storage:              ivs.NewStorageConfiguration(stack, "Storage", &ivs.StorageConfigurationProps{Bucket: bucket}),
			},
		})
	})
}
