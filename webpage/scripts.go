package webpage

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Why the page's scripts are built from a lockfile, not loaded from a CDN
// (docs/decisions.md, "The pages' SDKs are built from a lockfile"): a
// content security policy that allows a CDN's origin allows every file on
// it, and the IVS SDKs' CDN files cannot all carry Subresource Integrity
// (the player's worker and WebAssembly are fetched by the SDK itself). npm
// checks every package it installs against the lockfile's sha512, so the
// built files are bytes this project names, served from the page's own
// origin ('self').

// BuildScripts builds the page's scripts (Props.Scripts) and returns the
// folder that holds them, under the Scripts folder's base name: the files
// New deploys beside the page's own. Without Scripts it returns "".
//
// It copies the Scripts folder (package.json, package-lock.json and the
// build's own sources; node_modules is left out) to a temporary folder,
// runs `npm ci --ignore-scripts` there (npm installs exactly what the
// lockfile names and checks each package's integrity; no package's install
// script runs) and then `npm run build -- <output folder>`. The result is
// kept in the user's cache folder (os.UserCacheDir, "ivscdk/page-scripts")
// under the hash of the Scripts folder's files, so a second synthesis of
// the same files does not run npm again; a cached build whose files no
// longer hash as they did when built is built again. It needs npm on PATH.
func BuildScripts(props *Props) (string, error) {
	if props == nil || props.Scripts == "" {
		return "", nil
	}
	return buildFolder(props.Scripts)
}

// buildFolder is BuildScripts for the folder src.
func buildFolder(src string) (string, error) {
	for _, required := range []string{"package.json", "package-lock.json"} {
		if _, err := os.Stat(filepath.Join(src, required)); err != nil {
			return "", fmt.Errorf("the Scripts folder %q has no %s: give a folder with package.json, package-lock.json "+
				"(npm install writes it) and a \"build\" script", src, required)
		}
	}
	sum, err := folderHash(src)
	if err != nil {
		return "", fmt.Errorf("the Scripts folder %q: %w", src, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("the Scripts folder %q: no cache folder to build in: %w", src, err)
	}
	root := filepath.Join(cache, "ivscdk", "page-scripts")
	done := filepath.Join(root, sum)
	if _, err := os.Stat(done); err == nil {
		if intact(done) {
			return done, nil
		}
		// Changed since it was built (or built before manifests): build
		// it again rather than deploy bytes no build made.
		if err := os.RemoveAll(done); err != nil {
			return "", fmt.Errorf("the Scripts folder %q: removing a changed build: %w", src, err)
		}
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("the Scripts folder %q: npm is not on PATH; it builds the page's scripts from package-lock.json (install Node.js, as the CDK CLI needs)", src)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	work, err := os.MkdirTemp(root, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	project, out := filepath.Join(work, "project"), filepath.Join(work, "out")
	if err := copyFolder(src, project); err != nil {
		return "", fmt.Errorf("the Scripts folder %q: %w", src, err)
	}
	outFiles := filepath.Join(out, filepath.Base(filepath.Clean(src)))
	if err := os.MkdirAll(outFiles, 0o755); err != nil {
		return "", err
	}
	for _, args := range [][]string{
		{"ci", "--ignore-scripts", "--no-audit", "--no-fund"},
		{"run", "build", "--", outFiles},
	} {
		cmd := exec.Command(npm, args...)
		cmd.Dir = project
		if output, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("the Scripts folder %q: npm %s failed (%v):\n%s", src, strings.Join(args, " "), err, tail(output, 2000))
		}
	}
	if entries, _ := os.ReadDir(outFiles); len(entries) == 0 {
		return "", fmt.Errorf("the Scripts folder %q: npm run build wrote nothing to the folder it was given (its first argument)", src)
	}
	manifest, err := folderHash(out)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(done+".sum", []byte(manifest), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(out, done); err != nil {
		// Another synthesis built the same files first: use its result.
		if _, statErr := os.Stat(done); statErr == nil {
			return done, nil
		}
		return "", err
	}
	return done, nil
}

// intact reports whether a cached build still holds the bytes the build
// wrote: the hash of its files matches the one written beside it (dir +
// ".sum"). The browser checks the integrity of the scripts a page loads
// by tag, but not of the files an SDK fetches itself (the player's worker
// and WebAssembly), so the cache is checked here.
func intact(dir string) bool {
	want, err := os.ReadFile(dir + ".sum")
	if err != nil {
		return false
	}
	got, err := folderHash(dir)
	return err == nil && got == string(want)
}

// folderHash is the SHA-256 of the paths and contents of dir's files,
// node_modules left out.
func folderHash(dir string) (string, error) {
	h := sha256.New()
	err := walkFiles(dir, func(rel string, data []byte) error {
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(data))
		h.Write(data)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// copyFolder copies dir's files to to, node_modules left out.
func copyFolder(dir, to string) error {
	return walkFiles(dir, func(rel string, data []byte) error {
		target := filepath.Join(to, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// walkFiles calls f with the slash-separated path and the contents of each
// regular file under dir, in lexical order, skipping node_modules.
func walkFiles(dir string, f func(rel string, data []byte) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return f(filepath.ToSlash(rel), data)
	})
}

// tail is the end of a command's output, for an error message.
func tail(b []byte, n int) string {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = append([]byte("…"), b[len(b)-n:]...)
	}
	return string(b)
}

// scriptTag matches a <script> start tag; scriptAttr one of its
// attributes.
var (
	scriptTag  = regexp.MustCompile(`(?is)<script\b[^>]*>`)
	scriptAttr = regexp.MustCompile(`(?is)\s([a-z-]+)\s*=\s*("[^"]*"|'[^']*')`)
)

// Integrity is the Subresource Integrity value of data
// ("sha384-<base64>"), as a <script integrity> attribute gives it.
func Integrity(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// checkIntegrity checks the <script src> tags of the page's HTML files
// against the built scripts in built (BuildScripts' and BuildIVSSDKs'
// folders): a tag that
// loads a built file must carry the file's integrity (sha384), so the
// browser refuses any other bytes; a remote script must carry one too.
// It returns one sentence per problem.
func checkIntegrity(pageDir string, built []string, files map[string][]byte) ([]string, error) {
	var problems []string
	err := walkFiles(pageDir, func(rel string, html []byte) error {
		if !strings.HasSuffix(rel, ".html") {
			return nil
		}
		for _, tag := range scriptTag.FindAll(html, -1) {
			attrs := map[string]string{}
			for _, m := range scriptAttr.FindAllSubmatch(tag, -1) {
				attrs[strings.ToLower(string(m[1]))] = strings.Trim(string(m[2]), `"'`)
			}
			src, ok := attrs["src"]
			if !ok {
				continue
			}
			if strings.Contains(src, "://") || strings.HasPrefix(src, "//") {
				if attrs["integrity"] == "" {
					problems = append(problems, fmt.Sprintf("%s loads %s with no integrity attribute: the browser would run whatever that host serves; "+
						"build it into the page with Scripts (or give its sha384 integrity and crossorigin=\"anonymous\")", rel, src))
				}
				continue
			}
			file := path.Clean(path.Join(path.Dir(rel), strings.SplitN(src, "?", 2)[0]))
			if data, ok := files[file]; ok {
				// One of Files: its bytes come with the Go module that
				// provides it, so integrity is optional, but must be right.
				if got, want := attrs["integrity"], Integrity(data); got != "" && !strings.Contains(" "+got+" ", " "+want+" ") {
					problems = append(problems, fmt.Sprintf("%s loads %s with integrity %q, but Files holds %q: write the new value, or leave integrity out", rel, src, got, want))
				}
				continue
			}
			var data []byte
			for _, folder := range built {
				d, err := os.ReadFile(filepath.Join(folder, filepath.FromSlash(file)))
				if err == nil {
					data = d
					break
				} else if !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
			if data == nil {
				continue // one of the page's own files
			}
			want := Integrity(data)
			switch got := attrs["integrity"]; {
			case got == "":
				problems = append(problems, fmt.Sprintf("%s loads the built script %s with no integrity attribute: add integrity=%q", rel, src, want))
			case !strings.Contains(" "+got+" ", " "+want+" "):
				problems = append(problems, fmt.Sprintf("%s loads the built script %s with integrity %q, but the build made %q: "+
					"the lockfile or the build changed; if that is intended, write the new value", rel, src, got, want))
			}
		}
		return nil
	})
	sort.Strings(problems)
	return problems, err
}
