package exampleapp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/internal/cdktest"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

func TestNewAppOutdir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CDK_OUTDIR", dir)
	if got := *NewApp().Outdir(); got != dir {
		t.Errorf("with CDK_OUTDIR: outdir = %q, want %q", got, dir)
	}
	t.Setenv("CDK_OUTDIR", "")
	if got := *NewApp().Outdir(); filepath.Base(got) != "cdk.out" {
		t.Errorf("without CDK_OUTDIR: outdir = %q, want cdk.out", got)
	}
}

func TestSourceHash(t *testing.T) {
	root := t.TempDir()
	write := func(name, content string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module x")
	write("go.sum", "")
	write("fn/main.go", "package main")
	write("fn/main_test.go", "package main // tests do not count")
	first, err := sourceHash(root, []string{"fn"})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := sourceHash(root, []string{"fn"}); again != first {
		t.Error("the hash is not stable")
	}
	write("fn/main_test.go", "package main // changed")
	if again, _ := sourceHash(root, []string{"fn"}); again != first {
		t.Error("a test file changed the hash")
	}
	write("fn/main.go", "package main // changed")
	if again, _ := sourceHash(root, []string{"fn"}); again == first {
		t.Error("a source change kept the hash")
	}
	if _, err := sourceHash(root, []string{"missing"}); err == nil {
		t.Error("a folder without Go files was accepted")
	}
}

func TestModuleDeps(t *testing.T) {
	deps, err := moduleDeps(ModuleRoot(), "examples/private-channel/tokenfn")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(deps, " ")
	for _, want := range []string{"examples/private-channel/tokenfn", "ivstoken", "internal/ivsarn", "internal/origin", "internal/secretstring"} {
		if !strings.Contains(got, want) {
			t.Errorf("deps %q lack %s", got, want)
		}
	}
	if strings.Contains(got, "aws-cdk") || strings.Contains(got, "..") {
		t.Errorf("deps %q reach outside the module", got)
	}
}
