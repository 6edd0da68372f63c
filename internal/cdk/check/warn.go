package check

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Warn adds an acknowledgeable synth warning to c. Every warning of ivscdk
// goes through here: the jsii binding turns each optional argument the CDK
// adds to AddWarningV2 into a required one in Go (v2.277.0 added
// WarningOptions), so a change of that signature is one edit.
func Warn(c constructs.Construct, id, message string) {
	awscdk.Annotations_Of(c).AddWarningV2(jsii.String(id), jsii.String(message), nil)
}
