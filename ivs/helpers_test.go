package ivs_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/ivscdk/ivscdk/internal/test/cdktest"
	"github.com/ivscdk/ivscdk/ivs"
)

func TestMain(m *testing.M) { cdktest.Main(m) }

// publicKeyPEM is the P-384 public key of the reference templates.
func publicKeyPEM(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/alpha-2.91/public-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// validationMessages returns the validation errors of the construct at path
// below the stack ("" for the stack itself).
func validationMessages(t testing.TB, env *cdktest.Env, path string) []string {
	t.Helper()
	node := env.Stack.Node()
	if path != "" {
		node = node.FindChild(jsii.String(path)).Node()
	}
	var out []string
	for _, m := range *node.Validate() {
		out = append(out, *m)
	}
	return out
}

// wantMessages fails unless every fragment appears in one of messages.
func wantMessages(t testing.TB, messages []string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		found := false
		for _, m := range messages {
			if strings.Contains(m, f) {
				found = true
			}
		}
		if !found {
			t.Errorf("no validation message contains %q; got %q", f, messages)
		}
	}
}

func jsonString(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func containsAny(s string, fragments ...string) bool {
	for _, f := range fragments {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// wantNoKeyPairSlotTaken fails unless three managed playback key pairs can
// still be defined beside what the stack holds (IVS allows three per
// region): a key of another kind takes none of their slots.
func wantNoKeyPairSlotTaken(t *testing.T, env *cdktest.Env, beside string) {
	t.Helper()
	for i := range 3 {
		ivs.NewManagedPlaybackKeyPair(env.Stack, "Pair"+string(rune('A'+i)), nil)
	}
	if msgs := validationMessages(t, env, ""); len(msgs) != 0 {
		t.Errorf("three playback key pairs beside %s: %q", beside, msgs)
	}
}
