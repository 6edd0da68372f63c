package exampleapp

import (
	"path/filepath"
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
