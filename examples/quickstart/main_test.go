package main

// These tests use only public packages, like the rest of this folder, so
// that they keep working when the folder is copied into another module.

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/ivscdk/ivscdk/cdkapp"
)

var update = flag.Bool("update", false, "rewrite testdata/quickstart.json instead of comparing with it")

func TestQuickstartStack(t *testing.T) {
	app := cdkapp.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(t.TempDir()),
		Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
	})
	stack := NewQuickstartStack(app, "IvsQuickstart", nil)
	got := *assertions.Template_FromStack(stack, nil).ToJSON()
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
	golden(t, "testdata/quickstart.json", got)
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	app := cdkapp.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := NewQuickstartStack(app, "IvsQuickstart", nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	annotations := assertions.Annotations_FromStack(stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f)
		t.Errorf("unsuppressed cdk-nag finding: %s", b)
	}
}

// golden compares the template with the file, or rewrites it with -update.
func golden(t *testing.T, path string, got map[string]any) {
	t.Helper()
	b, _ := json.MarshalIndent(got, "", "  ")
	if *update {
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test -update` and review the file)", err)
	}
	var want, have any
	_ = json.Unmarshal(stored, &want)
	_ = json.Unmarshal(b, &have)
	if !reflect.DeepEqual(maskAssets(want), maskAssets(have)) {
		t.Errorf("the template differs from %s: if intended, run `go test -update` and review the diff", path)
	}
}

// maskAssets hides the Lambda assets' hashes (S3Key "<hash>.zip"), which
// follow the Go toolchain and module versions the functions are built
// with, not this app's template.
func maskAssets(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "S3Key" && strings.HasSuffix(s, ".zip") {
				v[k] = "<asset>.zip"
			} else {
				v[k] = maskAssets(x)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = maskAssets(x)
		}
	}
	return v
}
