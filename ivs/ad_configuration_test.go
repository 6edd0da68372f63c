package ivs_test

import (
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdktest"
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
	assertions.Template_FromJSON(&got, nil).HasResourceProperties(jsii.String("AWS::IVS::AdConfiguration"), map[string]any{
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
