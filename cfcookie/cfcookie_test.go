package cfcookie_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ivscdk/ivscdk/cfcookie"
)

const (
	site      = "https://d111111abcdef8.cloudfront.net"
	recording = "/ivs/v1/123456789012/AsXego4U6tnj/2026/12/2/18/5/j8Z9O91ndcVs"
)

// at is the tests' clock.
var at = time.Date(2026, 12, 2, 18, 30, 0, 0, time.UTC)

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func sign(t *testing.T, key *ecdsa.PrivateKey, p cfcookie.Policy) map[string]*http.Cookie {
	t.Helper()
	signer, err := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F")
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := signer.Cookies(p, recording+"/")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*http.Cookie{}
	for _, c := range cookies {
		if !c.Secure || !c.HttpOnly || c.Path != recording+"/" || !c.Expires.IsZero() {
			t.Errorf("cookie %s: %+v, want Secure, HttpOnly, the recording's path and no Expires", c.Name, c)
		}
		byName[c.Name] = c
	}
	return byName
}

// TestPolicyIsTheDocumentedStatement: the policy is CloudFront's custom
// policy statement with no white space (Developer Guide, "Create a signed
// cookie using a custom policy").
func TestPolicyIsTheDocumentedStatement(t *testing.T) {
	p := cfcookie.Policy{Resource: site + recording + "/*", Expires: time.Unix(1357034400, 0)}
	want := `{"Statement":[{"Resource":"` + site + recording + `/*","Condition":{"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`
	if got := string(p.JSON()); got != want {
		t.Errorf("policy\n%s\nwant\n%s", got, want)
	}
	if got := cfcookie.Encode([]byte{0xfb, 0xff, 0xfe}); got != "-~~-" {
		t.Errorf("Encode: %q, want CloudFront's alphabet (+ - , / ~)", got)
	}
	if got := cfcookie.Encode([]byte{1}); got != "AQ__" {
		t.Errorf("Encode: %q, want = as _", got)
	}
}

// TestOpenSSLVerifiesTheSignature checks the cookies with openssl, not
// with this package: the signature (DER) over the exact policy bytes, with
// the public key as a key group holds it (PEM). A changed policy fails.
func TestOpenSSLVerifiesTheSignature(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl to check the signature with")
	}
	key := newKey(t)
	cookies := sign(t, key, cfcookie.Policy{Resource: site + recording + "/*", Expires: at.Add(time.Hour)})
	if got := cookies[cfcookie.CookieHashAlgorithm].Value; got != "SHA256" {
		t.Errorf("CloudFront-Hash-Algorithm %q, want SHA256", got)
	}
	dir := t.TempDir()
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	policy, err := cfcookie.Decode(cookies[cfcookie.CookiePolicy].Value)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := cfcookie.Decode(cookies[cfcookie.CookieSignature].Value)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	pub := write("public.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	verify := func(policy []byte) (string, error) {
		out, err := exec.Command(openssl, "dgst", "-sha256", "-verify", pub, "-signature", write("sig.der", sig), write("policy.json", policy)).CombinedOutput()
		return string(out), err
	}
	if out, err := verify(policy); err != nil || !strings.Contains(out, "Verified OK") {
		t.Errorf("openssl: %v %s", err, out)
	}
	changed := []byte(strings.Replace(string(policy), recording, "/ivs/v1/123456789012/other", 1))
	if out, err := verify(changed); err == nil {
		t.Errorf("openssl verified a changed policy: %s", out)
	}
}

// TestCheckAllowsOnlyThePolicysRecording: as CloudFront checks cookies, a
// request under the recording's prefix passes; another prefix, an expired
// policy, another key or no cookies fail.
func TestCheckAllowsOnlyThePolicysRecording(t *testing.T) {
	key := newKey(t)
	keys := map[string]*ecdsa.PublicKey{"K2JCJMDEHXQW5F": &key.PublicKey}
	cookies := sign(t, key, cfcookie.Policy{Resource: site + recording + "/*", Expires: at.Add(time.Hour)})
	list := func(m map[string]*http.Cookie) []*http.Cookie {
		var out []*http.Cookie
		for _, c := range m {
			out = append(out, c)
		}
		return out
	}
	if err := cfcookie.Check(site+recording+"/media/hls/720p60/playlist.m3u8", list(cookies), keys, at); err != nil {
		t.Errorf("the recording's playlist: %v", err)
	}
	for name, c := range map[string]struct {
		url     string
		cookies []*http.Cookie
		keys    map[string]*ecdsa.PublicKey
		now     time.Time
		want    string
	}{
		"another recording": {url: site + "/ivs/v1/123456789012/AsXego4U6tnj/2026/12/2/19/5/other/media/hls/master.m3u8", want: "is not under the policy's resource"},
		"expired":           {url: site + recording + "/media/hls/master.m3u8", now: at.Add(time.Hour), want: "the policy expired"},
		"another key":       {url: site + recording + "/media/hls/master.m3u8", keys: map[string]*ecdsa.PublicKey{"K2JCJMDEHXQW5F": &newKey(t).PublicKey}, want: "does not match"},
		"unknown key":       {url: site + recording + "/media/hls/master.m3u8", keys: map[string]*ecdsa.PublicKey{}, want: "not in the key group"},
		"unsigned":          {url: site + recording + "/media/hls/master.m3u8", cookies: []*http.Cookie{}, want: "no CloudFront-Policy cookie"},
	} {
		if c.cookies == nil {
			c.cookies = list(cookies)
		}
		if c.keys == nil {
			c.keys = keys
		}
		if c.now.IsZero() {
			c.now = at
		}
		if err := cfcookie.Check(c.url, c.cookies, c.keys, c.now); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// A policy whose bytes were changed after signing.
	forged := map[string]*http.Cookie{}
	for k, v := range cookies {
		c := *v
		forged[k] = &c
	}
	policy, _ := cfcookie.Decode(forged[cfcookie.CookiePolicy].Value)
	forged[cfcookie.CookiePolicy].Value = cfcookie.Encode([]byte(strings.Replace(string(policy), recording+"/*", "/*", 1)))
	if err := cfcookie.Check(site+"/ivs/v1/anything", list(forged), keys, at); err == nil {
		t.Error("a widened policy passed")
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, url string
		want         bool
	}{
		{"https://a/x/*", "https://a/x/", true},
		{"https://a/x/*", "https://a/x/y/z.ts", true},
		{"https://a/x/*", "https://a/xy", false},
		{"https://a/x/?.ts", "https://a/x/1.ts", true},
		{"https://a/x/?.ts", "https://a/x/12.ts", false},
		{"https://a/*/b", "https://a/1/2/b", true},
		{"https://a/X/*", "https://a/x/1", false},
		{"https://a/x", "https://a/x", true},
	} {
		if got := cfcookie.Match(c.pattern, c.url); got != c.want {
			t.Errorf("Match(%q, %q) = %v", c.pattern, c.url, got)
		}
	}
}

// TestKeysAreChecked: a P-384 key is refused for signing; a private key
// PEM is refused where a public key is wanted.
func TestKeysAreChecked(t *testing.T) {
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := cfcookie.NewSigner(p384, "K2JCJMDEHXQW5F"); err == nil || !strings.Contains(err.Error(), "P-256") {
		t.Errorf("a P-384 key: %v", err)
	}
	if _, err := cfcookie.NewSigner(newKey(t), ""); err == nil {
		t.Error("an empty key pair ID was accepted")
	}
	key := newKey(t)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	if _, err := cfcookie.ParsePublicKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err == nil || !strings.Contains(err.Error(), "private key") {
		t.Errorf("a private key PEM: %v", err)
	}
	if k, err := cfcookie.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil || !k.Equal(key) {
		t.Errorf("a PKCS #8 private key: %v", err)
	}
	sec1, _ := x509.MarshalECPrivateKey(key)
	if k, err := cfcookie.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})); err != nil || !k.Equal(key) {
		t.Errorf("a SEC 1 private key: %v", err)
	}
	p384DER, _ := x509.MarshalPKCS8PrivateKey(p384)
	if _, err := cfcookie.ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p384DER})); err == nil {
		t.Error("a P-384 private key was accepted")
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pub, err := cfcookie.ParsePublicKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Errorf("the public key: %v", err)
	}
	if _, err := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F"); err != nil {
		t.Fatal(err)
	}
	signer, _ := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F")
	if _, err := signer.Cookies(cfcookie.Policy{Resource: "http://insecure/*", Expires: at}, "/"); err == nil {
		t.Error("an http:// resource was signed")
	}
}

// TestSignURLIsACannedPolicy: the URL's signature is over the canned
// policy of that URL and its Expires, checked with openssl.
func TestSignURLIsACannedPolicy(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("no openssl to check the signature with")
	}
	key := newKey(t)
	signer, _ := cfcookie.NewSigner(key, "K2JCJMDEHXQW5F")
	thumb := site + recording + "/media/latest_thumbnail/thumb.jpg"
	signed, err := signer.SignURL(thumb, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	base, query, _ := strings.Cut(signed, "?")
	values := map[string]string{}
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		values[k] = v
	}
	if base != thumb || values["Key-Pair-Id"] != "K2JCJMDEHXQW5F" || values["Hash-Algorithm"] != "SHA256" || values["Expires"] != "1796239800" {
		t.Fatalf("signed URL %s", signed)
	}
	dir := t.TempDir()
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	sig, _ := cfcookie.Decode(values["Signature"])
	os.WriteFile(filepath.Join(dir, "pub.pem"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, "sig"), sig, 0o600)
	canned := `{"Statement":[{"Resource":"` + thumb + `","Condition":{"DateLessThan":{"AWS:EpochTime":1796239800}}}]}`
	os.WriteFile(filepath.Join(dir, "policy"), []byte(canned), 0o600)
	if out, err := exec.Command(openssl, "dgst", "-sha256", "-verify", filepath.Join(dir, "pub.pem"), "-signature", filepath.Join(dir, "sig"), filepath.Join(dir, "policy")).CombinedOutput(); err != nil {
		t.Errorf("openssl: %v %s", err, out)
	}
	if _, err := signer.SignURL(site+"/*", at); err == nil {
		t.Error("a wildcard URL was signed with a canned policy")
	}
}
