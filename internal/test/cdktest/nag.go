package cdktest

import (
	"encoding/json"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// NagFindings applies cdk-nag's AwsSolutions pack (the CDK's security
// linter) to the app and returns the stack's unsuppressed findings, errors
// and warnings, each as JSON naming the path, the rule and the message.
func NagFindings(app awscdk.App, stack awscdk.Stack) []string {
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(nil), nil)
	annotations := assertions.Annotations_FromStack(stack)
	nag := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-"))
	var out []string
	for _, f := range append(*annotations.FindError(jsii.String("*"), nag), *annotations.FindWarning(jsii.String("*"), nag)...) {
		b, _ := json.Marshal(f)
		out = append(out, string(b))
	}
	return out
}
