package ivs_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestStreamKeyWithTags(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	key := ivs.NewStreamKey(env.Stack, "Key", &ivs.StreamKeyProps{Channel: ch, Tags: map[string]string{"owner": "studio-a"}})
	awscdk.NewCfnOutput(env.Stack, jsii.String("KeyArn"), &awscdk.CfnOutputProps{Value: key.StreamKeyArn()})
	got := env.Synth()
	template := cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil))
	template.HasResourceProperties(jsii.String("AWS::IVS::StreamKey"), map[string]any{
		"ChannelArn": map[string]any{"Fn::GetAtt": []any{"Channel4048F119", "Arn"}},
		"Tags":       []any{map[string]any{"Key": "owner", "Value": "studio-a"}},
	})
	template.HasOutput(jsii.String("KeyArn"), map[string]any{"Value": map[string]any{"Fn::GetAtt": []any{"Key961B73FD", "Arn"}}})
	cdktest.Golden(t, "testdata/golden/stream-key-tags.json", got)
}

func TestStreamKeyValueIsNotInTemplateUnlessUsed(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewChannel(env.Stack, "Channel", nil).AddStreamKey("StreamKey")
	got := env.Synth()
	if s := jsonString(t, got); containsAny(s, `"Value"]`, "StreamKeyValue") {
		t.Errorf("the stream key value appears in the template: %s", s)
	}
}

func TestStreamKeyRequiresChannel(t *testing.T) {
	env := cdktest.New(t)
	ivs.NewStreamKey(env.Stack, "Key", nil)
	wantMessages(t, validationMessages(t, env, "Key"), "Channel is required")
	if err := env.SynthError(); !containsAny(err, "[TestStack/Key] Channel is required") {
		t.Errorf("synth error = %q", err)
	}
}

func TestStreamKeyRejectsBadTags(t *testing.T) {
	env := cdktest.New(t)
	ch := ivs.NewChannel(env.Stack, "Channel", nil)
	ivs.NewStreamKey(env.Stack, "Key", &ivs.StreamKeyProps{Channel: ch, Tags: map[string]string{"aws:x": "y"}})
	wantMessages(t, validationMessages(t, env, "Key"), `Tags key "aws:x" is invalid`)
}

func TestStreamKeyImport(t *testing.T) {
	env := cdktest.New(t)
	arn := "arn:aws:ivs:us-west-2:123456789012:stream-key/g1H2I3j4k5L6"
	key := ivs.StreamKeyFromStreamKeyArn(env.Stack, "Key", arn)
	if got := *key.StreamKeyArn(); got != arn {
		t.Errorf("StreamKeyArn() = %q", got)
	}
	if got := *key.Env().Region; got != "us-west-2" {
		t.Errorf("imported key's region = %q, want the ARN's", got)
	}
	bad := ivs.StreamKeyFromStreamKeyArn(env.Stack, "Bad", referenceChannelArn)
	_ = bad
	wantMessages(t, validationMessages(t, env, "Bad"), `names a "channel": want a "stream-key"`)
	if msgs := validationMessages(t, env, "Key"); len(msgs) != 0 {
		t.Errorf("valid import reported %q", msgs)
	}
}

func TestImportsAcceptTokens(t *testing.T) {
	env := cdktest.New(t)
	arn := awscdk.Fn_ImportValue(jsii.String("SharedChannelArn"))
	ch := ivs.ChannelFromChannelArn(env.Stack, "Channel", *arn)
	ch.AddStreamKey("StreamKey")
	if msgs := validationMessages(t, env, "Channel"); len(msgs) != 0 {
		t.Errorf("token ARN reported %q", msgs)
	}
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::IVS::StreamKey"), map[string]any{
		"ChannelArn": map[string]any{"Fn::ImportValue": "SharedChannelArn"},
	})
}

func TestOneStreamKeyPerChannel(t *testing.T) {
	t.Run("AddStreamKey twice", func(t *testing.T) {
		env := cdktest.New(t)
		ch := ivs.NewChannel(env.Stack, "Channel", nil)
		ch.AddStreamKey("A")
		ch.AddStreamKey("B")
		wantMessages(t, []string{env.SynthError()}, "TestStack/Channel/B",
			"channel TestStack/Channel already has stream key TestStack/Channel/A: IVS allows 1 stream key per channel",
			"replace the construct")
	})
	t.Run("NewStreamKey for an imported channel that has one", func(t *testing.T) {
		env := cdktest.New(t)
		arn := "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh"
		ivs.ChannelFromChannelArn(env.Stack, "One", arn).AddStreamKey("Key")
		ivs.NewStreamKey(env.Stack, "Other", &ivs.StreamKeyProps{Channel: ivs.ChannelFromChannelArn(env.Stack, "Two", arn)})
		wantMessages(t, validationMessages(t, env, "Other"), "channel "+arn+" already has stream key TestStack/One/Key")
	})
	t.Run("one key each is fine", func(t *testing.T) {
		env := cdktest.New(t)
		ivs.NewChannel(env.Stack, "A", nil).AddStreamKey("Key")
		ivs.NewChannel(env.Stack, "B", nil).AddStreamKey("Key")
		env.Synth()
	})
}

func TestStreamKeyForAChannelInAnotherRegion(t *testing.T) {
	env := cdktest.NewOregon(t)
	ivs.ChannelFromChannelArn(env.Stack, "Dublin", "arn:aws:ivs:eu-west-1:123456789012:channel/abcdABCDefgh").AddStreamKey("Key")
	ivs.ChannelFromChannelArn(env.Stack, "Local", "arn:aws:ivs:us-west-2:123456789012:channel/zyxwZYXWvuts").AddStreamKey("Key")
	msg := env.SynthError()
	wantMessages(t, []string{msg}, "Oregon/Dublin/Key", "is in region eu-west-1 but this stack deploys to us-west-2")
	if strings.Contains(msg, "zyxwZYXWvuts") {
		t.Errorf("a channel in the stack's region was refused: %s", msg)
	}
}

// IVS allows one stream key per channel and CreateChannel makes one, so a
// key for an imported channel warns and says how to import the existing
// key; a key for a channel of this app does not.
func TestStreamKeyForAnImportedChannelWarns(t *testing.T) {
	env := cdktest.New(t)
	imported := ivs.ChannelFromChannelArn(env.Stack, "Existing", "arn:aws:ivs:us-west-2:123456789012:channel/abcdABCDefgh")
	imported.AddStreamKey("Key")
	ivs.NewChannel(env.Stack, "Own", nil).AddStreamKey("Key")
	env.Synth()
	annotations := assertions.Annotations_FromStack(env.Stack)
	warnings := annotations.FindWarning(jsii.String("/TestStack/Existing/Key"),
		assertions.Match_StringLikeRegexp(jsii.String("1 stream key per channel.*StreamKeyFromStreamKeyArn.*list-stream-keys")))
	if len(*warnings) != 1 {
		t.Errorf("%d warnings on the imported channel's key, want 1", len(*warnings))
	}
	if own := annotations.FindWarning(jsii.String("/TestStack/Own/Key"), assertions.Match_AnyValue()); len(*own) != 0 {
		t.Errorf("a key of this app's own channel warns: %v", *own)
	}
}
