package ivs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/participanttoken"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestParticipantTokenEndpointFromIVS(t *testing.T) {
	env := cdktest.New(t)
	a := ivs.NewStage(env.Stack, "A", nil)
	b := ivs.StageFromStageArn(env.Stack, "B", "arn:aws:ivs:us-west-2:123456789012:stage/bbbbbbbbbbbb")
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages:         []ivs.IStage{a, b},
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"),
		UserIDClaim:    "sub",
		Capabilities:   []string{ivs.CapabilityPublish, ivs.CapabilitySubscribe},
	})
	got := env.Synth()
	cdktest.Golden(t, "testdata/participant-token-endpoint.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	// The function may create tokens on these two stages, and do nothing
	// else with IVS.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Tokens/FunctionLogs"), "Arn"}},
		}, map[string]any{
			"Action":   "ivs:CreateParticipantToken",
			"Effect":   "Allow",
			"Resource": []any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("A"), "Arn"}}, "arn:aws:ivs:us-west-2:123456789012:stage/bbbbbbbbbbbb"},
		}}},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Tokens/FunctionRole")}},
	})
	for _, route := range []string{"GET /participant-token", "POST /participant-token"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	raw := strings.ReplaceAll(functionEnv(t, got, participanttoken.EnvConfig), `\"`, `"`)
	for _, want := range []string{`"mode":"create-participant-token"`, `"maxDurationMinutes":60`, `"userIdClaim":"sub"`, `"PUBLISH","SUBSCRIBE"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("configuration %s lacks %s", raw, want)
		}
	}
	if strings.Contains(raw, "secretArn") {
		t.Error("IVS-issued tokens need no secret, but the configuration names one")
	}
}

func TestParticipantTokenEndpointSelfSigned(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	key := ivs.NewManagedPublicKey(env.Stack, "Key", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * time.Hour})
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages: []ivs.IStage{stage}, PublicKey: key, TokenLifetime: 2 * time.Hour,
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "ivs:GetStage", "Effect": "Allow", "Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Stage"), "Arn"}}},
			map[string]any{"Action": "ivs:ListPublicKeys", "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, "Effect": "Allow",
				"Resource": map[string]any{"Ref": env.LogicalID("Key/Secret")}},
		})},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Tokens/FunctionRole")}},
	})
	// The key manager imports IVS public keys, with the real-time actions.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "ivs:ImportPublicKey", "Effect": "Allow", "Resource": assertions.Match_AnyValue()},
			map[string]any{"Action": "ivs:DeletePublicKey", "Effect": "Allow", "Resource": assertions.Match_AnyValue(), "Condition": assertions.Match_AnyValue()},
			map[string]any{"Action": "ivs:TagResource", "Effect": "Allow", "Resource": assertions.Match_AnyValue(), "Condition": assertions.Match_AnyValue()},
			map[string]any{"Action": "ivs:ListPublicKeys", "Effect": "Allow", "Resource": "*"},
		})},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Key/FunctionRole")}},
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{"KEY_KIND": "public-key", "GRACE_PERIOD": "2h5m0s"}},
	})
	raw := strings.ReplaceAll(functionEnv(t, got, participanttoken.EnvConfig), `\"`, `"`)
	for _, want := range []string{`"mode":"self-signed"`, `"secretArn":`, `"stageCacheTtl":"1h0m0s"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("configuration %s lacks %s", raw, want)
		}
	}
	if strings.Contains(jsonString(t, got), "PRIVATE KEY") {
		t.Error("the template holds key material")
	}
}

// Scopes go on the routes, where API Gateway checks them; grants go to the
// function, which applies them per caller.
func TestParticipantTokenEndpointScopesAndGrants(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages:         []ivs.IStage{ivs.NewStage(env.Stack, "Stage", nil)},
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app").WithScopes("stage/join", "stage/host"),
		Capabilities:   []string{ivs.CapabilitySubscribe},
		CapabilityGrants: []ivs.CapabilityGrant{
			{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityPublish}},
			{Scope: "stage/host", Capabilities: []string{ivs.CapabilityPublish}},
		},
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	for _, route := range []string{"GET /participant-token", "POST /participant-token"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
			"RouteKey": route, "AuthorizationType": "JWT", "AuthorizationScopes": []any{"stage/join", "stage/host"}})
	}
	raw := strings.ReplaceAll(functionEnv(t, got, participanttoken.EnvConfig), `\"`, `"`)
	want := `"capabilityGrants":[{"capabilities":["PUBLISH"],"claim":"cognito:groups","value":"hosts"},{"capabilities":["PUBLISH"],"scope":"stage/host"}]`
	if !strings.Contains(raw, want) {
		t.Errorf("configuration %s lacks %s", raw, want)
	}
}

func TestParticipantTokenEndpointValidation(t *testing.T) {
	jwt := ivs.JWTAuthentication("https://issuer.example.com", "app")
	cases := []struct {
		name string
		edit func(env *cdktest.Env, p *ivs.ParticipantTokenEndpointProps)
		want []string
	}{
		{"no stages", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Stages = nil }, []string{"Stages is empty"}},
		{"nil stage", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Stages = append(p.Stages, nil) }, []string{"Stages[1] is nil"}},
		{"stage twice", func(env *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			arn := "arn:aws:ivs:us-west-2:123456789012:stage/twicestage01"
			p.Stages = []ivs.IStage{ivs.StageFromStageArn(env.Stack, "A", arn), ivs.StageFromStageArn(env.Stack, "B", arn)}
		}, []string{"Stages names arn:aws:ivs:us-west-2:123456789012:stage/twicestage01 twice"}},
		{"bad capability", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Capabilities = []string{"ADMIN"} }, []string{`Capabilities holds "ADMIN"`}},
		{"lifetime too long", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.TokenLifetime = 15 * 24 * time.Hour },
			[]string{"TokenLifetime 360h0m0s is invalid", "14 days"}},
		{"lifetime in seconds", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.TokenLifetime = 90 * time.Second },
			[]string{"whole minutes"}},
		{"user claim without JWT", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.UserIDClaim = "sub" },
			[]string{`UserIDClaim "sub" needs JWTAuthentication`}},
		{"claim attributes without JWT", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.ClaimAttributes = map[string]string{"name": "name"}
		}, []string{"ClaimAttributes needs JWTAuthentication"}},
		{"attributes too large", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication, p.Attributes = jwt, map[string]string{"a": strings.Repeat("x", 1024)}
		}, []string{"Attributes hold 1025 bytes: IVS allows 1024"}},
		{"self-signed without key", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Mode = ivs.ParticipantTokensSelfSigned },
			[]string{"self-signed tokens need a key"}},
		{"own key without ARN", func(env *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.PrivateKeySecret = awssecretsmanager.NewSecret(env.Stack, jsii.String("S"), nil)
		}, []string{"PrivateKeySecret needs PublicKeyArn"}},
		{"key with IVS mode", func(env *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Mode, p.PublicKey = ivs.ParticipantTokensFromIVS, ivs.NewManagedPublicKey(env.Stack, "K", nil)
		}, []string{"makes no use of a key"}},
		{"stage cache too long", func(env *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.PublicKey, p.StageCacheTTL = ivs.NewManagedPublicKey(env.Stack, "K", nil), 15*24*time.Hour
		}, []string{"StageCacheTTL 360h0m0s is invalid"}},
		{"bad mode", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Mode = "magic" }, []string{`Mode "magic" is invalid`}},
		{"no capability for anyone", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Capabilities = []string{} },
			[]string{"Capabilities is empty and there are no CapabilityGrants: every caller would be refused"}},
		{"grants without JWT", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.CapabilityGrants = []ivs.CapabilityGrant{{Scope: "stage/host", Capabilities: []string{ivs.CapabilityPublish}}}
		}, []string{"CapabilityGrants needs JWTAuthentication"}},
		{"grant of a chat capability", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication = jwt
			p.CapabilityGrants = []ivs.CapabilityGrant{{Scope: "s", Capabilities: []string{"DELETE_MESSAGE"}}}
		}, []string{`CapabilityGrants[0]: "DELETE_MESSAGE" is not one of [PUBLISH SUBSCRIBE]`}},
		{"grant with scope and claim", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication = jwt
			p.CapabilityGrants = []ivs.CapabilityGrant{{Scope: "s", Claim: "c", Value: "v", Capabilities: []string{ivs.CapabilityPublish}}}
		}, []string{"CapabilityGrants[0]: give a scope or a claim, not both or neither"}},
		{"grant by claim without value", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication = jwt
			p.CapabilityGrants = []ivs.CapabilityGrant{{Claim: "cognito:groups", Capabilities: []string{ivs.CapabilityPublish}}}
		}, []string{`CapabilityGrants[0]: claim "cognito:groups" needs a value`}},
		{"scopes without JWT", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication = ivs.IAMAuthentication().WithScopes("stage/join")
		}, []string{"WithScopes needs JWTAuthentication"}},
		{"no scope", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) { p.Authentication = jwt.WithScopes() },
			[]string{"WithScopes names no scope"}},
		{"scope with a space", func(_ *cdktest.Env, p *ivs.ParticipantTokenEndpointProps) {
			p.Authentication = jwt.WithScopes("stage join")
		},
			[]string{`WithScopes scope[0] "stage join" is invalid`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			p := &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{ivs.NewStage(env.Stack, "Stage", nil)}}
			c.edit(env, p)
			ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", p)
			wantMessages(t, validationMessages(t, env, "Tokens"), c.want...)
		})
	}
}

func TestParticipantTokenEndpointServesStagesOfItsEnvironmentOnly(t *testing.T) {
	env := cdktest.NewOregon(t)
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{
		ivs.StageFromStageArn(env.Stack, "Local", "arn:aws:ivs:us-west-2:123456789012:stage/localstage01"),
		ivs.StageFromStageArn(env.Stack, "Dublin", "arn:aws:ivs:eu-west-1:123456789012:stage/dublinstage1"),
		ivs.StageFromStageArn(env.Stack, "Other", "arn:aws:ivs:us-west-2:210987654321:stage/otheraccount"),
	}})
	msg := env.SynthError()
	wantMessages(t, []string{msg}, "Oregon/Tokens", "Stages[1]", "is in region eu-west-1", "Stages[2]", "is in account 210987654321")
	if strings.Contains(msg, "localstage01") {
		t.Errorf("a stage of the stack's environment was refused: %s", msg)
	}
}

func TestParticipantTokenEndpointWarnsAboveCreateParticipantTokensRate(t *testing.T) {
	env := cdktest.New(t)
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	ivs.NewParticipantTokenEndpoint(env.Stack, "Fast", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage}, ThrottlingRateLimit: 100})
	ivs.NewParticipantTokenEndpoint(env.Stack, "Default", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage}})
	ivs.NewParticipantTokenEndpoint(env.Stack, "Signed", &ivs.ParticipantTokenEndpointProps{Stages: []ivs.IStage{stage},
		PublicKey: ivs.NewManagedPublicKey(env.Stack, "Key", nil), ThrottlingRateLimit: 500})
	annotations := assertions.Annotations_FromStack(env.Stack)
	match := assertions.Match_StringLikeRegexp(jsii.String("50 CreateParticipantToken calls per second"))
	if n := len(*annotations.FindWarning(jsii.String("/TestStack/Fast"), match)); n != 1 {
		t.Errorf("%d warnings on the endpoint throttled at 100/s, want 1", n)
	}
	for _, quiet := range []string{"/TestStack/Default", "/TestStack/Signed"} {
		if n := len(*annotations.FindWarning(jsii.String(quiet), match)); n != 0 {
			t.Errorf("%s: %d warnings, want none (default rate, or no IVS call per token)", quiet, n)
		}
	}
}

// An empty Capabilities list with grants (PUBLISH for hosts, nothing for
// the rest) synthesizes, with a warning that the rest are refused: the
// function never asks IVS for a token without capabilities.
func TestParticipantTokenEndpointWithoutCapabilitiesWarns(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewParticipantTokenEndpoint(env.Stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
		Stages: []ivs.IStage{ivs.NewStage(env.Stack, "Stage", nil)}, Capabilities: []string{},
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "aud"),
		CapabilityGrants: []ivs.CapabilityGrant{{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityPublish}}},
	})
	got := env.Synth()
	raw := strings.ReplaceAll(functionEnv(t, got, participanttoken.EnvConfig), `\"`, `"`)
	if !strings.Contains(raw, `"capabilities":[]`) {
		t.Errorf("configuration %s lacks an empty capabilities list", raw)
	}
	warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Tokens"),
		assertions.Match_StringLikeRegexp(jsii.String(`meet no CapabilityGrants are refused \(403 NoCapability\)`)))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings, want 1", len(*warnings))
	}
}
