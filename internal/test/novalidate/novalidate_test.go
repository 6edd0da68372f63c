package novalidate

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

var _ = flag.Bool("update", false, "accepted for `go test ./... -update`; this package has no golden files")

// TestHelperProcess is the program TestOff runs: it calls Off and prints
// what the variable is then.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("NOVALIDATE_HELPER") != "1" {
		t.Skip("run by TestOff")
	}
	Off()
	fmt.Printf("%s=%q\n", Variable, os.Getenv(Variable))
}

func TestOff(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the process cannot be replaced on Windows")
	}
	for _, c := range []struct{ set, want string }{
		{"", `"false"`},    // unset: executed again with it
		{"true", `"true"`}, // a person's own setting wins
		{"false", `"false"`},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
		cmd.Env = []string{"NOVALIDATE_HELPER=1"}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, Variable+"=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		if c.set != "" {
			cmd.Env = append(cmd.Env, Variable+"="+c.set)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if want := Variable + "=" + c.want; !strings.Contains(string(out), want) {
			t.Errorf("set %q: the helper printed\n%s\nwant %s", c.set, out, want)
		}
	}
}
