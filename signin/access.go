package signin

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Access is who may call an app's token endpoint, as the CDK context of
// `cdk deploy` (or `go run .`) chooses it:
//
//	(no context)                        users of a Cognito user pool the stack creates, signing in on a page
//	-c invokerRoleArn=<role ARN>        AWS IAM (SigV4) calls, and that role of this account may call
//	-c cognito=false                    AWS IAM calls only (an identity with execute-api:Invoke)
//	-c jwtIssuer=<URL> -c jwtAudience=<client ID>   ID tokens of your own OpenID Connect provider
type Access struct {
	// Cognito: the stack creates the user pool (Users) and the page.
	Cognito bool
	// Issuer and Audience of your own provider's ID tokens, when set.
	Issuer, Audience string
	// InvokerRoleArn may call the endpoint (IAM authentication).
	InvokerRoleArn string
}

// AccessFromContext reads the context values above from scope's tree (an
// app or a stack). It returns an error naming the values when they
// contradict each other.
func AccessFromContext(scope constructs.Construct) (Access, error) {
	node := scope.Node()
	text := func(key string) string {
		s, _ := node.TryGetContext(jsii.String(key)).(string)
		return s
	}
	a := Access{Issuer: text("jwtIssuer"), Audience: text("jwtAudience"), InvokerRoleArn: text("invokerRoleArn")}
	other := a.Issuer != "" || a.Audience != "" || a.InvokerRoleArn != ""
	switch c := node.TryGetContext(jsii.String("cognito")); c {
	case nil:
		a.Cognito = !other
	case true, "true":
		a.Cognito = true
	case false, "false":
	default:
		return Access{}, fmt.Errorf("-c cognito=%v: want true or false", c)
	}
	if a.Cognito && other {
		return Access{}, fmt.Errorf("-c cognito=true cannot go with -c jwtIssuer, -c jwtAudience or -c invokerRoleArn: " +
			"the Cognito user pool's ID tokens are the endpoint's only authentication then")
	}
	if a.InvokerRoleArn != "" && (a.Issuer != "" || a.Audience != "") {
		return Access{}, fmt.Errorf("-c invokerRoleArn needs the endpoint's IAM authentication, and -c jwtIssuer/-c jwtAudience choose JWT authentication: pass one or the other")
	}
	if a.OwnProvider() && (a.Issuer == "" || a.Audience == "") {
		return Access{}, fmt.Errorf("-c jwtIssuer and -c jwtAudience go together: give your provider's issuer URL and the client ID its ID tokens name as aud")
	}
	return a, nil
}

// OwnProvider tells whether the endpoint takes your own provider's ID
// tokens (JWT authentication with Issuer and Audience).
func (a Access) OwnProvider() bool { return a.Issuer != "" || a.Audience != "" }

// GrantInvoke lets roleArn, an existing IAM role of this account, call
// endpoint (IAM authentication): a policy allowing execute-api:Invoke on
// its routes is added to the role, imported into scope as "Invoker" (the
// second time in the same scope "Invoker2", and so on, so that one role
// may call several endpoints).
func GrantInvoke(scope constructs.Construct, endpoint interface {
	GrantInvoke(awsiam.IGrantable) awsiam.Grant
}, roleArn string) awsiam.Grant {
	id := "Invoker"
	for n := 2; scope.Node().TryFindChild(jsii.String(id)) != nil; n++ {
		id = fmt.Sprintf("Invoker%d", n)
	}
	return endpoint.GrantInvoke(awsiam.Role_FromRoleArn(scope, jsii.String(id), jsii.String(roleArn), nil))
}
