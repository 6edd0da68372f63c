// Package lambdafn defines the Lambda functions that run this module's
// handlers (package github.com/ivscdk/ivscdk/lambda/...) for the
// constructs of packages ivs and ivschat, and records cdk-nag
// suppressions the way cdk-nag's NagSuppressions does, without depending
// on cdk-nag.
package lambdafn

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
)

// handlerPackage is where this module's Lambda handlers live.
const handlerPackage = "github.com/ivscdk/ivscdk/lambda/"

// LogRetention is how long ivscdk's Lambda functions keep their logs.
const LogRetention = awslogs.RetentionDays_ONE_YEAR

// New defines a Lambda function running this module's handler name (or the
// user's code) with golambda.NewFunction: provided.al2023 on arm64, 256 MB,
// its own log group (LogRetention) and a role without AWS managed
// policies, as children "FunctionLogs", "FunctionRole" and "Function" of
// scope.
func New(scope constructs.Construct, problems *check.Problems, user awslambda.Code, name, description string,
	timeout time.Duration, env map[string]*string) awslambda.Function {
	fn, err := golambda.NewFunction(scope, "Function", &golambda.FunctionProps{
		Code:         code(problems, user, name),
		Description:  description,
		Environment:  env,
		Timeout:      timeout,
		LogRetention: LogRetention,
	})
	if err != nil { // cannot happen: Code is always set
		panic(err)
	}
	return fn
}

// code returns the user's code when given, or builds this module's
// handler name with golambda. A build failure (no go command, say) is
// reported as a problem of the construct, so that synthesis fails with
// the construct's path and the reason; the code is then an empty folder
// that is never deployed.
func code(problems *check.Problems, user awslambda.Code, name string) awslambda.Code {
	if user != nil {
		return user
	}
	c, err := golambda.Code(handlerPackage + name)
	if err != nil {
		problems.Addf("%v (or set the Code property to your own build of %s)", err, handlerPackage+name)
		return awslambda.Code_FromAsset(jsii.String(emptyDir()), nil)
	}
	return c
}

// emptyDir is a folder with no files, standing for code that failed to
// build.
func emptyDir() string {
	dir := filepath.Join(os.TempDir(), "ivscdk-no-code")
	_ = os.MkdirAll(dir, 0o755)
	return dir
}

// SuppressNag records, in the resource's metadata, why a cdk-nag rule does
// not apply, the way cdk-nag's NagSuppressions does. appliesTo names the
// findings, such as "Resource::*"; none means every finding of the rule.
// A rule already suppressed for some findings gets the new findings and
// reason added (cdk-nag reads one entry per rule); one suppressed for
// every finding stays so.
func SuppressNag(resource awscdk.CfnResource, rule, reason string, appliesTo ...string) {
	entry := map[string]any{"id": rule, "reason": reason}
	if len(appliesTo) > 0 {
		entry["applies_to"] = appliesTo
	}
	var rules []any
	if existing, ok := resource.GetMetadata(jsii.String("cdk_nag")).(map[string]any); ok {
		rules, _ = existing["rules_to_suppress"].([]any)
		for i, r := range rules {
			m, ok := r.(map[string]any)
			if !ok || m["id"] != rule {
				continue
			}
			had, _ := m["applies_to"].([]any)
			if len(had) == 0 {
				return // every finding of the rule is suppressed already
			}
			merged := map[string]any{"id": rule, "reason": m["reason"]}
			if len(appliesTo) == 0 {
				merged["reason"] = fmt.Sprint(m["reason"], " ", reason)
				rules[i] = merged
				resource.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": rules})
				return
			}
			findings := make([]any, 0, len(had)+len(appliesTo))
			findings = append(findings, had...)
			added := false
			for _, f := range appliesTo {
				if !slices.Contains(findings, any(f)) {
					findings, added = append(findings, f), true
				}
			}
			if !added {
				return // an earlier construct suppressed the same findings
			}
			merged["applies_to"] = findings
			if m["reason"] != reason {
				merged["reason"] = fmt.Sprint(m["reason"], " ", reason)
			}
			rules[i] = merged
			resource.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": rules})
			return
		}
	}
	resource.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": append(rules, entry)})
}

// SuppressNotificationsHandlerNag records why cdk-nag's finding on the
// CDK's own function that sets a bucket's notifications (one per stack)
// does not apply.
func SuppressNotificationsHandlerNag(stack awscdk.Stack) {
	handler := stack.Node().TryFindChild(jsii.String("BucketNotificationsHandler050a0587b7544547bf325f094a3db834"))
	if handler == nil {
		return
	}
	if role := handler.Node().TryFindChild(jsii.String("Role")); role != nil {
		if cfn, ok := role.Node().DefaultChild().(awscdk.CfnResource); ok {
			SuppressNag(cfn, "AwsSolutions-IAM4",
				"The CDK's own function that sets the bucket's notifications at deploy time; it logs with the AWS managed basic execution policy.",
				"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
		}
	}
}
