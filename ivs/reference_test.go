package ivs_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

const referenceChannelArn = "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"

// referenceScenarios build, through ivscdk, the inputs for which
// testdata/alpha-2.91 holds the TypeScript alpha's templates.
var referenceScenarios = map[string]func(t *testing.T, stack awscdk.Stack){
	"default": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewChannel(stack, "Channel", nil)
	},
	"authorized": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Authorized: true})
	},
	"basic-normal": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{Type: ivs.ChannelTypeBasic, LatencyMode: ivs.LatencyModeNormal})
	},
	"named": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewChannel(stack, "Channel", &ivs.ChannelProps{ChannelName: "CarrotsAreTasty"})
	},
	"import-streamkey": func(t *testing.T, stack awscdk.Stack) {
		ivs.ChannelFromChannelArn(stack, "Channel", referenceChannelArn).AddStreamKey("StreamKey")
	},
	"channel-streamkey": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewChannel(stack, "Channel", nil).AddStreamKey("StreamKey")
	},
	"keypair": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewPlaybackKeyPair(stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{PublicKeyMaterial: publicKeyPEM(t)})
	},
	"keypair-named": func(t *testing.T, stack awscdk.Stack) {
		ivs.NewPlaybackKeyPair(stack, "PlaybackKeyPair", &ivs.PlaybackKeyPairProps{
			PublicKeyMaterial:   publicKeyPEM(t),
			PlaybackKeyPairName: "IVSIsAwesome",
		})
	},
}

// TestMatchesTypeScriptAlpha checks that the same inputs give the same
// template as @aws-cdk/aws-ivs-alpha 2.91: logical IDs, types, generated
// names and properties.
func TestMatchesTypeScriptAlpha(t *testing.T) {
	for name, build := range referenceScenarios {
		t.Run(name, func(t *testing.T) {
			env := cdktest.New(t)
			build(t, env.Stack)
			got := env.Synth()
			want, err := cdktest.ReadJSON("testdata/alpha-2.91/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("template differs from the alpha's\n got: %v\nwant: %v", got, want)
			}
		})
	}
}

// TestRejectsWhatTheAlphaRejects feeds the inputs of testdata/alpha-2.91/errors.json
// and checks that synthesis fails with the construct path and the same facts
// the alpha reports.
func TestRejectsWhatTheAlphaRejects(t *testing.T) {
	cases := []struct {
		name  string
		build func(stack awscdk.Stack)
		want  []string
	}{
		{"bad channel name", func(s awscdk.Stack) {
			ivs.NewChannel(s, "Channel", &ivs.ChannelProps{ChannelName: "bad name!"})
		}, []string{"[TestStack/Channel]", `ChannelName "bad name!"`, "letters, digits, hyphens (-) and underscores (_)"}},
		{"wrong service", func(s awscdk.Stack) {
			ivs.ChannelFromChannelArn(s, "Channel", "arn:aws:s3:us-west-2:123456789012:channel/abcdABCDefgh")
		}, []string{"[TestStack/Channel]", `service "s3"`, `want service "ivs"`}},
		{"wrong resource type", func(s awscdk.Stack) {
			ivs.ChannelFromChannelArn(s, "Channel", "arn:aws:ivs:us-west-2:123456789012:stream-key/abcdABCDefgh")
		}, []string{"[TestStack/Channel]", `names a "stream-key"`, `want a "channel"`}},
		{"not an ARN", func(s awscdk.Stack) {
			ivs.ChannelFromChannelArn(s, "Channel", "not-an-arn")
		}, []string{"[TestStack/Channel]", `"not-an-arn" is not an ARN`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := cdktest.New(t)
			c.build(env.Stack)
			err := env.SynthError()
			for _, w := range c.want {
				if !strings.Contains(err, w) {
					t.Errorf("synth error %q does not contain %q", err, w)
				}
			}
		})
	}
}
