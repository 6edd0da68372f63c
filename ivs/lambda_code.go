package ivs

import (
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/golambda"
	"github.com/ivscdk/ivscdk/internal/check"
)

// handlerPackage is where this module's Lambda handlers live.
const handlerPackage = "github.com/ivscdk/ivscdk/lambda/"

// FunctionLogRetention is how long ivscdk's Lambda functions keep their
// logs.
const FunctionLogRetention = awslogs.RetentionDays_ONE_YEAR

// handlerFunction defines a Lambda function running this module's handler
// name (or the user's code) with golambda.NewFunction: provided.al2023 on
// arm64, 256 MB, its own log group (FunctionLogRetention) and a role
// without AWS managed policies, as children "FunctionLogs", "FunctionRole"
// and "Function" of scope.
func handlerFunction(scope constructs.Construct, problems *check.Problems, user awslambda.Code, name, description string,
	timeout time.Duration, env map[string]*string) awslambda.Function {
	fn, err := golambda.NewFunction(scope, "Function", &golambda.FunctionProps{
		Code:         handlerCode(problems, user, name),
		Description:  description,
		Environment:  env,
		Timeout:      timeout,
		LogRetention: FunctionLogRetention,
	})
	if err != nil { // cannot happen: Code is always set
		panic(err)
	}
	return fn
}

// suppressNagFindings records, in the resource's metadata, why a cdk-nag
// rule does not apply, the way cdk-nag's NagSuppressions does (ivscdk does
// not depend on cdk-nag). appliesTo names the findings, such as
// "Resource::*"; none means every finding of the rule.
func suppressNagFindings(resource awscdk.CfnResource, rule, reason string, appliesTo ...string) {
	entry := map[string]any{"id": rule, "reason": reason}
	if len(appliesTo) > 0 {
		entry["applies_to"] = appliesTo
	}
	var rules []any
	if existing, ok := resource.GetMetadata(jsii.String("cdk_nag")).(map[string]any); ok {
		rules, _ = existing["rules_to_suppress"].([]any)
		for _, r := range rules {
			if m, ok := r.(map[string]any); ok && m["id"] == rule {
				return // already suppressed, by an earlier construct
			}
		}
	}
	resource.AddMetadata(jsii.String("cdk_nag"), map[string]any{"rules_to_suppress": append(rules, entry)})
}

// handlerCode returns the user's code when given, or builds this module's
// handler name with golambda. A build failure (no go command, say) is
// reported as a problem of the construct, so that synthesis fails with
// the construct's path and the reason; the code is then an empty folder
// that is never deployed.
func handlerCode(problems *check.Problems, user awslambda.Code, name string) awslambda.Code {
	if user != nil {
		return user
	}
	code, err := golambda.Code(handlerPackage + name)
	if err != nil {
		problems.Addf("%v (or set the Code property to your own build of %s)", err, handlerPackage+name)
		return awslambda.Code_FromAsset(jsii.String(emptyDir()), nil)
	}
	return code
}

// emptyDir is a folder with no files, standing for code that failed to
// build.
func emptyDir() string {
	dir := filepath.Join(os.TempDir(), "ivscdk-no-code")
	_ = os.MkdirAll(dir, 0o755)
	return dir
}

// awsCustomResourceProvider is the ID the CDK gives the one Lambda function
// behind every AwsCustomResource of a stack.
const awsCustomResourceProvider = "AWS679f53fac002430cb0da5b7982bd2287"

// suppressProviderNagFindings explains, for cdk-nag, the managed policy of
// the CDK's AwsCustomResource provider function, which ivscdk's deploy-time
// API calls (UpdateChannel, GetStage) use and cannot change.
func suppressProviderNagFindings(scope constructs.Construct) {
	provider := awscdk.Stack_Of(scope).Node().TryFindChild(jsii.String(awsCustomResourceProvider))
	if provider == nil {
		return
	}
	role := provider.Node().TryFindChild(jsii.String("ServiceRole"))
	if role == nil || role.Node().DefaultChild() == nil {
		return
	}
	suppressNagFindings(role.Node().DefaultChild().(awscdk.CfnResource), "AwsSolutions-IAM4",
		"The AWS CDK's AwsCustomResource provider function (one per stack) has AWSLambdaBasicExecutionRole for its logs; "+
			"each API call it makes is allowed by its own least-privilege policy.",
		"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
}
