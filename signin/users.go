// Package signin is who may call an app's token endpoints: an Amazon
// Cognito user pool whose users sign in on a page (Users, with the page's
// sign-in script, Script), and the CDK context values that choose between
// that, AWS IAM and your own OpenID Connect provider (AccessFromContext).
// ivscdk's examples use it; copy any of them into your module and it comes
// with them.
//
//	users := signin.NewUsers(stack, "Users", &signin.UsersProps{PageURL: page.Url(), Groups: []string{"hosts"}})
//	tokens := ivs.NewParticipantTokenEndpoint(stack, "Tokens", &ivs.ParticipantTokenEndpointProps{
//		Authentication: users.Authentication(), // the pool's ID tokens
//		...
//	})
package signin

import (
	"regexp"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdkname"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/ivs"
)

// UsersProps configures Users. The zero value is a pool whose users sign
// in with a password through the API (no page).
type UsersProps struct {
	// PageURL is the page users sign in on (https://…; a CDK token such as
	// webpage.Page.Url is allowed). With it, the pool gets a hosted
	// sign-in domain and the app client the authorization code flow with
	// PKCE (no client secret), returning to PageURL + "/" after sign-in
	// and sign-out. Default: none.
	PageURL *string
	// Groups are user pool groups to create, such as "hosts" or
	// "moderators"; grant on them with the ID token's cognito:groups
	// claim, which users cannot write. Each name is 1 to 128 letters,
	// marks, symbols, digits or punctuation, no spaces (AWS CloudFormation
	// User Guide, AWS::Cognito::UserPoolGroup, GroupName). Default: none.
	Groups []string
	// Mfa asks users for a one-time password from an authenticator app
	// as well: awscognito.Mfa_REQUIRED or awscognito.Mfa_OPTIONAL.
	// Default: off (awscognito.Mfa_OFF); turn it on for real users.
	Mfa awscognito.Mfa
	// RemovalPolicy of the pool. Default: the CDK's for a user pool,
	// RETAIN (deleting the stack keeps the users); examples pass DESTROY.
	RemovalPolicy awscdk.RemovalPolicy
}

// Users is an Amazon Cognito user pool whose users call an app's token
// endpoints with their ID tokens, and the app client they sign in with.
// An administrator adds users (no self sign-up); passwords are at least 12
// characters with digits, lower and upper case and symbols. The app
// client reads email and email_verified, lets users write only locale (a
// client that names no write attributes lets users rewrite every standard
// attribute, email among them: Cognito's default), and answers a failed
// sign-in the same whether or not the user exists
// (PreventUserExistenceErrors). Grant on "sub" and "cognito:groups".
//
// The pool is Users' default child, so its logical ID is what a pool made
// directly with Users' ID would have.
type Users struct {
	construct constructs.Construct
	pool      awscognito.UserPool
	client    awscognito.UserPoolClient
	signInURL *string
}

// groupName is GroupName's pattern in AWS::Cognito::UserPoolGroup.
var groupName = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$`)

// pageOrigin is what a literal PageURL must be: an HTTPS origin.
var pageOrigin = regexp.MustCompile(`^https://[^/\s]+$`)

// NewUsers defines the pool, its app client, the hosted sign-in domain
// (with PageURL; its prefix is "ivs-" and the random part of the stack's
// ID) and the groups.
func NewUsers(scope constructs.Construct, id string, props *UsersProps) *Users {
	cdkname.CheckScope(scope)
	if props == nil {
		props = &UsersProps{}
	}
	u := &Users{construct: constructs.NewConstruct(scope, jsii.String(id))}
	var problems check.Problems
	var groups []string
	for _, g := range props.Groups {
		switch {
		case !groupName.MatchString(g):
			problems.Addf("Groups %q is invalid: a group name is 1 to 128 letters, digits, symbols or punctuation, without spaces", g)
		case slices.Contains(groups, g):
			problems.Addf("Groups %q is named twice: name each group once", g)
		default:
			groups = append(groups, g)
		}
	}
	mfa := props.Mfa
	if mfa == "" {
		mfa = awscognito.Mfa_OFF
	}
	var secondFactor *awscognito.MfaSecondFactor
	if mfa != awscognito.Mfa_OFF {
		secondFactor = &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(false)}
	}
	u.pool = awscognito.NewUserPool(u.construct, jsii.String("Default"), &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(false),
		SignInAliases:     &awscognito.SignInAliases{Username: jsii.Bool(true), Email: jsii.Bool(true)},
		PasswordPolicy: &awscognito.PasswordPolicy{MinLength: jsii.Number(12), RequireDigits: jsii.Bool(true),
			RequireLowercase: jsii.Bool(true), RequireUppercase: jsii.Bool(true), RequireSymbols: jsii.Bool(true)},
		Mfa:             mfa,
		MfaSecondFactor: secondFactor,
		RemovalPolicy:   props.RemovalPolicy, // "" is the CDK's default
	})
	suppressions := []any{
		map[string]any{"id": "AwsSolutions-COG3", "reason": "Threat protection is a paid feature plan; choose it on the pool for real users."},
		map[string]any{"id": "AwsSolutions-COG8", "reason": "The Plus feature plan is paid; choose it on the pool for real users."},
	}
	if mfa == awscognito.Mfa_OFF {
		suppressions = append([]any{map[string]any{"id": "AwsSolutions-COG2",
			"reason": "MFA is off (UsersProps.Mfa); turn it on for real users."}}, suppressions...)
	}
	u.pool.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cdk_nag"),
		map[string]any{"rules_to_suppress": suppressions})

	options := &awscognito.UserPoolClientOptions{
		AuthFlows: &awscognito.AuthFlow{UserPassword: jsii.Bool(true), UserSrp: jsii.Bool(true)},
		// An empty write list reads as none named (every standard
		// attribute writable), so it names one that no grant or ID reads.
		ReadAttributes: awscognito.NewClientAttributes().WithStandardAttributes(
			&awscognito.StandardAttributesMask{Email: jsii.Bool(true), EmailVerified: jsii.Bool(true)}),
		WriteAttributes: awscognito.NewClientAttributes().WithStandardAttributes(
			&awscognito.StandardAttributesMask{Locale: jsii.Bool(true)}),
		PreventUserExistenceErrors: jsii.Bool(true),
		// Without a page, no OAuth flow: the CDK's default would allow
		// the implicit grant back to https://example.com.
		DisableOAuth: jsii.Bool(props.PageURL == nil),
	}
	if props.PageURL != nil {
		if !*awscdk.Token_IsUnresolved(props.PageURL) && !pageOrigin.MatchString(*props.PageURL) {
			problems.Addf("PageURL %q is invalid: give the page's origin, https://<host> with no path (the sign-in returns to <PageURL>/)", *props.PageURL)
		}
		page := awscdk.Fn_Join(jsii.String(""), &[]*string{props.PageURL, jsii.String("/")})
		options.OAuth = &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID()},
			CallbackUrls: &[]*string{page},
			LogoutUrls:   &[]*string{page},
		}
		prefix := awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("ivs-"),
			awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), awscdk.Aws_STACK_ID(), nil))})
		domain := u.pool.AddDomain(jsii.String("SignIn"), &awscognito.UserPoolDomainOptions{
			CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: prefix},
		})
		u.signInURL = domain.BaseUrl(nil)
	}
	u.client = u.pool.AddClient(jsii.String("App"), options)
	for _, g := range groups {
		awscognito.NewUserPoolGroup(u.construct, jsii.String("Group-"+g), &awscognito.UserPoolGroupProps{
			UserPool: u.pool, GroupName: jsii.String(g),
		})
	}
	problems.Report(u.construct)
	return u
}

// Construct returns the construct that holds the pool and its parts.
func (u *Users) Construct() constructs.Construct { return u.construct }

// Node returns the construct tree node.
func (u *Users) Node() constructs.Node { return u.construct.Node() }

// Pool returns the user pool.
func (u *Users) Pool() awscognito.UserPool { return u.pool }

// Client returns the app client users sign in with.
func (u *Users) Client() awscognito.UserPoolClient { return u.client }

// SignInURL returns the hosted sign-in's base URL
// (https://<prefix>.auth.<region>.amazoncognito.com), or nil without a
// PageURL. A page's script sends users to <SignInURL>/oauth2/authorize.
func (u *Users) SignInURL() *string { return u.signInURL }

// Authentication is a token endpoint's authentication by the pool's ID
// tokens (their aud is the app client's ID).
func (u *Users) Authentication() ivs.EndpointAuthentication {
	return ivs.CognitoAuthentication(u.pool, u.client)
}

// AddOutputs adds the stack outputs UserPoolId and UserPoolClientId to
// scope (a stack), for adding users and signing in from the AWS CLI.
func (u *Users) AddOutputs(scope constructs.Construct) {
	awscdk.NewCfnOutput(scope, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: u.pool.UserPoolId(),
		Description: jsii.String("the Cognito user pool whose users may call the endpoint")})
	awscdk.NewCfnOutput(scope, jsii.String("UserPoolClientId"), &awscdk.CfnOutputProps{Value: u.client.UserPoolClientId(),
		Description: jsii.String("the app client to sign in with (aws cognito-idp initiate-auth --client-id)")})
}
