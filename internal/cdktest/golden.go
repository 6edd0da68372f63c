package cdktest

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

// Golden compares got with the JSON file at path (relative to the test's
// package), or rewrites the file when -update is given.
// A mismatch is reported as the JSON paths that differ, with the stored
// (want) and synthesized (got) values.
func Golden(t testing.TB, path string, got any) {
	t.Helper()
	if *Update {
		encoded, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(encoded, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := ReadJSON(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./... -update` to create it, then review it)", err)
	}
	if diff := Diff(want, normalize(t, got)); diff != "" {
		t.Errorf("template differs from %s (if the change is intended, run `go test ./... -update` and review the diff):\n%s", path, diff)
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

// ReadJSON reads a JSON file into plain values.
func ReadJSON(path string) (any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v any
	return v, json.Unmarshal(b, &v)
}

func normalize(t testing.TB, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
