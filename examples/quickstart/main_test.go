package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestQuickstartStack(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewQuickstartStack(env.App, "IvsQuickstart", nil)
	env.Stack = stack
	got := env.Synth()
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
	if s := mustJSON(t, got["Outputs"]); strings.Contains(s, `"Value"]`) {
		t.Errorf("an output exposes a secret Value attribute: %s", s)
	}
	assertions.Annotations_FromStack(stack).HasNoWarning(jsii.String("*"), assertions.Match_AnyValue())
	cdktest.Golden(t, "testdata/quickstart.json", got)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCdkNagAwsSolutions applies cdk-nag's AwsSolutions pack: no finding
// may stay unsuppressed, and every suppression states its reason in code.
func TestCdkNagAwsSolutions(t *testing.T) {
	env := cdktest.NewApp(t)
	stack := NewQuickstartStack(env.App, "IvsQuickstart", nil)
	for _, f := range cdktest.NagFindings(env.App, stack) {
		t.Errorf("unsuppressed cdk-nag finding: %s", f)
	}
}
