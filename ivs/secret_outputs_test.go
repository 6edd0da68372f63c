package ivs_test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func output(scope awscdk.Stack, id string, value *string) awscdk.CfnOutput {
	return awscdk.NewCfnOutput(scope, jsii.String(id), &awscdk.CfnOutputProps{Value: value})
}

func TestSecretAttributesInOutputsFailSynth(t *testing.T) {
	env := cdktest.New(t)
	key := ivs.NewChannel(env.Stack, "Channel", nil).AddStreamKey("Key")
	stage := ivs.NewStage(env.Stack, "Stage", nil)
	ingest := ivs.NewIngestConfiguration(env.Stack, "Ingest", &ivs.IngestConfigurationProps{Stage: stage})
	output(env.Stack, "KeyArn", key.StreamKeyArn()) // fine: an ARN
	output(env.Stack, "Plain", key.StreamKeyValue())
	output(env.Stack, "Wrapped", awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("rtmps://x/app/"), key.StreamKeyValue()}))
	output(env.Stack, "IngestKey", ingest.IngestConfigurationStreamKey())
	msg := env.SynthError()
	wantMessages(t, []string{msg},
		"stack output TestStack/Plain publishes the stream key value of TestStack/Channel/Key, a secret",
		"stack output TestStack/Wrapped publishes the stream key value",
		"stack output TestStack/IngestKey publishes the ingest stream key of TestStack/Ingest",
		"ivs.AllowSecretOutput(output, reason)")
	if containsAny(msg, "TestStack/KeyArn") {
		t.Error("the ARN output was refused")
	}
}

func TestAllowSecretOutputAcknowledges(t *testing.T) {
	env := cdktest.New(t)
	key := ivs.NewChannel(env.Stack, "Channel", nil).AddStreamKey("Key")
	ivs.AllowSecretOutput(output(env.Stack, "DemoKey", key.StreamKeyValue()), "throw-away demo stack, deleted after the talk")
	env.Synth()

	env = cdktest.New(t)
	key = ivs.NewChannel(env.Stack, "Channel", nil).AddStreamKey("Key")
	ivs.AllowSecretOutput(output(env.Stack, "DemoKey", key.StreamKeyValue()), " ")
	wantMessages(t, []string{env.SynthError()}, "ivs.AllowSecretOutput for stack output TestStack/DemoKey needs a reason")
	ivs.AllowSecretOutput(nil, "nothing to allow") // no panic
}
