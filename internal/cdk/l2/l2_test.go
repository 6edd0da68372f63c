package l2

import (
	"testing"
)

// The -update flag `go test ./... -update` passes is defined by cdktest,
// which stack_limits_test.go imports.

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
