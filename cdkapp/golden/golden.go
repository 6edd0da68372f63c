// Package golden compares a synthesized CloudFormation template with a
// golden file kept beside the test, for your own app's tests as for
// ivscdk's examples:
//
//	var update = flag.Bool("update", false, "rewrite the golden files")
//
//	func TestTemplate(t *testing.T) {
//		got := synthesize(t) // the stack's template as JSON values
//		golden.Check(t, "testdata/stack.json", got, *update, golden.MaskAssets())
//	}
//
// A mismatch names each JSON path that differs, with the stored value as
// want and the synthesized one as got. With update the file is rewritten
// instead: review the diff before you commit it.
package golden

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Option changes how templates are compared.
type Option func(v any) any

// MaskAssets compares templates with the Lambda assets' object keys (an
// S3Key ending in ".zip") masked: those hashes follow the Go toolchain and
// module versions the functions are built with, which differ between
// machines, not the app's template. The file keeps the real keys.
func MaskAssets() Option { return maskAssets }

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

// Check compares got (a template as JSON values) with the JSON file at
// path, or, with update, writes got to the file.
func Check(t testing.TB, path string, got any, update bool, options ...Option) {
	t.Helper()
	encoded, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(encoded, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it, then review it)", err)
	}
	var want, have any
	if err := json.Unmarshal(stored, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if err := json.Unmarshal(encoded, &have); err != nil {
		t.Fatal(err)
	}
	for _, o := range options {
		want, have = o(want), o(have)
	}
	if diff := Diff(want, have); diff != "" {
		t.Errorf("the template differs from %s (if the change is intended, run the test with -update and review the diff):\n%s", path, diff)
	}
}

// maxDiffLines bounds a reported difference.
const maxDiffLines = 40

// Diff returns the differences between two JSON values, one line per path
// ("Resources.Channel.Properties.Name: want \"a\", got \"b\""), or "" when
// they are equal. A value present on one side only is said so.
func Diff(want, got any) string {
	var lines []string
	diffAt("", want, got, &lines)
	if len(lines) > maxDiffLines {
		lines = append(lines[:maxDiffLines], fmt.Sprintf("… and %d more", len(lines)-maxDiffLines))
	}
	return strings.Join(lines, "\n")
}

func diffAt(path string, want, got any, lines *[]string) {
	if reflect.DeepEqual(want, got) {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		if g, ok := got.(map[string]any); ok {
			keys := map[string]bool{}
			for k := range w {
				keys[k] = true
			}
			for k := range g {
				keys[k] = true
			}
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				wv, inWant := w[k]
				gv, inGot := g[k]
				switch {
				case !inGot:
					*lines = append(*lines, fmt.Sprintf("%s: want %s, got nothing", join(path, k), compact(wv)))
				case !inWant:
					*lines = append(*lines, fmt.Sprintf("%s: want nothing, got %s", join(path, k), compact(gv)))
				default:
					diffAt(join(path, k), wv, gv, lines)
				}
			}
			return
		}
	case []any:
		if g, ok := got.([]any); ok && len(g) == len(w) {
			for i := range w {
				diffAt(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], lines)
			}
			return
		}
	}
	*lines = append(*lines, fmt.Sprintf("%s: want %s, got %s", path, compact(want), compact(got)))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// compact is a JSON value on one line, cut at 200 bytes.
func compact(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
