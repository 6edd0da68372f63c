package origin

import (
	"flag"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		origin   string
		wildcard bool
		ok       bool
	}{
		{"*", false, true},
		{"null", false, true}, // a valid Origin header value
		{"null", true, true},
		{"Null", false, false},
		{"https://example.com", false, true},
		{"http://localhost:8080", false, true},
		{"https://*.example.com", true, true},
		{"https://*.example.com", false, false},
		{"https://example.com/", false, false},
		{"https://example.com/player", true, false},
		{"example.com", true, false},
		{"ftp://example.com", true, true},      // any scheme, as in an Origin header
		{"capacitor://localhost", false, true}, // app webviews send such origins
		{"1https://example.com", false, false}, // a scheme starts with a letter
		{"ht tp://example.com", false, false},
		{"https://", true, false},
		{"https://a b.com", true, false},
		{"https://user@example.com", true, false},
		{"https://example.com?x=1", true, false},
	} {
		if err := Check(c.origin, c.wildcard); (err == nil) != c.ok {
			t.Errorf("Check(%q, %v) = %v, want ok=%v", c.origin, c.wildcard, err, c.ok)
		}
	}
}
