package main

// These tests use only public packages, like the rest of this folder, so
// that they keep working when the folder is copied into another module.

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/cdkapp/cfnvalidate"
	"github.com/ivscdk/ivscdk/cdkapp/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/live-event.json instead of comparing with it")

func synth(t *testing.T, props *LiveEventProps) (awscdk.Stack, map[string]any) {
	t.Helper()
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir: jsii.String(outdir),
		// CloudFormation's own rules fail synthesis instead of warning.
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewLiveEventStack(app, "IvsLiveEvent", props)
	template := *assertions.Template_FromStack(stack, nil).ToJSON()
	// Strict mode fails synthesis on the engine's errors; its warnings fail here.
	cfnvalidate.Check(t, outdir)
	return stack, template
}

func logicalID(stack awscdk.Stack, path ...string) string {
	c := stack.Node().FindChild(jsii.String(path[0]))
	for _, id := range path[1:] {
		c = c.Node().FindChild(jsii.String(id))
	}
	for child := c.Node().DefaultChild(); child != nil; child = c.Node().DefaultChild() {
		c = child
	}
	return *stack.GetLogicalId(c.(awscdk.CfnElement))
}

// pageConfig returns the config.json the deploy writes beside the page,
// as staged in the cloud assembly (values CDK tokens).
func pageConfig(t *testing.T, stack awscdk.Stack) map[string]any {
	t.Helper()
	var config map[string]any
	filepath.WalkDir(*awscdk.Stage_Of(stack).Outdir(), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "config.json" {
			b, _ := os.ReadFile(path)
			json.Unmarshal(b, &config)
		}
		return nil
	})
	if config == nil {
		t.Fatal("no config.json in the cloud assembly")
	}
	return config
}

type resource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

func resources(t *testing.T, template map[string]any) map[string]resource {
	t.Helper()
	b, _ := json.Marshal(template["Resources"])
	var out map[string]resource
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLiveEventStack(t *testing.T) {
	stack, got := synth(t, &LiveEventProps{BannedWords: "spoiler"})
	// This is the stack `go run .` and `cdk deploy` make; the golden file
	// is its template.
	golden.Check(t, "testdata/live-event.json", got, *update, golden.MaskAssets())
	all, _ := json.Marshal(got)

	// Secrets stay out: no private key, no stream key value.
	if strings.Contains(string(all), "PRIVATE KEY") || strings.Contains(string(all), `"Value"]`) {
		t.Error("the template holds a private key or reads a secret's value")
	}

	template := assertions.Template_FromJSON(&got, nil)
	channel := map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Channel"), "Arn"}}
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Authorized":                true,
		"RecordingConfigurationArn": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Recording"), "Arn"}},
	})
	template.ResourceCountIs(jsii.String("AWS::IVS::StreamKey"), jsii.Number(1))
	template.ResourceCountIs(jsii.String("AWS::Cognito::UserPool"), jsii.Number(1))
	for _, group := range []string{"hosts", "moderators"} {
		template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), map[string]any{"GroupName": group})
	}

	// Every route takes the pool's ID tokens, and every API's CORS names
	// the page and nothing else.
	page := map[string]any{"Fn::Join": []any{"", []any{"https://", map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Page", "Distribution"), "DomainName"}}}}}
	var routes []string
	apis := 0
	for id, r := range resources(t, got) {
		switch r.Type {
		case "AWS::ApiGatewayV2::Route":
			routes = append(routes, r.Properties["RouteKey"].(string))
			if r.Properties["AuthorizationType"] != "JWT" {
				t.Errorf("route %s (%s) is %v, want JWT", id, r.Properties["RouteKey"], r.Properties["AuthorizationType"])
			}
		case "AWS::ApiGatewayV2::Api":
			apis++
			cors, ok := r.Properties["CorsConfiguration"].(map[string]any)
			if !ok {
				// The recordings are served on the page's own
				// distribution: same origin, no CORS at all.
				if r.Properties["Description"] != "IVS recordings (ivscdk)" {
					t.Errorf("API %s has no CORS configuration", id)
				}
				continue
			}
			origins, _ := json.Marshal(cors["AllowOrigins"])
			if want, _ := json.Marshal([]any{page}); string(origins) != string(want) {
				t.Errorf("API %s allows origins %s, want only the page", id, origins)
			}
		}
	}
	for _, want := range []string{"GET /playback-token", "GET /chat-token", "POST /metadata", "POST /sessions", "DELETE /sessions",
		"GET /recordings", "GET /recordings/watch", "DELETE /recordings"} {
		if !slices.Contains(routes, want) {
			t.Errorf("no route %q among %q", want, routes)
		}
	}
	if apis != 5 {
		t.Errorf("%d HTTP APIs, want 5 (playback tokens, chat tokens, cues, shows, recordings)", apis)
	}

	// Who may do what: the grants each function reads.
	for _, grant := range []string{
		`{\"capabilities\":[\"PUT_METADATA\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}`,
		`{\"capabilities\":[\"HOST\"],\"claim\":\"cognito:groups\",\"value\":\"hosts\"}`,
		`{\"capabilities\":[\"MODERATE\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}`,
		`{\"capabilities\":[\"DELETE_MESSAGE\",\"DISCONNECT_USER\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}`,
		`{\"capabilities\":[\"DELETE_RECORDING\"],\"claim\":\"cognito:groups\",\"value\":\"moderators\"}`,
	} {
		if !strings.Contains(string(all), grant) {
			t.Errorf("the template lacks the grant %s", grant)
		}
	}

	// The chat: every message reviewed by the example's moderator, denied
	// when it cannot answer; the banned words are its setting.
	template.HasResourceProperties(jsii.String("AWS::IVSChat::Room"), map[string]any{
		"MessageReviewHandler": map[string]any{"FallbackResult": "DENY",
			"Uri": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "ChatModerator"), "Arn"}}},
		"LoggingConfigurationIdentifiers": assertions.Match_AnyValue(),
	})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{"BANNED_WORDS": "spoiler"}},
	})

	// Shows are composed onto the event's own channel, and only there.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action": "ivs:StartComposition", "Resource": assertions.Match_ArrayWith(&[]any{channel})})})},
	})
	// Cues go onto the channel; video moderation stops its stream.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "ivs:PutMetadata", "Effect": "Allow", "Resource": channel}})},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "Cues", "FunctionRole")}},
	})
	// On a hit it stops the stream and revokes the sessions of the viewers
	// the playback token endpoint logged (it may read that log), and keeps
	// the evidence in the library's index, never in a recording's entry.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{
			map[string]any{"Action": "dynamodb:Query", "Effect": "Allow",
				"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "PlaybackTokens", "Viewers"), "Arn"}}},
			map[string]any{"Action": []any{"ivs:StartViewerSessionRevocation", "ivs:StopStream"}, "Effect": "Allow", "Resource": channel},
			map[string]any{"Action": "dynamodb:PutItem", "Effect": "Allow",
				"Resource":  map[string]any{"Fn::GetAtt": []any{logicalID(stack, "Library", "Index"), "Arn"}},
				"Condition": map[string]any{"ForAllValues:StringLike": map[string]any{"dynamodb:LeadingKeys": []any{"moderation#*"}}}},
		})},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "VideoModeration", "FunctionRole")}},
	})
	// The token function writes the viewer log.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "dynamodb:PutItem", "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(stack, "PlaybackTokens", "Viewers"), "Arn"}}}})},
		"Roles": []any{map[string]any{"Ref": logicalID(stack, "PlaybackTokens", "FunctionRole")}},
	})

	// The dashboard, and its viewer alarm telling the alerts topic.
	template.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
		"Namespace": "AWS/IVS", "MetricName": "ConcurrentViews", "Threshold": 1000,
		"AlarmActions": []any{map[string]any{"Ref": logicalID(stack, "Alerts")}},
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": map[string]any{"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Stream State Change"},
			"resources": []any{channel}},
	})

	// The page's settings name every endpoint it calls.
	config := pageConfig(t, stack)
	for _, key := range []string{"tokenUrl", "chatTokenUrl", "metadataUrl", "sessionsUrl", "recordingsUrl", "channelArn",
		"ingestServer", "authDomain", "clientId", "region"} {
		if config[key] == nil {
			t.Errorf("the page's config.json has no %s: %v", key, config)
		}
	}
	// Its policy lets it reach IVS playback, real-time and chat, and the
	// camera and microphone from its own origin only.
	for _, want := range []string{"wss://edge.ivschat.", "https://*.live-video.net", "wss://*.live-video.net", "camera=(self)", "microphone=(self)"} {
		if !strings.Contains(string(all), want) {
			t.Errorf("the page's headers lack %s", want)
		}
	}
	for _, o := range []string{"PageUrl", "IngestServer", "StreamKeyArn", "AlertsTopicArn", "DashboardName", "UserPoolId"} {
		template.HasOutput(jsii.String(o), assertions.Match_AnyValue())
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}

// The dashboard's quota line and alarm come with the quota.
func TestConcurrentStreamsQuota(t *testing.T) {
	_, got := synth(t, &LiveEventProps{ConcurrentStreamsQuota: 20, MaxViewers: 50})
	template := assertions.Template_FromJSON(&got, nil)
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"MetricName": "ConcurrentViews", "Threshold": 50})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{"MetricName": "ConcurrentStreams", "Threshold": 16})
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack, the CDK's
// security linter: no finding may stay unsuppressed, and every suppression
// states its reason where it is made.
func TestCdkNagAwsSolutions(t *testing.T) {
	app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := NewLiveEventStack(app, "IvsLiveEvent", &LiveEventProps{})
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	annotations := assertions.Annotations_FromStack(stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f)
		t.Errorf("unsuppressed cdk-nag finding: %s", b)
	}
}
