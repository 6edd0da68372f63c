package signin_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ivscdk/ivscdk/signin"
)

// TestScriptIsTheEmbeddedFile: Script and PageFiles give signin.js as it
// is in the repository, a copy each time (a caller's change stays its own),
// and Node.js parses it. What it does is proven by the examples' pages in
// Chromium (browser/), which load it.
func TestScriptIsTheEmbeddedFile(t *testing.T) {
	file, err := os.ReadFile("signin.js")
	if err != nil {
		t.Fatal(err)
	}
	if got := signin.Script(); !bytes.Equal(got, file) {
		t.Fatalf("Script() is not signin.js (%d bytes, want %d)", len(got), len(file))
	}
	signin.Script()[0] ^= 1
	if !bytes.Equal(signin.Script(), file) {
		t.Error("changing what Script returned changed the next answer")
	}
	files := signin.PageFiles()
	if len(files) != 1 || !bytes.Equal(files[signin.ScriptFile], file) {
		t.Errorf("PageFiles() holds %d files, want %s only", len(files), signin.ScriptFile)
	}
	if !bytes.Contains(file, []byte("window.IvscdkSignIn = Object.freeze({")) {
		t.Error("signin.js no longer defines window.IvscdkSignIn, which the pages and Script's doc name")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no Node.js to parse signin.js with")
	}
	if out, err := exec.Command(node, "--check", filepath.Join(".", "signin.js")).CombinedOutput(); err != nil {
		t.Errorf("node --check signin.js: %v\n%s", err, out)
	}
}
