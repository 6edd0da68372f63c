package ivs_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestPlaybackRestrictionPolicyAttachedToChannel(t *testing.T) {
	env := cdktest.New(t)
	policy := ivs.NewPlaybackRestrictionPolicy(env.Stack, "Policy", &ivs.PlaybackRestrictionPolicyProps{
		AllowedCountries:              []string{"US", "DE"},
		AllowedOrigins:                []string{"https://example.com", "https://player.example.com:8443"},
		EnableStrictOriginEnforcement: true,
		PlaybackRestrictionPolicyName: "north-america-and-germany",
		Tags:                          map[string]string{"team": "video"},
	})
	ivs.NewChannel(env.Stack, "Channel", &ivs.ChannelProps{PlaybackRestrictionPolicy: policy})
	policyID := env.LogicalID("Policy")
	channelID := env.LogicalID("Channel")
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::PlaybackRestrictionPolicy"), map[string]any{
		"AllowedCountries":              []any{"US", "DE"},
		"AllowedOrigins":                []any{"https://example.com", "https://player.example.com:8443"},
		"EnableStrictOriginEnforcement": true,
		"Name":                          "north-america-and-germany",
	})
	channelArn := map[string]any{"Fn::GetAtt": []any{channelID, "Arn"}}
	policyArn := map[string]any{"Fn::GetAtt": []any{policyID, "Arn"}}
	// The custom resource calls UpdateChannel with the policy on create and
	// update, and with "" on delete.
	attachments := template.FindResources(jsii.String("Custom::AWS"), nil)
	if len(*attachments) != 1 {
		t.Fatalf("%d Custom::AWS resources, want 1", len(*attachments))
	}
	for _, r := range *attachments {
		props := (*r)["Properties"].(map[string]any)
		for _, key := range []string{"Create", "Update", "Delete"} {
			s := jsonString(t, props[key])
			for _, want := range []string{`\"service\":\"ivs\"`, `\"action\":\"UpdateChannel\"`, channelID} {
				if !containsAny(s, want) {
					t.Errorf("%s call %s lacks %s", key, s, want)
				}
			}
			if (key == "Delete") != containsAny(s, `\"playbackRestrictionPolicyArn\":\"\"`) {
				t.Errorf("%s call %s: only Delete should clear the policy", key, s)
			}
		}
	}
	// Least privilege: only ivs:UpdateChannel, only on this channel and policy.
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action": "ivs:UpdateChannel", "Effect": "Allow", "Resource": []any{channelArn, policyArn},
		}}},
	})
	cdktest.Golden(t, "testdata/golden/playback-restriction-policy.json", got)
}

func TestPlaybackRestrictionPolicyRejectsBadInput(t *testing.T) {
	cases := []struct {
		name  string
		props ivs.PlaybackRestrictionPolicyProps
		want  []string
	}{
		{"lowercase country", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"us"}}, []string{`AllowedCountries "us" is not an ISO 3166-1 alpha-2 code: write it in capitals, "US"`}},
		{"unassigned code", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"XX"}}, []string{`AllowedCountries "XX" is not an officially assigned ISO 3166-1 alpha-2 country code`}},
		{"alpha-3", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"USA"}}, []string{`AllowedCountries "USA" is not an officially assigned`}},
		{"region not country", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"EU"}}, []string{`AllowedCountries "EU" is not an officially assigned`}},
		{"reserved UK", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"UK"}}, []string{`AllowedCountries "UK" is reserved in ISO 3166-1, not assigned: use "GB"`}},
		{"reserved codes", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"XK", "SU", "AC", "EZ", "UN", "CP"}},
			[]string{`"XK" is not an officially assigned`, `"SU" was withdrawn`, `"AC" is not an officially assigned`, `"EZ" is not an officially assigned`, `"UN" is not an officially assigned`, `"CP" is not an officially assigned`}},
		{"duplicate", ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"FR", "FR"}}, []string{`AllowedCountries lists "FR" twice`}},
		{"origin with path", ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"https://example.com/page"}}, []string{`AllowedOrigins "https://example.com/page" is not an origin`}},
		{"wildcard origin", ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"https://*.example.com"}}, []string{`is not an origin`}},
		{"long origin", ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"https://" + strings.Repeat("a", 117) + ".com"}}, []string{`has 129 characters: IVS takes origins of at most 128`}},
		{"duplicate origin", ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"https://a.example", "https://a.example"}}, []string{`AllowedOrigins lists "https://a.example" twice`}},
		{"star origin", ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"*"}}, []string{"leave AllowedOrigins empty"}},
		{"bad name", ivs.PlaybackRestrictionPolicyProps{PlaybackRestrictionPolicyName: "no way"}, []string{`PlaybackRestrictionPolicyName "no way" is invalid`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			props := c.props
			ivs.NewPlaybackRestrictionPolicy(env.Stack, "Policy", &props)
			wantMessages(t, validationMessages(t, env, "Policy"), c.want...)
		})
	}
	env := cdktest.New(t)
	ivs.NewPlaybackRestrictionPolicy(env.Stack, "Policy", &ivs.PlaybackRestrictionPolicyProps{AllowedCountries: []string{"GB", "JP", "BR"}})
	if msgs := validationMessages(t, env, "Policy"); len(msgs) != 0 {
		t.Errorf("valid policy reported %q", msgs)
	}
}

func TestPlaybackRestrictionPolicyImport(t *testing.T) {
	env := cdktest.New(t)
	arn := "arn:aws:ivs:us-west-2:123456789012:playback-restriction-policy/ABcdef34ghIJ"
	policy := ivs.PlaybackRestrictionPolicyFromPlaybackRestrictionPolicyArn(env.Stack, "Policy", arn)
	if *policy.PlaybackRestrictionPolicyArn() != arn {
		t.Errorf("ARN = %q", *policy.PlaybackRestrictionPolicyArn())
	}
	ivs.PlaybackRestrictionPolicyFromPlaybackRestrictionPolicyArn(env.Stack, "Bad", referenceChannelArn)
	wantMessages(t, validationMessages(t, env, "Bad"), `want a "playback-restriction-policy"`)
}

// Strict enforcement with no origins is not refused by any documented
// rule: it synthesizes, with a warning; and "null" is an Origin value.
func TestPlaybackRestrictionPolicyStrictWithoutOriginsWarns(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewPlaybackRestrictionPolicy(env.Stack, "Strict", &ivs.PlaybackRestrictionPolicyProps{EnableStrictOriginEnforcement: true})
	ivs.NewPlaybackRestrictionPolicy(env.Stack, "Sandboxed", &ivs.PlaybackRestrictionPolicyProps{AllowedOrigins: []string{"null", "https://watch.example.com"}})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::PlaybackRestrictionPolicy"),
		map[string]any{"AllowedOrigins": []any{"null", "https://watch.example.com"}})
	warnings := assertions.Annotations_FromStack(env.Stack).FindWarning(jsii.String("/TestStack/Strict"),
		assertions.Match_StringLikeRegexp(jsii.String("nothing to enforce")))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings, want 1", len(*warnings))
	}
}
