package l2

import (
	"flag"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

func TestStartsWithConstruct(t *testing.T) {
	type good struct {
		Construct
		X int
	}
	type second struct {
		X int
		Construct
	}
	type named struct {
		C Construct
	}
	for _, c := range []struct {
		v    any
		want bool
	}{{good{}, true}, {second{}, false}, {named{}, false}, {struct{}{}, false}, {3, false}, {nil, false}} {
		if got := StartsWithConstruct(c.v); got != c.want {
			t.Errorf("StartsWithConstruct(%T) = %v, want %v", c.v, got, c.want)
		}
	}
}
