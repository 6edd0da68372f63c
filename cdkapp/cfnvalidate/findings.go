package cfnvalidate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Finding is one violation that a validation plugin reported when the app
// was synthesized, and that no acknowledgement suppressed.
type Finding struct {
	// Plugin is the name of the plugin, "CloudFormation Validate" for the
	// built-in one and for Cached.
	Plugin string
	// Rule is the rule's name, such as "F3002" (a property the registry
	// schema does not have).
	Rule string
	// Severity is the plugin's: "error" or "warning" for CloudFormation
	// Validate, whose schema errors are warnings outside strict mode.
	Severity string
	// Description says what is wrong.
	Description string
	// Paths are the construct paths of the constructs that violate the rule.
	Paths []string
}

// String gives the finding on one line: plugin, severity, rule,
// description and paths.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s: %s (at %s)", f.Plugin, f.Severity, f.Rule, f.Description, strings.Join(f.Paths, ", "))
}

// Findings returns every violation in the validation report that
// synthesis wrote to outdir (validation-report.json), warnings included,
// and none when the file is not there (no plugin ran). Acknowledged
// violations are left out.
//
// Strict mode ("@aws-cdk/core:validateAgainstDefaultRules") fails
// synthesis on the engine's errors, but some findings stay warnings even
// then (a value outside a property's documented list, W3030): a test that
// wants its templates free of both fails on each finding, as Check does.
func Findings(outdir string) ([]Finding, error) {
	path := filepath.Join(outdir, "validation-report.json")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var report struct {
		PluginReports []struct {
			PluginName string `json:"pluginName"`
			Violations []struct {
				RuleName            string `json:"ruleName"`
				Description         string `json:"description"`
				Severity            string `json:"severity"`
				ViolatingConstructs []struct {
					ConstructPath string `json:"constructPath"`
				} `json:"violatingConstructs"`
			} `json:"violations"`
		} `json:"pluginReports"`
	}
	if err := json.Unmarshal(b, &report); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var findings []Finding
	for _, plugin := range report.PluginReports {
		for _, v := range plugin.Violations {
			f := Finding{Plugin: plugin.PluginName, Rule: v.RuleName, Severity: v.Severity, Description: v.Description}
			for _, c := range v.ViolatingConstructs {
				f.Paths = append(f.Paths, c.ConstructPath)
			}
			findings = append(findings, f)
		}
	}
	return findings, nil
}

// Check fails the test with one error for each of the findings in outdir's
// validation report, and stops it if the report cannot be read. Call it
// after synthesizing an app whose output folder is outdir:
//
//	template := assertions.Template_FromStack(stack, nil) // synthesized
//	cfnvalidate.Check(t, outdir)
func Check(t testing.TB, outdir string) {
	t.Helper()
	findings, err := Findings(outdir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Error(f)
	}
}
