// Package cdkapp runs a CDK Go app the same way under `go run .` and under
// the CDK CLI, and tells the person what synthesis found.
//
// A CDK Go app's main usually ends with app.Synth(nil). Run as `go run .`
// that prints nothing: warnings stay in cdk.out/*.metadata.json, and an
// invalid construct ends the program with a Go panic and a goroutine dump.
// cdkapp.Main instead prints every error, warning and info message with the
// construct's path, as the CDK CLI does, exits 1 on errors without a stack
// trace, and says what it wrote and where:
//
//	func main() {
//		cdkapp.Main(func(app awscdk.App) {
//			NewMyStack(app, "MyStack", nil)
//		})
//	}
//
// NewApp makes the app: its output folder is CDK_OUTDIR (set by the CLI) or
// cdk.out, and outside the CLI it reads the context of ./cdk.json (feature
// flags and context values), as `cdk synth` passes it, so that `go run .`
// and `cdk synth` synthesize the same templates.
package cdkapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Environment variables the CDK CLI sets for the app it runs.
const (
	envOutdir  = "CDK_OUTDIR"
	envContext = "CDK_CONTEXT_JSON"
)

// NewApp returns an App for `go run .` and `cdk synth` alike. props may be
// nil. Outdir defaults to CDK_OUTDIR, else "cdk.out". Unless the CDK CLI
// runs the app (it passes the context itself), the "context" object of
// cdk.json in the working directory is added to props.Context, under any
// key props.Context sets already. A cdk.json that cannot be read as JSON
// panics with the file's name: the CLI would refuse it too.
func NewApp(props *awscdk.AppProps) awscdk.App {
	p := awscdk.AppProps{}
	if props != nil {
		p = *props
	}
	if p.Outdir == nil {
		outdir := os.Getenv(envOutdir)
		if outdir == "" {
			outdir = "cdk.out"
		}
		// Absolute: the jsii runtime's Node.js process keeps the working
		// directory it started in.
		if abs, err := filepath.Abs(outdir); err == nil {
			outdir = abs
		}
		p.Outdir = jsii.String(outdir)
	}
	if os.Getenv(envContext) == "" {
		fileContext, err := readContext("cdk.json")
		if err != nil {
			panic(err)
		}
		if len(fileContext) > 0 {
			merged := map[string]any{}
			for k, v := range fileContext {
				merged[k] = v
			}
			if p.Context != nil {
				for k, v := range *p.Context {
					merged[k] = v
				}
			}
			p.Context = &merged
		}
	}
	return awscdk.NewApp(&p)
}

// readContext returns the "context" object of a cdk.json; nothing when the
// file does not exist.
func readContext(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var file struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		abs, _ := filepath.Abs(path)
		return nil, fmt.Errorf("cdkapp: %s is not valid JSON: %w", abs, err)
	}
	return file.Context, nil
}

// Main makes an app with NewApp, lets define add its stacks, synthesizes
// it with Synth (messages to standard error) and exits with Synth's
// status. It does not return.
func Main(define func(app awscdk.App)) {
	code := run(define, os.Stderr)
	jsii.Close()
	os.Exit(code)
}

// run is Main without the exit.
func run(define func(app awscdk.App), w io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(w, "Error: %s\n", panicMessage(r))
			code = 1
		}
	}()
	app := NewApp(nil)
	define(app)
	return Synth(app, w)
}

// Synth synthesizes app and writes its messages to w as the CDK CLI
// prints them ("[Warning at /Stack/Construct] ..."), errors first. When
// the CDK CLI does not run the app, it also says which templates it wrote.
// It returns 0, or 1 when synthesis failed (a construct's validation
// error, such as an invalid property) or left an error message; the
// failure is printed without a stack trace.
func Synth(app awscdk.App, w io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			printValidationFailure(w, panicMessage(r))
			code = 1
		}
	}()
	app.Synth(nil)
	messages, templates, err := readAssembly(*app.Outdir())
	if err != nil {
		fmt.Fprintf(w, "Error: reading the synthesized cloud assembly: %v\n", err)
		return 1
	}
	limits, err := checkLimits(*app.Outdir())
	if err != nil {
		fmt.Fprintf(w, "Error: reading the synthesized templates: %v\n", err)
		return 1
	}
	messages = append(messages, limits...)
	sort.SliceStable(messages, func(i, j int) bool { return rank(messages[i].level) < rank(messages[j].level) })
	errorCount := 0
	for _, m := range messages {
		fmt.Fprintf(w, "[%s at %s] %s\n", levelName(m.level), m.path, m.text)
		if m.level == levelError {
			errorCount++
		}
	}
	if errorCount > 0 {
		fmt.Fprintf(w, "Found %d error(s): nothing to deploy.\n", errorCount)
		return 1
	}
	if os.Getenv(envOutdir) == "" {
		for _, t := range templates {
			fmt.Fprintf(w, "Wrote %s\n", relative(t))
		}
	}
	return 0
}

// The metadata types of synthesis messages in a cloud assembly.
const (
	levelError   = "aws:cdk:error"
	levelWarning = "aws:cdk:warning"
	levelInfo    = "aws:cdk:info"
)

type message struct{ level, path, text string }

// readAssembly reads the stacks' messages and template files from the
// cloud assembly in dir: manifest.json lists the artifacts; a stack's
// metadata is in the manifest or in its additionalMetadataFile.
func readAssembly(dir string) ([]message, []string, error) {
	var manifest struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				TemplateFile string `json:"templateFile"`
			} `json:"properties"`
			Metadata               map[string][]metadataEntry `json:"metadata"`
			AdditionalMetadataFile string                     `json:"additionalMetadataFile"`
		} `json:"artifacts"`
	}
	if err := readJSON(filepath.Join(dir, "manifest.json"), &manifest); err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(manifest.Artifacts))
	for name := range manifest.Artifacts {
		names = append(names, name)
	}
	sort.Strings(names)
	var messages []message
	var templates []string
	for _, name := range names {
		a := manifest.Artifacts[name]
		if a.Type != "aws:cloudformation:stack" {
			continue
		}
		templates = append(templates, filepath.Join(dir, a.Properties.TemplateFile))
		metadata := a.Metadata
		if a.AdditionalMetadataFile != "" {
			if err := readJSON(filepath.Join(dir, a.AdditionalMetadataFile), &metadata); err != nil {
				return nil, nil, err
			}
		}
		paths := make([]string, 0, len(metadata))
		for path := range metadata {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			for _, e := range metadata[path] {
				if e.Type == levelError || e.Type == levelWarning || e.Type == levelInfo {
					messages = append(messages, message{level: e.Type, path: path, text: e.text()})
				}
			}
		}
	}
	return messages, templates, nil
}

// CloudFormation's limits on one template (AWS CloudFormation User Guide,
// "Understand CloudFormation quotas"): 500 resources, and a template body
// of at most 1 MB from S3, where the CDK CLI uploads it.
const (
	MaxTemplateResources = 500
	MaxTemplateBytes     = 1 << 20
)

// splitAdvice is the fix for a stack over a CloudFormation limit.
const splitAdvice = "Split the stack: put groups of channels, stages or rooms in stacks of their own (awscdk.NewStack, or " +
	"awscdk.NewNestedStack) and pass them between stacks as references; CloudFormation takes at most 500 resources, " +
	"and a 1 MB template, per stack."

// checkLimits reads every template of the cloud assembly in dir (the
// stacks' and the nested stacks') and returns an error message for each
// over a CloudFormation limit the CDK does not check itself (it refuses
// more than 500 resources in a stack, TooManyResourcesInStack): a
// template over 1 MB fails synthesis instead of the deploy, with the fix.
func checkLimits(dir string) ([]message, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.template.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []message
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".template.json")
		if len(data) > MaxTemplateBytes {
			out = append(out, message{levelError, "/" + name, fmt.Sprintf("the template of %s is %d bytes, over CloudFormation's %d. %s",
				name, len(data), MaxTemplateBytes, splitAdvice)})
		}
	}
	return out, nil
}

type metadataEntry struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// text is the entry's data: a string as it is, anything else as JSON.
func (e metadataEntry) text() string {
	var s string
	if json.Unmarshal(e.Data, &s) == nil {
		return s
	}
	return string(e.Data)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

func rank(level string) int {
	switch level {
	case levelError:
		return 0
	case levelWarning:
		return 1
	}
	return 2
}

func levelName(level string) string {
	switch level {
	case levelError:
		return "Error"
	case levelWarning:
		return "Warning"
	}
	return "Info"
}

func relative(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}

// panicMessage is the text of what a construct or the CDK panicked with.
func panicMessage(r any) string {
	if err, ok := r.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(r)
}

// printValidationFailure prints the CDK's "Validation failed with the
// following errors" as one error line per construct, as the CLI does.
func printValidationFailure(w io.Writer, text string) {
	const header = "Validation failed with the following errors:"
	_, rest, found := strings.Cut(text, header)
	if !found {
		fmt.Fprintf(w, "Error: %s\n", firstLine(text))
		if strings.Contains(text, "TooManyResourcesInStack") {
			// The CDK counts a stack's resources against CloudFormation's
			// 500 before anything deploys; say what to do about it.
			fmt.Fprintln(w, splitAdvice)
		}
		return
	}
	count := 0
	for _, line := range strings.Split(rest, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "[") {
			continue
		}
		path, msg, ok := strings.Cut(line[1:], "] ")
		if !ok {
			continue
		}
		fmt.Fprintf(w, "[Error at /%s] %s\n", path, msg)
		count++
	}
	if count == 0 {
		fmt.Fprintf(w, "Error: %s\n", firstLine(text))
		count = 1
	}
	fmt.Fprintf(w, "Found %d error(s): nothing to deploy.\n", count)
}

// firstLine drops what follows the message: jsii appends the JavaScript
// stack.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n    at "); i >= 0 {
		s = s[:i]
	}
	return s
}
