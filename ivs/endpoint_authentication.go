package ivs

import (
	"fmt"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
)

// EndpointAuthentication is how callers of a token endpoint prove who they
// are. The zero value is AWS IAM (SigV4-signed requests).
type EndpointAuthentication struct {
	kind     string // "", "jwt" or "none"
	issuer   string
	audience []string
	scopes   []string
	// userWritable are the claims users can write about themselves (nil:
	// unknown).
	userWritable []string
	// problem says what is wrong with how it was made; the endpoint
	// reports it.
	problem string
}

// Problem says what is wrong with how the authentication was made, such
// as CognitoAuthentication without a user pool, or "". The endpoints
// report it as a synthesis error.
func (a EndpointAuthentication) Problem() string { return a.problem }

// UserWritableClaims returns the claims of the caller's token that the
// sign-in provider lets users write about themselves, as far as ivscdk
// knows: for CognitoAuthentication, the app client's write attributes (all
// of the pool's standard attributes, email among them, when the client
// names none: Cognito's default). nil when unknown (JWTAuthentication of
// another provider). The endpoints warn when a grant, a user or viewer ID
// or an attribute reads one of them.
func (a EndpointAuthentication) UserWritableClaims() []string { return slices.Clone(a.userWritable) }

// Kind returns "iam", "jwt" or "none".
func (a EndpointAuthentication) Kind() string {
	if a.kind == "" {
		return wire.AuthIAM
	}
	return a.kind
}

// Issuer returns the JWT issuer ("" unless Kind is "jwt").
func (a EndpointAuthentication) Issuer() string { return a.issuer }

// Audience returns the JWT audience (none unless Kind is "jwt").
func (a EndpointAuthentication) Audience() []string { return append([]string(nil), a.audience...) }

// Scopes returns the authorization scopes of WithScopes.
func (a EndpointAuthentication) Scopes() []string {
	if a.scopes == nil {
		return nil
	}
	return append([]string{}, a.scopes...)
}

// WithScopes makes API Gateway require, of every JWT, at least one of
// scopes in its scope or scp claim, and answer 403 Forbidden before the
// endpoint's function runs when it carries none (API Gateway developer
// guide, "Control access to HTTP APIs with JWT authorizers"). AWS
// recommends scopes to tell access tokens from ID tokens. Amazon Cognito
// names custom scopes <resource server>/<scope>. Only for
// JWTAuthentication.
func (a EndpointAuthentication) WithScopes(scopes ...string) EndpointAuthentication {
	a.scopes = append(append([]string(nil), a.scopes...), scopes...)
	if a.scopes == nil {
		a.scopes = []string{} // asked for, with none: synthesis says so
	}
	return a
}

// settings is the authentication as package tokenendpoint takes it.
func (a EndpointAuthentication) settings() tokenendpoint.Auth {
	return tokenendpoint.AuthOf(a)
}

// IAMAuthentication requires requests signed with AWS credentials allowed
// execute-api:Invoke on the endpoint (GrantInvoke). It is the default: for
// backends that fetch tokens on behalf of their viewers.
func IAMAuthentication() EndpointAuthentication { return EndpointAuthentication{} }

// JWTAuthentication requires a JSON Web Token in the Authorization header,
// issued by issuer (an https URL with OpenID Connect discovery) for one of
// audience. For Amazon Cognito the issuer is
// https://cognito-idp.<region>.amazonaws.com/<user pool ID> and the
// audience the app client ID.
func JWTAuthentication(issuer string, audience ...string) EndpointAuthentication {
	return EndpointAuthentication{kind: wire.AuthJWT, issuer: issuer, audience: audience}
}

// CognitoAuthentication is JWTAuthentication for an Amazon Cognito user
// pool: the issuer is the pool's provider URL
// (https://cognito-idp.<region>.amazonaws.com/<pool ID>) and the audience
// the app client's ID, so tokens the pool issues to that client (ID tokens,
// whose aud is the client ID) are accepted. Both may be defined in the same
// app: their values are resolved at deploy time.
func CognitoAuthentication(pool awscognito.IUserPool, client awscognito.IUserPoolClient) EndpointAuthentication {
	if pool == nil || client == nil {
		// Reported by the endpoint that takes it, with its path.
		return EndpointAuthentication{kind: wire.AuthJWT,
			problem: fmt.Sprintf("CognitoAuthentication needs a user pool and its app client (got pool %v, client %v)", pool != nil, client != nil)}
	}
	issuer := awscdk.Fn_Join(jsii.String(""), &[]*string{jsii.String("https://cognito-idp."), pool.Env().Region,
		jsii.String("."), awscdk.Aws_URL_SUFFIX(), jsii.String("/"), pool.UserPoolId()})
	a := JWTAuthentication(*issuer, *client.UserPoolClientId())
	a.userWritable = cognitoWritable(client)
	return a
}

// cognitoWritable returns the attributes client lets users write, as
// claims: its WriteAttributes, or the pool's standard attributes when it
// names none (Cognito's default). nil for an imported client, whose
// settings this app cannot see.
func cognitoWritable(client awscognito.IUserPoolClient) []string {
	cfn, ok := client.Node().DefaultChild().(awscognito.CfnUserPoolClient)
	if !ok {
		return nil
	}
	if attrs := cfn.WriteAttributes(); attrs != nil && len(*attrs) > 0 {
		var out []string
		for _, a := range *attrs {
			if a != nil {
				out = append(out, *a)
			}
		}
		return out
	}
	return slices.Clone(tokenendpoint.CognitoStandardAttributes)
}

// NoAuthentication lets anyone call the endpoint. It is meant for demos:
// every synth warns about it (WarningUnauthenticatedTokenEndpoint).
func NoAuthentication() EndpointAuthentication {
	return EndpointAuthentication{kind: wire.AuthNone}
}
