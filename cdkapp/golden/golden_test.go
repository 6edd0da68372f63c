package golden

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// A golden mismatch names each differing path with the stored value as
// want and the synthesized one as got; equal values give no diff.
func TestDiffNamesPathsWantAndGot(t *testing.T) {
	want := map[string]any{"Resources": map[string]any{
		"Channel": map[string]any{"Properties": map[string]any{"LatencyMode": "LOW", "Tags": []any{"a"}}},
		"Gone":    map[string]any{"Type": "AWS::IVS::StreamKey"},
	}}
	got := map[string]any{"Resources": map[string]any{
		"Channel": map[string]any{"Properties": map[string]any{"LatencyMode": "NORMAL", "Tags": []any{"a"}}},
		"New":     map[string]any{"Type": "AWS::IVS::Stage"},
	}}
	diff := Diff(want, got)
	for _, line := range []string{
		`Resources.Channel.Properties.LatencyMode: want "LOW", got "NORMAL"`,
		`Resources.Gone: want {"Type":"AWS::IVS::StreamKey"}, got nothing`,
		`Resources.New: want nothing, got {"Type":"AWS::IVS::Stage"}`,
	} {
		if !strings.Contains(diff, line) {
			t.Errorf("diff lacks %q:\n%s", line, diff)
		}
	}
	if strings.Contains(diff, "Tags") {
		t.Errorf("an equal value is reported:\n%s", diff)
	}
	if d := Diff(want, want); d != "" {
		t.Errorf("equal values: %q", d)
	}
}

// Check writes the file with update, passes on the same template, reports
// a changed property by its path, and with MaskAssets passes a template
// whose only change is a Lambda asset's hash.
func TestCheckWritesComparesAndMasks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "stack.json")
	template := func(latency, key string) map[string]any {
		return map[string]any{"Resources": map[string]any{
			"Channel":  map[string]any{"Type": "AWS::IVS::Channel", "Properties": map[string]any{"LatencyMode": latency}},
			"Function": map[string]any{"Type": "AWS::Lambda::Function", "Properties": map[string]any{"Code": map[string]any{"S3Key": key}}},
		}}
	}
	Check(t, path, template("LOW", "aaa.zip"), true)
	Check(t, path, template("LOW", "aaa.zip"), false)
	Check(t, path, template("LOW", "bbb.zip"), false, MaskAssets())
	r := &recorder{TB: t}
	Check(r, path, template("NORMAL", "aaa.zip"), false)
	Check(r, path, template("LOW", "bbb.zip"), false)
	if len(r.errors) != 2 || !strings.Contains(r.errors[0], `Resources.Channel.Properties.LatencyMode: want "LOW", got "NORMAL"`) ||
		!strings.Contains(r.errors[1], `Resources.Function.Properties.Code.S3Key: want "aaa.zip", got "bbb.zip"`) {
		t.Errorf("errors %q", r.errors)
	}
}

// recorder is a testing.TB that keeps the errors it is given.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}
