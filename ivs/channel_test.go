package ivs_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestChannelAllProperties(t *testing.T) {
	env := cdktest.New(t)
	rc := ivs.RecordingConfigurationFromRecordingConfigurationArn(env.Stack, "Recording",
		"arn:aws:ivs:us-west-2:123456789012:recording-configuration/AbCdEf123456")
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{
		ChannelName:            "my-channel_1",
		Authorized:             true,
		InsecureIngest:         true,
		LatencyMode:            ivs.LatencyModeLow,
		Type:                   ivs.ChannelTypeAdvancedHD,
		Preset:                 ivs.PresetConstrainedBandwidthDelivery,
		ContainerFormat:        ivs.ContainerFormatFragmentedMP4,
		RecordingConfiguration: rc,
		Tags:                   map[string]string{"team": "video", "env": "prod"},
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Name":                      "my-channel_1",
		"Authorized":                true,
		"InsecureIngest":            true,
		"LatencyMode":               "LOW",
		"Type":                      "ADVANCED_HD",
		"Preset":                    "CONSTRAINED_BANDWIDTH_DELIVERY",
		"ContainerFormat":           "FRAGMENTED_MP4",
		"RecordingConfigurationArn": "arn:aws:ivs:us-west-2:123456789012:recording-configuration/AbCdEf123456",
		"Tags": []any{
			map[string]any{"Key": "env", "Value": "prod"},
			map[string]any{"Key": "team", "Value": "video"},
		},
	})
	cdktest.Golden(t, "testdata/golden/channel-all-properties.json", got)
}

func TestChannelMultitrack(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{
		MultitrackInput: &ivs.MultitrackInput{
			Policy:            ivs.MultitrackPolicyRequire,
			MaximumResolution: ivs.MultitrackMaximumResolutionFullHD,
		},
	})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	// Multitrack input needs fragmented MP4, so the channel defaults to it.
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"ContainerFormat": "FRAGMENTED_MP4",
		"MultitrackInputConfiguration": map[string]any{
			"Enabled":           true,
			"Policy":            "REQUIRE",
			"MaximumResolution": "FULL_HD",
		},
	})
	cdktest.Golden(t, "testdata/golden/channel-multitrack.json", got)
}

func TestChannelAttributes(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	awscdk.NewCfnOutput(env.Stack, jsii.String("Arn"), &awscdk.CfnOutputProps{Value: ch.ChannelArn()})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Ingest"), &awscdk.CfnOutputProps{Value: ch.ChannelIngestEndpoint()})
	awscdk.NewCfnOutput(env.Stack, jsii.String("Playback"), &awscdk.CfnOutputProps{Value: ch.ChannelPlaybackUrl()})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	for output, attr := range map[string]string{"Arn": "Arn", "Ingest": "IngestEndpoint", "Playback": "PlaybackUrl"} {
		template.HasOutput(jsii.String(output), map[string]any{
			"Value": map[string]any{"Fn::GetAtt": []any{"Channel4048F119", attr}},
		})
	}
}

func TestChannelIsARealResource(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	ch.ApplyRemovalPolicy(awscdk.RemovalPolicy_RETAIN)
	awscdk.Tags_Of(env.Stack).Add(jsii.String("cost-center"), jsii.String("42"), nil)
	cfn, ok := ch.Node().DefaultChild().(awscdk.CfnResource)
	if !ok {
		t.Fatalf("default child is %T, want the CfnChannel", ch.Node().DefaultChild())
	}
	cfn.AddPropertyOverride(jsii.String("InsecureIngest"), true)
	if got := *ch.Stack().StackName(); got != "TestStack" {
		t.Errorf("Stack() = %q", got)
	}
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResource(jsii.String("AWS::IVS::Channel"), map[string]any{
		"DeletionPolicy": "Retain",
		"Properties": map[string]any{
			"InsecureIngest": true,
			"Tags":           []any{map[string]any{"Key": "cost-center", "Value": "42"}},
		},
	})
}

func TestChannelCrossStackReference(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	consumer := awscdk.NewStack(env.App, jsii.String("Consumer"), nil)
	ivs.NewStreamKey(consumer, "StreamKey", &ivs.StreamKeyProps{Channel: ch})
	if err := env.SynthError(); err != "" {
		t.Fatal(err)
	}
	b, err := cdktest.ReadJSON(env.Outdir + "/Consumer.template.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(jsonString(t, b), `"Fn::ImportValue"`) {
		t.Errorf("the stream key in another stack does not import the channel ARN: %s", jsonString(t, b))
	}
}

func TestChannelTokensAreNotChecked(t *testing.T) {
	env := cdktest.New(t)
	name := awscdk.NewCfnParameter(env.Stack, jsii.String("Name"), nil).ValueAsString()
	latency := awscdk.NewCfnParameter(env.Stack, jsii.String("Latency"), nil).ValueAsString()
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{ChannelName: *name, LatencyMode: ivs.LatencyMode(*latency)})
	if msgs := validationMessages(t, env, "Channel"); len(msgs) != 0 {
		t.Errorf("tokens were checked: %q", msgs)
	}
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Name":        map[string]any{"Ref": "Name"},
		"LatencyMode": map[string]any{"Ref": "Latency"},
	})
}

func TestChannelRejectsBadInput(t *testing.T) {
	longName := strings.Repeat("a", 129)
	manyTags := map[string]string{}
	for i := 0; i < 51; i++ {
		manyTags[strings.Repeat("k", i+1)] = "v"
	}
	cases := []struct {
		name  string
		props ivs.ChannelProps
		want  []string
	}{
		{"name with space", ivs.ChannelProps{ChannelName: "bad name!"}, []string{`ChannelName "bad name!" is invalid`}},
		{"name too long", ivs.ChannelProps{ChannelName: longName}, []string{"at most 128 characters (got 129)"}},
		{"latency", ivs.ChannelProps{LatencyMode: "FAST"}, []string{`LatencyMode "FAST" is invalid: allowed values are "LOW", "NORMAL"`}},
		{"type", ivs.ChannelProps{Type: "PREMIUM"}, []string{`Type "PREMIUM" is invalid`, `"ADVANCED_HD"`}},
		{"preset value", ivs.ChannelProps{Type: ivs.ChannelTypeAdvancedSD, Preset: "FAST"}, []string{`Preset "FAST" is invalid`}},
		{"container format", ivs.ChannelProps{ContainerFormat: "MKV"}, []string{`ContainerFormat "MKV" is invalid`}},
		{"multitrack on basic", ivs.ChannelProps{Type: ivs.ChannelTypeBasic, MultitrackInput: &ivs.MultitrackInput{
			Policy: ivs.MultitrackPolicyAllow, MaximumResolution: ivs.MultitrackMaximumResolutionHD}},
			[]string{`MultitrackInput is invalid for channel type "BASIC"`}},
		{"multitrack with TS", ivs.ChannelProps{ContainerFormat: ivs.ContainerFormatTS, MultitrackInput: &ivs.MultitrackInput{
			Policy: ivs.MultitrackPolicyAllow, MaximumResolution: ivs.MultitrackMaximumResolutionHD}},
			[]string{`ContainerFormat "TS" is invalid with MultitrackInput`}},
		{"multitrack missing fields", ivs.ChannelProps{MultitrackInput: &ivs.MultitrackInput{}},
			[]string{"MultitrackInput.Policy is required", "MultitrackInput.MaximumResolution is required"}},
		{"multitrack bad values", ivs.ChannelProps{MultitrackInput: &ivs.MultitrackInput{Policy: "MAYBE", MaximumResolution: "4K"}},
			[]string{`MultitrackInput.Policy "MAYBE" is invalid`, `MultitrackInput.MaximumResolution "4K" is invalid`}},
		{"too many tags", ivs.ChannelProps{Tags: manyTags}, []string{"Tags has 51 tags: at most 50 are allowed"}},
		{"reserved tag key", ivs.ChannelProps{Tags: map[string]string{"aws:owner": "me"}}, []string{`"aws:" is reserved`}},
		{"empty tag key", ivs.ChannelProps{Tags: map[string]string{"": "x"}}, []string{"a tag key must be 1 to 128 characters (got 0)"}},
		{"long tag value", ivs.ChannelProps{Tags: map[string]string{"k": strings.Repeat("v", 257)}},
			[]string{"a tag value must be at most 256 characters (got 257)"}},
		{"bad tag character", ivs.ChannelProps{Tags: map[string]string{"k": "a|b"}}, []string{`character '|' is not allowed`}},
		{"several problems at once", ivs.ChannelProps{ChannelName: "a b", LatencyMode: "x", Type: "y"},
			[]string{"ChannelName", "LatencyMode", "Type"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			ivs.NewChannel(env.Stack, "Channel", &props)
			wantMessages(t, validationMessages(t, env, "Channel"), c.want...)
		})
	}
}

func TestChannelRejectsBadRecordingConfigurationArn(t *testing.T) {
	env := cdktest.New(t)
	rc := ivs.RecordingConfigurationFromRecordingConfigurationArn(env.Stack, "Recording", referenceChannelArn)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{RecordingConfiguration: rc})
	wantMessages(t, validationMessages(t, env, "Recording"), `names a "channel": want a "recording-configuration"`)
}

func TestValidChannelsAddNoValidation(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Type: ivs.ChannelTypeAdvancedSD, Preset: ivs.PresetHigherBandwidthDelivery})
	if msgs := validationMessages(t, env, "Channel"); len(msgs) != 0 {
		t.Errorf("valid channel reported %q", msgs)
	}
}

func TestAuthorizedChannelWithoutKeyPairWarns(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
	env.Synth()
	assertions.Annotations_FromStack(env.Stack).HasWarning(jsii.String("/TestStack/Channel"),
		assertions.Match_StringLikeRegexp(jsii.String("authorized.*no playback key pair")))
}

func TestAuthorizedChannelWithKeyPairDoesNotWarn(t *testing.T) {
	for name, addKey := range map[string]func(env *cdktest.Env){
		"new": func(env *cdktest.Env) {
			ivs.NewPlaybackKeyPair(env.Stack, "Key", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: publicKeyPEM(t)})
		},
		"imported": func(env *cdktest.Env) {
			ivs.PlaybackKeyPairFromPlaybackKeyPairArn(env.Stack, "Key", "arn:aws:ivs:us-west-2:123456789012:playback-key/abcd1234")
		},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true})
			addKey(env) // added after the channel: the check runs at synth
			env.Synth()
			assertions.Annotations_FromStack(env.Stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
		})
	}
}

func TestAuthorizedChannelRefusesARestrictionPolicy(t *testing.T) {
	env := cdktest.New(t)
	policy := ivs.NewPlaybackRestrictionPolicy(env.Stack, "Policy", &ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"US"}})
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Authorized: true, PlaybackRestrictionPolicy: policy})
	wantMessages(t, validationMessages(t, env, "Channel"), "PlaybackRestrictionPolicy would do nothing",
		"Enable Playback Authorization on IVS Channels", "AllowedOrigins")
}

// IVS ignores CUSTOM renditions on BASIC channels: a warning, since one
// recording configuration may serve channels of several types.
func TestCustomRenditionsOnABasicChannelWarn(t *testing.T) {
	for name, c := range map[string]struct {
		channelType ivs.ChannelType
		selection   ivs.RenditionSelection
		warns       bool
	}{
		"basic with custom":    {ivs.ChannelTypeBasic, ivs.RenditionSelectionCustom, true},
		"standard with custom": {ivs.ChannelTypeStandard, ivs.RenditionSelectionCustom, false},
		"basic with all":       {ivs.ChannelTypeBasic, ivs.RenditionSelectionAll, false},
	} {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			props := &ivs.RecordingConfigurationProps{Bucket: awss3.NewBucket(env.Stack, jsii.String("Bucket"), nil), RenditionSelection: c.selection}
			if c.selection == ivs.RenditionSelectionCustom {
				props.Renditions = []ivs.Resolution{ivs.ResolutionHD}
			}
			recording := ivs.NewRecordingConfiguration(env.Stack, "Recording", props)
			ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Type: c.channelType, RecordingConfiguration: recording})
			env.Synth()
			annotations := assertions.Annotations_FromStack(env.Stack)
			if c.warns {
				annotations.HasWarning(jsii.String("/TestStack/Channel"),
					assertions.Match_StringLikeRegexp(jsii.String("CUSTOM renditions.*no effect on a BASIC channel.*"+ivs.WarningCustomRenditionsOnBasicChannel)))
			} else {
				annotations.HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
			}
		})
	}
}

// The alpha's test "the preset with the STANDARD or BASIC channel type is
// overwritten with an empty string": the same template here, plus a
// warning that says the preset does nothing.
func TestPresetOnAStandardOrBasicChannelIsEmptyAsInTheAlpha(t *testing.T) {
	for _, c := range []struct {
		name      string
		props     ivs.ChannelProps
		wantType  any
		wantInMsg string
	}{
		{"STANDARD", ivs.ChannelProps{Type: ivs.ChannelTypeStandard, Preset: ivs.PresetConstrainedBandwidthDelivery}, "STANDARD", "on a STANDARD channel"},
		{"BASIC", ivs.ChannelProps{Type: ivs.ChannelTypeBasic, Preset: ivs.PresetHigherBandwidthDelivery}, "BASIC", "on a BASIC channel"},
		{"type left out (STANDARD)", ivs.ChannelProps{Preset: ivs.PresetHigherBandwidthDelivery}, assertions.Match_Absent(), "on a STANDARD channel"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			ivs.NewChannel(env.Stack, "Channel", &c.props)
			got := env.Synth()
			template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
			template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{"Type": c.wantType, "Preset": ""})
			warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Channel"),
				assertions.Match_StringLikeRegexp(jsii.String("Preset .* has no effect "+c.wantInMsg)))
			if len(*warnings) != 1 {
				t.Errorf("%d preset warnings, want 1", len(*warnings))
			}
		})
	}
	// An advanced channel keeps its preset, without a warning.
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{Type: ivs.ChannelTypeAdvancedHD, Preset: ivs.PresetConstrainedBandwidthDelivery})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::Channel"),
		map[string]any{"Type": "ADVANCED_HD", "Preset": "CONSTRAINED_BANDWIDTH_DELIVERY"})
	assertions.Annotations_FromStack(env.Stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
}
