package ivsops

import (
	"fmt"
	"math"
	"slices"
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

// TimedMetadataPath is the route of a TimedMetadataEndpoint (POST).
const TimedMetadataPath = "/metadata"

// CapabilityPutMetadata lets a caller put timed metadata on the endpoint's
// channels: give it to hosts with a CapabilityGrant.
const CapabilityPutMetadata = wire.CapabilityPutMetadata

// Limits of IVS's PutMetadata (IVS API reference; not adjustable), which
// the endpoint enforces with its own answers.
const (
	// MaxMetadataBytes is the most bytes of one cue: 1 KB.
	MaxMetadataBytes = wire.MaxMetadataBytes
	// MaxMetadataPerSecondPerChannel is the most cues per second on a
	// channel.
	MaxMetadataPerSecondPerChannel = wire.MaxMetadataPerSecondPerChannel
	// MaxMetadataPerSecondPerAccount is the most PutMetadata calls per
	// second in the account and region.
	MaxMetadataPerSecondPerAccount = wire.MaxMetadataPerSecondPerAccount
)

// WarningMetadataRateAboveIVSQuota is the ID of the synth warning for a
// timed metadata endpoint throttled above the rate IVS allows PutMetadata
// per account.
const WarningMetadataRateAboveIVSQuota = "ivscdk:ivsops:metadataRateAboveIvsQuota"

// TimedMetadataEndpointProps configures a TimedMetadataEndpoint.
type TimedMetadataEndpointProps struct {
	// Channels are the channels callers put metadata on. Required.
	Channels []ivs.IChannel
	// Authentication of callers: ivs.IAMAuthentication (the default) or
	// ivs.JWTAuthentication. NoAuthentication is refused: anyone could put
	// metadata into the streams.
	Authentication ivs.EndpointAuthentication
	// Capabilities every caller has. Default: CapabilityPutMetadata with
	// IAMAuthentication (the callers are backends allowed to invoke the
	// endpoint); none with JWTAuthentication, where CapabilityGrants say
	// who may put metadata. An empty, non-nil slice is none.
	Capabilities []string
	// CapabilityGrants give CapabilityPutMetadata to callers with a JWT
	// scope or claim, such as the "hosts" group. Needs JWTAuthentication.
	CapabilityGrants []ivs.CapabilityGrant
	// AllowedOrigins is the endpoint's CORS allow list, for pages that put
	// metadata. Default: no CORS.
	AllowedOrigins []string
	// ThrottlingRateLimit and ThrottlingBurstLimit throttle the endpoint.
	// Default: MaxMetadataPerSecondPerChannel for each channel, at most
	// MaxMetadataPerSecondPerAccount, and a burst of the same.
	ThrottlingRateLimit  float64
	ThrottlingBurstLimit int
	// Code replaces the function's code (the handler in
	// github.com/ivscdk/ivscdk/lambda/timedmetadata).
	Code awslambda.Code
}

// TimedMetadataEndpoint is an HTTPS endpoint (an API Gateway HTTP API)
// through which hosts put timed metadata into the live streams of its
// channels (ivs:PutMetadata): quizzes, product cards or captions that
// players receive in step with the video (the IVS player's
// TEXT_METADATA_CUE). Its Go Lambda function may put metadata on those
// channels only, and enforces PutMetadata's limits with clear answers
// (package github.com/ivscdk/ivscdk/handler/timedmetadata documents them).
type TimedMetadataEndpoint struct {
	l2.Construct // first field: see l2.Construct
	api          *tokenendpoint.API
	function     awslambda.Function
}

// NewTimedMetadataEndpoint defines a timed metadata endpoint.
func NewTimedMetadataEndpoint(scope constructs.Construct, id string, props *TimedMetadataEndpointProps) *TimedMetadataEndpoint {
	if props == nil {
		props = &TimedMetadataEndpointProps{}
	}
	e := &TimedMetadataEndpoint{}
	path := l2.NewResource(e, &e.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	p := *props
	auth := tokenendpoint.AuthOf(p.Authentication)
	if p.Capabilities == nil {
		p.Capabilities = []string{}
		if auth.Kind == wire.AuthIAM {
			p.Capabilities = []string{CapabilityPutMetadata}
		}
	}
	for _, c := range p.Capabilities {
		if c != CapabilityPutMetadata {
			problems.Addf("Capabilities holds %q: the only capability is CapabilityPutMetadata (%q)", c, CapabilityPutMetadata)
		}
	}
	switch {
	case auth.Kind == wire.AuthNone:
		problems.Addf("Authentication is NoAuthentication: anyone could put metadata into the channels' streams; " +
			"use IAMAuthentication for backends or JWTAuthentication with CapabilityGrants for hosts")
	case !slices.Contains(p.Capabilities, CapabilityPutMetadata) && len(p.CapabilityGrants) == 0:
		problems.Addf("no caller may put metadata: give CapabilityGrants (CapabilityPutMetadata for your hosts) " +
			"or Capabilities []string{CapabilityPutMetadata} for every caller")
	}
	channels := tokenendpoint.Served(&problems, "Channels", channelArns(p.Channels), path.Stack(), "IVS")
	if p.ThrottlingRateLimit == 0 {
		p.ThrottlingRateLimit = math.Min(float64(MaxMetadataPerSecondPerChannel*max(len(channels), 1)), MaxMetadataPerSecondPerAccount)
	}
	if p.ThrottlingBurstLimit == 0 {
		p.ThrottlingBurstLimit = int(math.Ceil(p.ThrottlingRateLimit))
	}
	config := map[string]any{
		"channels":         channels,
		"authentication":   auth.Kind,
		"capabilities":     p.Capabilities,
		"capabilityGrants": tokenendpoint.CheckGrants(&problems, auth, p.CapabilityGrants, []string{CapabilityPutMetadata}),
	}
	e.function = lambdafn.New(e, &problems, p.Code, "timedmetadata", "ivscdk: puts hosts' timed metadata into live streams", 10*time.Second,
		map[string]*string{wire.MetadataEnvConfig: awscdk.Stack_Of(e).ToJsonString(config, nil)})
	if len(channels) > 0 {
		e.function.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions: jsii.Strings("ivs:PutMetadata"), Resources: &channels,
		}))
	}
	e.api = tokenendpoint.New(e, &problems, tokenendpoint.Options{
		Description:    "IVS timed metadata (ivscdk)",
		Path:           TimedMetadataPath,
		Routes:         []tokenendpoint.Route{{Path: TimedMetadataPath, Methods: []awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_POST}}},
		Function:       e.function,
		Auth:           auth,
		AllowedOrigins: p.AllowedOrigins,
		RateLimit:      p.ThrottlingRateLimit,
		BurstLimit:     p.ThrottlingBurstLimit,
		LogRetention:   lambdafn.LogRetention,
	})
	tokenendpoint.WarnUserWritableClaims(e, ivs.WarningUserWritableClaim, auth, tokenendpoint.IdentityClaimUses(p.CapabilityGrants, "", nil))
	if p.ThrottlingRateLimit > MaxMetadataPerSecondPerAccount {
		check.Warn(e, WarningMetadataRateAboveIVSQuota, fmt.Sprintf(
			"ThrottlingRateLimit %v is above IVS's %d PutMetadata calls per second per account and region (not adjustable; "+
				"IVS API reference, PutMetadata): calls beyond it are answered 429", p.ThrottlingRateLimit, MaxMetadataPerSecondPerAccount))
	}
	problems.Report(e)
	return e
}

// Url returns the endpoint's URL, route included.
func (e *TimedMetadataEndpoint) Url() *string { return e.api.Url() }

// HttpApi returns the API Gateway HTTP API.
func (e *TimedMetadataEndpoint) HttpApi() awsapigatewayv2.HttpApi { return e.api.HttpApi() }

// Function returns the Lambda function that calls ivs:PutMetadata.
func (e *TimedMetadataEndpoint) Function() awslambda.IFunction { return e.function }

// GrantInvoke lets grantee call the endpoint (execute-api:Invoke on its
// route), for IAMAuthentication.
func (e *TimedMetadataEndpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	return e.api.GrantInvoke(grantee)
}

// channelArns are the channels' ARNs, nil for a nil channel (which
// tokenendpoint.Served reports).
func channelArns(channels []ivs.IChannel) []*string {
	arns := make([]*string, len(channels))
	for i, ch := range channels {
		if ch != nil {
			arns[i] = ch.ChannelArn()
		}
	}
	return arns
}
