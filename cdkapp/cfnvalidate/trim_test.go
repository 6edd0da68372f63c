package cfnvalidate

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// base is the trimming tests' fixed "now".
var base = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func setClock(t *testing.T, at time.Time) {
	t.Helper()
	known := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = known })
}

// files makes each file in dir with the given age against base.
func files(t *testing.T, dir string, ages map[string]time.Duration) {
	t.Helper()
	for name, age := range ages {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, base.Add(-age), base.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
}

func remaining(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestTrimDeletesWhatWasNotUsedFor30Days(t *testing.T) {
	dir := t.TempDir()
	setClock(t, base)
	files(t, dir, map[string]time.Duration{
		"old.json":    31 * 24 * time.Hour,
		"recent.json": 29 * 24 * time.Hour,
		"tmp-stale":   25 * time.Hour, // an interrupted write
		"tmp-live":    time.Hour,      // a write under way
		"other.txt":   100 * 24 * time.Hour,
	})
	trim(dir)
	if got, want := remaining(t, dir), "other.txt recent.json tmp-live trim.txt"; got != want {
		t.Errorf("after trim: %s, want %s", got, want)
	}
	stamp, _ := os.ReadFile(filepath.Join(dir, trimFile))
	if got, want := strings.TrimSpace(string(stamp)), strconv.FormatInt(base.Unix(), 10); got != want {
		t.Errorf("trim.txt holds %q, want %q", got, want)
	}
}

func TestTrimRunsAtMostOnceADay(t *testing.T) {
	dir := t.TempDir()
	setClock(t, base)
	trim(dir)
	files(t, dir, map[string]time.Duration{"old.json": 40 * 24 * time.Hour})
	setClock(t, base.Add(23*time.Hour))
	trim(dir)
	if got := remaining(t, dir); got != "old.json trim.txt" {
		t.Errorf("a trim 23 h after the last one deleted entries: %s left", got)
	}
	setClock(t, base.Add(25*time.Hour))
	trim(dir)
	if got := remaining(t, dir); got != "trim.txt" {
		t.Errorf("a trim 25 h after the last one left %s", got)
	}
}

func TestAnEntryServedIsMarkedUsed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "entry.json")
	setClock(t, base)
	write(file, entry{Version: "1.14.0", Report: &awscdk.PolicyValidationPluginReport{
		Success: jsii.Bool(true), Violations: &[]*awscdk.PolicyViolation{},
	}})
	for _, c := range []struct {
		age    time.Duration
		marked bool
	}{{2 * time.Hour, true}, {30 * time.Minute, false}} {
		before := base.Add(-c.age)
		if err := os.Chtimes(file, before, before); err != nil {
			t.Fatal(err)
		}
		if _, ok := read(file); !ok {
			t.Fatal("the entry written is not read back")
		}
		info, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		want := before
		if c.marked {
			want = base
		}
		if !info.ModTime().Equal(want) {
			t.Errorf("served %v after its last use: modification time %v, want %v", c.age, info.ModTime(), want)
		}
	}
}
