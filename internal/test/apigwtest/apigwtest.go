// Package apigwtest builds API Gateway HTTP API (payload 2.0) requests and
// reads the token endpoints' answers, for the handlers' tests.
package apigwtest

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
)

// Get is a GET request with query string parameters.
func Get(query map[string]string) events.APIGatewayV2HTTPRequest {
	r := events.APIGatewayV2HTTPRequest{QueryStringParameters: query}
	r.RequestContext.HTTP.Method = http.MethodGet
	return r
}

// Post is a POST request with a body.
func Post(body string) events.APIGatewayV2HTTPRequest {
	r := events.APIGatewayV2HTTPRequest{Body: body}
	r.RequestContext.HTTP.Method = http.MethodPost
	return r
}

// Route is a body-less request of method to path with query, as a route
// of an HTTP API with several routes passes it on, from a caller whose
// verified JWT holds sub and, unless groups is "", cognito:groups (as API
// Gateway writes a list: "[a b]").
func Route(method, path string, query map[string]string, sub, groups string) events.APIGatewayV2HTTPRequest {
	r := events.APIGatewayV2HTTPRequest{RawPath: path, QueryStringParameters: query, RouteKey: method + " " + path}
	r.RequestContext.HTTP.Method, r.RequestContext.HTTP.Path = method, path
	claims := map[string]string{"sub": sub}
	if groups != "" {
		claims["cognito:groups"] = groups
	}
	return WithClaims(r, claims)
}

// WithClaims is r as API Gateway's JWT authorizer passes it on, with the
// verified claims.
func WithClaims(r events.APIGatewayV2HTTPRequest, claims map[string]string) events.APIGatewayV2HTTPRequest {
	r.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
	}
	return r
}

// WithIAM is r as API Gateway passes it on after IAM authorization of a
// caller (an IAM role's session).
func WithIAM(r events.APIGatewayV2HTTPRequest, userArn string) events.APIGatewayV2HTTPRequest {
	r.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{
			AccountID: "123456789012", CallerID: "AROAEXAMPLE:caller", UserARN: userArn, UserID: "AROAEXAMPLE:caller"},
	}
	return r
}

// CheckAuthorization checks that a token endpoint answers only requests
// API Gateway authorized as its configuration says: handlerFor(kind) is
// the endpoint configured with authentication kind (tokenapi.AuthIAM,
// AuthJWT, AuthNone), base a request it grants once authorized, claims
// the JWT claims it needs.
func CheckAuthorization(t *testing.T, handlerFor func(kind string) Handler, base events.APIGatewayV2HTTPRequest, claims map[string]string) {
	t.Helper()
	iam := WithIAM(base, "arn:aws:sts::123456789012:assumed-role/backend/caller")
	jwt := WithClaims(base, claims)
	for _, c := range []struct {
		kind       string
		req        events.APIGatewayV2HTTPRequest
		authorized bool
		what       string
	}{
		{tokenapi.AuthIAM, iam, true, "an IAM-authorized request"},
		{tokenapi.AuthIAM, jwt, false, "a request with JWT claims"},
		{tokenapi.AuthIAM, base, false, "a request without authorization"},
		{tokenapi.AuthJWT, jwt, true, "a request with verified claims"},
		{tokenapi.AuthJWT, iam, false, "an IAM-authorized request"},
		{tokenapi.AuthJWT, WithClaims(base, map[string]string{}), false, "a JWT context without claims"},
		{tokenapi.AuthJWT, base, false, "a request without authorization"},
		{tokenapi.AuthNone, base, true, "a request without authorization"},
	} {
		status, _, e := Call[json.RawMessage](t, handlerFor(c.kind), c.req)
		switch {
		case c.authorized && status != http.StatusOK:
			t.Errorf("%s endpoint, %s: %d %+v, want 200", c.kind, c.what, status, e)
		case !c.authorized && (status != http.StatusForbidden || e.Code != "NotAuthorizedByAPIGateway"):
			t.Errorf("%s endpoint, %s: %d %+v, want 403 NotAuthorizedByAPIGateway", c.kind, c.what, status, e)
		}
	}
}

// Handler is a token endpoint's Handle method.
type Handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Call sends req to handle and returns the status with the answer decoded
// as T (on 200) or as the error body, failing the test when the handler
// returns an error (Lambda would answer 502), the headers are not JSON and
// no-store, or the body is not what the status says.
func Call[T any](t testing.TB, handle Handler, req events.APIGatewayV2HTTPRequest) (int, T, tokenapi.Error) {
	t.Helper()
	var ok T
	res, err := handle(context.Background(), req)
	if err != nil {
		t.Fatalf("Handle returned an error (Lambda would answer 502): %v", err)
	}
	if res.Headers["Content-Type"] != "application/json" || res.Headers["Cache-Control"] != "no-store" {
		t.Errorf("headers %v", res.Headers)
	}
	var failed struct{ Error tokenapi.Error }
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(res.Body), &ok); err != nil {
			t.Fatalf("answer %s: %v", res.Body, err)
		}
	} else if err := json.Unmarshal([]byte(res.Body), &failed); err != nil || failed.Error.Code == "" {
		t.Fatalf("error answer %s is not {\"error\": {...}}", res.Body)
	}
	return res.StatusCode, ok, failed.Error
}
