package golambda_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/golambda"
)

// A Lambda function built from a Go main package at synth: here one of
// ivscdk's own handlers; your own packages work the same way.
func ExampleCode() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Stack"), nil)

	code, err := golambda.Code("github.com/ivscdk/ivscdk/lambda/playbacktoken")
	if err != nil {
		fmt.Println(err) // for example golambda.ErrNoGo
		return
	}
	awslambda.NewFunction(stack, jsii.String("Fn"), &awslambda.FunctionProps{
		Runtime:      golambda.Runtime(),
		Architecture: golambda.Architecture(),
		Handler:      jsii.String(golambda.Handler),
		Code:         code,
	})

	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
	})
	fmt.Println("built")
	// Output: built
}
