package ivs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/handler/playbacktoken"
	"github.com/ivscdk/ivscdk/handler/viewerlog"
	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

// functionEnv returns, as JSON text, the value of the environment variable
// name of the template's Lambda function that has it (a token function's
// configuration; an Fn::Join when it names resources of the stack).
func functionEnv(t *testing.T, template map[string]any, name string) string {
	t.Helper()
	for _, r := range template["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] != "AWS::Lambda::Function" {
			continue
		}
		vars := res["Properties"].(map[string]any)["Environment"].(map[string]any)["Variables"].(map[string]any)
		if v, ok := vars[name]; ok {
			return jsonString(t, v)
		}
	}
	t.Fatalf("no function with %s", name)
	return ""
}

// endpointConfig returns the playback token function's configuration.
func endpointConfig(t *testing.T, template map[string]any) string {
	return functionEnv(t, template, playbacktoken.EnvConfig)
}

func TestPlaybackTokenEndpointDefaults(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	pair := ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: month})
	endpoint := ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel},
		KeyPair:  pair,
	})
	backend := awsiam.NewRole(env.Stack, jsii.String("Backend"), &awsiam.RoleProps{AssumedBy: awsiam.NewServicePrincipal(jsii.String("ecs-tasks.amazonaws.com"), nil)})
	endpoint.GrantInvoke(backend)
	awscdk.NewCfnOutput(env.Stack, jsii.String("Url"), &awscdk.CfnOutputProps{Value: endpoint.Url()})
	got := env.Synth()
	cdktest.Golden(t, "testdata/playback-token-endpoint.json", got)
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))

	// IAM authentication on both routes, throttling on the stage.
	for _, route := range []string{"GET /playback-token", "POST /playback-token"} {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{
			"RouteKey": route, "AuthorizationType": "AWS_IAM",
		})
	}
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"StageName": "$default", "AutoDeploy": true,
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100},
	})
	// The function reads the one secret, and nothing else.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Tokens/FunctionLogs"), "Arn"}},
		}, map[string]any{
			"Action":   []any{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Ref": env.LogicalID("Key/Secret")},
		}}},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Tokens/FunctionRole")}},
	})
	// The backend may invoke the routes.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": assertions.Match_AnyValue(),
		}})},
		"Roles": []any{map[string]any{"Ref": env.LogicalID("Backend")}},
	})
	config := endpointConfig(t, got)
	for _, want := range []string{`\"tokenLifetime\":\"5m0s\"`, `\"keyCacheTtl\":\"5m0s\"`, env.LogicalID("Channel"), "PlaybackUrl"} {
		if !strings.Contains(config, want) {
			t.Errorf("config %s lacks %s", config, want)
		}
	}
	// The key pair's grace period follows the endpoint: 5m tokens + 5m cache.
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Environment": map[string]any{"Variables": map[string]any{"GRACE_PERIOD": "10m0s", "KEY_PAIR_NAME_PREFIX": assertions.Match_AnyValue()}},
	})
	if pair.GracePeriod() != 10*time.Minute {
		t.Errorf("grace %s", pair.GracePeriod())
	}
	if strings.Contains(jsonString(t, got), "PRIVATE KEY") {
		t.Error("the template holds key material")
	}
}

func TestPlaybackTokenEndpointJWTAndTokenOptions(t *testing.T) {
	env := cdktest.New(t)
	a := ivs.NewChannel(env.Stack, "A", &ivs.ChannelProps{Authorized: true})
	b := ivs.ChannelFromChannelAttributes(env.Stack, "B", &ivs.ChannelAttributes{
		ChannelArn:         "arn:aws:ivs:us-west-2:123456789012:channel/zyxwZYXWvuts",
		ChannelPlaybackUrl: "https://a1b2c3.us-west-2.playback.live-video.net/api/video/v1/b.m3u8",
	})
	secret := awssecretsmanager.NewSecret(env.Stack, jsii.String("OwnKey"), nil)
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:                []ivs.IChannel{a, b},
		PrivateKeySecret:        secret,
		Authentication:          ivs.JWTAuthentication("https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123", "client-1"),
		TokenLifetime:           2 * time.Minute,
		ViewerIDClaim:           "sub",
		SingleUse:               true,
		AllowedOrigins:          []string{"https://watch.example.com"},
		StrictOriginEnforcement: true,
		MaximumResolution:       ivs.MaximumResolutionHD,
		ThrottlingRateLimit:     10,
		ThrottlingBurstLimit:    20,
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType": "JWT",
		"JwtConfiguration": map[string]any{
			"Issuer": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc123", "Audience": []any{"client-1"},
		},
	})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"AuthorizationType": "JWT"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"CorsConfiguration": map[string]any{"AllowOrigins": []any{"https://watch.example.com"}},
	})
	config := endpointConfig(t, got)
	for _, want := range []string{`\"viewerIdClaim\":\"sub\"`, `\"singleUse\":true`, `\"maximumResolution\":\"HD\"`,
		`\"strictOriginEnforcement\":true`, `\"allowedOrigins\":[\"https://watch.example.com\"]`, "zyxwZYXWvuts", "b.m3u8"} {
		if !strings.Contains(config, want) {
			t.Errorf("config lacks %s:\n%s", want, config)
		}
	}
}

// TestPlaybackTokenEndpointRecordsViewers: the viewer log is a table keyed
// as handler/viewerlog reads it, with its time to live, written by the
// function only, and named in its configuration.
func TestPlaybackTokenEndpointRecordsViewers(t *testing.T) {
	env := cdktest.New(t)
	tokens := ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels:       []ivs.IChannel{ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})},
		KeyPair:        ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"),
		ViewerIDClaim:  "sub", RecordViewers: true, ViewerRetention: 6 * time.Hour,
	})
	if tokens.Viewers() == nil {
		t.Fatal("Viewers() is nil with RecordViewers")
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), map[string]any{
		"KeySchema":               []any{map[string]any{"AttributeName": "channelArn", "KeyType": "HASH"}, map[string]any{"AttributeName": "viewerId", "KeyType": "RANGE"}},
		"BillingMode":             "PAY_PER_REQUEST",
		"TimeToLiveSpecification": map[string]any{"AttributeName": "expiresAt", "Enabled": true},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{map[string]any{
			"Action": "dynamodb:PutItem", "Effect": "Allow",
			"Resource": assertions.Match_ArrayWith(&[]any{map[string]any{"Fn::GetAtt": []any{env.LogicalID("Tokens/Viewers"), "Arn"}}}),
		}})},
	})
	config := endpointConfig(t, got)
	for _, want := range []string{`\"viewerTable\":\"`, `\"viewerRetention\":\"6h0m0s\"`} {
		if !strings.Contains(config, want) {
			t.Errorf("config lacks %s:\n%s", want, config)
		}
	}
	// The construct writes the retention out; its default is the log's own.
	if ivs.DefaultViewerRetention != viewerlog.DefaultRetention {
		t.Errorf("DefaultViewerRetention %s, the viewer log's default %s", ivs.DefaultViewerRetention, viewerlog.DefaultRetention)
	}
	without := cdktest.New(t)
	plain := ivs.NewPlaybackTokenEndpoint(without.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{ivs.NewChannel(without.Stack, "Channel", &ivs.ChannelProps{Authorized: true})},
		KeyPair:  ivs.NewManagedPlaybackKeyPair(without.Stack, "Key", nil),
	})
	if plain.Viewers() != nil {
		t.Error("Viewers() is not nil without RecordViewers")
	}
}

func TestPlaybackTokenEndpointConfigRoundTrips(t *testing.T) {
	// The configuration the construct writes is what the handler reads.
	env := cdktest.New(t)
	b := ivs.ChannelFromChannelAttributes(env.Stack, "B", &ivs.ChannelAttributes{
		ChannelArn:         "arn:aws:ivs:us-west-2:123456789012:channel/zyxwZYXWvuts",
		ChannelPlaybackUrl: "https://x.playback.live-video.net/b.m3u8",
	})
	secret := awssecretsmanager.Secret_FromSecretCompleteArn(env.Stack, jsii.String("OwnKey"),
		jsii.String("arn:aws:secretsmanager:us-west-2:123456789012:secret:key-AbCdEf"))
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{b}, PrivateKeySecret: secret, TokenLifetime: 90 * time.Second,
		Authentication:               ivs.JWTAuthentication("https://issuer.example.com", "app"),
		AdsPlaybackConfigurationName: "premium", AdsReportingMode: "CLIENT", AdsOptOutClaim: "subscriber",
		AdsPlayerParamsClaims: map[string]string{"age": "custom:age_band"},
	})
	var raw string
	if err := json.Unmarshal([]byte(endpointConfig(t, env.Synth())), &raw); err != nil {
		t.Fatalf("with literal inputs the configuration should be a plain string: %v", err)
	}
	c, err := playbacktoken.ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(c.TokenLifetime) != 90*time.Second || c.Channels[0].PlaybackURL != "https://x.playback.live-video.net/b.m3u8" ||
		c.SecretArn != "arn:aws:secretsmanager:us-west-2:123456789012:secret:key-AbCdEf" ||
		c.AdsPlaybackConfigName != "premium" || c.AdsReportingMode != "CLIENT" || c.AdsOptOutClaim != "subscriber" ||
		c.AdsPlayerParamsClaims["age"] != "custom:age_band" {
		t.Errorf("config %+v", c)
	}
}

// unauthenticatedEndpoint defines an endpoint anyone can call.
func unauthenticatedEndpoint(env *cdktest.Env) {
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.NoAuthentication(),
	})
}

func TestPlaybackTokenEndpointWithoutAuthenticationWarns(t *testing.T) {
	env := cdktest.New(t)
	unauthenticatedEndpoint(env)
	got := env.Synth()
	assertions.Annotations_FromStack(env.Stack).HasWarning(jsii.String("/TestStack/Tokens"),
		assertions.Match_StringLikeRegexp(jsii.String("anyone can fetch playback tokens")))
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"),
		map[string]any{"AuthorizationType": "NONE"})
}

func TestPlaybackTokenEndpointValidation(t *testing.T) {
	type build func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps
	withChannel := func(edit func(p *ivs.PlaybackTokenEndpointProps)) build {
		return func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			p := &ivs.PlaybackTokenEndpointProps{
				Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})},
				KeyPair:  ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
			}
			edit(p)
			return p
		}
	}
	jwt := ivs.JWTAuthentication("https://issuer.example.com", "app")
	cases := []struct {
		name  string
		props build
		want  []string
	}{
		{"no channels", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			return &ivs.PlaybackTokenEndpointProps{KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil)}
		}, []string{"Channels is empty"}},
		{"no key", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.KeyPair = nil }), []string{"no signing key"}},
		{"two keys", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			p := withChannel(func(*ivs.PlaybackTokenEndpointProps) {})(env)
			p.PrivateKeySecret = awssecretsmanager.NewSecret(env.Stack, jsii.String("S"), nil)
			return p
		}, []string{"KeyPair and PrivateKeySecret are both set"}},
		{"public channel", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			return &ivs.PlaybackTokenEndpointProps{
				Channels: []ivs.IChannel{ivs.NewChannel(env.Stack, "Public", nil)},
				KeyPair:  ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
			}
		}, []string{"Channels[0] (TestStack/Public) is not authorized"}},
		{"imported by ARN", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			return &ivs.PlaybackTokenEndpointProps{
				Channels: []ivs.IChannel{ivs.ChannelFromChannelArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:channel/abc")},
				KeyPair:  ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
			}
		}, []string{"Channels[0] was imported without its playback URL", "ChannelFromChannelAttributes"}},
		{"viewer log without viewer IDs", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.RecordViewers = true }),
			[]string{"RecordViewers needs ViewerIDClaim"}},
		{"viewer retention shorter than a token", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication, p.ViewerIDClaim, p.RecordViewers, p.ViewerRetention = jwt, "sub", true, time.Minute
		}), []string{"ViewerRetention 1m0s is invalid", "at least the TokenLifetime (5m0s)", "at most 720h"}},
		{"viewer retention without a log", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.ViewerRetention = time.Hour }),
			[]string{"ViewerRetention 1h0m0s without RecordViewers"}},
		{"viewer retention too long", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication, p.ViewerIDClaim, p.RecordViewers, p.ViewerRetention = jwt, "sub", true, 31*24*time.Hour
		}), []string{"ViewerRetention 744h0m0s is invalid"}},
		{"lifetime with viewer", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication, p.ViewerIDClaim, p.TokenLifetime = jwt, "sub", 11*time.Minute
		}), []string{"TokenLifetime 11m0s is too long", "at most 10m0s"}},
		{"ad claims without JWT", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.AdsOptOutClaim = "subscriber" }),
			[]string{"AdsOptOutClaim and AdsPlayerParamsClaims need JWTAuthentication"}},
		{"ad reporting mode", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.AdsReportingMode = "BOTH" }),
			[]string{`AdsReportingMode "BOTH" is invalid`}},
		{"lifetime single use", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.SingleUse, p.TokenLifetime = true, time.Hour }),
			[]string{"TokenLifetime 1h0m0s is too long"}},
		{"fractional lifetime", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.TokenLifetime = 1500 * time.Millisecond }),
			[]string{"TokenLifetime 1.5s is invalid"}},
		{"empty JWT audience", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication = ivs.JWTAuthentication("https://issuer.example.com", "")
		}), []string{"JWTAuthentication audience[0] is empty"}},
		{"viewer claim without JWT", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.ViewerIDClaim = "sub" }),
			[]string{`ViewerIDClaim "sub" needs JWTAuthentication`}},
		{"six strict origins", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.StrictOriginEnforcement = true
			p.AllowedOrigins = strings.Split("https://a.com,https://b.com,https://c.com,https://d.com,https://e.com,https://f.com", ",")
		}), []string{"AllowedOrigins has 6 origins"}},
		{"bad origin", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.AllowedOrigins = []string{"not an origin"} }),
			[]string{"the token settings are invalid"}},
		{"resolution", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.MaximumResolution = "4K" }),
			[]string{`MaximumResolution "4K" is invalid`}},
		{"negative throttling", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.ThrottlingRateLimit, p.ThrottlingBurstLimit = -1, -2 }),
			[]string{"ThrottlingRateLimit -1 and ThrottlingBurstLimit -2 must not be negative"}},
		{"duplicate channel", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			ch := ivs.ChannelFromChannelAttributes(env.Stack, "Imported", &ivs.ChannelAttributes{
				ChannelArn: "arn:aws:ivs:us-west-2:123456789012:channel/abc", ChannelPlaybackUrl: "https://x/y.m3u8"})
			return &ivs.PlaybackTokenEndpointProps{Channels: []ivs.IChannel{ch, ch}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil)}
		}, []string{"Channels names arn:aws:ivs:us-west-2:123456789012:channel/abc twice"}},
		{"nil channel", func(env *cdktest.Env) *ivs.PlaybackTokenEndpointProps {
			return &ivs.PlaybackTokenEndpointProps{Channels: []ivs.IChannel{nil}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil)}
		}, []string{"Channels[0] is nil"}},
		{"comma in origin", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.AllowedOrigins = []string{"https://a.com,https://b.com"} }),
			[]string{"holds a comma"}},
		{"cache", withChannel(func(p *ivs.PlaybackTokenEndpointProps) { p.KeyCacheTTL = 2 * time.Hour }),
			[]string{"KeyCacheTTL 2h0m0s is invalid"}},
		{"issuer", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication = ivs.JWTAuthentication("http://issuer.example.com")
		}), []string{`issuer "http://issuer.example.com" is invalid`, "has no audience"}},
		{"empty issuer", withChannel(func(p *ivs.PlaybackTokenEndpointProps) {
			p.Authentication = ivs.JWTAuthentication("", "app")
		}), []string{`issuer "" is invalid`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", c.props(env))
			wantMessages(t, validationMessages(t, env, "Tokens"), c.want...)
		})
	}
}

func TestRotationMustOutliveTheEndpointsTokens(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	pair := ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", &ivs.ManagedPlaybackKeyPairProps{RotationInterval: 4 * time.Hour})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: pair, TokenLifetime: 4 * time.Hour, KeyCacheTTL: time.Hour,
	})
	wantMessages(t, []string{env.SynthError()}, "TestStack/Key",
		"RotationInterval 4h0m0s is shorter than the grace period 5h0m0s (the token lifetime plus key cache time of TestStack/Tokens)")
}

func TestGrantRevokeViewerSessions(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	role := awsiam.NewRole(env.Stack, jsii.String("Moderator"), &awsiam.RoleProps{AssumedBy: awsiam.NewAccountRootPrincipal()})
	channel.GrantRevokeViewerSessions(role)
	ivs.NewPlaybackKeyPair(env.Stack, "Key", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: publicKeyPEM(t)})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:StartViewerSessionRevocation", "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Channel"), "Arn"}},
		}}},
	})
}

func TestPlaybackTokenEndpointWithAManagedKeyServesChannelsOfItsEnvironment(t *testing.T) {
	env := cdktest.NewOregon(t)
	channel := func(id, arn string) ivs.IChannel {
		return ivs.ChannelFromChannelAttributes(env.Stack, id, &ivs.ChannelAttributes{ChannelArn: arn, ChannelPlaybackUrl: "https://x.playback.live-video.net/" + id + ".m3u8"})
	}
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel("Local", "arn:aws:ivs:us-west-2:123456789012:channel/localchannel"), channel("Dublin", "arn:aws:ivs:eu-west-1:123456789012:channel/dublinchanne")},
		KeyPair:  ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
	})
	msg := env.SynthError()
	wantMessages(t, []string{msg}, "Oregon/Tokens", "Channels[1]", "is in region eu-west-1")
	if strings.Contains(msg, "localchannel") {
		t.Errorf("a channel of the key pair's environment was refused: %s", msg)
	}
}

// Strict origin enforcement with no origins synthesizes with a warning: no
// documented rule refuses it.
func TestPlaybackTokenEndpointStrictWithoutOriginsWarns(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil), StrictOriginEnforcement: true,
	})
	env.Synth()
	warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Tokens"),
		assertions.Match_StringLikeRegexp(jsii.String("StrictOriginEnforcement without AllowedOrigins has nothing to enforce")))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings, want 1", len(*warnings))
	}
}

func TestGrantInvokeNeedsIAMAuthentication(t *testing.T) {
	env := cdktest.New(t)
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	tokens := ivs.NewPlaybackTokenEndpoint(env.Stack, "Tokens", &ivs.PlaybackTokenEndpointProps{
		Channels: []ivs.IChannel{channel}, KeyPair: ivs.NewManagedPlaybackKeyPair(env.Stack, "Key", nil),
		Authentication: ivs.JWTAuthentication("https://issuer.example.com", "app"),
	})
	tokens.GrantInvoke(awsiam.NewRole(env.Stack, jsii.String("Backend"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil)}))
	wantMessages(t, validationMessages(t, env, "Tokens"), "GrantInvoke needs IAMAuthentication", "their JSON Web Token")
}
