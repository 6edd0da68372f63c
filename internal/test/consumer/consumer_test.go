// Package consumer proves that ivscdk works for a user who gets it with
// `go get`: it serves this working tree as a module version from a
// file-system GOPROXY, creates a module outside the repository that
// requires it, copies an example in, and synthesizes, vets and tests it
// there. That catches what no in-repository test can: imports of internal/
// packages, missing go.sum entries, and Lambda builds that assume the
// repository (ivscdk then sits read-only in the module cache).
package consumer

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const modulePath = "github.com/ivscdk/ivscdk"

// repoRoot is the module root: three levels up from this package
// (internal/test/consumer).
func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(wd)))
}

// run runs a command in dir, failing the test with its output.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// treeFile is a file of the working tree for the module zip.
type treeFile struct{ root, path string }

func (f treeFile) Path() string                 { return f.path }
func (f treeFile) Lstat() (os.FileInfo, error)  { return os.Lstat(filepath.Join(f.root, f.path)) }
func (f treeFile) Open() (io.ReadCloser, error) { return os.Open(filepath.Join(f.root, f.path)) }

// publish writes the working tree (the files git tracks or would track) as
// module version into a GOPROXY folder.
func publish(t *testing.T, root, proxy, version string) {
	t.Helper()
	var files []modzip.File
	for _, p := range strings.Split(strings.TrimSpace(run(t, root, nil, "git", "ls-files", "--cached", "--others", "--exclude-standard")), "\n") {
		if _, err := os.Lstat(filepath.Join(root, p)); err == nil { // deleted but not committed: skip
			files = append(files, treeFile{root, p})
		}
	}
	dir := filepath.Join(proxy, modulePath, "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	zf, err := os.Create(filepath.Join(dir, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := modzip.Create(zf, module.Version{Path: modulePath, Version: version}, files); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"Version": version, "Time": time.Now().UTC()})
	for name, data := range map[string][]byte{version + ".mod": gomod, version + ".info": info, "list": []byte(version + "\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyDir copies the files of an example folder (not cdk.out).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if info.IsDir() {
			if info.Name() == "cdk.out" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExamplesInAConsumerModule is the proof described in the package doc.
func TestExamplesInAConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a consumer module")
	}
	root := repoRoot(t)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	// A version of its own for every run: the module cache keeps a
	// version's content forever.
	version := fmt.Sprintf("v0.0.0-%s-%s", time.Now().UTC().Format("20060102150405"), hex.EncodeToString(suffix))
	proxy := t.TempDir()
	publish(t, root, proxy, version)
	modcache := strings.TrimSpace(run(t, root, nil, "go", "env", "GOMODCACHE"))
	t.Cleanup(func() { removeFromModuleCache(modcache, version) })

	defaultProxy := strings.TrimSpace(run(t, root, nil, "go", "env", "GOPROXY"))
	env := []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + "," + defaultProxy,
		"GONOSUMDB=" + modulePath, "GONOSUMCHECK=1", "GOFLAGS=", "GOWORK=off",
	}
	for _, example := range []struct {
		dir, stack string
		functions  bool // the example deploys Lambda functions
	}{
		{"quickstart", "IvsQuickstart", false}, {"live-event", "IvsLiveEvent", true}, {"private-channel", "IvsPrivateChannel", true},
		{"realtime-stage", "IvsRealtimeStage", true}, {"chat-room", "IvsChatRoom", true},
	} {
		t.Run(example.dir, func(t *testing.T) {
			// The examples share nothing but the published version and
			// the caches: each builds and synthesizes beside the others.
			t.Parallel()
			consumer := filepath.Join(t.TempDir(), "consumer")
			if err := os.MkdirAll(consumer, 0o755); err != nil {
				t.Fatal(err)
			}
			run(t, consumer, env, "go", "mod", "init", "example.com/consumer")
			copyDir(t, filepath.Join(root, "examples", example.dir), consumer)
			run(t, consumer, env, "go", "get", modulePath+"@"+version)
			run(t, consumer, env, "go", "mod", "tidy")

			// Synthesize as `cdk synth` would (go run . with CDK_OUTDIR).
			outdir := t.TempDir()
			run(t, consumer, append(env, "CDK_OUTDIR="+outdir), "go", "run", ".")
			templateFile := filepath.Join(outdir, example.stack+".template.json")
			data, err := os.ReadFile(templateFile)
			if err != nil {
				t.Fatal(err)
			}
			var template struct {
				Resources map[string]struct {
					Type       string
					Properties map[string]any
				}
			}
			if err := json.Unmarshal(data, &template); err != nil {
				t.Fatal(err)
			}
			functions := 0
			for id, r := range template.Resources {
				// ivscdk's Go functions; the page's file deployment and
				// bucket clean-up are the CDK's own (Python, Node.js).
				if r.Type != "AWS::Lambda::Function" || r.Properties["Runtime"] != "provided.al2023" {
					continue
				}
				functions++
				key, _ := r.Properties["Code"].(map[string]any)["S3Key"].(string)
				asset := filepath.Join(outdir, "asset."+strings.TrimSuffix(key, ".zip"), "bootstrap")
				if info, err := os.Stat(asset); err != nil || info.Size() < 1<<20 {
					t.Errorf("%s: no built Lambda at %s: %v", id, asset, err)
				}
			}
			if example.functions && functions == 0 {
				t.Error("the template has no Lambda function")
			}
			// Nothing CloudFormation or the CLI reads holds key material.
			// (The Lambda binaries hold the words "PRIVATE KEY" as PEM
			// block names, so only the cloud assembly's JSON is searched.)
			jsonFiles, _ := filepath.Glob(filepath.Join(outdir, "*.json"))
			for _, name := range jsonFiles {
				if b, _ := os.ReadFile(name); strings.Contains(string(b), "PRIVATE KEY") {
					t.Errorf("%s holds key material", name)
				}
			}
			// The example's own tests (golden template included) pass in
			// the consumer: the asset hashes are the same as in the repo.
			run(t, consumer, env, "go", "vet", ".")
			run(t, consumer, env, "go", "test", ".")
		})
	}
}

// removeFromModuleCache deletes the published version from the module
// cache (whose files are read-only).
func removeFromModuleCache(modcache, version string) {
	paths := []string{filepath.Join(modcache, modulePath+"@"+version)}
	matches, _ := filepath.Glob(filepath.Join(modcache, "cache", "download", modulePath, "@v", version+".*"))
	paths = append(paths, matches...)
	for _, p := range paths {
		_ = filepath.Walk(p, func(path string, info os.FileInfo, err error) error {
			if err == nil {
				_ = os.Chmod(path, info.Mode()|0o200)
			}
			return nil
		})
		_ = os.RemoveAll(p)
	}
}
