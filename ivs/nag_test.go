package ivs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// nagFindings returns the unsuppressed cdk-nag AwsSolutions findings of
// the environment's stack.
func nagFindings(env *cdktest.Env) []string { return cdktest.NagFindings(env.App, env.Stack) }

// The managed key pair and the token endpoint pass cdk-nag's AwsSolutions
// pack as they are: own log groups and roles without AWS managed policies,
// API access logs, and a stated reason for the two wildcards IVS needs.
func TestManagedKeyAndEndpointPassCdkNag(t *testing.T) {
	for name, auth := range map[string]ivs.EndpointAuthentication{
		"iam": ivs.IAMAuthentication(),
		"jwt": ivs.JWTAuthentication("https://issuer.example.com", "app"),
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
			key := awskms.NewKey(env.Stack, jsii.String("Cmk"), &awskms.KeyProps{EnableKeyRotation: jsii.Bool(true)})
			pair := ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{
				RotationInterval: 7 * 24 * time.Hour, EncryptionKey: key,
			})
			ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
				Channels: []ivs.IChannel{channel}, KeyPair: pair, Authentication: auth,
			})
			for _, f := range nagFindings(env) {
				t.Error(f)
			}
		})
	}
}

// The check can fail: an endpoint without authentication is what cdk-nag's
// APIG4 is about, and ivscdk does not hide it.
func TestCdkNagFlagsAnUnauthenticatedEndpoint(t *testing.T) {
	env := cdktest.New(t)
	unauthenticatedEndpoint(env)
	wantMessages(t, nagFindings(env), "AwsSolutions-APIG4")
}

// Both participant token modes and the managed public key pass cdk-nag.
func TestParticipantTokenEndpointsPassCdkNag(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	key := ivs.NewManagedPublicKey(env.Stack, "Key", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * time.Hour})
	ivs.NewParticipantTokenEndpoint(env.Stack, "SelfSigned", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage}, PublicKey: key})
	ivs.NewParticipantTokenEndpoint(env.Stack, "FromIVS", &ivs.ParticipantTokenEndpointProps{
		Stages: []ivs.IStage{stage}, Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"), UserIDClaim: "sub",
	})
	for _, f := range nagFindings(env) {
		t.Error(f)
	}
}
