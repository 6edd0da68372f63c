// Package novalidate turns the CDK's built-in CloudFormation validation off
// for a test binary, before the jsii runtime starts.
//
// The jsii runtime's Node.js process takes the environment the Go process
// has when the aws-cdk-go package is initialized, before TestMain runs, so
// os.Setenv("CDK_VALIDATION", "false") in TestMain comes too late. Off
// executes the test binary again with the variable set.
//
// Tests use it for the apps whose reports no test reads, such as the
// Example functions' awscdk.NewApp(nil) (the README's snippets): the engine
// would start in each process only for them. Apps that register a plugin
// (cfnvalidate.NewApp, which internal/test/cdktest uses) are validated all
// the same: the CDK runs registered plugins whatever CDK_VALIDATION says.
package novalidate

import (
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// Variable is the CDK's switch for its built-in validation.
const Variable = "CDK_VALIDATION"

// Off makes sure the process runs with CDK_VALIDATION=false: it returns
// when the variable is set already (to anything: a person's own setting
// wins) and otherwise executes the program again with it, not returning.
// Where the program cannot be executed again, it returns and the tests run
// with the built-in validation on, only slower.
func Off() {
	if _, set := os.LookupEnv(Variable); set {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	reexec(exe, os.Args, append(os.Environ(), Variable+"=false"))
}

// Main is a test binary's TestMain for packages that use the CDK: it turns
// the built-in validation off (Off), runs the tests, then stops the jsii
// runtime's Node.js process. internal/test/cdktest.Main is this; packages
// that cdktest depends on (cdkapp) call it directly.
func Main(m *testing.M) {
	Off()
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}
