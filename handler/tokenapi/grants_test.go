package tokenapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

var chatCapabilities = []string{"SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"}

func jwtRequest(claims map[string]string, scopes ...string) events.APIGatewayV2HTTPRequest {
	var req events.APIGatewayV2HTTPRequest
	req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
	}
	return req
}

func TestAllowed(t *testing.T) {
	grants := []Grant{
		{Claim: "cognito:groups", Value: "moderators", Capabilities: []string{"DELETE_MESSAGE", "DISCONNECT_USER"}},
		{Scope: "chat/moderate", Capabilities: []string{"DELETE_MESSAGE"}},
	}
	base := []string{"SEND_MESSAGE"}
	all := []string{"SEND_MESSAGE", "DISCONNECT_USER", "DELETE_MESSAGE"}
	for _, c := range []struct {
		name string
		req  events.APIGatewayV2HTTPRequest
		want []string
	}{
		{"no JWT (IAM)", events.APIGatewayV2HTTPRequest{}, base},
		{"JWT without a match", jwtRequest(map[string]string{"sub": "u"}), base},
		{"group list as API Gateway sends it", jwtRequest(map[string]string{"cognito:groups": "[viewers moderators]"}), all},
		{"a single-member group list", jwtRequest(map[string]string{"cognito:groups": "[moderators]"}), all},
		{"a plain claim equal to the value", jwtRequest(map[string]string{"cognito:groups": "moderators"}), all},
		{"a group that only starts with the value", jwtRequest(map[string]string{"cognito:groups": "[moderators-emeritus]"}), base},
		{"a plain claim holding the value among words", jwtRequest(map[string]string{"cognito:groups": "not moderators"}), base},
		{"authorizer scopes", jwtRequest(nil, "openid", "chat/moderate"), []string{"SEND_MESSAGE", "DELETE_MESSAGE"}},
		{"scope claim, space-separated", jwtRequest(map[string]string{"scope": "openid chat/moderate"}), []string{"SEND_MESSAGE", "DELETE_MESSAGE"}},
		{"scp claim as a list", jwtRequest(map[string]string{"scp": "[openid chat/moderate]"}), []string{"SEND_MESSAGE", "DELETE_MESSAGE"}},
		{"a scope that only starts with the grant's", jwtRequest(map[string]string{"scope": "chat/moderate-lite"}), base},
		{"a scope named in another claim", jwtRequest(map[string]string{"note": "chat/moderate"}), base},
	} {
		if got := Allowed(c.req, base, grants, chatCapabilities); !slices.Equal(got, c.want) {
			t.Errorf("%s: allowed %v, want %v", c.name, got, c.want)
		}
	}
	if got := Allowed(events.APIGatewayV2HTTPRequest{}, nil, nil, chatCapabilities); got == nil || len(got) != 0 {
		t.Errorf("no capabilities: %#v, want an empty list", got)
	}
}

func TestCheckGrants(t *testing.T) {
	for _, c := range []struct {
		grant Grant
		want  string
	}{
		{Grant{Capabilities: []string{"SEND_MESSAGE"}}, "give a scope or a claim"},
		{Grant{Scope: "s", Claim: "c", Value: "v", Capabilities: []string{"SEND_MESSAGE"}}, "give a scope or a claim"},
		{Grant{Claim: "c", Capabilities: []string{"SEND_MESSAGE"}}, `claim "c" needs a value`},
		{Grant{Scope: "s"}, "grants no capability"},
		{Grant{Scope: "s", Capabilities: []string{"PUBLISH"}}, `"PUBLISH" is not one of`},
	} {
		err := CheckGrants([]Grant{c.grant}, chatCapabilities)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error with %q", c.grant, err, c.want)
		}
	}
	if err := CheckGrants([]Grant{{Scope: "s", Capabilities: []string{"DELETE_MESSAGE"}}}, chatCapabilities); err != nil {
		t.Errorf("a valid grant: %v", err)
	}
}
