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

// A function with its own log group and a role without AWS managed
// policies.
func ExampleNewFunction() {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Stack"), nil)

	fn, err := golambda.NewFunction(stack, "Tokens", &golambda.FunctionProps{
		Package:     "github.com/ivscdk/ivscdk/lambda/playbacktoken",
		Description: "signs playback tokens",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = fn

	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{"ManagedPolicyArns": assertions.Match_Absent()})
	template.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 365})
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Timeout": 10, "MemorySize": 256, "LoggingConfig": map[string]any{"LogGroup": assertions.Match_AnyValue()},
	})
	fmt.Println("defined")
	// Output: defined
}
