package exampleapp

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/ivscdk/ivscdk/golambda"
)

// GoFunctionCode returns the code of the Go main package pkg of this module
// (a path relative to the module root, such as
// "examples/chat-room/moderator"), built by golambda. It panics when the
// build fails: the examples have no other way to report it.
func GoFunctionCode(pkg string) awslambda.Code {
	code, err := golambda.Code("github.com/ivscdk/ivscdk/" + pkg)
	if err != nil {
		panic(fmt.Errorf("building %s: %w", pkg, err))
	}
	return code
}
