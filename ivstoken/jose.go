package ivstoken

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Strict JOSE parsing (RFC 7515 section 4, RFC 7519 section 4, RFC 8725).
// encoding/json matches member names without regard to case and keeps the
// last of duplicate members, so {"ALG":"ES384"} or
// {"alg":"none","alg":"ES384"} would otherwise be read as {"alg":"ES384"},
// and another parser could read the same bytes differently. ivstoken reads
// a header or payload only after checking that it is one JSON object whose
// member names are unique and, where they name a member ivstoken knows,
// spelled exactly.

// headerMembers are the header members ivstoken understands.
var headerMembers = []string{"alg", "typ", "kid", "crit"}

// playbackMembers and participantMembers are the claim names ivstoken reads.
var (
	playbackMembers = []string{"aws:channel-arn", "aws:access-control-allow-origin", "aws:strict-origin-enforcement",
		"aws:single-use-uuid", "aws:viewer-id", "aws:viewer-session-version", "aws:maximum-resolution", "aws:ads-opt-out",
		"aws:ads-player-params", "aws:ads-playback-config-name", "aws:ads-reporting-mode", "exp"}
	participantMembers = []string{"exp", "iat", "jti", "resource", "topic", "events_url", "whip_url", "user_id",
		"attributes", "capabilities", "version"}
)

// checkObject checks that data is a single JSON object whose member names
// are unique and never a known name in other case.
func checkObject(data []byte, known []string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if seen[name] {
			return fmt.Errorf("member %q appears twice", name)
		}
		seen[name] = true
		for _, k := range known {
			if name != k && strings.EqualFold(name, k) {
				return fmt.Errorf("member %q is not %q: names are case-sensitive", name, k)
			}
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("data after the JSON object")
	}
	return nil
}

// parseHeader reads a JOSE header strictly: unique members, exact names,
// and no "crit" (ivstoken implements no header extension, so RFC 7515
// section 4.1.11 requires refusing any token that marks one critical).
func parseHeader(raw []byte) (jwtHeader, error) {
	var h struct {
		jwtHeader
		Crit json.RawMessage `json:"crit"`
	}
	if err := checkObject(raw, headerMembers); err != nil {
		return h.jwtHeader, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return h.jwtHeader, fmt.Errorf("%w: header is not JSON: %v", ErrMalformed, err)
	}
	if h.Crit != nil {
		return h.jwtHeader, fmt.Errorf("%w: header marks extensions critical (crit %s); ivstoken understands none", ErrMalformed, h.Crit)
	}
	return h.jwtHeader, nil
}
