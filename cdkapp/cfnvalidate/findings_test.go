package cfnvalidate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// report is a validation-report.json in the shape aws-cdk-lib 2.277.0
// writes (copied from a synthesis of the tests' app, stack traces cut):
// one finding, one acknowledged.
const report = `{
  "version": "55.0.0",
  "title": "Validation Report",
  "pluginReports": [
    {
      "pluginName": "CloudFormation Validate",
      "pluginVersion": "1.14.0",
      "conclusion": "success",
      "violations": [
        {
          "ruleName": "F3002",
          "description": "NotAProperty: Additional properties are not allowed ('NotAProperty' was unexpected)",
          "severity": "warning",
          "ruleMetadata": {"category": "Schema"},
          "violatingConstructs": [
            {"constructPath": "Second/Bucket", "constructFqn": "aws-cdk-lib.CfnResource",
             "cloudFormationResource": {"templatePath": "Second.template.json", "logicalId": "Bucket"}}
          ]
        }
      ],
      "suppressedViolations": [
        {
          "ruleName": "W3030",
          "description": "'X' is not one of ['A', 'B']",
          "severity": "warning",
          "violatingConstructs": [{"constructPath": "First/Thing"}],
          "acknowledgedId": "CloudFormation-Validate::W3030",
          "reason": "on purpose"
        }
      ]
    }
  ]
}`

func TestFindingsReadsTheUnacknowledgedViolations(t *testing.T) {
	outdir := t.TempDir()
	if err := os.WriteFile(filepath.Join(outdir, "validation-report.json"), []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Findings(outdir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{{
		Plugin: "CloudFormation Validate", Rule: "F3002", Severity: "warning",
		Description: "NotAProperty: Additional properties are not allowed ('NotAProperty' was unexpected)",
		Paths:       []string{"Second/Bucket"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Findings = %#v, want %#v", got, want)
	}
	if s, want := got[0].String(), "CloudFormation Validate warning F3002: NotAProperty: Additional properties are not allowed "+
		"('NotAProperty' was unexpected) (at Second/Bucket)"; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

func TestFindingsWithoutAReport(t *testing.T) {
	got, err := Findings(t.TempDir())
	if got != nil || err != nil {
		t.Errorf("Findings of a folder without a report = %v, %v; want none", got, err)
	}
}

func TestFindingsOfABrokenReportIsAnError(t *testing.T) {
	outdir := t.TempDir()
	path := filepath.Join(outdir, "validation-report.json")
	if err := os.WriteFile(path, []byte(report[:100]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Findings(outdir); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Findings of a cut report: error %v, want one naming %s", err, path)
	}
}
