package tokenapi

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Identity is how an endpoint fills a token's user ID and attributes from
// the caller's verified JWT claims, never from the request itself.
type Identity struct {
	// UserIDClaim names the claim that becomes the user ID; "" for none.
	UserIDClaim string
	// MaxUserIDLength is the longest user ID, in characters.
	MaxUserIDLength int
	// Attributes go into every token.
	Attributes map[string]string
	// ClaimAttributes maps attribute names to the claims copied into them
	// (a missing claim leaves its attribute out).
	ClaimAttributes map[string]string
	// MaxAttributesSize is the most bytes of keys and values allowed.
	MaxAttributesSize int
}

// Of returns the caller's user ID ("" without UserIDClaim) and attributes
// (nil when none), or the 403 answer: MissingUserId, AttributesTooLarge.
func (id Identity) Of(req events.APIGatewayV2HTTPRequest) (string, map[string]string, error) {
	var userID string
	if id.UserIDClaim != "" {
		v, ok := JWTClaim(req, id.UserIDClaim)
		if !ok || utf8.RuneCountInString(v) > id.MaxUserIDLength {
			return "", nil, Fail(http.StatusForbidden, "MissingUserId",
				"the request's token has no usable %q claim for the user ID (1 to %d characters)", id.UserIDClaim, id.MaxUserIDLength)
		}
		userID = v
	}
	attributes := map[string]string{}
	for k, v := range id.Attributes {
		attributes[k] = v
	}
	for name, claim := range id.ClaimAttributes {
		if v, ok := JWTClaim(req, claim); ok {
			attributes[name] = v
		}
	}
	size := 0
	for k, v := range attributes {
		size += len(k) + len(v)
	}
	if size > id.MaxAttributesSize {
		return "", nil, Fail(http.StatusForbidden, "AttributesTooLarge",
			"the token's attributes would hold %d bytes; IVS allows %d", size, id.MaxAttributesSize)
	}
	if len(attributes) == 0 {
		attributes = nil
	}
	return userID, attributes, nil
}

// Capabilities returns the capabilities asked for (all allowed ones when
// none are), or the answer 400 InvalidCapability for one that is not in
// valid, 403 CapabilityNotAllowed for one that is not in allowed (the
// caller's, from Allowed).
func Capabilities(asked, allowed, valid []string) ([]string, error) {
	if len(asked) == 0 {
		return allowed, nil
	}
	var out []string
	for _, c := range asked {
		switch {
		case !slices.Contains(valid, c):
			return nil, Fail(http.StatusBadRequest, "InvalidCapability", "capability %.40q is not one of %v", c, valid)
		case !slices.Contains(allowed, c):
			return nil, Fail(http.StatusForbidden, "CapabilityNotAllowed", "%s is not granted to this caller", c)
		case !slices.Contains(out, c):
			out = append(out, c)
		}
	}
	return out, nil
}

// Within checks a requested duration against the endpoint's maximum:
// 0 means the maximum; the answer is 400 InvalidDuration outside 1 to max.
func (m Minutes) Within(field string, maximum int) (int, error) {
	switch n := int(m); {
	case n == 0:
		return maximum, nil
	case n < 1 || n > maximum:
		return 0, Fail(http.StatusBadRequest, "InvalidDuration", "%s %d is not 1 to %d", field, n, maximum)
	default:
		return n, nil
	}
}
