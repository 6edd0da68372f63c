// Package cfnvalidate gives a CDK app the report of aws-cdk-lib's built-in
// "CloudFormation Validate" plugin from a cache, so that tests which
// synthesize unchanged templates do not start the validation engine again.
//
// The engine is a WebAssembly module that each process compiles and
// initializes again: about 6 s of CPU on a small machine, before it checks
// a single template, and again whenever a template holds a resource type
// the engine was not set up for. A test package of an app pays that on
// every `go test`, though its templates rarely change. The engine's report
// depends only on the templates (with their stacks' paths, accounts and
// regions) and on the engine, which comes with aws-cdk-lib's version; Cached
// keeps each report under a hash of exactly those, and asks the engine only
// for templates it has not seen. NewApp is cdkapp.NewApp with Cached in
// place of the built-in plugin:
//
//	func TestStack(t *testing.T) {
//		outdir := t.TempDir()
//		app := cfnvalidate.NewApp(&awscdk.AppProps{
//			Outdir:  jsii.String(outdir),
//			Context: &map[string]any{"@aws-cdk/core:validateAgainstDefaultRules": true},
//		})
//		stack := NewMyStack(app, "MyStack", nil)
//		template := assertions.Template_FromStack(stack, nil) // validated
//		cfnvalidate.Check(t, outdir) // warnings fail the test too
//		...
//	}
//
// An App made otherwise can register the plugin itself, with the built-in
// one turned off (BuiltinCloudFormationValidation false).
//
// The CDK then treats the report as it treats the built-in plugin's:
// acknowledgements (Validations_Of(scope).Acknowledge with
// "CloudFormation-Validate::<rule>"), the strict-mode context
// "@aws-cdk/core:validateAgainstDefaultRules" and validation-report.json
// work the same. The reports are kept in the user cache directory
// (os.UserCacheDir) under ivscdk/cfn-validate, one small JSON file for each
// set of templates validated; as with the go command's build cache, an
// entry not served for 30 days is deleted (checked at most once a day, when
// an entry is written). Deleting the folder is always safe, and an entry
// that cannot be read is asked of the engine again. Set
// IVSCDK_CFN_VALIDATE_CACHE=off to ask the engine every time. A program
// built with the aws-cdk-go module replaced by a folder is never served
// from the cache: the engine's version is then not known.
//
// Strict mode fails synthesis on the engine's errors only; Findings reads
// every finding the report holds, warnings included, and Check fails a
// test on each.
//
// Use it in tests. `cdk synth` runs once per deploy; it gains nothing from
// the cache, so an app's main keeps the built-in validation.
package cfnvalidate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
)

// PluginName is the built-in plugin's name, which Cached reports under so
// that the CDK's acknowledgements and strict mode apply to its findings.
const PluginName = "CloudFormation Validate"

// cdkModule is the Go module whose version names the aws-cdk-lib (and so
// the validation engine) the program runs.
const cdkModule = "github.com/aws/aws-cdk-go/awscdk/v2"

// cacheEnv turns the cache off when set to "off".
const cacheEnv = "IVSCDK_CFN_VALIDATE_CACHE"

// NewApp returns cdkapp.NewApp(props) validating through Cached instead of
// the built-in plugin. props may be nil. BuiltinCloudFormationValidation
// false in props turns validation off, as it does for any App. Cached is a
// plugin the app registers, so, as for any such plugin, the CDK runs it
// even when CDK_VALIDATION=false turns the built-in one off.
func NewApp(props *awscdk.AppProps) awscdk.App {
	p := awscdk.AppProps{}
	if props != nil {
		p = *props
	}
	off := p.BuiltinCloudFormationValidation != nil && !*p.BuiltinCloudFormationValidation
	p.BuiltinCloudFormationValidation = jsii.Bool(false)
	app := cdkapp.NewApp(&p)
	if !off {
		awscdk.Validations_Of(app).AddPlugins(Cached())
	}
	return app
}

// Cached returns a validation plugin that reports what the built-in
// CloudFormation Validate plugin reports, from the cache when the same
// templates were validated before by the same aws-cdk-lib version. Register
// it on an App made with BuiltinCloudFormationValidation false; see the
// package doc.
func Cached() awscdk.IPolicyValidationPlugin {
	return &cached{}
}

type cached struct {
	version string // of the last report, for Version
}

// engine is the one built-in plugin instance of the process: it keeps its
// initialized engine from one app to the next.
var (
	engineOnce sync.Once
	engine     awscdk.CloudFormationValidatePlugin
)

// engineRuns counts the validations the engine made, for tests.
var engineRuns atomic.Int64

func builtin() awscdk.CloudFormationValidatePlugin {
	engineOnce.Do(func() { engine = awscdk.NewCloudFormationValidatePlugin(nil) })
	return engine
}

// Name implements awscdk.IPolicyValidationPlugin.
func (c *cached) Name() *string { return jsii.String(PluginName) }

// RuleIds implements awscdk.IPolicyValidationPlugin. The built-in plugin
// gives its engine's version here, which asking for would start the
// engine; the CDK uses it for analytics only.
func (c *cached) RuleIds() *[]*string { return &[]*string{} }

// Version implements awscdk.IPolicyValidationPlugin: the engine version of
// the last report, as the built-in plugin gives it.
func (c *cached) Version() *string {
	if c.version == "" {
		return nil
	}
	return jsii.String(c.version)
}

// entry is one cached report, with each template named by its position
// instead of its path in this run's output folder.
type entry struct {
	Version string                               `json:"version"`
	Report  *awscdk.PolicyValidationPluginReport `json:"report"`
}

// Validate implements awscdk.IPolicyValidationPlugin.
func (c *cached) Validate(context awscdk.IPolicyValidationContext) *awscdk.PolicyValidationPluginReport {
	stacks := *context.StackTemplates()
	file, ok := cacheFile(stacks)
	if ok {
		if e, ok := read(file); ok {
			c.version = e.Version
			return withPaths(e.Report, stacks)
		}
	}
	plugin := builtin()
	engineRuns.Add(1)
	report := plugin.Validate(context)
	c.version = ""
	if v := plugin.Version(); v != nil {
		c.version = *v
	}
	if ok && report != nil {
		write(file, entry{Version: c.version, Report: withIndexes(report, stacks)})
	}
	return report
}

// cacheFile names the cache entry of a validation of stacks, or returns
// false when the cache is off or the engine's version is not known.
func cacheFile(stacks []*awscdk.PolicyValidationStack) (string, bool) {
	if os.Getenv(cacheEnv) == "off" {
		return "", false
	}
	version := cdkVersion()
	dir, err := os.UserCacheDir()
	if version == "" || err != nil {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "cfnvalidate v1\x00%s\x00%d\x00", version, len(stacks))
	for _, s := range stacks {
		template, err := os.ReadFile(*s.TemplatePath)
		if err != nil {
			return "", false
		}
		sum := sha256.Sum256(template)
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%x\x00", *s.StackConstructPath, value(s.AccountId), value(s.Region), sum)
	}
	return filepath.Join(dir, "ivscdk", "cfn-validate", hex.EncodeToString(h.Sum(nil))+".json"), true
}

func value(s *string) string {
	if s == nil {
		return "\x01" // absent, unlike ""
	}
	return *s
}

// cdkVersion is the aws-cdk-go module version built into the program, ""
// when it is not known. Test binaries carry no module list in their build
// information, so the version is read from the path the module's code was
// compiled from, which the module cache names path@version (with -trimpath
// too); a module replaced by a folder has no version there.
var cdkVersion = func() string { return versionIn(sourceOf(awscdk.NewApp)) }

func sourceOf(f any) string {
	pc := reflect.ValueOf(f).Pointer()
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return ""
	}
	file, _ := fn.FileLine(pc)
	return filepath.ToSlash(file)
}

// versionIn returns the version in a source path of cdkModule in the
// module cache, such as ".../github.com/aws/aws-cdk-go/awscdk/v2@v2.277.0/App.go".
func versionIn(file string) string {
	_, rest, ok := strings.Cut(file, cdkModule+"@")
	if !ok {
		return ""
	}
	version, _, ok := strings.Cut(rest, "/")
	if !ok || !strings.HasPrefix(version, "v") {
		return ""
	}
	return version
}

func read(file string) (entry, bool) {
	var e entry
	data, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(data, &e) != nil || e.Report == nil || e.Report.Success == nil || e.Report.Violations == nil {
		return entry{}, false
	}
	if info, err := os.Stat(file); err == nil {
		markUsed(file, info)
	}
	return e, true
}

// write stores e; a cache that cannot be written only costs time.
func write(file string, e entry) {
	data, err := json.Marshal(e)
	if err != nil || os.MkdirAll(filepath.Dir(file), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if tmp.Close() != nil || err != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
		return
	}
	trim(filepath.Dir(file))
}

// withIndexes returns a copy of report with each template path replaced by
// the index of its stack.
func withIndexes(report *awscdk.PolicyValidationPluginReport, stacks []*awscdk.PolicyValidationStack) *awscdk.PolicyValidationPluginReport {
	index := map[string]string{}
	for i, s := range stacks {
		index[*s.TemplatePath] = fmt.Sprint(i)
	}
	return mapPaths(report, func(p string) string {
		if i, ok := index[p]; ok {
			return i
		}
		return p
	})
}

// withPaths undoes withIndexes for this run's stacks.
func withPaths(report *awscdk.PolicyValidationPluginReport, stacks []*awscdk.PolicyValidationStack) *awscdk.PolicyValidationPluginReport {
	path := map[string]string{}
	for i, s := range stacks {
		path[fmt.Sprint(i)] = *s.TemplatePath
	}
	return mapPaths(report, func(p string) string {
		if full, ok := path[p]; ok {
			return full
		}
		return p
	})
}

// mapPaths copies report through JSON, with f applied to every violating
// resource's template path.
func mapPaths(report *awscdk.PolicyValidationPluginReport, f func(string) string) *awscdk.PolicyValidationPluginReport {
	data, err := json.Marshal(report)
	if err != nil {
		return report
	}
	var out awscdk.PolicyValidationPluginReport
	if json.Unmarshal(data, &out) != nil {
		return report
	}
	for _, v := range *out.Violations {
		for _, r := range *v.ViolatingResources {
			if r.TemplatePath != nil {
				r.TemplatePath = jsii.String(f(*r.TemplatePath))
			}
		}
	}
	return &out
}
