package cfnvalidate

import (
	"fmt"
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

// recorder is a testing.TB that keeps what Check reports.
type recorder struct {
	testing.TB
	errors, fatals []string
}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Fatal(args ...any) { r.fatals = append(r.fatals, fmt.Sprint(args...)) }

func TestCheckFailsOnEachFindingAndOnABrokenReport(t *testing.T) {
	for name, c := range map[string]struct {
		report         string
		errors, fatals int
	}{
		"one finding": {report, 1, 0},
		"no report":   {"", 0, 0},
		"cut report":  {report[:100], 0, 1},
	} {
		t.Run(name, func(t *testing.T) {
			outdir := t.TempDir()
			if c.report != "" {
				if err := os.WriteFile(filepath.Join(outdir, "validation-report.json"), []byte(c.report), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := &recorder{TB: t}
			Check(r, outdir)
			if len(r.errors) != c.errors || len(r.fatals) != c.fatals {
				t.Errorf("Check reported errors %q and fatals %q, want %d and %d", r.errors, r.fatals, c.errors, c.fatals)
			}
			if c.errors == 1 && !strings.Contains(r.errors[0], "F3002") {
				t.Errorf("Check's error %q does not name the rule", r.errors[0])
			}
		})
	}
}
