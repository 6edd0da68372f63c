package lambdafn

import (
	"flag"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// A handler that cannot be built is a problem of the construct, naming the
// package and the Code escape hatch, not a panic.
func TestHandlerCodeReportsBuildFailures(t *testing.T) {
	var problems check.Problems
	code := code(&problems, nil, "nosuchhandler")
	if code == nil {
		t.Fatal("no placeholder code")
	}
	msgs := problems.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "github.com/ivscdk/ivscdk/lambda/nosuchhandler") ||
		!strings.Contains(msgs[0], "set the Code property") {
		t.Errorf("problems %q", msgs)
	}
}
