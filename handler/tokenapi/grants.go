package tokenapi

import (
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/ivscdk/ivscdk/internal/wire"
)

// Grant gives the callers whose verified JSON Web Token carries a scope, or
// a claim with a value, capabilities beyond the endpoint's own (the
// construct writes them; see package internal/wire).
type Grant = wire.Grant

// CheckGrants checks grants against the valid capabilities.
func CheckGrants(grants []Grant, valid []string) error { return wire.CheckGrants(grants, valid) }

// Allowed returns the capabilities the caller may have: base and those of
// every grant the caller's verified JWT meets, in the order of valid. A
// request without a JWT authorizer context meets no grant.
func Allowed(req events.APIGatewayV2HTTPRequest, base []string, grants []Grant, valid []string) []string {
	allowed := map[string]bool{}
	for _, c := range base {
		allowed[c] = true
	}
	for _, g := range grants {
		if grantMatches(g, req) {
			for _, c := range g.Capabilities {
				allowed[c] = true
			}
		}
	}
	out := []string{}
	for _, c := range valid {
		if allowed[c] {
			out = append(out, c)
		}
	}
	return out
}

func grantMatches(g Grant, req events.APIGatewayV2HTTPRequest) bool {
	if req.RequestContext.Authorizer == nil || req.RequestContext.Authorizer.JWT == nil {
		return false
	}
	jwt := req.RequestContext.Authorizer.JWT
	if g.Scope != "" {
		if slices.Contains(jwt.Scopes, g.Scope) {
			return true
		}
		// OAuth 2.0 (RFC 8693 section 4.2): scope is a space-separated
		// string; some issuers (Okta, Microsoft) use scp.
		for _, claim := range []string{"scope", "scp"} {
			if slices.Contains(strings.Fields(strings.Trim(jwt.Claims[claim], "[]")), g.Scope) {
				return true
			}
		}
		return false
	}
	v, ok := jwt.Claims[g.Claim]
	return ok && (v == g.Value || slices.Contains(listMembers(v), g.Value))
}

// listMembers reads a list claim as API Gateway passes it on. HTTP API
// payload 2.0 carries every claim as a string, and a list claim
// (cognito:groups) as its members in brackets separated by spaces:
// "[hosts moderators]". This wire format is not in the API Gateway
// documentation; it is what API Gateway sends, as measured and reported by
// others (docs/service-rules.md cites them). Anything else is no list.
func listMembers(v string) []string {
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return nil
	}
	return strings.Fields(v[1 : len(v)-1])
}
