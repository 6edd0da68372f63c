package cdktest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// recorder is a testing.TB that keeps the errors it is given.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, strings.TrimSpace(fmt.Sprintf(format, args...)))
}
func (r *recorder) Helper() {}

// A mismatch is an error that explains itself, and the assertions after it
// still run; a match reports nothing.
func TestAssertionsReportInsteadOfPanicking(t *testing.T) {
	template := map[string]any{"Resources": map[string]any{
		"Channel": map[string]any{"Type": "AWS::IVS::Channel", "Properties": map[string]any{"LatencyMode": "LOW"}},
	}}
	r := &recorder{TB: t}
	a := Assertions(r, assertions.Template_FromJSON(&template, nil))
	a.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{"LatencyMode": "NORMAL"})
	a.ResourceCountIs(jsii.String("AWS::IVS::Channel"), jsii.Number(2))
	a.HasResourceProperties(jsii.String("AWS::IVS::Channel"), map[string]any{"LatencyMode": "LOW"})
	if len(r.errors) != 2 {
		t.Fatalf("%d errors, want 2 (the two mismatches): %q", len(r.errors), r.errors)
	}
	if !strings.Contains(r.errors[0], "HasResourceProperties(AWS::IVS::Channel)") || !strings.Contains(r.errors[0], "NORMAL") ||
		strings.Contains(r.errors[0], "\n    at ") {
		t.Errorf("the first error does not explain the mismatch without the JavaScript stack: %s", r.errors[0])
	}
	if !strings.Contains(r.errors[1], "ResourceCountIs(AWS::IVS::Channel, 2)") {
		t.Errorf("the second error: %s", r.errors[1])
	}
}
