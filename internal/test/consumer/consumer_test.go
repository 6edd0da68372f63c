// Package consumer proves that ivscdk works for a user who gets it with
// `go get`: it serves this working tree as a module version from a
// file-system GOPROXY, creates a module outside the repository that
// requires it, copies each example in, and vets and synthesizes it there.
// That catches what no in-repository test can: imports of internal/
// packages, missing go.sum entries, and Lambda builds that assume the
// repository (ivscdk then sits read-only in the module cache).
//
// The examples' own tests are not run again in the consumer: `go vet`
// compiles them there, and the template `go run .` synthesizes there is
// compared with the example's golden file, which the example's tests hold
// to its stack in the repository. Everything those tests assert of the
// template therefore holds for the consumer's template too.
package consumer

import (
	"crypto/sha256"
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

	"github.com/ivscdk/ivscdk/cdkapp/golden"
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

// versionTime is the time of every version this test publishes. A fixed
// time keeps the wall clock out of the test; the version's revision part
// is a hash of the content, so the same tree is the same version.
const versionTime = "20000101000000"

// treeFiles lists the working tree's files (those git tracks or would
// track) and returns them with a version named after their content.
func treeFiles(t *testing.T, root string) ([]modzip.File, string) {
	t.Helper()
	var files []modzip.File
	hash := sha256.New()
	for _, p := range strings.Split(strings.TrimSpace(run(t, root, nil, "git", "ls-files", "--cached", "--others", "--exclude-standard")), "\n") {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err != nil { // deleted but not committed: skip
			continue
		}
		files = append(files, treeFile{root, p})
		sum := sha256.Sum256(data)
		fmt.Fprintf(hash, "%s %x\n", p, sum)
	}
	return files, "v0.0.0-" + versionTime + "-" + hex.EncodeToString(hash.Sum(nil))[:12]
}

// publish writes files as module version into a GOPROXY folder.
func publish(t *testing.T, root, proxy, version string, files []modzip.File) {
	t.Helper()
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
	stamp, _ := time.Parse("20060102150405", versionTime)
	info, _ := json.Marshal(map[string]any{"Version": version, "Time": stamp})
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
	work := workFolder(t, root) // and the lock on the module cache's versions
	files, version := treeFiles(t, root)
	// The module cache keeps a version's content forever: the versions
	// earlier trees published go, this tree's stays for the next run.
	modcache := strings.TrimSpace(run(t, root, nil, "go", "env", "GOMODCACHE"))
	removeEarlierVersions(modcache, version)
	proxy := t.TempDir()
	publish(t, root, proxy, version, files)

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
		goldenFile := filepath.Join(root, "examples", example.dir, "testdata", example.dir+".json")
		t.Run(example.dir, func(t *testing.T) {
			// The examples share nothing but the published version and
			// the caches: each builds and synthesizes beside the others.
			t.Parallel()
			consumer := filepath.Join(work, example.dir)
			if err := os.RemoveAll(consumer); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(consumer, 0o755); err != nil {
				t.Fatal(err)
			}
			run(t, consumer, env, "go", "mod", "init", "example.com/consumer")
			copyDir(t, filepath.Join(root, "examples", example.dir), consumer)
			run(t, consumer, env, "go", "get", modulePath+"@"+version)
			run(t, consumer, env, "go", "mod", "tidy")
			// The package and its tests compile against the published
			// version.
			run(t, consumer, env, "go", "vet", ".")

			// Synthesize as `cdk synth` would (go run . with CDK_OUTDIR),
			// without the CDK's CloudFormation validation: the template
			// must equal the golden file, which the example's own tests
			// validate strictly, so a second validation here (seconds of
			// engine start per example) would prove nothing new.
			outdir := t.TempDir()
			run(t, consumer, append(env, "CDK_OUTDIR="+outdir, "CDK_VALIDATION=false"), "go", "run", ".")
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
			// The same template as the example's tests check in the
			// repository (asset file names aside).
			var whole any
			if err := json.Unmarshal(data, &whole); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, goldenFile, whole, false, golden.MaskAssets())
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
		})
	}
}

// workFolder returns the folder the consumer modules are made in, and
// holds until the test ends a lock that all runs of it on this machine
// share: a run from another clone, of another tree, would otherwise delete
// this run's version from the module cache (removeEarlierVersions) while
// this run builds against it, and runs from one clone would meet in its
// folder. The folder is the same for every run from this clone (under the
// user cache directory, named after the clone's path): the go command
// keys its cache on a package's folder, so an unchanged example vets and
// runs from the cache instead of being compiled and linked again. The
// modules are written afresh each run.
func workFolder(t *testing.T, root string) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		return t.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(cache, "ivscdk", "consumer", hex.EncodeToString(sum[:])[:12])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lock(filepath.Join(filepath.Dir(dir), ".lock"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unlock)
	return dir
}

// removeEarlierVersions deletes from the module cache the versions this
// test published for other trees (their files are read-only). Only
// versions with the test's fixed time are touched: a real ivscdk version a
// user's other modules need stays.
func removeEarlierVersions(modcache, keep string) {
	prefix := "v0.0.0-" + versionTime + "-"
	extracted, _ := filepath.Glob(filepath.Join(modcache, modulePath+"@"+prefix+"*"))
	downloaded, _ := filepath.Glob(filepath.Join(modcache, "cache", "download", modulePath, "@v", prefix+"*"))
	for _, p := range append(extracted, downloaded...) {
		if strings.Contains(filepath.Base(p), keep) {
			continue
		}
		_ = filepath.Walk(p, func(path string, info os.FileInfo, err error) error {
			if err == nil {
				_ = os.Chmod(path, info.Mode()|0o200)
			}
			return nil
		})
		_ = os.RemoveAll(p)
	}
}
