package ivs

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// ParticipantTokenPath is the route of a ParticipantTokenEndpoint.
const ParticipantTokenPath = "/participant-token"

// Defaults of ParticipantTokenEndpointProps.
const (
	DefaultParticipantTokenLifetime = time.Hour
	DefaultStageCacheTTL            = time.Hour
)

// ParticipantTokenMode is how a ParticipantTokenEndpoint makes tokens.
type ParticipantTokenMode string

// The modes of a ParticipantTokenEndpoint.
const (
	// ParticipantTokensFromIVS has IVS issue each token through the
	// CreateParticipantToken API (50 requests per second per account and
	// region): no key to manage. The function may call it on the served
	// stages only.
	ParticipantTokensFromIVS ParticipantTokenMode = wire.ParticipantModeCreateParticipantToken
	// ParticipantTokensSelfSigned signs each token in the function with
	// the private key of a ManagedPublicKey (or a key of your own), with
	// the stage's events and whip endpoints read by GetStage and cached.
	// No IVS call per token.
	ParticipantTokensSelfSigned ParticipantTokenMode = wire.ParticipantModeSelfSigned
)

// Participant capabilities.
const (
	CapabilityPublish   = string(ivstoken.CapabilityPublish)
	CapabilitySubscribe = string(ivstoken.CapabilitySubscribe)
)

// ParticipantTokenEndpointProps configures a ParticipantTokenEndpoint.
type ParticipantTokenEndpointProps struct {
	// Stages are the stages the endpoint hands out tokens for. Required.
	Stages []IStage
	// Mode is how tokens are made. Default: ParticipantTokensFromIVS, or
	// ParticipantTokensSelfSigned when PublicKey or PrivateKeySecret is
	// set.
	Mode ParticipantTokenMode
	// PublicKey is the managed key that signs self-signed tokens.
	PublicKey *ManagedPublicKey
	// PrivateKeySecret and PublicKeyArn are a key of your own for
	// self-signed tokens: a secret holding the private key PEM (or the
	// managed JSON form) and the ARN of the IVS public key of its public
	// half (an ivs.NewPublicKey).
	PrivateKeySecret awssecretsmanager.ISecret
	PublicKeyArn     *string
	// Authentication of callers. Default: IAMAuthentication.
	Authentication EndpointAuthentication
	// Capabilities the endpoint hands out: CapabilityPublish,
	// CapabilitySubscribe. A request may ask for a subset. Default:
	// CapabilitySubscribe only (viewers); give both for hosts. An empty,
	// non-nil list hands out nothing by itself: callers that meet no
	// CapabilityGrants are refused (403 NoCapability), never sent to IVS
	// without capabilities, which IVS reads as publish and subscribe. It
	// needs CapabilityGrants, or no one could join.
	Capabilities []string
	// CapabilityGrants give callers with a given JWT scope or claim more
	// capabilities than Capabilities, such as CapabilityPublish for the
	// "hosts" group. Needs JWTAuthentication. Default: none.
	CapabilityGrants []CapabilityGrant
	// TokenLifetime is the longest lifetime a request may ask for, and
	// the default: whole minutes, 1 minute to 14 days (IVS's bounds).
	// Default: DefaultParticipantTokenLifetime.
	TokenLifetime time.Duration
	// UserIDClaim names the JWT claim (such as "sub") that becomes each
	// token's user ID, which every participant of the stage sees. Needs
	// JWTAuthentication. Default: tokens without a user ID.
	UserIDClaim string
	// Attributes go into every token (visible to every participant; at
	// most 1 KB with ClaimAttributes' values).
	Attributes map[string]string
	// ClaimAttributes copies JWT claims into attributes: attribute name
	// to claim name. Needs JWTAuthentication.
	ClaimAttributes map[string]string
	// AllowedOrigins is the endpoint's CORS allow list. Default: no CORS.
	AllowedOrigins []string
	// KeyCacheTTL is the longest the function signs with a key after the
	// read that returned it (self-signed); see
	// PlaybackTokenEndpointProps.KeyCacheTTL. 1 second to 1 hour. Default:
	// DefaultKeyCacheTTL.
	KeyCacheTTL time.Duration
	// StageCacheTTL is how long the function keeps a stage's endpoints
	// before calling GetStage again (self-signed), 1 minute to 14 days.
	// Default: DefaultStageCacheTTL.
	StageCacheTTL time.Duration
	// ThrottlingRateLimit and ThrottlingBurstLimit throttle the endpoint.
	// Default: DefaultThrottlingRateLimit, DefaultThrottlingBurstLimit.
	ThrottlingRateLimit  float64
	ThrottlingBurstLimit int
	// Code replaces the function's code (the handler in
	// github.com/ivscdk/ivscdk/lambda/participanttoken).
	Code awslambda.Code
}

// ParticipantTokenEndpoint is an HTTPS endpoint (an API Gateway HTTP API)
// that hands out IVS real-time participant tokens for the stages it
// serves, backed by a Go Lambda function from this module. The requests
// and answers are documented in package
// github.com/ivscdk/ivscdk/handler/participanttoken.
type ParticipantTokenEndpoint struct {
	l2.Construct // first field: see l2.Construct
	api          *tokenendpoint.API
	function     awslambda.Function
}

// NewParticipantTokenEndpoint defines a participant token endpoint.
func NewParticipantTokenEndpoint(scope constructs.Construct, id string, props *ParticipantTokenEndpointProps) *ParticipantTokenEndpoint {
	if props == nil {
		props = &ParticipantTokenEndpointProps{}
	}
	e := &ParticipantTokenEndpoint{}
	path := l2.NewResource(e, &e.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	p := withParticipantDefaults(*props)
	checkParticipantOptions(&problems, &p)
	stages := servedStages(&problems, p.Stages, path.Stack())

	config := map[string]any{
		"stages":             stages,
		"authentication":     p.Authentication.Kind(),
		"mode":               string(p.Mode),
		"capabilities":       p.Capabilities,
		"maxDurationMinutes": int(p.TokenLifetime / time.Minute),
		"userIdClaim":        p.UserIDClaim,
		"attributes":         p.Attributes,
		"claimAttributes":    p.ClaimAttributes,
		"capabilityGrants": tokenendpoint.CheckGrants(&problems, p.Authentication.settings(), p.CapabilityGrants,
			[]string{CapabilityPublish, CapabilitySubscribe}),
	}
	var secret awssecretsmanager.ISecret
	if p.Mode == ParticipantTokensSelfSigned {
		switch {
		case p.PublicKey != nil && p.PrivateKeySecret != nil:
			problems.Addf("PublicKey and PrivateKeySecret are both set: give one, the key that signs the tokens")
		case p.PublicKey != nil:
			secret = p.PublicKey.Secret()
			p.PublicKey.signsFor(path.String(), p.TokenLifetime+p.KeyCacheTTL)
		case p.PrivateKeySecret != nil:
			secret = p.PrivateKeySecret
			if p.PublicKeyArn == nil {
				problems.Addf("PrivateKeySecret needs PublicKeyArn: the ARN of the IVS public key of its public half (the tokens' \"kid\")")
			}
			config["publicKeyArn"] = p.PublicKeyArn
		default:
			problems.Addf("self-signed tokens need a key: set PublicKey (an ivs.NewManagedPublicKey), or PrivateKeySecret and PublicKeyArn")
		}
		if secret != nil {
			config["secretArn"] = secret.SecretArn()
		}
		config["keyCacheTtl"] = p.KeyCacheTTL.String()
		config["stageCacheTtl"] = p.StageCacheTTL.String()
	} else if p.PublicKey != nil || p.PrivateKeySecret != nil {
		problems.Addf("Mode %s makes no use of a key: IVS signs the tokens; leave PublicKey and PrivateKeySecret out, or use ParticipantTokensSelfSigned", p.Mode)
	}

	e.function = lambdafn.New(e, &problems, p.Code, "participanttoken", "ivscdk: hands out IVS participant tokens",
		10*time.Second, map[string]*string{wire.ParticipantEnvConfig: awscdk.Stack_Of(e).ToJsonString(config, nil)})
	e.grantStageCalls(p, stages)
	if secret != nil {
		secret.GrantRead(e.function, nil)
	}
	e.api = tokenendpoint.New(e, &problems, tokenendpoint.Options{
		Description:    "IVS participant tokens (ivscdk)",
		Path:           ParticipantTokenPath,
		Function:       e.function,
		Auth:           p.Authentication.settings(),
		AllowedOrigins: p.AllowedOrigins,
		RateLimit:      p.ThrottlingRateLimit,
		BurstLimit:     p.ThrottlingBurstLimit,
		LogRetention:   FunctionLogRetention,
		WarningID:      WarningUnauthenticatedTokenEndpoint,
		Warning: "anyone can fetch participant tokens from this endpoint (NoAuthentication) and join its stages; " +
			"use IAMAuthentication or JWTAuthentication outside demos",
	})
	tokenendpoint.WarnUserWritableClaims(e, WarningUserWritableClaim, p.Authentication.settings(),
		tokenendpoint.IdentityClaimUses(p.CapabilityGrants, p.UserIDClaim, p.ClaimAttributes))
	if len(p.Capabilities) == 0 && len(p.CapabilityGrants) > 0 {
		check.Warn(e, WarningNoParticipantCapabilities, fmt.Sprintf("Capabilities is empty: callers that meet no CapabilityGrants are "+
			"refused (403 NoCapability) and get no token. Give %s, %s or both, or leave Capabilities nil for %s",
			CapabilityPublish, CapabilitySubscribe, CapabilitySubscribe))
	}
	if p.Mode == ParticipantTokensFromIVS && p.ThrottlingRateLimit > MaxCreateParticipantTokenRate {
		check.Warn(e, WarningTokenRateAboveIVSQuota, fmt.Sprintf(
			"ThrottlingRateLimit %v is above IVS's %d CreateParticipantToken calls per second per account and region (not adjustable; "+
				"IVS real-time service quotas): requests beyond it are retried, then answered 503; use ParticipantTokensSelfSigned for more",
			p.ThrottlingRateLimit, MaxCreateParticipantTokenRate))
	}
	problems.Report(e)
	return e
}

// MaxCreateParticipantTokenRate is IVS's rate of CreateParticipantToken
// calls per account and region (IVS real-time service quotas, not
// adjustable).
const MaxCreateParticipantTokenRate = 50

// WarningNoParticipantCapabilities is the ID of the synth warning for a
// participant token endpoint whose Capabilities is empty.
const WarningNoParticipantCapabilities = "ivscdk:ivs:noParticipantCapabilities"

// WarningUserWritableClaim is the ID of the synth warning for a token
// endpoint that grants capabilities on, or takes a user or viewer ID or an
// attribute from, a claim users can write about themselves (see
// EndpointAuthentication.UserWritableClaims).
const WarningUserWritableClaim = "ivscdk:ivs:userWritableClaim"

// WarningTokenRateAboveIVSQuota is the ID of the synth warning for a token
// endpoint throttled above the rate IVS allows its API call.
const WarningTokenRateAboveIVSQuota = "ivscdk:ivs:tokenRateAboveIvsQuota"

// withParticipantDefaults fills in the documented defaults.
func withParticipantDefaults(p ParticipantTokenEndpointProps) ParticipantTokenEndpointProps {
	if p.Mode == "" {
		p.Mode = ParticipantTokensFromIVS
		if p.PublicKey != nil || p.PrivateKeySecret != nil {
			p.Mode = ParticipantTokensSelfSigned
		}
	}
	if p.Capabilities == nil {
		p.Capabilities = []string{CapabilitySubscribe}
	}
	if p.TokenLifetime == 0 {
		p.TokenLifetime = DefaultParticipantTokenLifetime
	}
	if p.KeyCacheTTL == 0 {
		p.KeyCacheTTL = DefaultKeyCacheTTL
	}
	if p.StageCacheTTL == 0 {
		p.StageCacheTTL = DefaultStageCacheTTL
	}
	p.ThrottlingRateLimit, p.ThrottlingBurstLimit = tokenendpoint.WithThrottlingDefaults(p.ThrottlingRateLimit, p.ThrottlingBurstLimit)
	return p
}

// checkParticipantOptions checks the settings by IVS's rules (the IVS
// real-time API reference, CreateParticipantToken).
func checkParticipantOptions(problems *check.Problems, p *ParticipantTokenEndpointProps) {
	if p.Mode != ParticipantTokensFromIVS && p.Mode != ParticipantTokensSelfSigned {
		problems.Addf("Mode %q is invalid: use ParticipantTokensFromIVS or ParticipantTokensSelfSigned", p.Mode)
	}
	if len(p.Capabilities) == 0 && len(p.CapabilityGrants) == 0 {
		problems.Addf("Capabilities is empty and there are no CapabilityGrants: every caller would be refused; " +
			"give CapabilityPublish, CapabilitySubscribe or both, or CapabilityGrants, or leave Capabilities nil for CapabilitySubscribe")
	}
	seen := map[string]bool{}
	for _, c := range p.Capabilities {
		if c != CapabilityPublish && c != CapabilitySubscribe {
			problems.Addf("Capabilities holds %q: use CapabilityPublish or CapabilitySubscribe", c)
		} else if seen[c] {
			problems.Addf("Capabilities holds %s twice", c)
		}
		seen[c] = true
	}
	maxLifetime := time.Duration(wire.MaxParticipantDurationMinutes) * time.Minute
	if p.TokenLifetime < time.Minute || p.TokenLifetime > maxLifetime || p.TokenLifetime%time.Minute != 0 {
		problems.Addf("TokenLifetime %s is invalid: IVS participant tokens live whole minutes, 1 minute to 14 days (20,160 minutes)", p.TokenLifetime)
	}
	if p.KeyCacheTTL < time.Second || p.KeyCacheTTL > time.Hour {
		problems.Addf("KeyCacheTTL %s is invalid: use 1s to 1h", p.KeyCacheTTL)
	}
	if p.StageCacheTTL < time.Minute || p.StageCacheTTL > wire.MaxStageCacheTTL {
		problems.Addf("StageCacheTTL %s is invalid: use 1 minute to 14 days (IVS allows caching a stage's endpoints for 14 days)", p.StageCacheTTL)
	}
	tokenendpoint.CheckIdentity(problems, p.Authentication.settings(), p.UserIDClaim, p.Attributes, p.ClaimAttributes, ivstoken.MaxAttributesSize)
}

// servedStages returns the stages' ARNs for the function's configuration.
func servedStages(problems *check.Problems, stages []IStage, stack awscdk.Stack) []*string {
	arns := make([]*string, len(stages))
	for i, s := range stages {
		if s != nil {
			arns[i] = s.StageArn()
		}
	}
	return tokenendpoint.Served(problems, "Stages", arns, stack, "IVS")
}

// grantStageCalls lets the function call IVS on the served stages only:
// CreateParticipantToken, or GetStage for self-signed tokens (and
// ListPublicKeys, which takes no resource, to find a managed key's current
// public key).
func (e *ParticipantTokenEndpoint) grantStageCalls(p ParticipantTokenEndpointProps, stages []*string) {
	action := "ivs:CreateParticipantToken"
	if p.Mode == ParticipantTokensSelfSigned {
		action = "ivs:GetStage"
	}
	if len(stages) > 0 {
		e.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings(action), Resources: &stages,
		}))
	}
	if p.Mode == ParticipantTokensSelfSigned && p.PublicKey != nil {
		e.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ivs:ListPublicKeys"), Resources: jsii.Strings("*"),
		}))
		policy := e.function.Role().Node().FindChild(jsii.String("DefaultPolicy")).Node().DefaultChild().(awscdk.CfnResource)
		lambdafn.SuppressNag(policy, "AwsSolutions-IAM5",
			"ivs:ListPublicKeys takes no resource-level permission; the function lists public keys only to find the one "+
				"of its managed key's current version (the tokens' kid).", "Resource::*")
	}
}

// Url returns the endpoint's URL, route included.
func (e *ParticipantTokenEndpoint) Url() *string { return e.api.Url() }

// HttpApi returns the API Gateway HTTP API.
func (e *ParticipantTokenEndpoint) HttpApi() awsapigatewayv2.HttpApi { return e.api.HttpApi() }

// Function returns the Lambda function that makes the tokens.
func (e *ParticipantTokenEndpoint) Function() awslambda.IFunction { return e.function }

// GrantInvoke lets grantee call the endpoint (execute-api:Invoke on its
// route), for IAMAuthentication.
func (e *ParticipantTokenEndpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	return e.api.GrantInvoke(grantee)
}
