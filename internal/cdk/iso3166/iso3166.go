// Package iso3166 knows the officially assigned ISO 3166-1 alpha-2 country
// codes, which is what IVS accepts in a playback restriction policy's
// AllowedCountries (IVS API reference, CreatePlaybackRestrictionPolicy:
// "the officially assigned ISO 3166-1 alpha-2 codes"). The list comes from
// Debian's iso-codes package (4.15.0); gen.go regenerates it.
package iso3166

import (
	"fmt"
	"strings"
)

type former struct{ name, successor string }

// reserved are codes ISO keeps exceptionally reserved for a country that
// has another assigned code.
var reserved = map[string]string{
	"UK": "GB", // the United Kingdom
	"EL": "GR", // Greece
}

// Check returns nil for an assigned code, or an error that says what the
// code is instead and, where there is one, which code to use.
func Check(code string) error {
	if len(code) == 2 && strings.Contains(" "+assigned+" ", " "+code+" ") {
		return nil
	}
	if use, ok := reserved[code]; ok {
		return fmt.Errorf("%q is reserved in ISO 3166-1, not assigned: use %q", code, use)
	}
	if f, ok := withdrawn[code]; ok {
		if f.successor != "" {
			return fmt.Errorf("%q was withdrawn from ISO 3166-1 (%s): use %q", code, f.name, f.successor)
		}
		return fmt.Errorf("%q was withdrawn from ISO 3166-1 (%s): use the codes of the countries there now", code, f.name)
	}
	if strings.ToUpper(code) != code && Check(strings.ToUpper(code)) == nil {
		return fmt.Errorf("%q is not an ISO 3166-1 alpha-2 code: write it in capitals, %q", code, strings.ToUpper(code))
	}
	return fmt.Errorf("%q is not an officially assigned ISO 3166-1 alpha-2 country code (such as \"US\" or \"DE\")", code)
}

// Count is how many codes are assigned.
func Count() int { return len(strings.Fields(assigned)) }
