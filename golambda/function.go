package golambda

import (
	"errors"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
)

// FunctionProps configures NewFunction. Give Package or Code.
type FunctionProps struct {
	// Package is the import path of the Go main package to build (Code),
	// or a path relative to the working directory ("./moderator"), as for
	// go build: an app's own handlers then keep working when its folder is
	// copied into another module.
	Package string
	// Code is code built elsewhere; it replaces Package.
	Code awslambda.Code
	// Description of the function.
	Description string
	// Environment variables of the function. Never put secrets here.
	Environment map[string]*string
	// Timeout of one invocation. Default: 10 seconds.
	Timeout time.Duration
	// MemorySize in MB. Default: 256.
	MemorySize int
	// LogRetention of the function's log group. Default: one year.
	LogRetention awslogs.RetentionDays
}

// NewFunction defines a Go Lambda function (provided.al2023, arm64) with
// its own log group, id+"Logs", and its own role, id+"Role", which may
// write to that log group and nothing else until you grant more: no AWS
// managed policy (cdk-nag's AwsSolutions-IAM4 passes). The log group is
// kept when the stack is deleted. It returns the build's error, if any.
func NewFunction(scope constructs.Construct, id string, props *FunctionProps) (awslambda.Function, error) {
	if props == nil {
		props = &FunctionProps{}
	}
	code := props.Code
	if code == nil && props.Package == "" {
		return nil, errors.New("golambda: FunctionProps needs Package (the import path of a Go main package) or Code")
	}
	if code == nil {
		var err error
		if code, err = Code(props.Package); err != nil {
			return nil, err
		}
	}
	cdkname.CheckScope(scope)
	timeout, memory, retention := props.Timeout, props.MemorySize, props.LogRetention
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if memory == 0 {
		memory = 256
	}
	if retention == "" {
		retention = awslogs.RetentionDays_ONE_YEAR
	}
	logs := awslogs.NewLogGroup(scope, jsii.String(id+"Logs"), &awslogs.LogGroupProps{Retention: retention})
	role := awsiam.NewRole(scope, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: optional(props.Description),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: &[]*string{logs.LogGroupArn()},
	}))
	env := props.Environment
	return awslambda.NewFunction(scope, jsii.String(id), &awslambda.FunctionProps{
		Runtime:      Runtime(),
		Architecture: Architecture(),
		Handler:      jsii.String(Handler),
		Code:         code,
		MemorySize:   jsii.Number(float64(memory)),
		Timeout:      awscdk.Duration_Millis(jsii.Number(float64(timeout.Milliseconds()))),
		Description:  optional(props.Description),
		Environment:  &env,
		LogGroup:     logs,
		Role:         role,
	}), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
