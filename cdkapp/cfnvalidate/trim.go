package cfnvalidate

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The cache is trimmed as the go command trims its build cache: an entry
// served is marked used (its modification time, at most once an hour), and
// at most once a day, when a new entry is written, the entries not used
// for trimAge are deleted, with leftovers of interrupted writes.
const (
	trimAge      = 30 * 24 * time.Hour
	trimInterval = 24 * time.Hour
	markInterval = time.Hour
	trimFile     = "trim.txt" // the Unix time of the last trim
)

// now is the clock of the cache's trimming; tests replace it.
var now = time.Now

// markUsed records that the entry in file was just served.
func markUsed(file string, info os.FileInfo) {
	if t := now(); t.Sub(info.ModTime()) >= markInterval {
		_ = os.Chtimes(file, t, t)
	}
}

// trim deletes from dir the entries not used for trimAge, unless dir was
// trimmed less than trimInterval ago. Failures only leave files behind.
func trim(dir string) {
	t := now()
	stamp := filepath.Join(dir, trimFile)
	if data, err := os.ReadFile(stamp); err == nil {
		if last, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err == nil && t.Sub(time.Unix(last, 0)) < trimInterval {
			return
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		old := trimAge
		switch {
		case strings.HasSuffix(name, ".json"):
		case strings.HasPrefix(name, "tmp-"):
			old = trimInterval // an interrupted write
		default:
			continue
		}
		if info, err := e.Info(); err == nil && t.Sub(info.ModTime()) > old {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
	_ = os.WriteFile(stamp, []byte(strconv.FormatInt(t.Unix(), 10)+"\n"), 0o644)
}
