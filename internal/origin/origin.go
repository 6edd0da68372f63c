// Package origin checks web origins (scheme://host[:port]), as IVS takes
// them in playback tokens and playback restriction policies.
package origin

import (
	"fmt"
	"net/url"
	"strings"
)

// Check accepts "*" or scheme://host[:port] with scheme http or https and no
// path, query or fragment. With wildcardHost, the host may start with "*."
// (playback tokens allow that; restriction policies do not).
func Check(origin string, wildcardHost bool) error {
	if origin == "*" {
		return nil
	}
	scheme, rest, ok := strings.Cut(origin, "://")
	if !ok || (scheme != "https" && scheme != "http") {
		return fmt.Errorf("%q is not an origin: want https://host[:port]", origin)
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
