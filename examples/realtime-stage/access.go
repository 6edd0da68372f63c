package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/ivs"
)

// Who may call the token endpoint. This file is the same in every example
// that has an endpoint, so that each folder can be copied on its own.

// access is who may call the token endpoint, as the CDK context of
// `cdk deploy` (or `go run .`) chooses:
//
//	(no context)                        users of a Cognito user pool the stack creates, signing in on the page
//	-c invokerRoleArn=<role ARN>        AWS IAM (SigV4) calls, and that role of this account may call
//	-c cognito=false                    AWS IAM calls only (an identity with execute-api:Invoke)
//	-c jwtIssuer=<URL> -c jwtAudience=<client ID>   ID tokens of your own OpenID Connect provider
type access struct {
	// cognito: the stack creates the user pool and the page.
	cognito bool
	// issuer and audience of your own provider's tokens, when set.
	issuer, audience string
	// invokerRoleArn may call the endpoint (IAM authentication).
	invokerRoleArn string
}

// accessFromContext reads the context values above. It panics, naming the
// values, when they contradict each other (cdkapp.Main prints it as the
// error).
func accessFromContext(app awscdk.App) access {
	text := func(key string) string {
		s, _ := app.Node().TryGetContext(jsii.String(key)).(string)
		return s
	}
	a := access{issuer: text("jwtIssuer"), audience: text("jwtAudience"), invokerRoleArn: text("invokerRoleArn")}
	other := a.issuer != "" || a.audience != "" || a.invokerRoleArn != ""
	switch c := app.Node().TryGetContext(jsii.String("cognito")); c {
	case nil:
		a.cognito = !other
	case true, "true":
		a.cognito = true
	case false, "false":
	default:
		panic(fmt.Sprintf("-c cognito=%v: want true or false", c))
	}
	if a.cognito && other {
		panic("-c cognito=true cannot go with -c jwtIssuer, -c jwtAudience or -c invokerRoleArn: " +
			"the Cognito user pool's ID tokens are the endpoint's only authentication then")
	}
	if a.invokerRoleArn != "" && (a.issuer != "" || a.audience != "") {
		panic("-c invokerRoleArn needs the endpoint's IAM authentication, and -c jwtIssuer/-c jwtAudience choose JWT authentication: pass one or the other")
	}
	return a
}

// ownProvider tells whether the endpoint takes your own provider's ID
// tokens (JWT authentication with issuer and audience).
func (a access) ownProvider() bool { return a.issuer != "" || a.audience != "" }

// users is an Amazon Cognito user pool whose users sign in to call the
// endpoint, and the app client they sign in with.
type users struct {
	pool   awscognito.UserPool
	client awscognito.UserPoolClient
	// signInURL is the hosted sign-in's base URL
	// (https://<prefix>.auth.<region>.amazoncognito.com), when a page
	// signs users in; nil otherwise.
	signInURL *string
}

// authentication is the endpoint's: the pool's ID tokens, whose aud is
// the app client's ID.
func (u users) authentication() ivs.EndpointAuthentication {
	return ivs.CognitoAuthentication(u.pool, u.client)
}

// cognitoUsers defines the user pool (no self sign-up: an administrator
// adds users) with the given groups, an app client for password sign-in
// and, with pageURL, the hosted sign-in for that page (authorization code
// with PKCE, no client secret), and outputs the pool and client IDs.
func cognitoUsers(stack awscdk.Stack, pageURL *string, groups ...string) users {
	pool := awscognito.NewUserPool(stack, jsii.String("Users"), &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(false),
		SignInAliases:     &awscognito.SignInAliases{Username: jsii.Bool(true), Email: jsii.Bool(true)},
		PasswordPolicy: &awscognito.PasswordPolicy{MinLength: jsii.Number(12), RequireDigits: jsii.Bool(true),
			RequireLowercase: jsii.Bool(true), RequireUppercase: jsii.Bool(true), RequireSymbols: jsii.Bool(true)},
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	pool.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cdk_nag"), map[string]any{
		"rules_to_suppress": []any{
			map[string]any{"id": "AwsSolutions-COG2", "reason": "An example pool for trying the endpoint: turn on MFA for real users."},
			map[string]any{"id": "AwsSolutions-COG3", "reason": "An example pool: threat protection is a paid feature plan; choose it for real users."},
			map[string]any{"id": "AwsSolutions-COG8", "reason": "An example pool: the Plus feature plan is paid; choose it for real users."},
		},
	})
	options := &awscognito.UserPoolClientOptions{
		AuthFlows: &awscognito.AuthFlow{UserPassword: jsii.Bool(true), UserSrp: jsii.Bool(true)},
		// Sign-in reads the email it signs in with and writes nothing the
		// endpoint reads. A client that names no write attributes lets users
		// rewrite every standard attribute (email, name and the rest: the
		// Cognito default), and an empty list reads as none named, so it
		// names one that no grant or ID reads. Grant on "sub" and
		// "cognito:groups", which users cannot write.
		ReadAttributes: awscognito.NewClientAttributes().WithStandardAttributes(
			&awscognito.StandardAttributesMask{Email: jsii.Bool(true), EmailVerified: jsii.Bool(true)}),
		WriteAttributes: awscognito.NewClientAttributes().WithStandardAttributes(
			&awscognito.StandardAttributesMask{Locale: jsii.Bool(true)}),
		// A failed sign-in says the same whether or not the user exists.
		PreventUserExistenceErrors: jsii.Bool(true),
	}
	u := users{pool: pool}
	if pageURL != nil {
		page := awscdk.Fn_Join(jsii.String(""), &[]*string{pageURL, jsii.String("/")})
		options.OAuth = &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID()},
			CallbackUrls: &[]*string{page},
			LogoutUrls:   &[]*string{page},
		}
		// A prefix of this stack's own: its ID's random part.
		prefix := awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("ivs-"),
			awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), awscdk.Aws_STACK_ID(), nil))})
		domain := pool.AddDomain(jsii.String("SignIn"), &awscognito.UserPoolDomainOptions{
			CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: prefix},
		})
		u.signInURL = domain.BaseUrl(nil)
	}
	u.client = pool.AddClient(jsii.String("App"), options)
	for _, group := range groups {
		awscognito.NewUserPoolGroup(stack, jsii.String("Group-"+group), &awscognito.UserPoolGroupProps{
			UserPool: pool, GroupName: jsii.String(group),
		})
	}
	awscdk.NewCfnOutput(stack, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: pool.UserPoolId(),
		Description: jsii.String("the Cognito user pool whose users may call the endpoint")})
	awscdk.NewCfnOutput(stack, jsii.String("UserPoolClientId"), &awscdk.CfnOutputProps{Value: u.client.UserPoolClientId(),
		Description: jsii.String("the app client to sign in with (aws cognito-idp initiate-auth --client-id)")})
	return u
}

// grantInvokeTo lets an existing IAM role of this account call the
// endpoint (IAM authentication): a policy allowing execute-api:Invoke on
// its routes is added to the role.
func grantInvokeTo(stack awscdk.Stack, endpoint interface {
	GrantInvoke(awsiam.IGrantable) awsiam.Grant
}, roleArn string) {
	endpoint.GrantInvoke(awsiam.Role_FromRoleArn(stack, jsii.String("Invoker"), jsii.String(roleArn), nil))
}
