package cdkapp

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/novalidate"
	"github.com/ivscdk/ivscdk/ivs"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// TestMain turns the CDK's built-in CloudFormation validation off: these
// tests read what Main and Synth print of the app's own messages, and the
// engine would add seconds to the process for reports no test reads.
func TestMain(m *testing.M) { novalidate.Main(m) }

// inFolder runs the test in a fresh working directory without the CDK
// CLI's variables, as `go run .` is run.
func inFolder(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(envOutdir, "")
	t.Setenv(envContext, "")
	return dir
}

func TestWarningsArePrintedWithTheirPath(t *testing.T) {
	dir := inFolder(t)
	var out bytes.Buffer
	code := run(func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("Live"), nil)
		ivs.NewChannel(stack, "Private", &ivs.ChannelProps{Authorized: true})
	}, &out)
	text := out.String()
	if code != 0 {
		t.Fatalf("exit %d for a warning only:\n%s", code, text)
	}
	for _, want := range []string{"[Warning at /Live/Private] this channel is authorized", "NewManagedPlaybackKeyPair",
		"[ack: ivscdk:ivs:authorizedChannelWithoutKeyPair]", "Wrote " + filepath.Join("cdk.out", "Live.template.json")} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cdk.out", "Live.template.json")); err != nil {
		t.Errorf("the template was not written where the output says: %v", err)
	}
}

func TestErrorsExitOneWithoutAStackTrace(t *testing.T) {
	inFolder(t)
	var out bytes.Buffer
	code := run(func(app awscdk.App) {
		stack := awscdk.NewStack(app, jsii.String("Live"), nil)
		ivs.NewChannel(stack, "Bad", &ivs.ChannelProps{ChannelName: "no spaces"})
		ivs.NewChannel(stack, "Worse", &ivs.ChannelProps{ChannelName: "nor/slashes"})
	}, &out)
	text := out.String()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{`[Error at /Live/Bad] ChannelName "no spaces" is invalid`, `[Error at /Live/Worse] ChannelName "nor/slashes" is invalid`,
		"Found 2 error(s)"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, trace := range []string{"goroutine", ".go:", "    at "} {
		if strings.Contains(text, trace) {
			t.Errorf("output holds a stack trace (%q):\n%s", trace, text)
		}
	}
	if strings.Contains(text, "Wrote") {
		t.Errorf("a failed synthesis claims to have written templates:\n%s", text)
	}
}

func TestAPanicWhileDefiningIsOneErrorLine(t *testing.T) {
	inFolder(t)
	var out bytes.Buffer
	code := run(func(app awscdk.App) { ivs.NewChannel(nil, "Orphan", nil) }, &out)
	if code != 1 || !strings.HasPrefix(out.String(), "Error: ivs.NewChannel") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("exit %d, output %q; want 1 and one line naming the constructor", code, out.String())
	}
}

func TestNewAppReadsCdkJSONOutsideTheCLI(t *testing.T) {
	dir := inFolder(t)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"app": "go run .", "context": {"@aws-cdk/core:flag": true, "team": "video", "region": "file"}}`), 0o644)

	app := NewApp(&awscdk.AppProps{Context: &map[string]any{"region": "code"}})
	if got := app.Node().TryGetContext(jsii.String("team")); got != "video" {
		t.Errorf("context team = %v, want cdk.json's video", got)
	}
	if got := app.Node().TryGetContext(jsii.String("region")); got != "code" {
		t.Errorf("context region = %v, want the app's own value over cdk.json's", got)
	}
	if got := *app.Outdir(); !strings.HasSuffix(got, "cdk.out") {
		t.Errorf("outdir %s, want cdk.out", got)
	}

	// Under the CLI, the context comes from the CLI only (the CDK's App
	// reads CDK_CONTEXT_JSON itself, in its Node.js process, which this
	// test started before setting it).
	t.Setenv(envContext, `{"team": "cli"}`)
	t.Setenv(envOutdir, filepath.Join(dir, "cli.out"))
	app = NewApp(nil)
	if got := app.Node().TryGetContext(jsii.String("region")); got != nil {
		t.Errorf("under the CLI, cdk.json was read as well: region = %v", got)
	}
	if got := *app.Outdir(); got != filepath.Join(dir, "cli.out") {
		t.Errorf("outdir %s, want CDK_OUTDIR", got)
	}
}

func TestABrokenCdkJSONIsNamed(t *testing.T) {
	dir := inFolder(t)
	os.WriteFile(filepath.Join(dir, "cdk.json"), []byte(`{"context": {`), 0o644)
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(panicMessage(r), filepath.Join(dir, "cdk.json")) {
			t.Errorf("recovered %v, want a panic naming cdk.json", r)
		}
	}()
	NewApp(nil)
}

// TestCloudFormationLimitsFailSynthesis: a stack of 250 channels with a
// stream key each (500 resources) synthesizes; one more channel makes 502,
// which the CDK refuses at synthesis (TooManyResourcesInStack, naming the
// stack and the count) and cdkapp adds the fix to, instead of failing at
// deploy time. A nested stack's template is counted on its own; a
// template over 1 MB is refused too.
func TestCloudFormationLimitsFailSynthesis(t *testing.T) {
	inFolder(t)
	build := func(channels int, nested bool) (int, string) {
		var out bytes.Buffer
		code := run(func(app awscdk.App) {
			stack := awscdk.NewStack(app, jsii.String("Live"), nil)
			scope := constructs.Construct(stack)
			if nested {
				scope = awscdk.NewNestedStack(stack, jsii.String("Inner"), nil)
			}
			for i := range channels {
				ivs.NewChannel(scope, fmt.Sprintf("Channel%d", i), nil).AddStreamKey("Key")
			}
		}, &out)
		return code, out.String()
	}
	if code, text := build(MaxTemplateResources/2, false); code != 0 {
		t.Errorf("500 resources: exit %d\n%s", code, text)
	}
	code, text := build(MaxTemplateResources/2+1, false)
	for _, want := range []string{"TooManyResourcesInStack", "stack 'Live': 502", "Split the stack", "awscdk.NewNestedStack"} {
		if !strings.Contains(text, want) {
			t.Errorf("502 resources: output lacks %q:\n%s", want, text)
		}
	}
	if code != 1 {
		t.Errorf("502 resources: exit %d, want 1", code)
	}
	if code, text := build(MaxTemplateResources/2+1, true); code != 1 || !strings.Contains(text, "Live/Inner': 502") || !strings.Contains(text, "Split the stack") {
		t.Errorf("502 resources in a nested stack: exit %d\n%s", code, text)
	}
}

func TestATemplateOverOneMegabyteFails(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, MaxTemplateBytes+1)
	for i := range big {
		big[i] = ' '
	}
	os.WriteFile(filepath.Join(dir, "Small.template.json"), []byte(`{"Resources":{}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "Big.template.json"), big, 0o644)
	got, err := checkLimits(dir)
	if err != nil || len(got) != 1 || got[0].path != "/Big" || !strings.Contains(got[0].text, "over CloudFormation's 1048576") {
		t.Errorf("checkLimits: %+v, %v", got, err)
	}
}
