package cdktest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ivscdk/ivscdk/cdkapp/golden"
)

// Golden compares got with the JSON file at path (relative to the test's
// package), or rewrites the file when -update is given.
// A mismatch is reported as the JSON paths that differ (golden.Diff), with
// the stored (want) and synthesized (got) values.
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
	if diff := golden.Diff(want, normalize(t, got)); diff != "" {
		t.Errorf("template differs from %s (if the change is intended, run `go test ./... -update` and review the diff):\n%s", path, diff)
	}
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
