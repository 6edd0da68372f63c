// Package cfcookie signs and checks Amazon CloudFront signed cookies with a
// custom policy, for private content that a player fetches by many URLs
// (an HLS recording's playlists and segments): one policy whose Resource
// ends in a wildcard covers them all.
//
// It signs with ECDSA P-256 and SHA-256, which CloudFront key groups take
// (CloudFront API reference, PublicKey; RSA 2048 is the other choice),
// and sets CloudFront-Hash-Algorithm=SHA256 as SHA-256 requires
// (CloudFront Developer Guide, "Using Linux commands and OpenSSL for
// base64 encoding and encryption"). The signature is ASN.1 DER, as openssl
// dgst -sha256 -sign makes it, and every base64 value uses CloudFront's
// alphabet ('+' '=' '/' become '-' '_' '~').
//
// It uses the Go standard library only.
package cfcookie

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The cookies of a custom policy.
const (
	CookiePolicy        = "CloudFront-Policy"
	CookieSignature     = "CloudFront-Signature"
	CookieKeyPairID     = "CloudFront-Key-Pair-Id"
	CookieHashAlgorithm = "CloudFront-Hash-Algorithm"
)

// Policy is a custom policy: Resource (a URL, where * matches any run of
// characters and ? one character) until Expires.
type Policy struct {
	Resource string
	Expires  time.Time
}

// policyJSON is the policy statement CloudFront reads (CloudFront
// Developer Guide, "Create a signed cookie using a custom policy"), with
// no white space.
type policyJSON struct {
	Statement []statement `json:"Statement"`
}

type statement struct {
	Resource  string `json:"Resource"`
	Condition struct {
		DateLessThan struct {
			EpochTime int64 `json:"AWS:EpochTime"`
		} `json:"DateLessThan"`
	} `json:"Condition"`
}

// JSON returns the policy statement as CloudFront reads it, the bytes the
// signature covers.
func (p Policy) JSON() []byte {
	s := statement{Resource: p.Resource}
	s.Condition.DateLessThan.EpochTime = p.Expires.Unix()
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false) // a URL's & stays &
	e.Encode(policyJSON{Statement: []statement{s}})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Encode is base64 with CloudFront's replacements of '+', '=' and '/'.
func Encode(b []byte) string {
	return strings.NewReplacer("+", "-", "=", "_", "/", "~").Replace(base64.StdEncoding.EncodeToString(b))
}

// Decode reverses Encode.
func Decode(s string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.NewReplacer("-", "+", "_", "=", "~", "/").Replace(s))
}

// Signer signs cookies with one key of a CloudFront key group.
type Signer struct {
	key *ecdsa.PrivateKey
	id  string
}

// NewSigner returns a signer for the private key of the CloudFront public
// key keyPairID (the public key's ID, such as K2JCJMDEHXQW5F). The key
// must be ECDSA P-256.
func NewSigner(key *ecdsa.PrivateKey, keyPairID string) (*Signer, error) {
	if key == nil || key.Curve != elliptic.P256() {
		return nil, errors.New("cfcookie: the key must be an ECDSA P-256 private key (CloudFront takes P-256 or RSA 2048)")
	}
	if keyPairID == "" || strings.ContainsAny(keyPairID, " ;,\"") {
		return nil, fmt.Errorf("cfcookie: key pair ID %q is not a CloudFront public key ID", keyPairID)
	}
	return &Signer{key: key, id: keyPairID}, nil
}

// Cookies returns the four cookies of p, for path (the part of the site
// they are sent to, such as the recording's folder) on the requesting
// host: Secure, HttpOnly, SameSite=Lax, with no Expires (they end with the
// browser session; the policy ends them sooner).
func (s *Signer) Cookies(p Policy, path string) ([]*http.Cookie, error) {
	if !strings.HasPrefix(p.Resource, "https://") {
		return nil, fmt.Errorf("cfcookie: Resource %q must be an https:// URL", p.Resource)
	}
	if p.Expires.IsZero() {
		return nil, errors.New("cfcookie: the policy has no expiry")
	}
	policy := p.JSON()
	digest := sha256.Sum256(policy)
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return nil, fmt.Errorf("cfcookie: signing: %w", err)
	}
	if path == "" {
		path = "/"
	}
	cookie := func(name, value string) *http.Cookie {
		return &http.Cookie{Name: name, Value: value, Path: path, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	}
	return []*http.Cookie{
		cookie(CookiePolicy, Encode(policy)),
		cookie(CookieSignature, Encode(sig)),
		cookie(CookieKeyPairID, s.id),
		cookie(CookieHashAlgorithm, "SHA256"),
	}, nil
}

// SignURL returns url signed until expires with a canned policy (the
// Expires, Signature, Key-Pair-Id and Hash-Algorithm query parameters;
// CloudFront Developer Guide, "Create a signed URL using a canned
// policy"), for one object such as a thumbnail.
func (s *Signer) SignURL(url string, expires time.Time) (string, error) {
	if !strings.HasPrefix(url, "https://") || strings.ContainsAny(url, "*?#") {
		return "", fmt.Errorf("cfcookie: %q is not an https:// URL without a query or wildcard", url)
	}
	digest := sha256.Sum256(Policy{Resource: url, Expires: expires}.JSON())
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return "", fmt.Errorf("cfcookie: signing: %w", err)
	}
	return fmt.Sprintf("%s?Expires=%d&Signature=%s&Key-Pair-Id=%s&Hash-Algorithm=SHA256", url, expires.Unix(), Encode(sig), s.id), nil
}

// Query returns the query parameters that sign one URL with the custom
// policy p (Policy, Signature, Key-Pair-Id and Hash-Algorithm; CloudFront
// Developer Guide, "Create a signed URL using a custom policy"): append it
// to the URL after "?". A custom policy may use wildcards, such as
// https://*/path for a URL whose host the signer does not know.
func (s *Signer) Query(p Policy) (string, error) {
	if !strings.HasPrefix(p.Resource, "https://") || p.Expires.IsZero() {
		return "", fmt.Errorf("cfcookie: the policy needs an https:// Resource and an expiry")
	}
	policy := p.JSON()
	digest := sha256.Sum256(policy)
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, digest[:])
	if err != nil {
		return "", fmt.Errorf("cfcookie: signing: %w", err)
	}
	return "Policy=" + Encode(policy) + "&Signature=" + Encode(sig) + "&Key-Pair-Id=" + s.id + "&Hash-Algorithm=SHA256", nil
}

// ParsePrivateKeyPEM reads an ECDSA P-256 private key: PKCS #8
// ("PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"), as openssl writes them.
func ParsePrivateKeyPEM(data []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("cfcookie: no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("cfcookie: a %q PEM block is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("cfcookie: %w", err)
	}
	k, ok := key.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, errors.New("cfcookie: the key is not ECDSA P-256")
	}
	return k, nil
}

// SetCookies is Cookies as the Set-Cookie header values an HTTP answer
// carries (API Gateway's payload 2.0 "cookies"), written directly: every
// value is CloudFront base64 or a key ID, so nothing needs escaping.
func (s *Signer) SetCookies(p Policy, path string) ([]string, error) {
	cookies, err := s.Cookies(p, path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cookies))
	for i, c := range cookies {
		out[i] = c.Name + "=" + c.Value + "; Path=" + c.Path + "; Secure; HttpOnly; SameSite=Lax"
	}
	return out, nil
}

// ParsePublicKeyPEM reads an ECDSA P-256 public key ("PUBLIC KEY"), as a
// CloudFront public key's EncodedKey holds it. A private key is refused.
func ParsePublicKeyPEM(data []byte) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("cfcookie: no PEM block")
	}
	if strings.Contains(block.Type, "PRIVATE") {
		return nil, fmt.Errorf("cfcookie: this is a private key (%s): give the public key only", block.Type)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("cfcookie: %w", err)
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, errors.New("cfcookie: the key is not ECDSA P-256")
	}
	return pub, nil
}

// Check tells whether the request to url, carrying cookies, is allowed at
// now by a policy signed with one of keys (by key pair ID): the checks
// CloudFront makes, for tests and stand-ins. It returns why not.
func Check(url string, cookies []*http.Cookie, keys map[string]*ecdsa.PublicKey, now time.Time) error {
	values := map[string]string{}
	for _, c := range cookies {
		values[c.Name] = c.Value
	}
	for _, name := range []string{CookiePolicy, CookieSignature, CookieKeyPairID} {
		if values[name] == "" {
			return fmt.Errorf("no %s cookie", name)
		}
	}
	key, ok := keys[values[CookieKeyPairID]]
	if !ok {
		return fmt.Errorf("key pair %q is not in the key group", values[CookieKeyPairID])
	}
	if h := values[CookieHashAlgorithm]; h != "SHA256" {
		return fmt.Errorf("hash algorithm %q: the policy is signed with SHA-256", h)
	}
	policy, err := Decode(values[CookiePolicy])
	if err != nil {
		return fmt.Errorf("the policy is not CloudFront base64: %w", err)
	}
	sig, err := Decode(values[CookieSignature])
	if err != nil {
		return fmt.Errorf("the signature is not CloudFront base64: %w", err)
	}
	digest := sha256.Sum256(policy)
	if !ecdsa.VerifyASN1(key, digest[:], sig) {
		return errors.New("the signature does not match the policy")
	}
	var p policyJSON
	if err := json.Unmarshal(policy, &p); err != nil || len(p.Statement) != 1 {
		return errors.New("the policy is not one statement")
	}
	s := p.Statement[0]
	if !now.Before(time.Unix(s.Condition.DateLessThan.EpochTime, 0)) {
		return fmt.Errorf("the policy expired at %s", time.Unix(s.Condition.DateLessThan.EpochTime, 0).UTC().Format(time.RFC3339))
	}
	if !Match(s.Resource, url) {
		return fmt.Errorf("%s is not under the policy's resource %s", url, s.Resource)
	}
	return nil
}

// Match tells whether url matches pattern, where * matches any run of
// characters (none too) and ? exactly one, case-sensitively.
func Match(pattern, url string) bool {
	// Iterative wildcard matching, backtracking to the last *.
	p, u, star, mark := 0, 0, -1, 0
	for u < len(url) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == url[u]):
			p++
			u++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, u
			p++
		case star >= 0:
			p = star + 1
			mark++
			u = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
