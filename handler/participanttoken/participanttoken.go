// Package participanttoken is the runtime half of
// ivs.ParticipantTokenEndpoint: an HTTP handler (API Gateway HTTP API,
// payload format 2.0) that hands out IVS real-time participant tokens for
// the stages it serves, in one of two modes:
//
//   - ModeCreateParticipantToken: IVS issues the token (the
//     CreateParticipantToken API, 50 TPS per account and region); no key
//     to manage.
//   - ModeSelfSigned: the function signs the token with a private key read
//     from Secrets Manager (an ivs.ManagedPublicKey, or a PEM of your own
//     with its IVS public key's ARN). The token carries the stage's
//     events_url and whip_url, which the IVS real-time user guide makes
//     mandatory; they are read with GetStage (5 TPS) and cached per stage
//     (the API reference allows caching them for up to 14 days).
//
// # Request
//
//	GET  /participant-token?stage=<ARN or ID>&capabilities=PUBLISH,SUBSCRIBE&durationMinutes=60
//	POST /participant-token  {"stage": "...", "capabilities": ["SUBSCRIBE"], "durationMinutes": 60}
//
// Every field is optional: stage when the endpoint serves one stage,
// capabilities (a subset of those the endpoint allows; default all of
// them), durationMinutes (1 to the endpoint's maximum; default the
// maximum). The user ID and attributes never come from the request: the
// user ID is the caller's verified JWT claim the endpoint names, the
// attributes are the endpoint's own plus the claims it maps.
//
// # Response
//
// 200, with Cache-Control: no-store:
//
//	{"stageArn": "...", "participantId": "...", "token": "...", "userId": "...",
//	 "capabilities": ["PUBLISH", "SUBSCRIBE"], "expiresAt": "2026-11-25T13:00:00Z"}
//
// Errors are JSON ({"error": {"code", "message"}}):
//
//	400 MalformedRequest      body not JSON, unknown field, no stage where one is needed
//	400 InvalidStage          stage is neither a stage ARN nor a stage ID
//	400 InvalidCapability     a capability other than PUBLISH and SUBSCRIBE
//	400 InvalidDuration       durationMinutes outside 1 to the endpoint's maximum
//	403 CapabilityNotAllowed  a capability the endpoint does not grant this caller
//	403 NoCapability          the endpoint grants this caller no capability at all
//	403 MissingUserId         the user ID claim is absent or longer than 128 characters
//	403 AttributesTooLarge    the attributes (with the mapped claims) exceed 1 KB
//	403 NotAuthorizedByAPIGateway  API Gateway did not authorize the request as configured (authentication)
//	404 StageNotServed        a well-formed stage this endpoint does not serve
//	405 MethodNotAllowed      neither GET nor POST
//	503 KeyUnavailable        (self-signed) the signing key cannot be read
//	503 StageUnavailable      (self-signed) the stage's endpoints cannot be read
//	503 IVSUnavailable        (CreateParticipantToken) IVS refused or failed
//
// The package never imports the CDK.
package participanttoken

import (
	"fmt"
	"slices"
	"time"

	"github.com/ivscdk/ivscdk/handler/tokenapi"
	"github.com/ivscdk/ivscdk/internal/wire"
	"github.com/ivscdk/ivscdk/ivstoken"
)

// Modes of Config.Mode.
const (
	ModeCreateParticipantToken = wire.ParticipantModeCreateParticipantToken
	ModeSelfSigned             = wire.ParticipantModeSelfSigned
)

// EnvConfig is the environment variable holding the Config as JSON.
const EnvConfig = wire.ParticipantEnvConfig

// MaxDurationMinutes is IVS's longest participant token: 14 days
// (CreateParticipantToken's duration, 1 to 20,160 minutes).
const MaxDurationMinutes = wire.MaxParticipantDurationMinutes

// MaxStageCacheTTL is how long IVS allows a stage's endpoints to be cached
// (the StageEndpoints shape of the IVS real-time API reference).
const MaxStageCacheTTL = wire.MaxStageCacheTTL

// Config is the endpoint's configuration, as the construct writes it.
type Config struct {
	// Authentication is how API Gateway authorizes the routes
	// (tokenapi.AuthIAM, AuthJWT or AuthNone); requests it did not
	// authorize so are refused. "" checks nothing.
	Authentication string `json:"authentication,omitempty"`
	// Stages are the ARNs of the stages served. At least one.
	Stages []string `json:"stages"`
	// Mode is ModeCreateParticipantToken or ModeSelfSigned.
	Mode string `json:"mode"`
	// Capabilities are those the endpoint hands out ("PUBLISH",
	// "SUBSCRIBE"); a request asks for a subset, by default all.
	Capabilities []string `json:"capabilities"`
	// CapabilityGrants give callers with a JWT scope or claim more
	// capabilities than Capabilities (PUBLISH for hosts, say).
	CapabilityGrants []tokenapi.Grant `json:"capabilityGrants,omitempty"`
	// MaxDurationMinutes is the longest token lifetime a request may ask
	// for, and the default.
	MaxDurationMinutes int `json:"maxDurationMinutes"`
	// UserIDClaim names the JWT claim that becomes the token's user ID;
	// "" for tokens without one.
	UserIDClaim string `json:"userIdClaim,omitempty"`
	// Attributes go into every token.
	Attributes map[string]string `json:"attributes,omitempty"`
	// ClaimAttributes maps attribute names to JWT claims copied into
	// them (a missing claim leaves the attribute out).
	ClaimAttributes map[string]string `json:"claimAttributes,omitempty"`
	// SecretArn names the secret holding the private key (self-signed).
	SecretArn string `json:"secretArn,omitempty"`
	// PublicKeyArn is the ARN of the IVS public key whose private half the
	// secret holds (self-signed, a key of your own); "" for a managed key,
	// whose current public key is found by its tags.
	PublicKeyArn string `json:"publicKeyArn,omitempty"`
	// KeyCacheTTL is how long the key is used before the secret is read
	// again (self-signed).
	KeyCacheTTL tokenapi.Duration `json:"keyCacheTtl,omitempty"`
	// StageCacheTTL is how long a stage's endpoints are used before
	// GetStage is called again (self-signed).
	StageCacheTTL tokenapi.Duration `json:"stageCacheTtl,omitempty"`
}

// ParseConfig reads and checks a Config.
func ParseConfig(data string) (*Config, error) {
	return tokenapi.ParseConfig(EnvConfig, data, func(c *Config) error {
		if err := c.check(); err != nil {
			return err
		}
		return tokenapi.CheckAuthentication(c.Authentication)
	})
}

func (c *Config) check() error {
	switch {
	case len(c.Stages) == 0:
		return fmt.Errorf("no stage")
	case c.Mode != ModeCreateParticipantToken && c.Mode != ModeSelfSigned:
		return fmt.Errorf("mode %q is neither %q nor %q", c.Mode, ModeCreateParticipantToken, ModeSelfSigned)
	case c.MaxDurationMinutes < 1 || c.MaxDurationMinutes > MaxDurationMinutes:
		return fmt.Errorf("maxDurationMinutes %d is not 1 to %d", c.MaxDurationMinutes, MaxDurationMinutes)
	case c.Mode == ModeSelfSigned && c.SecretArn == "":
		return fmt.Errorf("self-signed tokens need secretArn")
	case c.Mode == ModeSelfSigned && (c.KeyCacheTTL <= 0 || c.StageCacheTTL <= 0 || time.Duration(c.StageCacheTTL) > MaxStageCacheTTL):
		return fmt.Errorf("self-signed tokens need a positive keyCacheTtl and a stageCacheTtl of at most %s", MaxStageCacheTTL)
	}
	if err := tokenapi.CheckARNs("stage", c.Stages, tokenapi.StageArnPattern); err != nil {
		return err
	}
	for _, capability := range c.Capabilities {
		if !validCapability(capability) {
			return fmt.Errorf("capability %q is neither PUBLISH nor SUBSCRIBE", capability)
		}
	}
	return tokenapi.CheckGrants(c.CapabilityGrants, validCapabilities)
}

var validCapabilities = []string{string(ivstoken.CapabilityPublish), string(ivstoken.CapabilitySubscribe)}

func validCapability(c string) bool { return slices.Contains(validCapabilities, c) }
