package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// sigV4Verifier checks AWS Signature Version 4 as the AWS General
// Reference describes it ("Create a signed AWS API request"), written here
// from that description, independently of the SDK's signer.
type sigV4Verifier struct {
	accessKey, secretKey, region, service string
}

// verify returns nil when r (whose body is body) carries a valid
// signature by v's credentials.
func (v sigV4Verifier) verify(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	const algorithm = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algorithm) {
		return fmt.Errorf("authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, part := range strings.Split(strings.TrimPrefix(auth, algorithm), ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = val
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[0] != v.accessKey || scope[2] != v.region || scope[3] != v.service || scope[4] != "aws4_request" {
		return fmt.Errorf("credential scope %q, want %s/<date>/%s/%s/aws4_request", fields["Credential"], v.accessKey, v.region, v.service)
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if !strings.HasPrefix(amzDate, scope[1]) {
		return fmt.Errorf("X-Amz-Date %q does not match the scope's date %s", amzDate, scope[1])
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) || !contains(signed, "host") || !contains(signed, "x-amz-date") {
		return fmt.Errorf("signed headers %v must be sorted and include host and x-amz-date", signed)
	}
	var headers strings.Builder
	for _, h := range signed {
		value := r.Header.Get(h)
		if h == "host" {
			value = r.Host
		}
		headers.WriteString(h + ":" + strings.Join(strings.Fields(value), " ") + "\n")
	}
	payload := sha256.Sum256(body)
	canonical := strings.Join([]string{
		r.Method,
		r.URL.EscapedPath(),
		canonicalQuery(r.URL.Query()),
		headers.String(),
		fields["SignedHeaders"],
		hex.EncodeToString(payload[:]),
	}, "\n")
	canonicalHash := sha256.Sum256([]byte(canonical))
	toSign := strings.Join([]string{"AWS4-HMAC-SHA256", amzDate, strings.Join(scope[1:], "/"), hex.EncodeToString(canonicalHash[:])}, "\n")
	key := []byte("AWS4" + v.secretKey)
	for _, part := range []string{scope[1], v.region, v.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	if want := hex.EncodeToString(hmacSHA256(key, toSign)); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return fmt.Errorf("signature %s, want %s", fields["Signature"], want)
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// canonicalQuery sorts the parameters and encodes names and values as
// SigV4 does (RFC 3986 unreserved characters stay, everything else %XX).
func canonicalQuery(q url.Values) string {
	var parts []string
	for name, values := range q {
		for _, value := range values {
			parts = append(parts, uriEncode(name)+"="+uriEncode(value))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

func uriEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// withAWSCredentials gives the default credential chain these keys, and
// nothing of the machine's own AWS set-up.
func withAWSCredentials(t *testing.T, accessKey, secretKey string) {
	t.Setenv("AWS_ACCESS_KEY_ID", accessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secretKey)
	t.Setenv("AWS_SESSION_TOKEN", "session-token-1")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
}

// tokenEndpoint is a local stand-in for a token endpoint's API Gateway: it
// checks what check says and answers 200 with a token.
func tokenEndpoint(t *testing.T, check func(r *http.Request, body []byte) error) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := check(r, body); err != nil {
			t.Errorf("the endpoint refused the request: %v", err)
			http.Error(w, `{"message":"Forbidden"}`, http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"token":"eyJ.a.b","expiresAt":"2039-07-01T13:00:00Z"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchSignsWithSigV4(t *testing.T) {
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	verifier := sigV4Verifier{accessKey: "AKIDFETCHTEST", secretKey: "fetch-secret", region: "us-west-2", service: "execute-api"}
	var seen []string
	srv := tokenEndpoint(t, func(r *http.Request, body []byte) error {
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		if got := r.Header.Get("X-Amz-Date"); got != testNow.Format("20060102T150405Z") {
			return fmt.Errorf("X-Amz-Date %s, want the command's clock %s", got, testNow.Format("20060102T150405Z"))
		}
		if r.Header.Get("X-Amz-Security-Token") != "session-token-1" {
			return fmt.Errorf("the session token is missing")
		}
		return verifier.verify(r, body)
	})
	dir := t.TempDir()
	get := ivscdk(t, dir, "", "token", "fetch", "-region", "us-west-2", srv.URL+"/participant-token?stage=arn%3Aaws%3Aivs%3Aus-west-2%3A1%3Astage%2Fx&capabilities=SUBSCRIBE")
	if get.code != 0 || !strings.Contains(get.stdout, `"token": "eyJ.a.b"`) {
		t.Fatalf("GET: %+v", get)
	}
	post := ivscdk(t, dir, "", "token", "fetch", "-region", "us-west-2", "-data", `{"stage": "x", "capabilities": ["PUBLISH"]}`, srv.URL+"/participant-token")
	if post.code != 0 {
		t.Fatalf("POST: %+v", post)
	}
	if len(seen) != 2 || !strings.HasPrefix(seen[0], "GET /participant-token?") || !strings.Contains(seen[0], "stage=arn%3Aaws%3Aivs") || seen[1] != `POST /participant-token {"stage": "x", "capabilities": ["PUBLISH"]}` {
		t.Errorf("the endpoint saw %q", seen)
	}

	// The verifier can fail: a request signed with another secret is
	// refused.
	withAWSCredentials(t, "AKIDFETCHTEST", "not-the-secret")
	var refused error
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		refused = verifier.verify(r, body)
		http.Error(w, `{"message":"The request signature we calculated does not match"}`, http.StatusForbidden)
	}))
	defer srv2.Close()
	if r := ivscdk(t, dir, "", "token", "fetch", "-region", "us-west-2", srv2.URL+"/participant-token"); r.code != exitFailure || refused == nil {
		t.Errorf("a wrong secret: exit %d, verifier %v", r.code, refused)
	}
}

func TestFetchWithAJWT(t *testing.T) {
	withAWSCredentials(t, "AKIDUNUSED", "unused")
	srv := tokenEndpoint(t, func(r *http.Request, body []byte) error {
		if got := r.Header.Get("Authorization"); got != "Bearer header.payload.signature" {
			return fmt.Errorf("Authorization %q", got)
		}
		if r.Header.Get("X-Amz-Date") != "" {
			return fmt.Errorf("a JWT request was SigV4-signed as well")
		}
		return nil
	})
	dir := t.TempDir()
	if r := ivscdk(t, dir, "", "token", "fetch", "-jwt", "header.payload.signature", srv.URL+"/chat-token"); r.code != 0 {
		t.Errorf("-jwt: %+v", r)
	}
	if r := ivscdk(t, dir, "header.payload.signature\n", "token", "fetch", "-jwt-file", "-", srv.URL+"/chat-token"); r.code != 0 {
		t.Errorf("-jwt-file -: %+v", r)
	}
}

func TestFetchExplainsErrors(t *testing.T) {
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	status := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"refused"}`, status)
	}))
	defer srv.Close()
	dir := t.TempDir()
	for _, c := range []struct {
		status int
		args   []string
		hint   string
	}{
		{401, []string{"-jwt", "expired"}, "unexpired, from the endpoint's issuer and for its audience"},
		{401, []string{"-region", "us-west-2"}, "the endpoint takes JWTs: give one with -jwt"},
		{403, []string{"-region", "us-west-2"}, "grant it execute-api:Invoke (the endpoint's GrantInvoke)"},
		{403, []string{"-jwt", "t"}, "lacks a scope the route requires"},
		{404, []string{"-region", "us-west-2"}, "use the TokenUrl output as it is"},
		{429, []string{"-region", "us-west-2"}, "ThrottlingRateLimit"},
	} {
		status = c.status
		r := ivscdk(t, dir, "", append(append([]string{"token", "fetch"}, c.args...), srv.URL+"/playback-token")...)
		if r.code != exitFailure || !strings.Contains(r.stderr, fmt.Sprint(c.status)) || !strings.Contains(r.stderr, c.hint) {
			t.Errorf("status %d with %v: exit %d, stderr %q; want 1 and %q", c.status, c.args, r.code, r.stderr, c.hint)
		}
	}
}

func TestFetchReadsTheRegionFromTheURL(t *testing.T) {
	for host, want := range map[string]string{
		"a1b2c3d4e5.execute-api.us-west-2.amazonaws.com":         "us-west-2",
		"a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn":     "cn-north-1",
		"tokens.example.com":                                     "",
		"a1b2c3d4e5.execute-api.us-west-2.amazonaws.com.evil.io": "",
	} {
		got := ""
		if m := executeAPIHost.FindStringSubmatch(host); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("%s: region %q, want %q", host, got, want)
		}
	}
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	r := ivscdk(t, t.TempDir(), "", "token", "fetch", "https://tokens.example.com/playback-token")
	if r.code != exitFailure || !strings.Contains(r.stderr, "give -region") {
		t.Errorf("a custom domain without -region: %+v", r)
	}
	if r := ivscdk(t, t.TempDir(), "", "token", "fetch", "-data", "{not json", "https://x.execute-api.us-west-2.amazonaws.com/p"); r.code != exitUsage {
		t.Errorf("invalid -data: %+v", r)
	}
}

// The credentials go in clear text over http, so only loopback hosts (local
// tests) may be named with it.
func TestFetchRefusesPlainHTTP(t *testing.T) {
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	for _, u := range []string{
		"http://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/playback-token",
		"http://10.0.0.7/playback-token",
		"http://localhost.example.com/playback-token",
	} {
		r := ivscdk(t, t.TempDir(), "", "token", "fetch", "-jwt", "header.payload.signature", u)
		if r.code != exitUsage || !strings.Contains(r.stderr, "clear text") {
			t.Errorf("%s: exit %d, stderr %q; want a usage error about clear text", u, r.code, r.stderr)
		}
	}
	for _, host := range []string{"localhost", "127.0.0.1", "[::1]"} {
		if !isLoopback(strings.Trim(host, "[]")) {
			t.Errorf("%s is loopback", host)
		}
	}
}

// A redirect is an answer, not followed: the JWT and the SigV4 headers never
// reach the host it names, and its body is not printed as a success.
func TestFetchFollowsNoRedirect(t *testing.T) {
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	var reached []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = append(reached, r.Header.Get("Authorization")+r.Header.Get("X-Amz-Security-Token"))
		fmt.Fprint(w, `{"token":"from-elsewhere"}`)
	}))
	defer elsewhere.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	for _, args := range [][]string{{"-jwt", "header.payload.signature"}, {"-region", "us-west-2"}} {
		r := ivscdk(t, t.TempDir(), "", append(append([]string{"token", "fetch"}, args...), redirecting.URL+"/playback-token")...)
		if r.code != exitFailure || !strings.Contains(r.stderr, "follows no redirect") || !strings.Contains(r.stderr, elsewhere.URL) ||
			strings.Contains(r.stdout, "from-elsewhere") {
			t.Errorf("%v: a redirect gave exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if len(reached) != 0 {
		t.Errorf("the redirect was followed, with credentials %q", reached)
	}
}

// What the server says is printed with its control characters escaped, so
// an answer cannot retitle, recolour or rewrite the user's terminal.
func TestFetchEscapesControlCharacters(t *testing.T) {
	withAWSCredentials(t, "AKIDFETCHTEST", "fetch-secret")
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, "token \x1b]0;owned\x07 \x1b[2J \u202eevil \xff end")
	}))
	defer srv.Close()
	for _, status = range []int{http.StatusOK, http.StatusForbidden} {
		r := ivscdk(t, t.TempDir(), "", "token", "fetch", "-jwt", "t", srv.URL+"/playback-token")
		printed := r.stdout + r.stderr
		if strings.ContainsAny(printed, "\x1b\x07\u202e") || strings.Contains(printed, "\xff") || !strings.Contains(printed, `token \x1b]0;owned\a \x1b[2J \u202eevil \xff end`) {
			t.Errorf("status %d: printed %q; want the control characters escaped", status, printed)
		}
	}
	if got := escapeControls("line\n\ttab é"); got != "line\n\ttab é" {
		t.Errorf("newlines, tabs and letters are kept: %q", got)
	}
}
