package cdktest

import (
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
