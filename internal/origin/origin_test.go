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
		{"https://example.com", false, true},
		{"http://localhost:8080", false, true},
		{"https://*.example.com", true, true},
		{"https://*.example.com", false, false},
		{"https://example.com/", false, false},
		{"https://example.com/player", true, false},
		{"example.com", true, false},
		{"ftp://example.com", true, false},
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
