// Package cdktest is the test harness of ivscdk: it synthesizes stacks into
// a temporary directory, fails the test on every CloudFormation conformance
// finding (the CDK's built-in CloudFormation Validate engine and the IVS
// registry schemas), and compares templates with golden files.
//
// The engine's reports come through cfnvalidate.Cached: the same report for
// the same templates, without starting the engine for templates it has
// checked before.
//
// Importing it registers the -update flag: `go test ./... -update` rewrites
// the golden files, to be reviewed before committing.
package cdktest

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp/cfnvalidate"
	"github.com/ivscdk/ivscdk/internal/test/novalidate"
)

// Update is set by the -update flag: golden files are rewritten instead of
// compared.
var Update = flag.Bool("update", false, "rewrite golden files under testdata/ instead of comparing with them")

// StrictContext turns the CDK's default CloudFormation rules into errors.
const StrictContext = "@aws-cdk/core:validateAgainstDefaultRules"

// Env is one app with one stack, synthesized into a temporary directory.
type Env struct {
	t      testing.TB
	App    awscdk.App
	Stack  awscdk.Stack
	Outdir string
}

// New returns an app with strict validation and a stack named "TestStack",
// as in the reference templates.
func New(t testing.TB) *Env {
	t.Helper()
	e := NewApp(t)
	e.Stack = awscdk.NewStack(e.App, jsii.String("TestStack"), nil)
	return e
}

// Oregon's account and region, for tests of rules about a resource's
// environment.
const (
	OregonAccount = "123456789012"
	OregonRegion  = "us-west-2"
)

// NewOregon returns an app with a stack named "Oregon" deployed to
// OregonAccount in OregonRegion, for tests of the rules that refuse
// resources of another account or region.
func NewOregon(t testing.TB) *Env {
	t.Helper()
	e := NewApp(t)
	e.Stack = awscdk.NewStack(e.App, jsii.String("Oregon"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String(OregonAccount), Region: jsii.String(OregonRegion)},
	})
	return e
}

// NewApp returns an app with strict validation and no stack: set Stack to
// the stack whose template Synth returns.
func NewApp(t testing.TB) *Env {
	t.Helper()
	outdir := t.TempDir()
	app := cfnvalidate.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(outdir),
		Context: &map[string]any{StrictContext: true},
	})
	return &Env{t: t, App: app, Outdir: outdir}
}

// Synth synthesizes the app, fails the test on any validation error or
// conformance finding, and returns the stack's template.
func (e *Env) Synth() map[string]any {
	e.t.Helper()
	if err := e.trySynth(); err != nil {
		e.t.Fatalf("synth failed: %v", err)
	}
	// Every finding of CloudFormation Validate fails the test, warnings
	// included (enum violations are warnings even in strict mode).
	cfnvalidate.Check(e.t, e.Outdir)
	template := e.readTemplate(*e.Stack.ArtifactId())
	for _, finding := range CheckSchemas(template) {
		e.t.Errorf("registry schema: %s", finding)
	}
	return template
}

// SynthError synthesizes the app and returns the error synthesis fails
// with, or "" when it succeeds.
func (e *Env) SynthError() string {
	e.t.Helper()
	if err := e.trySynth(); err != nil {
		return err.Error()
	}
	return ""
}

type synthError struct{ value any }

func (s synthError) Error() string {
	if err, ok := s.value.(error); ok {
		return err.Error()
	}
	b, _ := json.Marshal(s.value)
	return string(b)
}

func (e *Env) trySynth() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = synthError{r}
		}
	}()
	e.App.Synth(nil)
	return nil
}

func (e *Env) readTemplate(artifactID string) map[string]any {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.Outdir, artifactID+".template.json"))
	if err != nil {
		e.t.Fatal(err)
	}
	var template map[string]any
	if err := json.Unmarshal(b, &template); err != nil {
		e.t.Fatal(err)
	}
	return template
}

// Main runs the tests of a package that uses the CDK, then stops the jsii
// runtime's Node.js process. Call it from TestMain.
//
// It turns the CDK's built-in validation off (see package novalidate) for
// the apps the tests make otherwise than with New, NewOregon and NewApp,
// such as the Example functions' awscdk.NewApp(nil): no test reads their
// reports, and the engine would start only for them. The apps of New,
// NewOregon and NewApp are validated all the same.
func Main(m *testing.M) { novalidate.Main(m) }

// LogicalID returns the CloudFormation logical ID of the construct at path
// below the stack (such as "Channel" or "Key/Secret"): of its default child
// (and that one's, down to the L1) for an L2, of itself for an L1.
func (e *Env) LogicalID(path string) string {
	e.t.Helper()
	c := constructs.IConstruct(e.Stack)
	for _, id := range strings.Split(path, "/") {
		c = c.Node().FindChild(jsii.String(id))
	}
	for child := c.Node().DefaultChild(); child != nil; child = c.Node().DefaultChild() {
		c = child
	}
	el, ok := c.(awscdk.CfnElement)
	if !ok {
		e.t.Fatalf("%s is not a CloudFormation element", path)
	}
	return *e.Stack.GetLogicalId(el)
}
