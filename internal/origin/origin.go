// Package origin checks web origins (scheme://host[:port]), as IVS takes
// them in playback tokens and playback restriction policies: "the same as
// valid values of the Origin header" (IVS API reference,
// CreatePlaybackRestrictionPolicy), whose scheme may be any URL scheme.
package origin

import (
	"fmt"
	"net/url"
	"strings"
)

// Check accepts "*", "null" or scheme://host[:port], as in an Origin header: any
// URL scheme (RFC 3986: a letter, then letters, digits, '+', '-', '.'),
// and no path, query, fragment or user. With wildcardHost, the host may
// start with "*." (playback tokens allow that; restriction policies do not).
func Check(origin string, wildcardHost bool) error {
	// "null" is a valid Origin header value (sandboxed documents, file:
	// pages), and the CloudFormation schema of
	// AWS::IVS::PlaybackRestrictionPolicy allows "the same as valid values
	// of the Origin header".
	if origin == "*" || origin == "null" {
		return nil
	}
	scheme, rest, ok := strings.Cut(origin, "://")
	if !ok || !validScheme(scheme) {
		return fmt.Errorf("%q is not an origin: want scheme://host[:port] as in an Origin header, such as https://watch.example.com", origin)
	}
	host := rest
	if wildcardHost {
		host = strings.TrimPrefix(rest, "*.")
	}
	u, err := url.Parse("https://" + host)
	if err != nil || u.Host != host || u.Hostname() == "" || strings.ContainsAny(host, "*/?#@ ") {
		allowed := "scheme://host[:port] with no path"
		if wildcardHost {
			allowed += " (a leading \"*.\" is allowed)"
		}
		return fmt.Errorf("%q is not an origin: want %s", origin, allowed)
	}
	return nil
}

func validScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
