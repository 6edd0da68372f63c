package main

// These tests use only public packages, like the rest of this folder, so
// that they keep working when the folder is copied into another module.

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/cdkapp/cfnvalidate"
	"github.com/ivscdk/ivscdk/cdkapp/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/quickstart.json instead of comparing with it")

func TestQuickstartStack(t *testing.T) {
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewQuickstartStack(app, "IvsQuickstart", nil)
	got := *assertions.Template_FromStack(stack, nil).ToJSON()
	// Strict mode fails synthesis on the engine's errors; its warnings fail here.
	cfnvalidate.Check(t, outdir)
	template := assertions.Template_FromJSON(&got, nil)
	template.ResourceCountIs(jsii.String("AWS::IVS::Channel"), jsii.Number(2))
	template.ResourceCountIs(jsii.String("AWS::IVS::StreamKey"), jsii.Number(1))
	template.ResourceCountIs(jsii.String("AWS::IVS::PlaybackKeyPair"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{
		"Name": assertions.Match_StringLikeRegexp(jsii.String("^IvsQuickstartPrivateChannel[0-9A-F]{8}$")), "Authorized": true,
	})
	template.HasOutput(jsii.String("IngestEndpoint"), map[string]any{
		"Value": map[string]any{"Fn::GetAtt": []any{"Channel4048F119", "IngestEndpoint"}},
	})
	// The stream key's value is a secret: it must not be in the template.
	if b, _ := json.Marshal(got["Outputs"]); strings.Contains(string(b), `"Value"]`) {
		t.Errorf("an output exposes a secret Value attribute: %s", b)
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
	golden.Check(t, "testdata/quickstart.json", got, *update, golden.MaskAssets())
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	app := cfnvalidate.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := NewQuickstartStack(app, "IvsQuickstart", nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	annotations := assertions.Annotations_FromStack(stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f)
		t.Errorf("unsuppressed cdk-nag finding: %s", b)
	}
}
