package cdkapp_test

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/cdkapp"
	"github.com/ivscdk/ivscdk/ivs"
)

// The main of a CDK Go app: `go run .` and `cdk synth` alike synthesize
// it, print its warnings and errors, and exit 1 on an error. (Main exits
// the process, so this example is compiled, not run; Synth below is its
// testable core.)
func ExampleMain() {
	cdkapp.Main(func(app awscdk.App) {
		awscdk.NewStack(app, jsii.String("Live"), nil)
	})
}

// Synth prints the synthesis messages as the CDK CLI does, errors first,
// and answers 1 when there is an error: nothing to deploy.
func ExampleSynth() {
	dir, _ := os.MkdirTemp("", "cdkapp-example")
	defer os.RemoveAll(dir)
	app := cdkapp.NewApp(&awscdk.AppProps{Outdir: jsii.String(dir)})
	stack := awscdk.NewStack(app, jsii.String("Live"), nil)
	ivs.NewChannel(stack, "Channel", nil)
	awscdk.Annotations_Of(stack).AddError(jsii.String("an error a construct found"))

	code := cdkapp.Synth(app, os.Stdout)
	fmt.Println("exit status", code)
	// Output:
	// [Error at /Live] an error a construct found
	// Found 1 error(s): nothing to deploy.
	// exit status 1
}
