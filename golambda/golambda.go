// Package golambda builds Go Lambda functions with the local Go toolchain
// while the CDK synthesizes: linux/arm64 binaries named bootstrap for the
// provided.al2023 runtime, with no Docker.
//
// It builds any Go main package the app can resolve: ivscdk's own handlers
// (under github.com/ivscdk/ivscdk/lambda/, read-only in the module cache of
// a module that requires ivscdk) and the user's own packages alike:
//
//	code, err := golambda.Code("github.com/ivscdk/ivscdk/lambda/playbacktoken")
//	fn := awslambda.NewFunction(stack, jsii.String("Fn"), &awslambda.FunctionProps{
//		Runtime:      golambda.Runtime(),
//		Architecture: golambda.Architecture(),
//		Handler:      jsii.String(golambda.Handler),
//		Code:         code,
//	})
//
// The package is built inside the module that holds it, with that module's
// go.mod and go.sum, so a consumer's go.sum needs no entry for a handler's
// dependencies. The asset hash covers the Go files (tests aside) and
// embedded files of the package and of every package of its module it
// imports, and the path@version of every other module it imports: unchanged
// code keeps its hash, so the CDK neither rebuilds nor re-uploads it, and the
// built binary is kept in the user cache directory under that hash. The go
// command's listing behind the hash runs once per process for all of
// ivscdk's handlers (and once for each of the user's packages), so a stack
// with many functions does not wait on the go command for each.
package golambda

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// Handler is the executable name the provided.al2023 runtime starts.
const Handler = "bootstrap"

// Runtime returns the Lambda runtime built functions run on:
// provided.al2023.
func Runtime() awslambda.Runtime { return awslambda.Runtime_PROVIDED_AL2023() }

// Architecture returns the architecture built functions run on: arm64.
func Architecture() awslambda.Architecture { return awslambda.Architecture_ARM_64() }

// ErrNoGo is returned (wrapped) when no go command is on PATH.
var ErrNoGo = errors.New("golambda: the go command is not on PATH: install Go (go.dev/dl) to build Lambda functions at synth, or give the construct your own awslambda.Code")

// target is what every binary is built for.
var target = []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOWORK=off"}

// buildFlags make small, reproducible binaries without the RPC mode the
// provided runtimes do not use.
var buildFlags = []string{"-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w -buildid="}

// Built is a main package compiled for Lambda.
type Built struct {
	// Dir holds the binary, named Handler; use it as the function's code.
	Dir string
	// Hash identifies the sources the binary was built from.
	Hash string
}

var (
	mu    sync.Mutex
	built = map[string]*Built{}
)

// Build compiles the Go main package importPath for Lambda, or returns the
// binary built before from the same sources. It is safe for concurrent use.
func Build(importPath string) (*Built, error) {
	mu.Lock()
	defer mu.Unlock()
	key := importPath
	if strings.HasPrefix(importPath, ".") {
		key = workingDir() + "\x00" + importPath
	}
	if b, ok := built[key]; ok {
		return b, nil
	}
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("building %s: %w", importPath, ErrNoGo)
	}
	pkg, err := locate(importPath)
	if err != nil {
		return nil, fmt.Errorf("golambda: finding %s: %w", importPath, err)
	}
	hash, err := pkg.sourceHash()
	if err != nil {
		return nil, fmt.Errorf("golambda: hashing the sources of %s: %w", importPath, err)
	}
	dir, err := cacheDir(hash)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, Handler)); err != nil {
		if err := pkg.compile(dir); err != nil {
			return nil, fmt.Errorf("golambda: building %s: %w", importPath, err)
		}
	}
	b := &Built{Dir: dir, Hash: hash}
	built[key] = b
	return b, nil
}

// Code returns the Lambda code of the Go main package importPath, built
// with Build, as an asset whose hash is the sources' hash.
func Code(importPath string) (awslambda.Code, error) {
	b, err := Build(importPath)
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(b.Dir), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(b.Hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
	}), nil
}

// pkg is a main package and the module that holds it.
type pkg struct {
	importPath string
	moduleDir  string // root of the module holding the package
	modulePath string
	listing    listing // the go command's view of it, from moduleDir
}

// handlerDir holds ivscdk's own Lambda main packages. The first Build of
// one of them lists them all with one go command, so a stack with many of
// ivscdk's functions runs the go command once or twice, not twice for each.
const handlerDir = "github.com/ivscdk/ivscdk/lambda"

// listed is what `go list -deps -json` says of one package.
type listed struct {
	ImportPath, Name, Dir string
	Standard              bool
	GoFiles, EmbedFiles   []string
	Deps                  []string
	Module                *listedModule
	Error                 *struct{ Err string }
	DepsErrors            []*struct{ Err string }
}

type listedModule struct {
	Path, Version, Dir string
	Main               bool
	Replace            *listedModule
}

// listing is one `go list -deps` run, by import path.
type listing map[string]*listed

// listings keeps each run for the rest of the process (under mu): a
// program's sources do not change while it synthesizes.
var listings = map[string]listing{}

// list runs `go list -e -deps` for pattern in dir ("" is the working
// directory) for the Lambda target, with extra environment variables.
func list(dir string, env []string, pattern string) (listing, error) {
	key := workingDir() + "\x00" + dir + "\x00" + strings.Join(env, " ") + "\x00" + pattern
	if l, ok := listings[key]; ok {
		return l, nil
	}
	out, err := goCmd(dir, env, "list", "-e", "-deps", "-tags", "lambda.norpc",
		"-json=ImportPath,Name,Dir,Standard,GoFiles,EmbedFiles,Deps,Module,Error,DepsErrors", pattern)
	if err != nil {
		return nil, err
	}
	l := listing{}
	for dec := json.NewDecoder(strings.NewReader(out)); dec.More(); {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("reading go list's output: %w", err)
		}
		l[p.ImportPath] = &p
	}
	listings[key] = l
	return l, nil
}

// pattern is what to list for importPath: ivscdk's handlers all at once,
// anything else alone.
func pattern(importPath string) string {
	if within(importPath, handlerDir) {
		return handlerDir + "/..."
	}
	return importPath
}

// find returns the listed package importPath names: by import path, or by
// folder for a path relative to the working directory.
func (l listing) find(importPath string) *listed {
	if !strings.HasPrefix(importPath, ".") {
		return l[importPath]
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil
	}
	dir := filepath.Join(wd, filepath.FromSlash(importPath))
	for _, p := range l {
		if p.Dir == dir && p.Module != nil {
			return p
		}
	}
	return nil
}

// locate finds the module that holds importPath: first as the go command
// sees it from the working directory (the app's own module, which requires
// ivscdk), then, for an app run from elsewhere, from the module versions
// compiled into this program. When the app's own module holds it, the
// listing that found it also serves for its hash; otherwise the package is
// listed again inside its module, where it is built.
func locate(importPath string) (*pkg, error) {
	// The working directory's listing keeps the user's workspace (go.work),
	// as the go command resolves their app with it.
	var workspace []string
	for _, kv := range target {
		if !strings.HasPrefix(kv, "GOWORK=") {
			workspace = append(workspace, kv)
		}
	}
	if here, err := list("", workspace, pattern(importPath)); err == nil {
		if p := here.find(importPath); p != nil && p.Name != "" && p.Module != nil && p.Module.Dir != "" {
			if p.Name != "main" {
				return nil, fmt.Errorf("%s is package %s, not a main package", importPath, p.Name)
			}
			found := &pkg{importPath: p.ImportPath, moduleDir: p.Module.Dir, modulePath: p.Module.Path}
			if p.Module.Main && !inWorkspace() {
				found.listing = here
			}
			return found, nil
		}
	}
	if strings.HasPrefix(importPath, ".") {
		return nil, fmt.Errorf("%s is not a main package below %s", importPath, workingDir())
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, fmt.Errorf("the go command cannot resolve it from %s and this program has no build information", workingDir())
	}
	for _, m := range info.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		if !within(importPath, m.Path) || m.Version == "" {
			continue
		}
		out, err := goCmd("", nil, "mod", "download", "-json", m.Path+"@"+m.Version)
		if err != nil {
			return nil, err
		}
		var dl struct{ Dir, Error string }
		if err := json.Unmarshal([]byte(out), &dl); err != nil || dl.Dir == "" {
			return nil, fmt.Errorf("downloading %s@%s: %s", m.Path, m.Version, dl.Error)
		}
		return &pkg{importPath: importPath, moduleDir: dl.Dir, modulePath: m.Path}, nil
	}
	return nil, fmt.Errorf("no module of %s holds it: run the app from a module that requires it", workingDir())
}

// inWorkspace reports whether the working directory is in a go.work
// workspace, where the working directory's view of a package may differ
// from its module's own (GOWORK=off), in which it is built.
func inWorkspace() bool {
	out, err := goCmd("", nil, "env", "GOWORK")
	w := strings.TrimSpace(out)
	return err != nil || (w != "" && w != "off")
}

// within reports whether importPath is in the module modulePath.
func within(importPath, modulePath string) bool {
	return importPath == modulePath || strings.HasPrefix(importPath, modulePath+"/")
}

// sourceHash hashes what the binary is made of; see the package doc.
func (p *pkg) sourceHash() (string, error) {
	if p.listing == nil {
		l, err := list(p.moduleDir, target, pattern(p.importPath))
		if err != nil {
			return "", err
		}
		p.listing = l
	}
	root := p.listing[p.importPath]
	if root == nil {
		return "", fmt.Errorf("go list does not find %s in %s", p.importPath, p.moduleDir)
	}
	if root.Error != nil {
		return "", errors.New(root.Error.Err)
	}
	for _, e := range root.DepsErrors {
		return "", errors.New(e.Err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "golambda v1\x00%s\x00%s\x00", strings.Join(target, " "), strings.Join(buildFlags, " "))
	var modules, files []string
	for _, name := range append(slices.Clone(root.Deps), root.ImportPath) {
		dep := p.listing[name]
		if dep == nil {
			return "", fmt.Errorf("go list lists %s as a dependency of %s but not the package itself", name, p.importPath)
		}
		if dep.Standard || dep.Module == nil {
			continue
		}
		if dep.Module.Path != p.modulePath {
			version := dep.Module.Version
			if r := dep.Module.Replace; r != nil {
				version += "=>" + r.Path + "@" + r.Version
			}
			modules = append(modules, dep.Module.Path+"@"+version)
			continue
		}
		rel, err := filepath.Rel(p.moduleDir, dep.Dir)
		if err != nil {
			return "", err
		}
		for _, name := range append(slices.Clone(dep.GoFiles), dep.EmbedFiles...) {
			files = append(files, path.Join(filepath.ToSlash(rel), name))
		}
	}
	if len(files) == 0 {
		return "", fmt.Errorf("no Go files found for %s", p.importPath)
	}
	sort.Strings(modules)
	modules = slices.Compact(modules)
	sort.Strings(files)
	for _, m := range modules {
		fmt.Fprintf(h, "module %s\x00", m)
	}
	for _, name := range files {
		f, err := os.Open(filepath.Join(p.moduleDir, filepath.FromSlash(name)))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %s\x00", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// compile builds the binary into dir, through a temporary folder beside it
// so that an interrupted build never leaves a partial binary under the hash.
func (p *pkg) compile(dir string) error {
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	args := append(append([]string{"build"}, buildFlags...), "-o", filepath.Join(tmp, Handler), p.importPath)
	if _, err := goCmd(p.moduleDir, target, args...); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, Handler)); statErr == nil {
			return nil // built at the same time by another process
		}
		return err
	}
	return nil
}

// cacheDir is where the binary of the sources with this hash is kept.
func cacheDir(hash string) (string, error) {
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	root = filepath.Join(root, "ivscdk", "golambda")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("golambda: creating the build cache: %w", err)
	}
	return filepath.Join(root, hash), nil
}

// goCmd runs the go command in dir (the working directory when "") with
// extra environment variables, returning its standard output; a failure
// carries what the command printed on standard error.
func goCmd(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

func workingDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "the working directory"
	}
	return wd
}
