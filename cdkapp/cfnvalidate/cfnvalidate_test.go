package cfnvalidate

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// app is what a test synthesizes: two stacks, the second with a bucket
// property the registry schema does not have (rule F3002).
type app struct {
	cached, strict, acknowledged bool
}

// synth synthesizes a and returns the error synthesis fails with ("" for
// none) and validation-report.json, with the output folder named <outdir>.
func (a app) synth(t *testing.T) (failure, report string) {
	t.Helper()
	outdir := t.TempDir()
	props := &awscdk.AppProps{Outdir: jsii.String(outdir)}
	if a.strict {
		props.Context = &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true}
	}
	// The built-in plugin, registered explicitly (the CDK then does not add
	// its own instance), or Cached in its place: one engine serves both.
	props.BuiltinCloudFormationValidation = jsii.Bool(!a.cached)
	cdkApp := awscdk.NewApp(props)
	if a.cached {
		awscdk.Validations_Of(cdkApp).AddPlugins(Cached())
	} else {
		awscdk.Validations_Of(cdkApp).AddPlugins(builtin())
	}
	first := awscdk.NewStack(cdkApp, jsii.String("First"), nil)
	awscdk.NewCfnResource(first, jsii.String("Bucket"), &awscdk.CfnResourceProps{Type: jsii.String("AWS::S3::Bucket")})
	second := awscdk.NewStack(cdkApp, jsii.String("Second"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-west-2")},
	})
	bucket := awscdk.NewCfnResource(second, jsii.String("Bucket"), &awscdk.CfnResourceProps{
		Type: jsii.String("AWS::S3::Bucket"), Properties: &map[string]any{"NotAProperty": "x"},
	})
	if a.acknowledged {
		awscdk.Validations_Of(bucket).Acknowledge(&awscdk.Acknowledgment{
			Id: jsii.String("CloudFormation-Validate::F3002"), Reason: jsii.String("the test's own mistake"),
		})
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				failure = fmt.Sprint(r)
			}
		}()
		cdkApp.Synth(nil)
	}()
	b, err := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(failure, outdir, "<outdir>"), strings.ReplaceAll(string(b), outdir, "<outdir>")
}

func TestCachedReportsWhatTheBuiltinPluginReports(t *testing.T) {
	for _, a := range []app{{strict: true}, {}, {strict: true, acknowledged: true}} {
		t.Run(fmt.Sprintf("strict=%v,acknowledged=%v", a.strict, a.acknowledged), func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			wantFailure, wantReport := a.synth(t)
			if !strings.Contains(wantReport, "F3002") || !strings.Contains(wantReport, "Second.template.json") {
				t.Fatalf("the built-in plugin does not report the bad property:\n%s", wantReport)
			}
			if a.strict && !a.acknowledged && !strings.Contains(wantFailure, "ValidationFailed") {
				t.Fatalf("strict synthesis does not fail on the bad property: %q", wantFailure)
			}
			a.cached = true
			for _, run := range []string{"validated", "from the cache"} {
				before := engineRuns.Load()
				failure, report := a.synth(t)
				if failure != wantFailure {
					t.Errorf("%s: synthesis fails with\n%s\nwant\n%s", run, failure, wantFailure)
				}
				if report != wantReport {
					t.Errorf("%s: report\n%s\nwant\n%s", run, report, wantReport)
				}
				ran := engineRuns.Load() - before
				if want := map[string]int64{"validated": 1, "from the cache": 0}[run]; ran != want {
					t.Errorf("%s: the engine ran %d times, want %d", run, ran, want)
				}
			}
		})
	}
}

func TestCacheOffOrEngineUnknownAsksTheEngine(t *testing.T) {
	for name, setup := range map[string]func(t *testing.T){
		"off": func(t *testing.T) { t.Setenv(cacheEnv, "off") },
		"unknown version": func(t *testing.T) {
			known := cdkVersion
			cdkVersion = func() string { return "" }
			t.Cleanup(func() { cdkVersion = known })
		},
	} {
		t.Run(name, func(t *testing.T) {
			cache := t.TempDir()
			t.Setenv("XDG_CACHE_HOME", cache)
			setup(t)
			before := engineRuns.Load()
			app{cached: true}.synth(t)
			app{cached: true}.synth(t)
			if ran := engineRuns.Load() - before; ran != 2 {
				t.Errorf("the engine ran %d times for two synths, want 2", ran)
			}
			if entries, _ := filepath.Glob(filepath.Join(cache, "ivscdk", "cfn-validate", "*")); len(entries) != 0 {
				t.Errorf("cache entries written: %v", entries)
			}
		})
	}
}

func TestAChangedTemplateIsValidatedAgain(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for i, property := range []string{"NotAProperty", "NotAProperty", "AnotherBadOne"} {
		outdir := t.TempDir()
		cdkApp := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir), BuiltinCloudFormationValidation: jsii.Bool(false)})
		awscdk.Validations_Of(cdkApp).AddPlugins(Cached())
		stack := awscdk.NewStack(cdkApp, jsii.String("S"), nil)
		awscdk.NewCfnResource(stack, jsii.String("Bucket"), &awscdk.CfnResourceProps{
			Type: jsii.String("AWS::S3::Bucket"), Properties: &map[string]any{property: "x"},
		})
		before := engineRuns.Load()
		cdkApp.Synth(nil)
		b, _ := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
		if !strings.Contains(string(b), "'"+property+"' was unexpected") {
			t.Errorf("synth %d: the report does not name %s:\n%s", i, property, b)
		}
		if ran, want := engineRuns.Load()-before, []int64{1, 0, 1}[i]; ran != want {
			t.Errorf("synth %d (%s): the engine ran %d times, want %d", i, property, ran, want)
		}
	}
}

func TestVersionIn(t *testing.T) {
	for file, want := range map[string]string{
		"/home/u/go/pkg/mod/github.com/aws/aws-cdk-go/awscdk/v2@v2.277.0/App.go": "v2.277.0",
		"github.com/aws/aws-cdk-go/awscdk/v2@v2.277.1-rc.1/App.go":               "v2.277.1-rc.1", // -trimpath
		"/src/aws-cdk-go/awscdk/App.go":                                          "",              // replaced by a folder
		"":                                                                       "",
	} {
		if got := versionIn(file); got != want {
			t.Errorf("versionIn(%q) = %q, want %q", file, got, want)
		}
	}
	if got := cdkVersion(); got == "" {
		t.Error("this test binary's aws-cdk-go version is not found")
	}
}

func TestNewAppValidatesUnlessValidationIsOff(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	for _, off := range []bool{false, true} {
		outdir := t.TempDir()
		props := &awscdk.AppProps{Outdir: jsii.String(outdir)}
		if off {
			props.BuiltinCloudFormationValidation = jsii.Bool(false)
		}
		stack := awscdk.NewStack(NewApp(props), jsii.String("S"), nil)
		awscdk.NewCfnResource(stack, jsii.String("Bucket"), &awscdk.CfnResourceProps{
			Type: jsii.String("AWS::S3::Bucket"), Properties: &map[string]any{"NotAProperty": "x"},
		})
		before := engineRuns.Load()
		stack.Node().Root().(awscdk.App).Synth(nil)
		b, _ := os.ReadFile(filepath.Join(outdir, "validation-report.json"))
		if reported := strings.Contains(string(b), "F3002"); reported == off {
			t.Errorf("validation off %v: the bad property reported %v:\n%s", off, reported, b)
		}
		if ran, want := engineRuns.Load()-before, map[bool]int64{false: 1, true: 0}[off]; ran != want {
			t.Errorf("validation off %v: the engine ran %d times, want %d", off, ran, want)
		}
	}
}

func TestAnUnreadableEntryIsValidatedAgain(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	_, want := app{cached: true}.synth(t)
	entries, _ := filepath.Glob(filepath.Join(cache, "ivscdk", "cfn-validate", "*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache entries %v, want one", entries)
	}
	for _, broken := range []string{"{", `{"version":"1.14.0"}`, `{"report":{"success":true}}`} {
		if err := os.WriteFile(entries[0], []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		before := engineRuns.Load()
		_, report := app{cached: true}.synth(t)
		if ran := engineRuns.Load() - before; ran != 1 {
			t.Errorf("entry %s: the engine ran %d times, want 1", broken, ran)
		}
		if report != want {
			t.Errorf("entry %s: report\n%s\nwant\n%s", broken, report, want)
		}
	}
}
