package ivs

import (
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
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
// name (or the user's code), with what every ivscdk function shares:
// provided.al2023 on arm64, 256 MB, a log group of its own (kept for
// FunctionLogRetention, and when the stack is deleted), and a role that may
// write to that log group and nothing else until the construct grants more
// (no AWS managed policy).
func handlerFunction(scope constructs.Construct, problems *check.Problems, user awslambda.Code, name, description string,
	timeout awscdk.Duration, env map[string]*string) awslambda.Function {
	logs := awslogs.NewLogGroup(scope, jsii.String("FunctionLogs"), &awslogs.LogGroupProps{Retention: FunctionLogRetention})
	role := awsiam.NewRole(scope, jsii.String("FunctionRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String(description),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &[]*string{logs.LogGroupArn()},
	}))
	return awslambda.NewFunction(scope, jsii.String("Function"), &awslambda.FunctionProps{
		Runtime:      golambda.Runtime(),
		Architecture: golambda.Architecture(),
		Handler:      jsii.String(golambda.Handler),
		Code:         handlerCode(problems, user, name),
		MemorySize:   jsii.Number(256),
		Timeout:      timeout,
		Description:  jsii.String(description),
		Environment:  &env,
		LogGroup:     logs,
		Role:         role,
	})
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
