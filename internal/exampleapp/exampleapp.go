// Package exampleapp holds what the runnable examples share: where they
// write the cloud assembly, and stack outputs with descriptions.
package exampleapp

import (
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// NewApp returns an app that writes to the folder the CDK CLI names in
// CDK_OUTDIR, or to cdk.out/ in the current directory when run with plain
// `go run`, so that a user finds the template there.
func NewApp() awscdk.App {
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir == "" {
		outdir = "cdk.out"
	}
	return awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
}

// Output adds a stack output with a description.
func Output(stack awscdk.Stack, id string, value *string, description string) {
	awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
}
