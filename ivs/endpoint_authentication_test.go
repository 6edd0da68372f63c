package ivs_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// A grant, a user or viewer ID or an attribute on a claim the Cognito app
// client lets users write about themselves (email, with Cognito's default
// write attributes) is met by changing one's own attribute: synthesis
// warns, naming the property and the claim. "sub" and "cognito:groups",
// which users cannot write, are quiet, as is a claim the client does not
// let users write, and a provider whose rules ivscdk cannot see.
func TestTokenEndpointsWarnOnClaimsUsersCanWrite(t *testing.T) {
	env := cdktest.New(t)
	pool := awscognito.NewUserPool(env.Stack, jsii.String("Users"), nil)
	defaults := pool.AddClient(jsii.String("Defaults"), nil)
	narrow := pool.AddClient(jsii.String("Narrow"), &awscognito.UserPoolClientOptions{
		WriteAttributes: awscognito.NewClientAttributes().WithStandardAttributes(&awscognito.StandardAttributesMask{Locale: jsii.Bool(true)}),
	})
	if got := ivs.CognitoAuthentication(pool, defaults).UserWritableClaims(); !slices.Contains(got, "email") || !slices.Contains(got, "name") {
		t.Errorf("a client with Cognito's default write attributes: users write %q; want every standard attribute", got)
	}
	if got := ivs.CognitoAuthentication(pool, narrow).UserWritableClaims(); !slices.Equal(got, []string{"locale"}) {
		t.Errorf("a client that writes locale only: users write %q", got)
	}
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	keys := ivs.NewManagedPlaybackKeyPair(env.Stack, "Keys", nil)
	emailHosts := []ivs.CapabilityGrant{{Claim: "email", Value: "host@example.com", Capabilities: []string{ivs.CapabilityPublish}}}
	groupHosts := []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityPublish}}}
	ivs.NewParticipantTokenEndpoint(env.Stack, "ByEmail", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage},
		Authentication: ivs.CognitoAuthentication(pool, defaults), CapabilityGrants: emailHosts,
		UserIDClaim: "preferred_username", ClaimAttributes: map[string]string{"displayName": "name", "id": "sub"}})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Viewers", &ivs.PlaybackTokenEndpointProps{Channels: []ivs.IChannel{channel}, KeyPair: keys,
		Authentication: ivs.CognitoAuthentication(pool, defaults), ViewerIDClaim: "email"})
	ivs.NewParticipantTokenEndpoint(env.Stack, "ByGroup", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage},
		Authentication: ivs.CognitoAuthentication(pool, defaults), CapabilityGrants: groupHosts, UserIDClaim: "sub"})
	ivs.NewParticipantTokenEndpoint(env.Stack, "Narrow", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage},
		Authentication: ivs.CognitoAuthentication(pool, narrow), CapabilityGrants: emailHosts})
	ivs.NewParticipantTokenEndpoint(env.Stack, "OwnProvider", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage},
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "aud"), CapabilityGrants: emailHosts})

	annotations := assertions.Annotations_FromStack(env.Stack)
	warnings := func(path, pattern string) int {
		return len(*annotations.FindWarning(jsii.String(path), assertions.Match_StringLikeRegexp(jsii.String(pattern))))
	}
	for _, w := range []struct{ path, pattern string }{
		{"/TestStack/ByEmail", `CapabilityGrants\[0\] reads the claim "email", which users can write about themselves`},
		{"/TestStack/ByEmail", `UserIDClaim reads the claim "preferred_username"`},
		{"/TestStack/ByEmail", `ClaimAttributes\["displayName"\] reads the claim "name"`},
		{"/TestStack/Viewers", `ViewerIDClaim reads the claim "email"`},
	} {
		if n := warnings(w.path, w.pattern); n != 1 {
			t.Errorf("%s: %d warnings matching %s, want 1", w.path, n, w.pattern)
		}
	}
	if n := warnings("/TestStack/ByEmail", `reads the claim "sub"`); n != 0 {
		t.Errorf("a claim attribute on sub warned")
	}
	for _, quiet := range []string{"/TestStack/ByGroup", "/TestStack/Narrow", "/TestStack/OwnProvider"} {
		if n := warnings(quiet, "users can write about themselves"); n != 0 {
			t.Errorf("%s: %d warnings about user-writable claims, want none", quiet, n)
		}
	}
}

// A Cognito user pool and app client of the same app: the authorizer takes
// the pool's issuer URL and the client's ID, resolved at deploy time.
func TestCognitoAuthentication(t *testing.T) {
	env := cdktest.New(t)
	pool := awscognito.NewUserPool(env.Stack, jsii.String("Users"), nil)
	client := pool.AddClient(jsii.String("App"), nil)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.CognitoAuthentication(pool, client), ViewerIDClaim: "sub",
	})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType": "JWT",
		"JwtConfiguration": map[string]any{
			"Audience": []any{map[string]any{"Ref": env.LogicalID("Users/App")}},
			"Issuer": map[string]any{"Fn::Join": []any{"", []any{"https://cognito-idp.",
				map[string]any{"Ref": "AWS::Region"}, ".", map[string]any{"Ref": "AWS::URLSuffix"}, "/", map[string]any{"Ref": env.LogicalID("Users")}}}},
		},
	})
}

// GrantInvoke on an endpoint without IAM authentication is a synth error
// that names the fix, not a panic inside the CDK.

// CognitoAuthentication without a pool or client does not panic: the
// endpoint that takes it fails synthesis, naming its path and the fix.
func TestCognitoAuthenticationWithoutAPoolIsASynthesisError(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages: []ivs.IStage{ivs.NewStage(env.Stack, "Stage", nil)}, Authentication: ivs.CognitoAuthentication(nil, nil)})
	wantMessages(t, []string{env.SynthError()}, "TestStack/Tokens", "Authentication: CognitoAuthentication needs a user pool and its app client")
}
