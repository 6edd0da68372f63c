package ivschat

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivs"
)

// ChatTokenPath is the route of a ChatTokenEndpoint.
const ChatTokenPath = "/chat-token"

// DefaultSessionDuration is a ChatTokenEndpoint's default longest session.
const DefaultSessionDuration = time.Hour

// The chat token capabilities (IVS Chat API reference, CreateChatToken).
// Viewing messages needs none.
const (
	CapabilitySendMessage    = wire.ChatCapabilitySendMessage
	CapabilityDisconnectUser = wire.ChatCapabilityDisconnectUser
	CapabilityDeleteMessage  = wire.ChatCapabilityDeleteMessage
)

// WarningUnauthenticatedTokenEndpoint is the ID of the synth warning for a
// ChatTokenEndpoint that anyone can call (ivs.NoAuthentication).
const WarningUnauthenticatedTokenEndpoint = "ivscdk:ivschat:unauthenticatedTokenEndpoint"

// ChatTokenEndpointProps configures a ChatTokenEndpoint.
type ChatTokenEndpointProps struct {
	// Rooms are the rooms the endpoint hands out tokens for. Required.
	Rooms []IRoom
	// Authentication of callers: ivs.IAMAuthentication (the default),
	// ivs.JWTAuthentication or ivs.NoAuthentication.
	Authentication ivs.EndpointAuthentication
	// Capabilities the endpoint hands out; a request may ask for a subset.
	// Default: CapabilitySendMessage. An empty, non-nil slice hands out
	// view-only tokens.
	Capabilities []string
	// CapabilityGrants give callers with a given JWT scope or claim more
	// capabilities than Capabilities, such as CapabilityDisconnectUser and
	// CapabilityDeleteMessage for the "moderators" group. Needs
	// ivs.JWTAuthentication. Default: none.
	CapabilityGrants []ivs.CapabilityGrant
	// SessionDuration is the longest chat session a request may ask for,
	// and the default: whole minutes, 1 minute to 3 hours (IVS Chat's
	// bounds). Default: DefaultSessionDuration.
	SessionDuration time.Duration
	// UserIDClaim names the JWT claim (such as "sub") that becomes each
	// token's user ID, which moderation (DisconnectUser) and the other
	// chatters see. Needs JWTAuthentication. Default: a random ID per
	// token (IVS Chat requires one).
	UserIDClaim string
	// Attributes go into every token (at most 1 KB with ClaimAttributes'
	// values).
	Attributes map[string]string
	// ClaimAttributes copies JWT claims into attributes: attribute name to
	// claim name. Needs JWTAuthentication.
	ClaimAttributes map[string]string
	// AllowedOrigins is the endpoint's CORS allow list. Default: no CORS.
	AllowedOrigins []string
	// ThrottlingRateLimit and ThrottlingBurstLimit throttle the endpoint.
	// Default: ivs.DefaultThrottlingRateLimit, ivs.DefaultThrottlingBurstLimit.
	ThrottlingRateLimit  float64
	ThrottlingBurstLimit int
	// Code replaces the function's code (the handler in
	// github.com/ivscdk/ivscdk/lambda/chattoken).
	Code awslambda.Code
}

// ChatTokenEndpoint is an HTTPS endpoint (an API Gateway HTTP API) that
// hands out IVS Chat tokens for the rooms it serves through
// ivschat:CreateChatToken, backed by a Go Lambda function from this module
// that may create tokens for those rooms only. The requests and answers are
// documented in package github.com/ivscdk/ivscdk/handler/chattoken.
type ChatTokenEndpoint struct {
	l2.Construct // first field: see l2.Construct
	api          *tokenendpoint.API
	function     awslambda.Function
}

// NewChatTokenEndpoint defines a chat token endpoint.
func NewChatTokenEndpoint(scope constructs.Construct, id string, props *ChatTokenEndpointProps) *ChatTokenEndpoint {
	if props == nil {
		props = &ChatTokenEndpointProps{}
	}
	e := &ChatTokenEndpoint{}
	path := l2.NewResource(e, &e.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	p := *props
	if p.Capabilities == nil {
		p.Capabilities = []string{CapabilitySendMessage}
	}
	if p.SessionDuration == 0 {
		p.SessionDuration = DefaultSessionDuration
	}
	p.ThrottlingRateLimit, p.ThrottlingBurstLimit = tokenendpoint.WithThrottlingDefaults(p.ThrottlingRateLimit, p.ThrottlingBurstLimit)
	checkChatTokenOptions(&problems, &p)
	arns := make([]*string, len(p.Rooms))
	for i, r := range p.Rooms {
		if r != nil {
			arns[i] = r.RoomArn()
		}
	}
	rooms := tokenendpoint.Served(&problems, "Rooms", arns, path.Stack(), "IVS Chat")
	config := map[string]any{
		"rooms":                     rooms,
		"authentication":            authSettings(p.Authentication).Kind,
		"capabilities":              p.Capabilities,
		"maxSessionDurationMinutes": int(p.SessionDuration / time.Minute),
		"userIdClaim":               p.UserIDClaim,
		"attributes":                p.Attributes,
		"claimAttributes":           p.ClaimAttributes,
		"capabilityGrants": tokenendpoint.CheckGrants(&problems, authSettings(p.Authentication), p.CapabilityGrants,
			[]string{CapabilitySendMessage, CapabilityDisconnectUser, CapabilityDeleteMessage}),
	}
	e.function = lambdafn.New(e, &problems, p.Code, "chattoken", "ivscdk: hands out IVS Chat tokens", 10*time.Second,
		map[string]*string{wire.ChatEnvConfig: awscdk.Stack_Of(e).ToJsonString(config, nil)})
	if len(rooms) > 0 {
		e.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ivschat:CreateChatToken"), Resources: &rooms,
		}))
	}
	e.api = tokenendpoint.New(e, &problems, tokenendpoint.Options{
		Description:    "IVS Chat tokens (ivscdk)",
		Path:           ChatTokenPath,
		Function:       e.function,
		Auth:           authSettings(p.Authentication),
		AllowedOrigins: p.AllowedOrigins,
		RateLimit:      p.ThrottlingRateLimit,
		BurstLimit:     p.ThrottlingBurstLimit,
		LogRetention:   lambdafn.LogRetention,
		WarningID:      WarningUnauthenticatedTokenEndpoint,
		Warning: "anyone can fetch chat tokens from this endpoint (NoAuthentication) and post to its rooms; " +
			"use IAMAuthentication or JWTAuthentication outside demos",
	})
	tokenendpoint.WarnUserWritableClaims(e, ivs.WarningUserWritableClaim, authSettings(p.Authentication),
		tokenendpoint.IdentityClaimUses(p.CapabilityGrants, p.UserIDClaim, p.ClaimAttributes))
	if p.ThrottlingRateLimit > MaxCreateChatTokenRate {
		check.Warn(e, WarningTokenRateAboveIVSChatQuota, fmt.Sprintf(
			"ThrottlingRateLimit %v is above IVS Chat's %d CreateChatToken calls per second per account and region (not adjustable; "+
				"IVS Chat service quotas): requests beyond it are answered 503", p.ThrottlingRateLimit, MaxCreateChatTokenRate))
	}
	problems.Report(e)
	return e
}

// MaxCreateChatTokenRate is IVS Chat's rate of CreateChatToken calls per
// account and region (IVS Chat service quotas, not adjustable).
const MaxCreateChatTokenRate = 200

// WarningTokenRateAboveIVSChatQuota is the ID of the synth warning for a
// chat token endpoint throttled above the rate IVS Chat allows
// CreateChatToken.
const WarningTokenRateAboveIVSChatQuota = "ivscdk:ivschat:tokenRateAboveIvsChatQuota"

// checkChatTokenOptions checks the settings by IVS Chat's rules
// (CreateChatToken: session 1 to 180 minutes, attributes at most 1 KB).
func checkChatTokenOptions(problems *check.Problems, p *ChatTokenEndpointProps) {
	seen := map[string]bool{}
	for _, c := range p.Capabilities {
		switch {
		case c != CapabilitySendMessage && c != CapabilityDisconnectUser && c != CapabilityDeleteMessage:
			problems.Addf("Capabilities holds %q: use CapabilitySendMessage, CapabilityDisconnectUser or CapabilityDeleteMessage", c)
		case seen[c]:
			problems.Addf("Capabilities holds %s twice", c)
		}
		seen[c] = true
	}
	maxSession := time.Duration(wire.MaxChatSessionDurationMinutes) * time.Minute
	if p.SessionDuration < time.Minute || p.SessionDuration > maxSession || p.SessionDuration%time.Minute != 0 {
		problems.Addf("SessionDuration %s is invalid: IVS Chat sessions last whole minutes, 1 minute to 3 hours (180 minutes)", p.SessionDuration)
	}
	tokenendpoint.CheckIdentity(problems, authSettings(p.Authentication), p.UserIDClaim, p.Attributes, p.ClaimAttributes, wire.MaxChatAttributesSize)
}

// Url returns the endpoint's URL, route included.
func (e *ChatTokenEndpoint) Url() *string { return e.api.Url() }

// HttpApi returns the API Gateway HTTP API.
func (e *ChatTokenEndpoint) HttpApi() awsapigatewayv2.HttpApi { return e.api.HttpApi() }

// Function returns the Lambda function that asks IVS Chat for the tokens.
func (e *ChatTokenEndpoint) Function() awslambda.IFunction { return e.function }

// GrantInvoke lets grantee call the endpoint (execute-api:Invoke on its
// route), for IAMAuthentication.
func (e *ChatTokenEndpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	return e.api.GrantInvoke(grantee)
}

// authSettings is the authentication as package tokenendpoint takes it.
func authSettings(a ivs.EndpointAuthentication) tokenendpoint.Auth {
	return tokenendpoint.AuthOf(a)
}
