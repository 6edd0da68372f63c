// Package tokenendpoint builds what ivscdk's token endpoint constructs
// (ivs.PlaybackTokenEndpoint, ivs.ParticipantTokenEndpoint,
// ivschat.ChatTokenEndpoint) share: the API Gateway HTTP API with its
// authorizer, throttled $default stage, access logs and CORS, and the
// caller grant.
package tokenendpoint

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// Auth is how callers authenticate.
type Auth struct {
	// Kind is wire.AuthIAM, AuthJWT or AuthNone, the value the token
	// handlers read to refuse requests API Gateway did not authorize so.
	Kind     string
	Issuer   string
	Audience []string
	// Scopes are the route's authorization scopes (JWT only); non-nil
	// when WithScopes was called.
	Scopes []string
	// UserWritable are the claims the sign-in provider lets users write
	// about themselves, as far as ivscdk knows (nil: unknown).
	UserWritable []string
	// Problem says what is wrong with how the authentication was made
	// (a nil user pool), reported by New.
	Problem string
}

// Authentication is what an ivs.EndpointAuthentication tells of itself
// (package ivs imports this one, so the type cannot be named here).
type Authentication interface {
	Kind() string
	Issuer() string
	Audience() []string
	Scopes() []string
	UserWritableClaims() []string
	Problem() string
}

// AuthOf returns a's settings, for the endpoints of every package.
func AuthOf(a Authentication) Auth {
	return Auth{Kind: a.Kind(), Issuer: a.Issuer(), Audience: a.Audience(), Scopes: a.Scopes(), UserWritable: a.UserWritableClaims(), Problem: a.Problem()}
}

// Options configure an API.
type Options struct {
	Description    string
	Path           string // the route, such as "/participant-token"
	Function       awslambda.IFunction
	Auth           Auth
	AllowedOrigins []string // CORS; none for no CORS
	RateLimit      float64
	BurstLimit     int
	LogRetention   awslogs.RetentionDays
	// WarningID and Warning are the synth warning of an unauthenticated
	// endpoint.
	WarningID, Warning string
	// Routes, when set, are the API's routes in place of Path on GET and
	// POST (Url is then the API's base URL plus Path, which may be "").
	Routes []Route
}

// Route is one path of an API and the methods it takes.
type Route struct {
	Path    string
	Methods []awsapigatewayv2.HttpMethod
}

// API is an endpoint's HTTP API.
type API struct {
	api    awsapigatewayv2.HttpApi
	routes []awsapigatewayv2.HttpRoute
	path   string
	scope  constructs.Construct
	kind   string
}

// New defines the HTTP API as children "Api", "AccessLogs" and
// "DefaultStage" of scope, with the route on GET and POST.
func New(scope constructs.Construct, problems *check.Problems, o Options) *API {
	a := &API{path: o.Path, scope: scope, kind: o.Auth.Kind}
	if o.Auth.Problem != "" {
		problems.Addf("Authentication: %s", o.Auth.Problem)
	}
	if o.RateLimit < 0 || o.BurstLimit < 0 {
		problems.Addf("ThrottlingRateLimit %v and ThrottlingBurstLimit %d must not be negative", o.RateLimit, o.BurstLimit)
	}
	for _, origin := range o.AllowedOrigins {
		if strings.Contains(origin, ",") {
			problems.Addf("AllowedOrigins %q holds a comma: give each origin as its own element", origin)
		}
	}
	if o.Routes == nil {
		o.Routes = []Route{{Path: o.Path, Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.HttpMethod_POST}}}
	}
	a.api = awsapigatewayv2.NewHttpApi(scope, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String(o.Description),
		CreateDefaultStage: jsii.Bool(false),
		CorsPreflight:      corsFor(o.AllowedOrigins, o.Routes),
	})
	accessLogs := awslogs.NewLogGroup(scope, jsii.String("AccessLogs"), &awslogs.LogGroupProps{Retention: o.LogRetention})
	awsapigatewayv2.NewHttpStage(scope, jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:           a.api,
		StageName:         jsii.String("$default"),
		AutoDeploy:        jsii.Bool(true),
		AccessLogSettings: &accessLogSettings{awsapigatewayv2.NewLogGroupLogDestination(accessLogs)},
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(o.RateLimit),
			BurstLimit: jsii.Number(float64(o.BurstLimit)),
		},
	})
	integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Function"), o.Function, nil)
	authorizer := authorizerFor(problems, o.Auth)
	scoped := checkScopes(problems, o.Auth)
	for _, r := range o.Routes {
		routes := &awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.Path),
			Methods:     &r.Methods,
			Integration: integration,
			Authorizer:  authorizer,
		}
		if scoped {
			routes.AuthorizationScopes = jsii.Strings(o.Auth.Scopes...)
		}
		a.routes = append(a.routes, *a.api.AddRoutes(routes)...)
	}
	if o.Auth.Kind == wire.AuthNone {
		check.Warn(scope, o.WarningID, o.Warning)
	}
	return a
}

// authorizerFor returns the route authorizer of the authentication mode.
func authorizerFor(problems *check.Problems, auth Auth) awsapigatewayv2.IHttpRouteAuthorizer {
	switch auth.Kind {
	case wire.AuthNone:
		return awsapigatewayv2.NewHttpNoneAuthorizer()
	case wire.AuthJWT:
		if u, err := url.Parse(auth.Issuer); !cdktoken.IsUnresolved(auth.Issuer) && (err != nil || u.Scheme != "https" || u.Host == "") {
			problems.Addf("JWTAuthentication issuer %q is invalid: give the https URL of the token issuer (for Amazon Cognito "+
				"https://cognito-idp.<region>.amazonaws.com/<user pool ID>)", auth.Issuer)
		}
		audience, issuer := auth.Audience, auth.Issuer
		if len(audience) == 0 {
			problems.Addf("JWTAuthentication has no audience: give the client IDs tokens must be issued for")
			audience = []string{"missing"} // the CDK would panic; synthesis fails on the problem instead
		}
		for i, a := range audience {
			if strings.TrimSpace(a) == "" {
				problems.Addf("JWTAuthentication audience[%d] is empty: give the client ID tokens must be issued for "+
					"(for Amazon Cognito the app client ID); an empty audience matches no token", i)
			}
		}
		if issuer == "" {
			issuer = "missing"
		}
		return awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("JwtAuthorizer"), jsii.String(issuer),
			&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{JwtAudience: jsii.Strings(audience...)})
	}
	return awsapigatewayv2authorizers.NewHttpIamAuthorizer()
}

// checkScopes checks the authorization scopes and reports whether the
// route gets them.
func checkScopes(problems *check.Problems, auth Auth) bool {
	if auth.Scopes == nil {
		return false
	}
	if auth.Kind != wire.AuthJWT {
		problems.Addf("WithScopes needs JWTAuthentication: API Gateway checks the scopes of JSON Web Tokens only")
		return false
	}
	if len(auth.Scopes) == 0 {
		problems.Addf("WithScopes names no scope: give the scopes a token must carry one of")
		return false
	}
	for i, s := range auth.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\n\"\\") {
			problems.Addf("WithScopes scope[%d] %q is invalid: a scope is a non-empty word without spaces, quotes or backslashes (RFC 6749 section 3.3)", i, s)
		}
	}
	return true
}

// CheckGrants checks capability grants (property CapabilityGrants)
// against the capabilities valid for the endpoint, and returns them as the
// function's configuration holds them.
func CheckGrants(problems *check.Problems, auth Auth, grants []wire.Grant, valid []string) []map[string]any {
	if len(grants) > 0 && auth.Kind != wire.AuthJWT {
		problems.Addf("CapabilityGrants needs JWTAuthentication: a grant follows a scope or claim of the caller's verified JSON Web Token")
	}
	out := make([]map[string]any, 0, len(grants))
	for i, g := range grants {
		if err := wire.CheckGrants([]wire.Grant{g}, valid); err != nil {
			problems.Addf("CapabilityGrants[%d]: %s", i, strings.TrimPrefix(err.Error(), "capability grant 0: "))
		}
		entry := map[string]any{"capabilities": g.Capabilities}
		if g.Scope != "" {
			entry["scope"] = g.Scope
		}
		if g.Claim != "" {
			entry["claim"], entry["value"] = g.Claim, g.Value
		}
		out = append(out, entry)
	}
	return out
}

// accessLogFormat is one JSON line per request: who called (the IAM
// principal or the JWT subject), what, and the answer's status. Tokens
// are in answers, which are never logged.
var accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime",` +
	`"route":"$context.routeKey","status":"$context.status","caller":"$context.identity.userArn",` +
	`"subject":"$context.authorizer.claims.sub","latencyMs":"$context.responseLatency",` +
	`"integrationError":"$context.integrationErrorMessage"}`

// accessLogSettings implements awsapigatewayv2.IAccessLogSettings.
type accessLogSettings struct {
	destination awsapigatewayv2.IAccessLogDestination
}

// Destination implements awsapigatewayv2.IAccessLogSettings.
func (a *accessLogSettings) Destination() awsapigatewayv2.IAccessLogDestination { return a.destination }

// Format implements awsapigatewayv2.IAccessLogSettings.
func (a *accessLogSettings) Format() awsapigateway.AccessLogFormat {
	return awsapigateway.AccessLogFormat_Custom(jsii.String(accessLogFormat))
}

// corsFor allows browsers on the allowed origins to call the endpoint's
// routes: GET and POST, and DELETE where a route takes it.
func corsFor(origins []string, routes []Route) *awsapigatewayv2.CorsPreflightOptions {
	if len(origins) == 0 {
		return nil
	}
	// Exactly the methods the routes take, in a fixed order.
	var methods []awsapigatewayv2.CorsHttpMethod
	for _, m := range []struct {
		route awsapigatewayv2.HttpMethod
		cors  awsapigatewayv2.CorsHttpMethod
	}{
		{awsapigatewayv2.HttpMethod_GET, awsapigatewayv2.CorsHttpMethod_GET},
		{awsapigatewayv2.HttpMethod_POST, awsapigatewayv2.CorsHttpMethod_POST},
		{awsapigatewayv2.HttpMethod_DELETE, awsapigatewayv2.CorsHttpMethod_DELETE},
	} {
		for _, r := range routes {
			if slices.Contains(r.Methods, m.route) {
				methods = append(methods, m.cors)
				break
			}
		}
	}
	return &awsapigatewayv2.CorsPreflightOptions{
		AllowOrigins: jsii.Strings(origins...),
		AllowMethods: &methods,
		AllowHeaders: jsii.Strings("Authorization", "Content-Type"),
		MaxAge:       awscdk.Duration_Hours(jsii.Number(1)),
	}
}

// Url returns the endpoint's URL, route included.
func (a *API) Url() *string {
	return awscdk.Fn_Join(jsii.String(""), &[]*string{a.api.ApiEndpoint(), jsii.String(a.path)})
}

// HttpApi returns the API Gateway HTTP API.
func (a *API) HttpApi() awsapigatewayv2.HttpApi { return a.api }

// GrantInvoke lets grantee call the route (execute-api:Invoke). IAM
// permissions only matter with IAM authentication: on another endpoint it
// reports a synth error on the endpoint and grants nothing (the CDK would
// panic).
func (a *API) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	if a.kind != wire.AuthIAM {
		var problems check.Problems
		problems.Addf("GrantInvoke needs IAMAuthentication: this endpoint authenticates callers by %s, so IAM permissions "+
			"decide nothing; give callers a token instead, or use IAMAuthentication for callers with AWS credentials", map[string]string{
			wire.AuthJWT: "their JSON Web Token", wire.AuthNone: "nothing (NoAuthentication)"}[a.kind])
		problems.Report(a.scope)
		return awsiam.Grant_Drop(grantee, jsii.String("GrantInvoke on an endpoint without IAM authentication"))
	}
	var grant awsiam.Grant
	for _, r := range a.routes {
		g := r.GrantInvoke(grantee, nil)
		if grant == nil {
			grant = g
		} else {
			grant = grant.Combine(g)
		}
	}
	return grant
}

// CheckIdentity checks the user ID and attribute settings of a token
// endpoint: claims need JWT authentication, and the fixed attributes must
// fit in maxAttributes bytes (IVS's 1 KB).
func CheckIdentity(problems *check.Problems, auth Auth, userIDClaim string, attributes, claimAttributes map[string]string, maxAttributes int) {
	jwt := auth.Kind == wire.AuthJWT
	if userIDClaim != "" && !jwt {
		problems.Addf("UserIDClaim %q needs JWTAuthentication: the user ID comes from the caller's verified JSON Web Token", userIDClaim)
	}
	if len(claimAttributes) > 0 && !jwt {
		problems.Addf("ClaimAttributes needs JWTAuthentication: the values come from the caller's verified JSON Web Token")
	}
	size := 0
	for k, v := range attributes {
		size += len(k) + len(v)
	}
	if size > maxAttributes {
		problems.Addf("Attributes hold %d bytes: IVS allows %d in a token", size, maxAttributes)
	}
}

// Throttling defaults of every token endpoint.
const (
	DefaultRateLimit  = 50
	DefaultBurstLimit = 100
)

// WithThrottlingDefaults returns the rate and burst limits, DefaultRateLimit
// and DefaultBurstLimit where they are 0.
func WithThrottlingDefaults(rate float64, burst int) (float64, int) {
	if rate == 0 {
		rate = DefaultRateLimit
	}
	if burst == 0 {
		burst = DefaultBurstLimit
	}
	return rate, burst
}

// Served checks the ARNs of the resources an endpoint serves (property
// name field, such as "Stages"): at least one, none nil, none twice, and,
// when stack is given, each in its account and region, since the token
// function calls the service there. nil entries of arns are left out of
// the result.
func Served(problems *check.Problems, field string, arns []*string, stack awscdk.Stack, service string) []*string {
	if len(arns) == 0 {
		problems.Addf("%s is empty: name what this endpoint hands out tokens for", field)
	}
	out := make([]*string, 0, len(arns))
	seen := map[string]bool{}
	for i, arn := range arns {
		if arn == nil {
			problems.Addf("%s[%d] is nil", field, i)
			continue
		}
		if a := *arn; !cdktoken.IsUnresolved(a) {
			if seen[a] {
				problems.Addf("%s names %s twice", field, a)
			}
			seen[a] = true
			l2.SameEnvironment(problems, fmt.Sprintf("%s[%d]", field, i), a,
				"the token function calls "+service+" in its own account and region, where that resource does not exist; "+
					"deploy an endpoint in the resource's environment", stack)
		}
		out = append(out, arn)
	}
	return out
}

// CognitoStandardAttributes are the standard attributes of an Amazon
// Cognito user pool that an app client lets users write about themselves
// when it names no write attributes (Cognito's default: "When you don't
// specify the WriteAttributes for your app client, your app can write the
// values of the Standard attributes of your user pool", CreateUserPoolClient,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html;
// the list: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html).
// Each is a claim of the pool's ID tokens.
var CognitoStandardAttributes = []string{"address", "birthdate", "email", "family_name", "gender", "given_name", "locale",
	"middle_name", "name", "nickname", "phone_number", "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo"}

// ClaimUse is one setting of an endpoint that reads a claim of the
// caller's token: the property (such as "CapabilityGrants[0]") and the
// claim.
type ClaimUse struct{ Property, Claim string }

// WarnUserWritableClaims warns on c for each use of a claim that the
// caller can set to anything they like: a claim auth.UserWritable names
// (the user pool's app client lets users write it through their own
// access token). A capability grant, a user ID or an attribute taken from
// such a claim is what the caller says it is.
func WarnUserWritableClaims(c constructs.Construct, id string, auth Auth, uses []ClaimUse) {
	for _, u := range uses {
		if u.Claim == "" || !slices.Contains(auth.UserWritable, u.Claim) {
			continue
		}
		check.Warn(c, id, fmt.Sprintf("%s reads the claim %q, which users can write about themselves: the app client lets them "+
			"change it with their own access token (Cognito UpdateUserAttributes), so it proves nothing about the caller. "+
			"Use \"sub\" or \"cognito:groups\" (an administrator sets groups), or give the app client WriteAttributes without %q",
			u.Property, u.Claim, u.Claim))
	}
}

// IdentityClaimUses lists the claims a participant or chat token endpoint
// reads: its capability grants' claims, the user ID claim and the claim
// attributes' claims (in attribute order).
func IdentityClaimUses(grants []wire.Grant, userIDClaim string, claimAttributes map[string]string) []ClaimUse {
	var uses []ClaimUse
	for i, g := range grants {
		uses = append(uses, ClaimUse{fmt.Sprintf("CapabilityGrants[%d]", i), g.Claim})
	}
	uses = append(uses, ClaimUse{"UserIDClaim", userIDClaim})
	for _, attr := range slices.Sorted(maps.Keys(claimAttributes)) {
		uses = append(uses, ClaimUse{fmt.Sprintf("ClaimAttributes[%q]", attr), claimAttributes[attr]})
	}
	return uses
}
