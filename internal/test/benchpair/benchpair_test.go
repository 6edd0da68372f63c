package benchpair

import (
	"flag"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// TestAlternateRunsBothAlike: each side runs batch times per iteration and
// the ratio is reported (its value is the benchmark's to report, not a
// test's to judge).
func TestAlternateRunsBothAlike(t *testing.T) {
	var ours, floor, n int
	result := testing.Benchmark(func(b *testing.B) {
		ours, floor = 0, 0
		Alternate(b, 3, func() { ours++ }, func() { floor++ })
		n = b.N
	})
	if ours != 3*n || floor != 3*n {
		t.Errorf("ours ran %d times and the floor %d over %d iterations, want %d each", ours, floor, n, 3*n)
	}
	if _, ok := result.Extra["x-floor"]; !ok {
		t.Errorf("no x-floor metric in %v", result.Extra)
	}
}
