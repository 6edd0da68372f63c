package rehearsal

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ivscdk/ivscdk/cfcookie"
)

// opensslVerifies checks a watch answer's cookies with openssl, not with
// the code that made them: the signature (DER) over the exact policy
// bytes, with the public key as the key group holds it (publicPEM, the
// CloudFront public key's EncodedKey). A policy with another resource
// must fail. .ci/run installs openssl.
func opensslVerifies(t *testing.T, publicPEM string, cookies []*http.Cookie, otherResource string) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("no openssl to check the cookies' signature with (apt-get install openssl)")
	}
	values := map[string]string{}
	for _, c := range cookies {
		values[c.Name] = c.Value
	}
	policy, err := cfcookie.Decode(values[cfcookie.CookiePolicy])
	if err != nil {
		t.Fatalf("the policy cookie: %v", err)
	}
	sig, err := cfcookie.Decode(values[cfcookie.CookieSignature])
	if err != nil {
		t.Fatalf("the signature cookie: %v", err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pub, sigFile := write("public.pem", []byte(publicPEM)), write("signature.der", sig)
	verify := func(policy []byte) (string, error) {
		out, err := exec.Command(openssl, "dgst", "-sha256", "-verify", pub, "-signature", sigFile, write("policy.json", policy)).CombinedOutput()
		return string(out), err
	}
	if out, err := verify(policy); err != nil || !strings.Contains(out, "Verified OK") {
		t.Errorf("openssl does not verify the cookies' signature with the key group's public key: %v %s", err, out)
	}
	var resource string
	if i := strings.Index(string(policy), `"Resource":"`); i >= 0 {
		resource = string(policy)[i+len(`"Resource":"`):]
		resource = resource[:strings.IndexByte(resource, '"')]
	}
	if resource == "" {
		t.Fatalf("the policy %s names no resource", policy)
	}
	if out, err := verify([]byte(strings.Replace(string(policy), resource, otherResource, 1))); err == nil {
		t.Errorf("openssl verified the signature over a policy for %s: %s", otherResource, out)
	}
}
