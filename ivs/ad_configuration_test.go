package ivs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

const mediaTailorArn = "arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/live-ads"

func TestAdConfiguration(t *testing.T) {
	env := cdktest.New(t)
	// Strict synthesis succeeds only because the construct acknowledges the
	// Validate engine's F3006 (unknown type) on itself; the registry schema
	// check of Synth covers the properties.
	ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{
		MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn},
		PostRoll:                             30 * time.Second,
		AdConfigurationName:                  "live-ads",
	})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::AdConfiguration"), map[string]any{
		"Name":                              "live-ads",
		"MediaTailorPlaybackConfigurations": []any{map[string]any{"PlaybackConfigurationArn": mediaTailorArn}},
		"PostRollConfiguration":             map[string]any{"Enabled": true, "DurationSeconds": 30},
	})
	cdktest.Golden(t, "testdata/golden/ad-configuration.json", got)
}

func TestAdConfigurationRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		props ivs.AdConfigurationProps
		want  []string
	}{
		{"none", ivs.AdConfigurationProps{}, []string{"MediaTailorPlaybackConfigurationArns has 0 entries: give 1 to 3"}},
		{"four", ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn, mediaTailorArn, mediaTailorArn, mediaTailorArn}}, []string{"has 4 entries"}},
		{"bad arn", ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{referenceChannelArn}}, []string{"is invalid: want arn:aws:mediatailor"}},
		{"post-roll", ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn}, PostRoll: 301 * time.Second}, []string{"PostRoll 5m1s is invalid: use whole seconds from 1 to 300"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			ivs.NewAdConfiguration(env.Stack, "Ads", &props)
			wantMessages(t, validationMessages(t, env, "Ads"), c.want...)
		})
	}
}

// MediaTailor playback configurations of another account or region are
// refused; IVS takes them from its own only.
func TestAdConfigurationPlaybackConfigurationsAreLocal(t *testing.T) {
	env := cdktest.NewOregon(t)
	ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{
		"arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/local",
		"arn:aws:mediatailor:eu-west-1:123456789012:playbackConfiguration/far",
		"arn:aws:mediatailor:us-west-2:999999999999:playbackConfiguration/other",
	}})
	messages := validationMessages(t, env, "Ads")
	wantMessages(t, messages, "MediaTailorPlaybackConfigurationArns[1]", "region eu-west-1",
		"MediaTailorPlaybackConfigurationArns[2]", "account 999999999999", "in the same region and account")
	if len(messages) != 2 {
		t.Errorf("messages %q, want two (the local one passes)", messages)
	}
}

// An ad configuration does nothing until a channel uses it: the channel
// attaches it with UpdateChannel (adConfigurationArn), on that channel and
// configuration only, and a producer may insert ad breaks.
func TestAdConfigurationAttachedToChannel(t *testing.T) {
	env := cdktest.New(t)
	ads := ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn}})
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{AdConfiguration: ads})
	producer := newRole(env, "Producer")
	channel.GrantInsertAdBreak(producer)
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	call := jsonString(t, template.FindResources(jsii.String("Custom::AWS"), nil))
	for _, want := range []string{`\"action\":\"UpdateChannel\"`, `\"adConfigurationArn\":\"`, `\"adConfigurationArn\":\"\"`} {
		if !strings.Contains(call, want) {
			t.Errorf("the attachment lacks %s: %s", want, call)
		}
	}
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:UpdateChannel", "Effect": "Allow",
			"Resource": []any{
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Channel"), "Arn"}},
				map[string]any{"Fn::GetAtt": []any{env.LogicalID("Ads"), "Arn"}},
			},
		}}},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:InsertAdBreak", "Effect": "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{env.LogicalID("Channel"), "Arn"}},
		}}},
	})

	imported := ivs.AdConfigurationFromAdConfigurationArn(env.Stack, "Imported", "arn:aws:ivs:us-west-2:123456789012:ad-configuration/AbC123")
	if *imported.AdConfigurationArn() != "arn:aws:ivs:us-west-2:123456789012:ad-configuration/AbC123" {
		t.Error("the import lost its ARN")
	}
	env2 := cdktest.New(t)
	ivs.AdConfigurationFromAdConfigurationArn(env2.Stack, "Bad", "arn:aws:ivs:us-west-2:123456789012:channel/AbC123")
	wantMessages(t, validationMessages(t, env2, "Bad"), "ad-configuration")
}

// IVS refuses an ad configuration on a FRAGMENTED_MP4 channel.
func TestAdsNeedTheTSContainer(t *testing.T) {
	for name, props := range map[string]ivs.ChannelProps{
		"fmp4":       {ContainerFormat: ivs.ContainerFormatFragmentedMP4},
		"multitrack": {MultitrackInput: &ivs.MultitrackInput{Policy: ivs.MultitrackPolicyAllow, MaximumResolution: ivs.MultitrackMaximumResolutionHD}},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props.AdConfiguration = ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn}})
			ivs.NewChannel(env.Stack, "Channel", &props)
			wantMessages(t, validationMessages(t, env, "Channel"), "AdConfiguration needs the TS container format", "Server-Side Ad Insertion (SSAI)")
		})
	}
}

// Ad break events name the channel in detail.channel_name.
func TestOnAdBreakStateChange(t *testing.T) {
	env := cdktest.New(t)
	ads := ivs.NewAdConfiguration(env.Stack, "Ads", &ivs.AdConfigurationProps{MediaTailorPlaybackConfigurationArns: []string{mediaTailorArn}})
	channel := ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{ChannelName: "live-with-ads", AdConfiguration: ads})
	channel.OnAdBreakStateChange("AdBreaks", nil)
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]any{
		"EventPattern": assertions.Match_ObjectEquals(&map[string]any{
			"source": []any{"aws.ivs"}, "detail-type": []any{"IVS Ad Break State Change"},
			"detail": map[string]any{"channel_name": []any{"live-with-ads"}},
		}),
	})
}
