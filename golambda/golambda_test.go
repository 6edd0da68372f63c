package golambda

import (
	"debug/elf"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
)

// The Example functions synthesize apps; cdktest.Main spares them the
// validation engine no test reads.
func TestMain(m *testing.M) { cdktest.Main(m) }

// tempModule writes a module example.com/fn<n> with a main package cmd/fn
// and a library package lib, and makes it the working directory.
func tempModule(t *testing.T, name string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"go.mod":              "module example.com/" + name + "\n\ngo 1.22\n",
		"cmd/fn/main.go":      "package main\n\nimport \"example.com/" + name + "/lib\"\n\nfunc main() { lib.Hello() }\n",
		"cmd/fn/main_test.go": "package main\n",
		"lib/lib.go":          "package lib\n\nfunc Hello() { println(\"hello\") }\n",
		"notmain/lib.go":      "package notmain\n",
	}
	for name, content := range files {
		write(t, filepath.Join(root, name), content)
	}
	t.Chdir(root)
	// The binaries go to a fresh cache; Go's own build cache stays where it
	// is (it too lives under XDG_CACHE_HOME unless GOCACHE is set).
	t.Setenv("GOCACHE", goCache)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	return root
}

var goCache = func() string {
	out, err := goCmd("", nil, "env", "GOCACHE")
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(out)
}()

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func forget(importPath string) {
	mu.Lock()
	delete(built, importPath)
	listings = map[string]listing{}
	mu.Unlock()
}

func TestBuildMakesAnArm64LinuxBootstrap(t *testing.T) {
	tempModule(t, "fnbuild")
	b, err := Build("example.com/fnbuild/cmd/fn")
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(filepath.Join(b.Dir, Handler))
	if err != nil {
		t.Fatalf("the bootstrap is not an ELF binary: %v", err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 || f.OSABI != elf.ELFOSABI_NONE {
		t.Errorf("machine %v, OS ABI %v: want arm64 Linux", f.Machine, f.OSABI)
	}
	if len(b.Hash) != 64 {
		t.Errorf("hash %q is not a sha256", b.Hash)
	}
	again, err := Build("example.com/fnbuild/cmd/fn")
	if err != nil || again != b {
		t.Errorf("a second Build in one process should reuse the first: %v", err)
	}
}

func TestHashFollowsTheSourcesOnly(t *testing.T) {
	root := tempModule(t, "fnhash")
	const fn = "example.com/fnhash/cmd/fn"
	hash := func() string {
		t.Helper()
		forget(fn)
		b, err := Build(fn)
		if err != nil {
			t.Fatal(err)
		}
		return b.Hash
	}
	first := hash()
	write(t, filepath.Join(root, "cmd/fn/main_test.go"), "package main // a test changed\n")
	write(t, filepath.Join(root, "notmain/lib.go"), "package notmain // not imported by fn\n")
	if got := hash(); got != first {
		t.Error("a test file or an unimported package changed the hash")
	}
	write(t, filepath.Join(root, "lib/lib.go"), "package lib\n\nfunc Hello() { println(\"hi\") }\n")
	second := hash()
	if second == first {
		t.Error("a change to an imported package of the module left the hash as it was")
	}
	// Moving the module elsewhere keeps the hash: it names files relative
	// to the module root, so a clone and the module cache agree.
	moved := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Rename(root, moved); err != nil {
		t.Fatal(err)
	}
	t.Chdir(moved)
	if got := hash(); got != second {
		t.Error("the hash depends on where the module is")
	}
}

func TestBuildReusesTheCachedBinary(t *testing.T) {
	tempModule(t, "fncache")
	const fn = "example.com/fncache/cmd/fn"
	b, err := Build(fn)
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(b.Dir, Handler)
	if err := os.WriteFile(marker, []byte("cached"), 0o755); err != nil {
		t.Fatal(err)
	}
	forget(fn)
	if _, err := Build(fn); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(marker); string(got) != "cached" {
		t.Error("unchanged sources were built again")
	}
}

func TestBuildErrors(t *testing.T) {
	tempModule(t, "fnerr")
	cases := map[string]string{
		"example.com/fnerr/notmain":  "is package notmain, not a main package",
		"example.com/fnerr/nothere":  "no module of",
		"example.com/other/cmd/fn":   "no module of",
		"example.com/fnerr/cmd/fn/x": "no module of",
	}
	for importPath, want := range cases {
		if _, err := Build(importPath); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build(%s) = %v, want an error containing %q", importPath, err, want)
		}
	}
}

func TestBuildWithoutGo(t *testing.T) {
	tempModule(t, "fnnogo")
	t.Setenv("PATH", t.TempDir())
	_, err := Build("example.com/fnnogo/cmd/fn")
	if !errors.Is(err, ErrNoGo) || !strings.Contains(err.Error(), "example.com/fnnogo/cmd/fn") {
		t.Fatalf("err = %v, want ErrNoGo naming the package", err)
	}
	if _, err := Code("example.com/fnnogo/cmd/fn"); !errors.Is(err, ErrNoGo) {
		t.Errorf("Code: err = %v, want ErrNoGo", err)
	}
}

func TestNewFunctionNeedsAPackageOrCode(t *testing.T) {
	tempModule(t, "fnnone")
	if _, err := NewFunction(nil, "Fn", &FunctionProps{}); err == nil || !strings.Contains(err.Error(), "needs Package") {
		t.Errorf("NewFunction without Package or Code: %v", err)
	}
}

// A path relative to the working directory builds the same binary as the
// package's import path, from any folder of the module.
func TestBuildTakesARelativePath(t *testing.T) {
	root := tempModule(t, "fnrel")
	byPath, err := Build("example.com/fnrel/cmd/fn")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "cmd"))
	relative, err := Build("./fn")
	if err != nil {
		t.Fatal(err)
	}
	if relative.Hash != byPath.Hash {
		t.Errorf("./fn from cmd/ hashes %s, the import path %s", relative.Hash, byPath.Hash)
	}
	if _, err := Build("./nosuch"); err == nil {
		t.Error("a relative path to no package built")
	}
	forget(workingDir() + "\x00./fn")
}
