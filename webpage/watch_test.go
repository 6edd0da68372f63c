package webpage_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ivscdk/ivscdk/webpage"
)

// TestWatchFilesAreTheEmbeddedScript: WatchFiles gives watch.js as it is
// in the repository under WatchScript, a copy each time, and Node.js
// parses it as a module. What it does is proven by the private-channel
// and live-event pages in Chromium (browser/), which import it.
func TestWatchFilesAreTheEmbeddedScript(t *testing.T) {
	file, err := os.ReadFile("watch.js")
	if err != nil {
		t.Fatal(err)
	}
	files := webpage.WatchFiles()
	if len(files) != 1 || !bytes.Equal(files[webpage.WatchScript], file) {
		t.Fatalf("WatchFiles() holds %d files, want %s as watch.js", len(files), webpage.WatchScript)
	}
	files[webpage.WatchScript][0] ^= 1
	if !bytes.Equal(webpage.WatchFiles()[webpage.WatchScript], file) {
		t.Error("changing what WatchFiles returned changed the next answer")
	}
	if !bytes.Contains(file, []byte("export function Watch(config, page, options) {")) {
		t.Error("watch.js no longer exports Watch(config, page, options), which WatchFiles' doc names")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no Node.js to parse watch.js with")
	}
	module := filepath.Join(t.TempDir(), "watch.mjs")
	if err := os.WriteFile(module, file, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", module).CombinedOutput(); err != nil {
		t.Errorf("node --check watch.js (as a module): %v\n%s", err, out)
	}
}
