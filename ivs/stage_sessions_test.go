package ivs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/stagesessions"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

var sessionGrants = []ivs.CapabilityGrant{
	{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityHost}},
	{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{ivs.CapabilityModerate}},
}

// TestStageSessionsTemplate: the function's configuration (read back by
// its own parser), its least privilege (stages only with this construct's
// tag), the routes, the sweep's schedule, cdk-nag, and the golden file.
func TestStageSessionsTemplate(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewStageSessions(env.Stack, "Sessions", &ivs.StageSessionsProps{
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "client"),
		CapabilityGrants: sessionGrants,
		MaxSessions:      20, IdleAfter: time.Hour, AllowedOrigins: []string{"https://show.example.com"},
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Sessions/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	cdktest.Golden(t, "testdata/stage-sessions.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))

	fn := env.LogicalID("Sessions/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[stagesessions.EnvConfig]
	text, _ := raw.(string)
	if text == "" {
		b, _ := json.Marshal(raw)
		t.Fatalf("the configuration is not a literal: %s", b)
	}
	c, err := stagesessions.ParseConfig(text)
	if err != nil {
		t.Fatalf("the function cannot read its configuration %s: %v", text, err)
	}
	if c.MadeBy != "TestStack/Sessions" || c.UserIDClaim != "sub" || c.MaxPerOwner != 1 || c.MaxSessions != 20 ||
		time.Duration(c.IdleAfter) != time.Hour || c.TokenMinutes != 120 || len(c.Grants) != 2 {
		t.Errorf("the function reads %+v", c)
	}

	stages := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":stage/*"}}}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": []any{"ivs:CreateStage", "ivs:TagResource"}, "Effect": "Allow", "Resource": stages,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestTag/ivscdk:sessions": "TestStack/Sessions"},
					"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"ivscdk:sessions", "ivscdk:owner", "ivscdk:created"}}}},
			map[string]any{"Action": []any{"ivs:DeleteStage", "ivs:GetStage", "ivs:ListStageSessions", "ivs:CreateParticipantToken", "ivs:DisconnectParticipant"},
				"Effect": "Allow", "Resource": stages,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"}}},
			map[string]any{"Action": "ivs:ListStages", "Effect": "Allow", "Resource": "*"},
		})},
	})
	for _, route := range []string{"GET /sessions", "POST /sessions", "DELETE /sessions", "POST /sessions/disconnect"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{"ScheduleExpression": "rate(5 minutes)"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{"https://show.example.com"}})})
}

// TestStageSessionsRefusals: each bad input names the construct, the
// property, the value and what is allowed.
func TestStageSessionsRefusals(t *testing.T) {
	jwt := ivs.JWTAuthentication("https://issuer.example.com", "client")
	for name, c := range map[string]struct {
		props ivs.StageSessionsProps
		want  string
	}{
		"IAM":       {ivs.StageSessionsProps{CapabilityGrants: sessionGrants}, "Authentication must be JWTAuthentication"},
		"no hosts":  {ivs.StageSessionsProps{Authentication: jwt}, "CapabilityGrants give nobody HOST"},
		"limits":    {ivs.StageSessionsProps{Authentication: jwt, CapabilityGrants: sessionGrants, MaxSessionsPerHost: 5, MaxSessions: 2}, "MaxSessionsPerHost 5 and MaxSessions 2 are invalid"},
		"idle":      {ivs.StageSessionsProps{Authentication: jwt, CapabilityGrants: sessionGrants, IdleAfter: 30 * time.Second}, "IdleAfter 30s is invalid: give 1m to 24h"},
		"sweep":     {ivs.StageSessionsProps{Authentication: jwt, CapabilityGrants: sessionGrants, SweepInterval: time.Hour}, "SweepInterval 1h0m0s is invalid"},
		"lifetime":  {ivs.StageSessionsProps{Authentication: jwt, CapabilityGrants: sessionGrants, TokenLifetime: 90 * time.Second}, "TokenLifetime 1m30s is invalid"},
		"bad grant": {ivs.StageSessionsProps{Authentication: jwt, CapabilityGrants: append(sessionGrants, ivs.CapabilityGrant{Claim: "c", Value: "v", Capabilities: []string{"PUBLISH"}})}, "CapabilityGrants[2]"},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			ivs.NewStageSessions(env.Stack, "Sessions", &props)
			msg := env.SynthError()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, "[TestStack/Sessions]") {
				t.Errorf("synthesis error %q does not say %q", msg, c.want)
			}
		})
	}
}
