package exampleapp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// The examples' Lambda functions are built from this repository with the
// local Go toolchain (linux/arm64, no cgo) while the CDK synthesizes: no
// Docker. Run them with provided.al2023 on arm64, handler "bootstrap".

// ModuleRoot is the repository's root, found from this file's location: the
// examples run from a clone, with `go run`.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// GoFunctionCode returns the code asset of the Go main package pkg (a path
// relative to the module root, such as "examples/chat-room/moderator").
// The Go files (tests aside) of pkg and of every package of this module it
// imports, with go.mod and go.sum, make the asset hash, so a change to any
// of them deploys a new function.
func GoFunctionCode(pkg string) awslambda.Code {
	root := ModuleRoot()
	sources, err := moduleDeps(root, pkg)
	if err != nil {
		panic(fmt.Errorf("listing the packages of %s: %w", pkg, err))
	}
	hash, err := sourceHash(root, sources)
	if err != nil {
		panic(fmt.Errorf("hashing the sources of %s: %w", pkg, err))
	}
	return awslambda.Code_FromAsset(jsii.String(filepath.Join(root, pkg)), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// Used only if the local build below cannot run.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/golang:1.26")),
			Local: &goBuild{root: root, pkg: pkg},
		},
	})
}

// goBuild implements awscdk.ILocalBundling with `go build`.
type goBuild struct{ root, pkg string }

// TryBundle builds the package into outputDir/bootstrap, the name the
// provided.al2023 runtime runs.
func (g *goBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w",
		"-o", filepath.Join(*outputDir, "bootstrap"), "./"+g.pkg)
	cmd.Dir = g.root
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "building %s: %v\n", g.pkg, err)
		return jsii.Bool(false)
	}
	return jsii.Bool(true)
}

// moduleDeps lists the folders, relative to root, of pkg and of the
// packages of root's module that pkg imports.
func moduleDeps(root, pkg string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.Dir}}{{end}}", "./"+pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, dir := range strings.Fields(string(out)) {
		if rel, err := filepath.Rel(root, dir); err == nil && !strings.HasPrefix(rel, "..") {
			dirs = append(dirs, filepath.ToSlash(rel))
		}
	}
	return dirs, nil
}

// sourceHash hashes the source files' names and contents.
func sourceHash(root string, dirs []string) (string, error) {
	files := []string{"go.mod", "go.sum"}
	for _, dir := range dirs {
		matches, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			return "", err
		}
		if len(matches) == 0 {
			return "", fmt.Errorf("no Go files in %s", dir)
		}
		for _, m := range matches {
			if !strings.HasSuffix(m, "_test.go") {
				rel, _ := filepath.Rel(root, m)
				files = append(files, rel)
			}
		}
	}
	sort.Strings(files)
	h := sha256.New()
	for _, name := range files {
		f, err := os.Open(filepath.Join(root, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(name))
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
