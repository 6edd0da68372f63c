// Package layers checks the boundaries between ivscdk's layers
// (../shared/DESIGN.md, section 1, and docs/decisions.md 44): what each
// layer may import, with a message that names the import that broke a
// rule and the chain that led to it. CI runs it as its own step.
package layers

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

const module = "github.com/ivscdk/ivscdk"

// graph is a package graph: each package's imports, and which packages are
// the standard library's.
type graph struct {
	imports  map[string][]string
	standard map[string]bool
}

// rule is one boundary: the packages it applies to (by prefix under the
// module), and the imports they may not reach, directly or not.
type rule struct {
	name      string
	roots     []string // module-relative prefixes: "ivs", "handler/"
	forbidden func(g graph, pkg string) bool
}

func hasPrefix(prefixes ...string) func(graph, string) bool {
	return func(_ graph, pkg string) bool {
		for _, p := range prefixes {
			if pkg == p || strings.HasPrefix(pkg, p+"/") {
				return true
			}
		}
		return false
	}
}

// stdlibAnd forbids everything but the standard library and the given
// module packages ("C" is the standard library's cgo, as in package net).
func stdlibAnd(allowed ...string) func(graph, string) bool {
	return func(g graph, pkg string) bool {
		return !g.standard[pkg] && pkg != "C" && !slices.Contains(allowed, pkg)
	}
}

var rules = []rule{
	{"constructs use no AWS SDK and no Lambda runtime (a CDK app never compiles them)",
		[]string{"ivs", "ivschat", "ivsops", "signin", "webpage", "cdkapp", "golambda", "internal/cdk"},
		hasPrefix("github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go", "github.com/aws/aws-lambda-go")},
	{"handlers and Lambda mains use no CDK and no jsii (a function never compiles them)",
		[]string{"handler", "lambda", "examples/chat-room/moderator", "examples/live-event/moderator", "internal/runtime"},
		hasPrefix("github.com/aws/aws-cdk-go", "github.com/aws/jsii-runtime-go", "github.com/aws/constructs-go")},
	{"ivstoken uses the standard library and its literal-only leaves",
		[]string{"ivstoken"},
		stdlibAnd(module+"/ivstoken", module+"/internal/ivsarn", module+"/internal/origin")},
	{"the wire contract uses the standard library only",
		[]string{"internal/wire"},
		stdlibAnd(module + "/internal/wire")},
	{"test stand-ins are for tests only (a user's build never compiles them)",
		[]string{"ivs", "ivschat", "ivsops", "ivstoken", "cfcookie", "signin", "webpage", "cdkapp", "golambda", "handler", "lambda", "cmd", "examples",
			"internal/cdk", "internal/runtime", "internal/wire", "internal/ivsarn", "internal/origin"},
		hasPrefix(module + "/internal/test")},
	{"the shared leaves use the standard library only",
		[]string{"internal/ivsarn", "internal/origin"},
		stdlibAnd(module+"/internal/ivsarn", module+"/internal/origin")},
	{"cfcookie uses the standard library only",
		[]string{"cfcookie"},
		stdlibAnd(module + "/cfcookie")},
}

// violations returns one sentence per package of roots that reaches a
// forbidden import, with the chain of imports that reaches it.
func violations(g graph, r rule) []string {
	var out []string
	for pkg := range g.imports {
		rel, ok := strings.CutPrefix(pkg, module+"/")
		if !ok || !isUnder(rel, r.roots) {
			continue
		}
		if chain := reach(g, pkg, r.forbidden); chain != nil {
			out = append(out, pkg+" imports "+chain[len(chain)-1]+" ("+strings.Join(chain, " → ")+"): "+r.name)
		}
	}
	slices.Sort(out)
	return out
}

func isUnder(rel string, roots []string) bool {
	for _, r := range roots {
		if rel == r || strings.HasPrefix(rel, r+"/") {
			return true
		}
	}
	return false
}

// reach returns the shortest chain of imports from pkg to a forbidden
// package, or nil.
func reach(g graph, pkg string, forbidden func(graph, string) bool) []string {
	parent := map[string]string{pkg: ""}
	queue := []string{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, next := range g.imports[p] {
			if _, seen := parent[next]; seen {
				continue
			}
			parent[next] = p
			if forbidden(g, next) {
				chain := []string{next}
				for q := p; q != ""; q = parent[q] {
					chain = append([]string{q}, chain...)
				}
				return chain
			}
			queue = append(queue, next)
		}
	}
	return nil
}

// loadGraph lists the module's packages and all they import (tests not
// included: a test may use what its package may not).
func loadGraph(t *testing.T) graph {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}{{range .Imports}} {{.}}{{end}}", module+"/...")
	cmd.Dir = "../../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	g := graph{imports: map[string][]string{}, standard: map[string]bool{}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		g.imports[f[0]], g.standard[f[0]] = f[2:], f[1] == "true"
	}
	return g
}

func TestLayerBoundaries(t *testing.T) {
	g := loadGraph(t)
	for _, r := range rules {
		for _, v := range violations(g, r) {
			t.Error(v)
		}
	}
}

// The examples are copied into users' modules, where ivscdk's internal/
// cannot be imported: neither they nor their tests may import it.
func TestExamplesUseNoInternalPackage(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}", module+"/examples/...")
	cmd.Dir = "../../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, module+"/internal/") {
				t.Errorf("%s imports %s: examples are copied into users' modules, which cannot import ivscdk's internal packages", f[0], imp)
			}
		}
	}
}

// The checks fail on a bad import and name the chain: a construct that
// reaches the AWS SDK through a handler, a handler that reaches the CDK,
// and ivstoken reaching the CDK token helper.
func TestBoundariesCatchABadImport(t *testing.T) {
	g := graph{imports: map[string][]string{
		module + "/ivs":                   {module + "/handler/tokenapi", "fmt"},
		module + "/handler/tokenapi":      {"github.com/aws/aws-lambda-go/events"},
		module + "/handler/playbacktoken": {module + "/internal/cdk/l2"},
		module + "/internal/cdk/l2":       {"github.com/aws/aws-cdk-go/awscdk/v2"},
		module + "/ivstoken":              {module + "/internal/ivsarn"},
		module + "/internal/ivsarn":       {module + "/internal/cdk/cdktoken"},
		module + "/internal/cdk/cdktoken": {"strings"},
	}, standard: map[string]bool{"fmt": true, "strings": true}}
	want := [][]string{
		{module + "/ivs imports github.com/aws/aws-lambda-go/events (" + module + "/ivs → " + module + "/handler/tokenapi → github.com/aws/aws-lambda-go/events): constructs use no AWS SDK"},
		{module + "/handler/playbacktoken imports github.com/aws/aws-cdk-go/awscdk/v2 (" + module + "/handler/playbacktoken → " + module + "/internal/cdk/l2 → github.com/aws/aws-cdk-go/awscdk/v2): handlers and Lambda mains use no CDK"},
		{module + "/ivstoken imports " + module + "/internal/cdk/cdktoken (" + module + "/ivstoken → " + module + "/internal/ivsarn → " + module + "/internal/cdk/cdktoken): ivstoken uses the standard library"},
	}
	for i, r := range rules[:3] {
		got := violations(g, r)
		if len(got) != 1 || !strings.HasPrefix(got[0], want[i][0]) {
			t.Errorf("rule %q on a bad import: %q, want %q…", r.name, got, want[i][0])
		}
	}
}

// TestEveryTestBinaryTakesUpdate: `go test ./... -update` (the README's
// command to rewrite golden files) fails on the first test binary that does
// not define the flag, so every package with tests defines it.
func TestEveryTestBinaryTakesUpdate(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.Dir}}|{{join .TestGoFiles " "}} {{join .XTestGoFiles " "}}|{{join .TestImports " "}} {{join .XTestImports " "}}|{{join .GoFiles " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		dir, rest, _ := strings.Cut(line, "|")
		files, rest, _ := strings.Cut(rest, "|")
		imports, sources, _ := strings.Cut(rest, "|")
		if strings.TrimSpace(files) == "" {
			continue
		}
		checked++
		// cdktest defines it for the tests that import it (and its own).
		if slices.Contains(strings.Fields(imports), module+"/internal/test/cdktest") {
			continue
		}
		if !slices.ContainsFunc(strings.Fields(files+" "+sources), func(f string) bool {
			data, _ := os.ReadFile(filepath.Join(dir, f))
			return strings.Contains(string(data), `flag.Bool("update"`)
		}) {
			t.Errorf("%s: no test file defines the update flag, so `go test ./... -update` fails there: add var _ = flag.Bool(\"update\", false, ...)", dir)
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages with tests found: go list answered %q", checked, out)
	}
}
