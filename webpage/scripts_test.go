package webpage_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/webpage"
)

// helloJS is what testdata/scripts' build writes.
const helloJS = "window.hello = 1;\n"

// scriptedPage lays out a page whose index.html holds head, beside a copy
// of testdata/scripts as sdk/, in a fresh folder, with a fresh cache
// folder for the builds; it returns the page's props.
func scriptedPage(t *testing.T, head string) *webpage.Props {
	t.Helper()
	cache := sharedScriptCache
	if cache == "" {
		cache = t.TempDir()
	}
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := t.TempDir()
	web, sdk := filepath.Join(dir, "web"), filepath.Join(dir, "sdk")
	for _, d := range []string{web, sdk} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"package.json", "package-lock.json", "build.mjs"} {
		data, err := os.ReadFile(filepath.Join("testdata", "scripts", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(sdk, f), data, 0o644)
	}
	os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html><title>t</title>"+head), 0o644)
	return &webpage.Props{Directory: web, Scripts: sdk}
}

// sharedScriptCache, when set, is the build cache of every scriptedPage:
// the cases of a table that checks what the page refuses build the same
// scripts, so one npm build serves them all. Unset, each page builds in a
// cache of its own (what the tests of the build and its cache need).
var sharedScriptCache string

// shareScriptBuilds makes the scriptedPages of t and its subtests share
// one build cache.
func shareScriptBuilds(t *testing.T) { useScriptCache(t, t.TempDir()) }

// useScriptCache makes the scriptedPages of t and its subtests build in
// cache.
func useScriptCache(t *testing.T, cache string) {
	sharedScriptCache = cache
	t.Cleanup(func() { sharedScriptCache = "" })
}

// pageMessages defines the page and returns its validation messages.
func pageMessages(t *testing.T, props *webpage.Props) (*cdktest.Env, string) {
	t.Helper()
	env := cdktest.New(t)
	webpage.New(env.Stack, "Page", props)
	var messages []string
	for _, m := range *env.Stack.Node().FindChild(jsii.String("Page")).Node().Validate() {
		messages = append(messages, *m)
	}
	return env, strings.Join(messages, "\n")
}

func TestScriptsAreBuiltFromTheLockfile(t *testing.T) {
	props := scriptedPage(t, `<script src="sdk/hello.js" integrity="`+webpage.Integrity([]byte(helloJS))+`"></script>`)
	built, err := webpage.BuildScripts(props)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(built, "sdk", "hello.js")); err != nil || string(got) != helloJS {
		t.Fatalf("the build wrote %q (%v), want %q under sdk/", got, err, helloJS)
	}
	// A second build of the same files is the cached one: npm is not run
	// again (with no npm on PATH it would fail).
	t.Setenv("PATH", t.TempDir())
	if again, err := webpage.BuildScripts(props); err != nil || again != built {
		t.Errorf("the same files again: %q, %v; want the cached %q", again, err, built)
	}
	env, messages := pageMessages(t, props)
	if messages != "" {
		t.Fatalf("a page whose script carries its integrity: %s", messages)
	}
	// The built files are a second source of the deployment, and the
	// policy's script-src stays the page's own origin.
	got := env.Synth()
	for _, r := range got["Resources"].(map[string]any) {
		resource := r.(map[string]any)
		if resource["Type"] != "Custom::CDKBucketDeployment" {
			continue
		}
		if keys := resource["Properties"].(map[string]any)["SourceObjectKeys"].([]any); len(keys) != 3 {
			t.Errorf("the deployment's sources are %v; want the built scripts, the page's files and config.json", keys)
		}
	}
	b, _ := json.Marshal(got)
	if !strings.Contains(string(b), `script-src 'self'; `) {
		t.Error("script-src is not 'self' alone")
	}
}

func TestScriptsMustCarryTheirIntegrity(t *testing.T) {
	shareScriptBuilds(t)
	want := webpage.Integrity([]byte(helloJS))
	for name, c := range map[string]struct{ head, message string }{
		"none":    {`<script src="sdk/hello.js"></script>`, `index.html loads the built script sdk/hello.js with no integrity attribute: add integrity="` + want + `"`},
		"another": {`<script src="sdk/hello.js" integrity="sha384-AAAA"></script>`, `with integrity "sha384-AAAA", but the build made "` + want + `"`},
		"remote":  {`<script src="https://cdn.example.com/x.js"></script>`, `index.html loads https://cdn.example.com/x.js with no integrity attribute`},
	} {
		t.Run(name, func(t *testing.T) {
			if _, messages := pageMessages(t, scriptedPage(t, c.head)); !strings.Contains(messages, c.message) {
				t.Errorf("messages %q lack %q", messages, c.message)
			}
		})
	}
}

func TestScriptsRefuseWhatCannotBuild(t *testing.T) {
	t.Run("no lockfile", func(t *testing.T) {
		props := scriptedPage(t, "")
		os.Remove(filepath.Join(props.Scripts, "package-lock.json"))
		if _, messages := pageMessages(t, props); !strings.Contains(messages, "has no package-lock.json") {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("no npm", func(t *testing.T) {
		props := scriptedPage(t, "")
		t.Setenv("PATH", t.TempDir())
		if _, messages := pageMessages(t, props); !strings.Contains(messages, "npm is not on PATH") {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("the build fails", func(t *testing.T) {
		props := scriptedPage(t, "")
		os.WriteFile(filepath.Join(props.Scripts, "build.mjs"), []byte(`throw new Error("no such SDK");`), 0o644)
		if _, messages := pageMessages(t, props); !strings.Contains(messages, "npm run build") || !strings.Contains(messages, "no such SDK") {
			t.Errorf("messages %q", messages)
		}
	})
	t.Run("a name clash", func(t *testing.T) {
		props := scriptedPage(t, "")
		os.MkdirAll(filepath.Join(props.Directory, "sdk"), 0o755)
		if _, messages := pageMessages(t, props); !strings.Contains(messages, "has its own sdk") {
			t.Errorf("messages %q", messages)
		}
	})
}

func TestHeadersAllowDevicesOnlyWhereAsked(t *testing.T) {
	viewer := webpage.Headers(&webpage.Props{})
	stage := webpage.Headers(&webpage.Props{Devices: []string{"camera", "microphone"}})
	for _, c := range []struct {
		headers map[string]string
		want    []string
	}{
		{viewer, []string{"camera=()", "microphone=()", "geolocation=()", "display-capture=()"}},
		{stage, []string{"camera=(self)", "microphone=(self)", "geolocation=()", "display-capture=()"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.headers["Permissions-Policy"], w) {
				t.Errorf("Permissions-Policy %q lacks %s", c.headers["Permissions-Policy"], w)
			}
		}
		if c.headers["Cross-Origin-Opener-Policy"] != "same-origin" {
			t.Errorf("Cross-Origin-Opener-Policy %q", c.headers["Cross-Origin-Opener-Policy"])
		}
	}
	// The distribution sends them.
	env := cdktest.New(t)
	webpage.New(env.Stack, "Page", &webpage.Props{Directory: "testdata/site", Devices: []string{"camera", "microphone"}})
	got := env.Synth()
	cdktest.Assertions(t, assertions.Template_FromJSON(&got, nil)).HasResourceProperties(jsii.String("AWS::CloudFront::ResponseHeadersPolicy"), map[string]any{
		"ResponseHeadersPolicyConfig": assertions.Match_ObjectLike(&map[string]any{
			"CustomHeadersConfig": map[string]any{"Items": []any{
				map[string]any{"Header": "Permissions-Policy", "Value": stage["Permissions-Policy"], "Override": true},
				map[string]any{"Header": "Cross-Origin-Opener-Policy", "Value": "same-origin", "Override": true},
			}},
		}),
	})
	if _, messages := pageMessages(t, &webpage.Props{Directory: "testdata/site", Devices: []string{"geolocation"}}); !strings.Contains(messages,
		`Devices "geolocation" is invalid: allowed values are "camera" and "microphone"`) {
		t.Errorf("messages %q", messages)
	}
}

// nil props are every default, as New takes them.
func TestHeadersAndPolicyTakeNil(t *testing.T) {
	if got, want := webpage.Headers(nil), webpage.Headers(&webpage.Props{}); got["Permissions-Policy"] != want["Permissions-Policy"] ||
		webpage.Policy(nil) != webpage.Policy(&webpage.Props{}) {
		t.Error("nil props differ from the zero Props")
	}
}

// A cached build whose files were changed after the build is not deployed:
// it is built again, and the bytes are the build's.
func TestAChangedCachedBuildIsBuiltAgain(t *testing.T) {
	props := scriptedPage(t, "")
	built, err := webpage.BuildScripts(props)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(built, "sdk", "hello.js")
	if err := os.WriteFile(file, []byte("window.evil = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := webpage.BuildScripts(props)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(again, "sdk", "hello.js")); string(got) != helloJS {
		t.Errorf("a changed cached build was used: %q", got)
	}
}
