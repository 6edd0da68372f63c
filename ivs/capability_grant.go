package ivs

import "github.com/ivscdk/ivscdk/internal/wire"

// CapabilityGrant gives the callers of a token endpoint whose verified
// JSON Web Token carries a scope, or a claim with a value, capabilities
// beyond the endpoint's Capabilities: PUBLISH for hosts of a stage,
// DISCONNECT_USER and DELETE_MESSAGE for chat moderators. Set exactly one
// of Scope and Claim:
//
//	ivs.CapabilityGrant{Claim: "cognito:groups", Value: "hosts", Capabilities: []string{ivs.CapabilityPublish}}
//	ivs.CapabilityGrant{Scope: "stage/host", Capabilities: []string{ivs.CapabilityPublish}}
//
// A Scope grant matches a scope of the JWT authorizer or of the token's
// scope or scp claim; a Claim grant matches a claim equal to Value or, for
// a list claim such as cognito:groups, holding it. Grants need
// JWTAuthentication. Callers meeting no grant get the endpoint's
// Capabilities; a request may still ask for a subset of what it may have.
// The endpoint's function decides (package
// github.com/ivscdk/ivscdk/handler/tokenapi), so the rule holds whatever
// route the request took.
type CapabilityGrant = wire.Grant
