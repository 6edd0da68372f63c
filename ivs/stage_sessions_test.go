package ivs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
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
			map[string]any{"Action": []any{"ivs:DeleteStage", "ivs:GetStage", "ivs:ListStageSessions", "ivs:CreateParticipantToken", "ivs:DisconnectParticipant", "ivs:GetParticipant"},
				"Effect": "Allow", "Resource": stages,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"}}},
			map[string]any{"Action": "ivs:TagResource", "Effect": "Allow", "Resource": stages,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"},
					"ForAllValues:StringLike": map[string]any{"aws:TagKeys": []any{"ivscdk:removed:*"}}}},
			map[string]any{"Action": "ivs:ListStages", "Effect": "Allow", "Resource": "*"},
		})},
	})
	for _, route := range []string{"GET /sessions", "POST /sessions", "DELETE /sessions", "POST /sessions/disconnect", "POST /sessions/promote", "GET /sessions/exchange", "GET /sessions/status"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{"ScheduleExpression": "rate(5 minutes)"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{"https://show.example.com"}, "AllowMethods": []any{"GET", "POST", "DELETE"}})})
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

// TestStageSessionsBroadcast: the composition's grant names the stage
// type, the channel, the encoder and the storage (IAM requires the stage
// and the encoder), only with the construct's tag; stopping only tagged
// compositions; Participant Published events to the function; and the
// destinations in the function's configuration.
func TestStageSessionsBroadcast(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", nil)
	encoder := ivs.NewEncoderConfiguration(env.Stack, "Encoder", nil)
	storage := ivs.NewStorageConfiguration(env.Stack, "Storage", &ivs.StorageConfigurationProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Shows"), nil)})
	ivs.NewStageSessions(env.Stack, "Sessions", &ivs.StageSessionsProps{
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "client"),
		CapabilityGrants: sessionGrants,
		Broadcast:        &ivs.SessionBroadcast{Channel: channel, EncoderConfiguration: encoder, Storage: storage},
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Sessions/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	ch, enc, st := env.LogicalID("Channel"), env.LogicalID("Encoder"), env.LogicalID("Storage")
	arnOf := func(kind string) map[string]any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:", map[string]any{"Ref": "AWS::Region"}, ":",
			map[string]any{"Ref": "AWS::AccountId"}, ":" + kind + "/*"}}}
	}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "ivs:StartComposition", "Effect": "Allow",
				"Resource": []any{arnOf("stage"), map[string]any{"Fn::GetAtt": []any{ch, "Arn"}}, map[string]any{"Fn::GetAtt": []any{enc, "Arn"}},
					map[string]any{"Fn::GetAtt": []any{st, "Arn"}}},
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestTag/ivscdk:sessions": "TestStack/Sessions"}}},
			map[string]any{"Action": "ivs:StopComposition", "Effect": "Allow", "Resource": arnOf("composition"),
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"}}},
			map[string]any{"Action": "ivs:ListCompositions", "Effect": "Allow", "Resource": "*"},
		})},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stage Update"},
			"detail": map[string]any{"event_name": []any{"Participant Published"}}},
		"Targets": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Arn": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Sessions/Function"), "Arn"}}})}),
	})
	fn := env.LogicalID("Sessions/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[stagesessions.EnvConfig]
	c, err := stagesessions.ParseConfig(resolveJoin(t, raw, map[string]string{
		ch + ".Arn":  "arn:aws:ivs:us-west-2:123456789012:channel/show",
		enc + ".Arn": "arn:aws:ivs:us-west-2:123456789012:encoder-configuration/hd",
		st + ".Arn":  "arn:aws:ivs:us-west-2:123456789012:storage-configuration/rec"}))
	if err != nil || c.Broadcast == nil || c.Broadcast.StorageConfigurationArn == "" {
		t.Errorf("the function reads %+v, %v", c, err)
	}

	bad := cdktest.New(t)
	ivs.NewStageSessions(bad.Stack, "Sessions", &ivs.StageSessionsProps{
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "client"), CapabilityGrants: sessionGrants,
		Broadcast: &ivs.SessionBroadcast{Channel: ivs.NewChannel(bad.Stack, "Channel", nil)},
	})
	if msg := bad.SynthError(); !strings.Contains(msg, "Broadcast needs a Channel and an EncoderConfiguration") {
		t.Errorf("a broadcast without an encoder: %q", msg)
	}
}

// TestStageSessionsSignsTokens: with a PublicKey the function reads its
// secret, finds its IVS public key, and may tag its own stages with
// co-host tags only; the key's rotation keeps a rotated-out key for the
// tokens' lifetime and the key cache.
func TestStageSessionsSignsTokens(t *testing.T) {
	env := cdktest.New(t)
	key := ivs.NewManagedPublicKey(env.Stack, "Key", &ivs.ManagedPublicKeyProps{RotationInterval: 30 * 24 * time.Hour})
	ivs.NewStageSessions(env.Stack, "Sessions", &ivs.StageSessionsProps{
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "client"), CapabilityGrants: sessionGrants, PublicKey: key,
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Sessions/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	stages := map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":ivs:", map[string]any{"Ref": "AWS::Region"}, ":",
		map[string]any{"Ref": "AWS::AccountId"}, ":stage/*"}}}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"Action": []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
				"Resource": map[string]any{"Ref": env.LogicalID("Key/Secret")}}),
			map[string]any{"Action": "ivs:ListPublicKeys", "Effect": "Allow", "Resource": "*"},
			map[string]any{"Action": []any{"ivs:TagResource", "ivs:UntagResource"}, "Effect": "Allow", "Resource": stages,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"},
					"ForAllValues:StringLike": map[string]any{"aws:TagKeys": []any{"ivscdk:cohost:*"}}}},
		})},
	})
	for _, route := range []string{"POST /sessions/promote", "GET /sessions/exchange"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route, "AuthorizationType": "JWT"})
	}
	fn := env.LogicalID("Sessions/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[stagesessions.EnvConfig]
	c, err := stagesessions.ParseConfig(resolveJoin(t, raw, map[string]string{env.LogicalID("Key/Secret"): "arn:aws:secretsmanager:us-west-2:123456789012:secret:key"}))
	if err != nil || c.SecretArn == "" || time.Duration(c.KeyCacheTTL) != 5*time.Minute {
		t.Errorf("the function reads %+v, %v", c, err)
	}
}

// TestStageSessionsChatRooms: with ChatRooms the function is told so, may
// make rooms only with the construct's tags and reach only rooms that
// carry them, names the room on the stage (a tag key CreateStage may now
// set), and hands out chat tokens on GET /sessions/chat; cdk-nag stays
// quiet.
func TestStageSessionsChatRooms(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewStageSessions(env.Stack, "Sessions", &ivs.StageSessionsProps{
		Authentication:   ivs.JWTAuthentication("https://issuer.example.com", "client"),
		CapabilityGrants: sessionGrants,
		ChatRooms:        true,
	})
	for _, f := range nagFindings(env) {
		if strings.Contains(f, `"id":"/TestStack/Sessions/`) {
			t.Errorf("unsuppressed cdk-nag finding: %.400s", f)
		}
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	arnOf := func(service, kind string) map[string]any {
		return map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":" + service + ":", map[string]any{"Ref": "AWS::Region"}, ":",
			map[string]any{"Ref": "AWS::AccountId"}, ":" + kind + "/*"}}}
	}
	mine := map[string]any{"aws:ResourceTag/ivscdk:sessions": "TestStack/Sessions"}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": []any{"ivs:CreateStage", "ivs:TagResource"}, "Effect": "Allow", "Resource": arnOf("ivs", "stage"),
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestTag/ivscdk:sessions": "TestStack/Sessions"},
					"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"ivscdk:sessions", "ivscdk:owner", "ivscdk:created", "ivscdk:room"}}}},
			map[string]any{"Action": []any{"ivschat:CreateRoom", "ivschat:TagResource"}, "Effect": "Allow", "Resource": arnOf("ivschat", "room"),
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:RequestTag/ivscdk:sessions": "TestStack/Sessions"},
					"ForAllValues:StringEquals": map[string]any{"aws:TagKeys": []any{"ivscdk:sessions", "ivscdk:owner", "ivscdk:created"}}}},
			map[string]any{"Action": []any{"ivschat:DeleteRoom", "ivschat:CreateChatToken"}, "Effect": "Allow", "Resource": arnOf("ivschat", "room"),
				"Condition": map[string]any{"StringEquals": mine}},
			map[string]any{"Action": "ivschat:ListRooms", "Effect": "Allow", "Resource": "*"},
		})},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": "GET /sessions/chat", "AuthorizationType": "JWT"})
	fn := env.LogicalID("Sessions/Function")
	raw := got["Resources"].(map[string]any)[fn].(map[string]any)["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)[stagesessions.EnvConfig]
	text, _ := raw.(string)
	if c, err := stagesessions.ParseConfig(text); err != nil || !c.ChatRooms {
		t.Errorf("the function reads %+v (%v), want chat rooms", c, err)
	}
}
