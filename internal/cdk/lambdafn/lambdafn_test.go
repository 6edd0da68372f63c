package lambdafn

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

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

// Two constructs suppressing the same rule on one policy for different
// findings leave one entry naming both (cdk-nag reads one entry per rule);
// the same findings again change nothing.
func TestSuppressNagMergesFindingsOfOneRule(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("S"), nil)
	resource := awscdk.NewCfnResource(stack, jsii.String("R"), &awscdk.CfnResourceProps{Type: jsii.String("AWS::IAM::Policy")})
	SuppressNag(resource, "AwsSolutions-IAM5", "objects under ivs/.", "Resource::<B.Arn>/ivs/*")
	SuppressNag(resource, "AwsSolutions-IAM5", "no resource type.", "Resource::*")
	SuppressNag(resource, "AwsSolutions-IAM5", "no resource type.", "Resource::*")
	SuppressNag(resource, "AwsSolutions-L1", "the runtime is pinned.")
	rules := resource.GetMetadata(jsii.String("cdk_nag")).(map[string]any)["rules_to_suppress"].([]any)
	if len(rules) != 2 {
		t.Fatalf("%d entries, want one per rule: %v", len(rules), rules)
	}
	iam5 := rules[0].(map[string]any)
	if got := fmt.Sprint(iam5["applies_to"]); got != "[Resource::<B.Arn>/ivs/* Resource::*]" {
		t.Errorf("IAM5 applies to %s", got)
	}
	if iam5["reason"] != "objects under ivs/. no resource type." {
		t.Errorf("IAM5 reason %q", iam5["reason"])
	}
}
