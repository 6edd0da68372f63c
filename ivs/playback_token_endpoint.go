package ivs

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/cdk/cdktoken"
	"github.com/ivscdk/ivscdk/internal/cdk/check"
	"github.com/ivscdk/ivscdk/internal/cdk/l2"
	"github.com/ivscdk/ivscdk/internal/cdk/lambdafn"
	"github.com/ivscdk/ivscdk/internal/cdk/tokenendpoint"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// WarningUnauthenticatedTokenEndpoint is the ID of the synth warning for a
// PlaybackTokenEndpoint that anyone can call (NoAuthentication).
const WarningUnauthenticatedTokenEndpoint = "ivscdk:ivs:unauthenticatedTokenEndpoint"

// PlaybackTokenPath is the route of a PlaybackTokenEndpoint.
const PlaybackTokenPath = "/playback-token"

// Defaults of PlaybackTokenEndpointProps.
const (
	DefaultTokenLifetime        = 5 * time.Minute
	DefaultKeyCacheTTL          = 5 * time.Minute
	DefaultThrottlingRateLimit  = tokenendpoint.DefaultRateLimit
	DefaultThrottlingBurstLimit = tokenendpoint.DefaultBurstLimit
)

// MaximumResolution caps the resolution a playback token allows.
type MaximumResolution string

// The resolutions of the aws:maximum-resolution claim.
const (
	MaximumResolutionSD     MaximumResolution = "SD"
	MaximumResolutionHD     MaximumResolution = "HD"
	MaximumResolutionFullHD MaximumResolution = "FULL_HD"
)

// PlaybackTokenEndpointProps configures a PlaybackTokenEndpoint.
type PlaybackTokenEndpointProps struct {
	// Channels are the authorized channels the endpoint hands out tokens
	// for. Required. A channel imported by ARN needs its playback URL:
	// import it with ChannelFromChannelAttributes.
	Channels []IChannel
	// KeyPair is the managed key pair whose key signs the tokens. Exactly
	// one of KeyPair and PrivateKeySecret is required.
	KeyPair *ManagedPlaybackKeyPair
	// PrivateKeySecret is a secret of your own holding the private key of
	// a playback key pair, as a PEM (what `ivscdk keygen` writes) or in the
	// managed JSON form.
	PrivateKeySecret awssecretsmanager.ISecret
	// Authentication of callers. Default: IAMAuthentication.
	Authentication EndpointAuthentication
	// TokenLifetime is how long a token can start playback: whole seconds,
	// at most 10 minutes with ViewerIDClaim or SingleUse (IVS's rule).
	// Default: DefaultTokenLifetime.
	TokenLifetime time.Duration
	// ViewerIDClaim names the JWT claim (such as "sub") that becomes each
	// token's viewer ID, so that ChannelGrants' GrantRevokeViewerSessions
	// can cut that viewer off. Needs JWTAuthentication. Default: none.
	ViewerIDClaim string
	// RecordViewers keeps a viewer log: a DynamoDB table (Viewers) with
	// one entry per channel and viewer ID, written before each token is
	// returned (a token whose viewer cannot be recorded is refused, 503),
	// and each token carries a session version of its issue time. This is
	// what lets ivsops.VideoModeration revoke every viewer's session on a
	// hit (RevokeViewersOf): IVS revokes one viewer ID at a time and keeps
	// no list of who watches (package
	// github.com/ivscdk/ivscdk/handler/viewerlog). Needs ViewerIDClaim.
	// The table is deleted with the stack: its entries live a day or so.
	// Default: false.
	RecordViewers bool
	// ViewerRetention is how long a viewer's entry outlives their latest
	// token: a viewer session lasts past the token that started it, so
	// give the longest a viewer watches without asking for a new token.
	// Whole seconds, at least TokenLifetime, at most 30 days. Default:
	// DefaultViewerRetention.
	ViewerRetention time.Duration
	// SingleUse makes every token single-use (a fresh UUID each).
	SingleUse bool
	// AllowedOrigins restricts playback to pages of these origins
	// ("https://watch.example.com", "https://*.example.com"), and is the
	// endpoint's CORS allow list. Default: any origin, no CORS.
	AllowedOrigins []string
	// StrictOriginEnforcement applies AllowedOrigins to every playback
	// request, not only the first (at most 5 origins then).
	StrictOriginEnforcement bool
	// MaximumResolution caps the resolution viewers get. Default: none.
	MaximumResolution MaximumResolution
	// AdsPlaybackConfigurationName picks, for every token, which
	// MediaTailor playback configuration of the channel's ad configuration
	// serves the viewer's ads (aws:ads-playback-config-name). Default: IVS
	// picks.
	AdsPlaybackConfigurationName string
	// AdsReportingMode is who reports ad views for every token: "CLIENT"
	// or "SERVER" (aws:ads-reporting-mode). Default: IVS's, SERVER.
	AdsReportingMode string
	// AdsOptOutClaim names a JWT claim whose value "true" keeps ads from
	// the viewer (aws:ads-opt-out), for subscribers say. Needs
	// JWTAuthentication.
	AdsOptOutClaim string
	// AdsPlayerParamsClaims passes JWT claims to the ad decision server as
	// player parameters (aws:ads-player-params): parameter name to claim
	// name, at most 1000 bytes in all at run time. Needs JWTAuthentication.
	AdsPlayerParamsClaims map[string]string
	// KeyCacheTTL is the longest the function signs with a key after the
	// read that returned it: it reads the secret again after half of it
	// (so a rotated key signs within KeyCacheTTL/2), and once the secret
	// cannot be read (deleted, KMS key disabled, access revoked) it stops
	// signing and answers 503 at most KeyCacheTTL after the last good
	// read. 1 second to 1 hour. Default: DefaultKeyCacheTTL.
	KeyCacheTTL time.Duration
	// ThrottlingRateLimit is the steady requests per second the endpoint
	// accepts. Default: DefaultThrottlingRateLimit.
	ThrottlingRateLimit float64
	// ThrottlingBurstLimit is the burst of requests it accepts. Default:
	// DefaultThrottlingBurstLimit.
	ThrottlingBurstLimit int
	// Code replaces the function's code (the handler in
	// github.com/ivscdk/ivscdk/lambda/playbacktoken, built with golambda by
	// default). It must run on provided.al2023, arm64, as "bootstrap".
	Code awslambda.Code
}

// PlaybackTokenEndpoint is an HTTPS endpoint (an API Gateway HTTP API)
// that returns signed playback URLs for the authorized channels it serves,
// backed by a Go Lambda function from this module that reads the private
// key from Secrets Manager, caches it and picks up rotations. The requests
// and answers are documented in package
// github.com/ivscdk/ivscdk/handler/playbacktoken.
type PlaybackTokenEndpoint struct {
	l2.Construct // first field: see l2.Construct
	api          *tokenendpoint.API
	function     awslambda.Function
	viewers      awsdynamodb.Table // nil without RecordViewers
}

// DefaultViewerRetention is PlaybackTokenEndpointProps.ViewerRetention's
// default: a day.
const DefaultViewerRetention = 24 * time.Hour

// playbackURLer is a channel that knows its playback URL.
type playbackURLer interface {
	ChannelPlaybackUrl() *string
}

// NewPlaybackTokenEndpoint defines a playback token endpoint.
func NewPlaybackTokenEndpoint(scope constructs.Construct, id string, props *PlaybackTokenEndpointProps) *PlaybackTokenEndpoint {
	if props == nil {
		props = &PlaybackTokenEndpointProps{}
	}
	e := &PlaybackTokenEndpoint{}
	path := l2.NewResource(e, &e.Construct, scope, id, &awscdk.ResourceProps{})
	var problems check.Problems
	p := withTokenDefaults(*props)
	checkTokenOptions(&problems, &p)
	var keyStack awscdk.Stack // a managed key pair lives in this stack's environment
	if p.KeyPair != nil {
		keyStack = path.Stack()
	}
	channels := servedChannels(&problems, p.Channels, keyStack)

	secretArn := jsii.String("")
	switch {
	case p.KeyPair != nil && p.PrivateKeySecret != nil:
		problems.Addf("KeyPair and PrivateKeySecret are both set: give one, the key that signs the tokens")
	case p.KeyPair != nil:
		secretArn = p.KeyPair.Secret().SecretArn()
		p.KeyPair.signsFor(path.String(), p.TokenLifetime+p.KeyCacheTTL)
	case p.PrivateKeySecret != nil:
		secretArn = p.PrivateKeySecret.SecretArn()
	default:
		problems.Addf("no signing key: set KeyPair (an ivs.NewManagedPlaybackKeyPair) or PrivateKeySecret (a secret holding the private key PEM)")
	}

	config := map[string]any{
		"channels":                channels,
		"authentication":          p.Authentication.Kind(),
		"secretArn":               secretArn,
		"tokenLifetime":           p.TokenLifetime.String(),
		"keyCacheTtl":             p.KeyCacheTTL.String(),
		"viewerIdClaim":           p.ViewerIDClaim,
		"singleUse":               p.SingleUse,
		"allowedOrigins":          p.AllowedOrigins,
		"strictOriginEnforcement": p.StrictOriginEnforcement,
		"maximumResolution":       string(p.MaximumResolution),
	}
	for key, value := range map[string]string{"adsPlaybackConfigName": p.AdsPlaybackConfigurationName,
		"adsReportingMode": p.AdsReportingMode, "adsOptOutClaim": p.AdsOptOutClaim} {
		if value != "" {
			config[key] = value
		}
	}
	if len(p.AdsPlayerParamsClaims) > 0 {
		config["adsPlayerParamsClaims"] = p.AdsPlayerParamsClaims
	}
	if p.ViewerRetention != 0 && !p.RecordViewers {
		problems.Addf("ViewerRetention %s without RecordViewers: there is no viewer log to keep; set RecordViewers, or leave ViewerRetention out", p.ViewerRetention)
	}
	if p.RecordViewers {
		e.viewers = newViewerLog(e, &problems, &p)
		config["viewerTable"] = e.viewers.TableName()
		config["viewerRetention"] = p.ViewerRetention.String()
	}
	e.function = lambdafn.New(e, &problems, p.Code, "playbacktoken", "ivscdk: signs IVS playback tokens",
		10*time.Second,
		map[string]*string{wire.PlaybackEnvConfig: awscdk.Stack_Of(e).ToJsonString(config, nil)})
	if e.viewers != nil {
		e.viewers.Grant(e.function, jsii.String("dynamodb:PutItem"))
	}
	switch {
	case p.KeyPair != nil:
		p.KeyPair.GrantReadPrivateKey(e.function)
	case p.PrivateKeySecret != nil:
		p.PrivateKeySecret.GrantRead(e.function, nil)
	}

	e.api = tokenendpoint.New(e, &problems, tokenendpoint.Options{
		Description:    "IVS playback tokens (ivscdk)",
		Path:           PlaybackTokenPath,
		Function:       e.function,
		Auth:           p.Authentication.settings(),
		AllowedOrigins: p.AllowedOrigins,
		RateLimit:      p.ThrottlingRateLimit,
		BurstLimit:     p.ThrottlingBurstLimit,
		LogRetention:   FunctionLogRetention,
		WarningID:      WarningUnauthenticatedTokenEndpoint,
		Warning: "anyone can fetch playback tokens from this endpoint (NoAuthentication), which makes the channels public in effect; " +
			"use IAMAuthentication or JWTAuthentication outside demos",
	})
	problems.Report(e)
	uses := []tokenendpoint.ClaimUse{{Property: "ViewerIDClaim", Claim: p.ViewerIDClaim}, {Property: "AdsOptOutClaim", Claim: p.AdsOptOutClaim}}
	for _, param := range slices.Sorted(maps.Keys(p.AdsPlayerParamsClaims)) {
		uses = append(uses, tokenendpoint.ClaimUse{Property: fmt.Sprintf("AdsPlayerParamsClaims[%q]", param), Claim: p.AdsPlayerParamsClaims[param]})
	}
	tokenendpoint.WarnUserWritableClaims(e, WarningUserWritableClaim, p.Authentication.settings(), uses)
	if p.StrictOriginEnforcement && len(p.AllowedOrigins) == 0 {
		check.Warn(e, WarningStrictOriginWithoutOrigins, "StrictOriginEnforcement without AllowedOrigins has nothing to enforce: "+
			"the tokens carry strict-origin-enforcement with no access-control-allow-origin (IVS user guide, \"Generate and Sign "+
			"IVS Playback Tokens\"). Name the origins, or leave strict enforcement off")
	}
	return e
}

// newViewerLog defines the endpoint's viewer log (RecordViewers).
func newViewerLog(e *PlaybackTokenEndpoint, problems *check.Problems, p *PlaybackTokenEndpointProps) awsdynamodb.Table {
	if p.ViewerRetention == 0 {
		p.ViewerRetention = DefaultViewerRetention
	}
	if p.ViewerIDClaim == "" {
		problems.Addf("RecordViewers needs ViewerIDClaim: the log keeps the viewer IDs the tokens carry")
	}
	if p.ViewerRetention%time.Second != 0 || p.ViewerRetention < p.TokenLifetime || p.ViewerRetention > 30*24*time.Hour {
		problems.Addf("ViewerRetention %s is invalid: give whole seconds, at least the TokenLifetime (%s), at most 720h (30 days)", p.ViewerRetention, p.TokenLifetime)
	}
	return awsdynamodb.NewTable(e, jsii.String("Viewers"), &awsdynamodb.TableProps{
		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String(wire.ViewerAttrChannel), Type: awsdynamodb.AttributeType_STRING},
		SortKey:             &awsdynamodb.Attribute{Name: jsii.String(wire.ViewerAttrViewer), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: jsii.String(wire.ViewerAttrExpiresAt),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true)},
		// Entries live a day or so: nothing to keep when the stack goes.
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
}

// withTokenDefaults fills in the documented defaults.
func withTokenDefaults(p PlaybackTokenEndpointProps) PlaybackTokenEndpointProps {
	if p.TokenLifetime == 0 {
		p.TokenLifetime = DefaultTokenLifetime
	}
	if p.KeyCacheTTL == 0 {
		p.KeyCacheTTL = DefaultKeyCacheTTL
	}
	p.ThrottlingRateLimit, p.ThrottlingBurstLimit = tokenendpoint.WithThrottlingDefaults(p.ThrottlingRateLimit, p.ThrottlingBurstLimit)
	return p
}

// checkTokenOptions checks the token settings by IVS's rules, then signs a
// probe token with them, so that whatever ivstoken would refuse at run
// time fails synthesis instead.
func checkTokenOptions(problems *check.Problems, p *PlaybackTokenEndpointProps) {
	before := len(problems.Messages())
	short := p.ViewerIDClaim != "" || p.SingleUse
	switch {
	case p.TokenLifetime < time.Second || p.TokenLifetime%time.Second != 0:
		problems.Addf("TokenLifetime %s is invalid: use whole seconds, at least 1s", p.TokenLifetime)
	case short && p.TokenLifetime > ivstoken.MaxShortLivedTokenLifetime:
		problems.Addf("TokenLifetime %s is too long: with ViewerIDClaim or SingleUse, IVS accepts tokens that live at most %s "+
			"(IVS user guide, \"Generate and Sign IVS Playback Tokens\")", p.TokenLifetime, ivstoken.MaxShortLivedTokenLifetime)
	}
	if p.KeyCacheTTL < time.Second || p.KeyCacheTTL > time.Hour {
		problems.Addf("KeyCacheTTL %s is invalid: use 1s to 1h", p.KeyCacheTTL)
	}
	if p.ViewerIDClaim != "" && p.Authentication.kind != wire.AuthJWT {
		problems.Addf("ViewerIDClaim %q needs JWTAuthentication: the viewer ID comes from the caller's verified JSON Web Token", p.ViewerIDClaim)
	}
	if p.StrictOriginEnforcement && len(p.AllowedOrigins) > ivstoken.MaxStrictOrigins {
		problems.Addf("AllowedOrigins has %d origins: with StrictOriginEnforcement IVS takes at most %d", len(p.AllowedOrigins), ivstoken.MaxStrictOrigins)
	}
	if (p.AdsOptOutClaim != "" || len(p.AdsPlayerParamsClaims) > 0) && p.Authentication.kind != wire.AuthJWT {
		problems.Addf("AdsOptOutClaim and AdsPlayerParamsClaims need JWTAuthentication: the values come from the caller's verified JSON Web Token")
	}
	switch p.AdsReportingMode {
	case "", ivstoken.AdsReportingModeClient, ivstoken.AdsReportingModeServer:
	default:
		problems.Addf("AdsReportingMode %q is invalid: use %q or %q (IVS user guide, \"Server-Side Ad Insertion (SSAI)\")",
			p.AdsReportingMode, ivstoken.AdsReportingModeClient, ivstoken.AdsReportingModeServer)
	}
	switch p.MaximumResolution {
	case "", MaximumResolutionSD, MaximumResolutionHD, MaximumResolutionFullHD:
	default:
		problems.Addf("MaximumResolution %q is invalid: use MaximumResolutionSD, MaximumResolutionHD or MaximumResolutionFullHD", p.MaximumResolution)
	}
	if len(problems.Messages()) > before {
		return
	}
	key, err := ivstoken.GenerateKey()
	if err != nil {
		return
	}
	// The probe signs at a fixed time: only the lifetime matters here.
	probeTime := time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
	signer, _ := ivstoken.NewPlaybackSigner(key, ivstoken.WithClock(func() time.Time { return probeTime }))
	// Origins known only at deploy time (a CloudFront distribution's URL)
	// stand in as a literal origin; the function checks them at run time.
	origins := make([]string, len(p.AllowedOrigins))
	for i, o := range p.AllowedOrigins {
		origins[i] = o
		if cdktoken.IsUnresolved(o) {
			origins[i] = "https://deploy-time.example"
		}
	}
	probe := ivstoken.PlaybackClaims{
		ChannelArn:               "arn:aws:ivs:us-west-2:123456789012:channel/probe",
		AccessControlAllowOrigin: strings.Join(origins, ","),
		StrictOriginEnforcement:  p.StrictOriginEnforcement,
		MaximumResolution:        string(p.MaximumResolution),
		ExpiresAt:                probeTime.Add(p.TokenLifetime),
		AdsPlaybackConfigName:    p.AdsPlaybackConfigurationName,
		AdsReportingMode:         p.AdsReportingMode,
	}
	if p.SingleUse {
		probe.SingleUseUUID = ivstoken.NewUUID()
	}
	if p.ViewerIDClaim != "" {
		probe.ViewerID = "probe"
	}
	if _, err := signer.Sign(probe); err != nil {
		problems.Addf("the token settings are invalid: %v", err)
	}
}

// servedChannels returns the channels' ARNs and playback URLs for the
// function's configuration. With keyStack (a managed key pair's stack),
// channels must be in its account and region: IVS verifies tokens with the
// key pairs of the channel's own region.
func servedChannels(problems *check.Problems, channels []IChannel, keyStack awscdk.Stack) []map[string]*string {
	if len(channels) == 0 {
		problems.Addf("Channels is empty: name the authorized channels this endpoint hands out tokens for")
	}
	out := make([]map[string]*string, 0, len(channels))
	seen := map[string]bool{}
	for i, c := range channels {
		if c == nil {
			problems.Addf("Channels[%d] is nil", i)
			continue
		}
		arn := c.ChannelArn()
		if a := *arn; !cdktoken.IsUnresolved(a) {
			if seen[a] {
				problems.Addf("Channels names %s twice", a)
			}
			seen[a] = true
			l2.SameEnvironment(problems, fmt.Sprintf("Channels[%d]", i), a,
				"the managed key pair is imported in this stack's region and account, and IVS verifies a channel's tokens with the key pairs of the channel's own; "+
					"define a key pair and endpoint in the channel's environment", keyStack)
		}
		if ch, ok := c.(*Channel); ok && !ch.authorized {
			problems.Addf("Channels[%d] (%s) is not authorized: its viewers need no token. Set Authorized: true on the channel, or leave it out",
				i, ch.path.String())
		}
		var playbackURL *string
		if u, ok := c.(playbackURLer); ok {
			playbackURL = u.ChannelPlaybackUrl()
		}
		if playbackURL == nil {
			problems.Addf("Channels[%d] was imported without its playback URL: import it with ivs.ChannelFromChannelAttributes", i)
			playbackURL = jsii.String("")
		}
		out = append(out, map[string]*string{"arn": arn, "playbackUrl": playbackURL})
	}
	return out
}

// Url returns the endpoint's URL, route included.
func (e *PlaybackTokenEndpoint) Url() *string { return e.api.Url() }

// HttpApi returns the API Gateway HTTP API.
func (e *PlaybackTokenEndpoint) HttpApi() awsapigatewayv2.HttpApi { return e.api.HttpApi() }

// GrantInvoke lets grantee call the endpoint (execute-api:Invoke on its
// route), for IAMAuthentication.
func (e *PlaybackTokenEndpoint) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	return e.api.GrantInvoke(grantee)
}

// Viewers returns the viewer log (RecordViewers), or nil.
func (e *PlaybackTokenEndpoint) Viewers() awsdynamodb.ITable {
	if e.viewers == nil {
		return nil
	}
	return e.viewers
}

// Function returns the Lambda function that signs the tokens.
func (e *PlaybackTokenEndpoint) Function() awslambda.IFunction { return e.function }
