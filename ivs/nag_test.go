package ivs_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/internal/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// nagFindings applies cdk-nag's AwsSolutions pack to the stack and returns
// its unsuppressed findings (errors and warnings).
func nagFindings(env *cdktest.Env) []string {
	awscdk.Aspects_Of(env.App).Add(cdknag.NewAwsSolutionsChecks(nil), nil)
	annotations := assertions.Annotations_FromStack(env.Stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	var out []string
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f) // path, rule and message
		out = append(out, string(b))
	}
	return out
}

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
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.NoAuthentication(),
	})
	wantMessages(t, nagFindings(env), "AwsSolutions-APIG4")
}
