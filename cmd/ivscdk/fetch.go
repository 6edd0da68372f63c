package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
)

// executeAPIHost is the host of an API Gateway endpoint, whose third label
// is its region (API Gateway developer guide, "Invoking an HTTP API":
// https://{api-id}.execute-api.{region}.amazonaws.com).
var executeAPIHost = regexp.MustCompile(`^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// fetchTimeout bounds one request.
const fetchTimeout = 30 * time.Second

func (e env) tokenFetch(args []string) int {
	flags := e.newFlags("ivscdk token fetch", "ivscdk token fetch [-jwt TOKEN | -jwt-file FILE] [-data JSON] [-region REGION] URL")
	jwt := flags.String("jwt", "", "send this JSON Web Token as \"Authorization: Bearer\" (JWT authentication) instead of signing with AWS credentials")
	jwtFile := flags.String("jwt-file", "", "read the JSON Web Token from this `file` (\"-\" for standard input), keeping it out of your shell history")
	data := flags.String("data", "", "POST this JSON `body` (such as '{\"stage\":\"...\"}'); without it, GET the URL (query parameters included)")
	region := flags.String("region", "", "the endpoint's `region` for the SigV4 signature; default: read from the URL's host")
	if code := parse(flags, args); code >= 0 {
		return code
	}
	if flags.NArg() != 1 {
		return e.usageError(flags, "give the endpoint's URL (the TokenUrl output)")
	}
	if *jwt != "" && *jwtFile != "" {
		return e.usageError(flags, "give -jwt or -jwt-file, not both")
	}
	target, err := url.Parse(flags.Arg(0))
	if err != nil || (target.Scheme != "https" && target.Scheme != "http") || target.Host == "" {
		return e.usageError(flags, "%q is not an https URL", escapeControls(flags.Arg(0)))
	}
	if target.Scheme == "http" && !isLoopback(target.Hostname()) {
		return e.usageError(flags, "%q is plain http: the JWT or AWS signature would cross the network in clear text; "+
			"use the endpoint's https URL (http is allowed for loopback hosts only, for local tests)", escapeControls(flags.Arg(0)))
	}
	if *data != "" && !json.Valid([]byte(*data)) {
		return e.usageError(flags, "-data is not JSON: %.60s", *data)
	}
	bearer := *jwt
	if *jwtFile != "" {
		if bearer, err = e.readSecretInput(*jwtFile); err != nil {
			return e.fail(flags.Name(), err)
		}
	}
	method, body := http.MethodGet, []byte(nil)
	if *data != "" {
		method, body = http.MethodPost, []byte(*data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, target.String(), bytes.NewReader(body))
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else if err := e.signRequest(ctx, req, body, *region); err != nil {
		return e.fail(flags.Name(), err)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	if resp.StatusCode/100 == 3 {
		return e.fail(flags.Name(), fmt.Errorf("%s: the endpoint redirects to %q; token fetch follows no redirect, "+
			"since it would send your JWT or AWS signature to another host: give the endpoint's own URL (the TokenUrl output)",
			escapeControls(resp.Status), escapeControls(resp.Header.Get("Location"))))
	}
	if resp.StatusCode/100 == 2 {
		io.WriteString(e.stdout, escapeControls(string(prettyJSON(answer))))
		return exitOK
	}
	return e.fail(flags.Name(), fmt.Errorf("%s: %s%s", escapeControls(resp.Status), escapeControls(strings.TrimSpace(string(answer))), statusHint(resp.StatusCode, bearer != "")))
}

// noRedirects is the client token fetch sends with: it returns a redirect
// as the answer instead of following it, so that the Authorization header
// or the SigV4 headers never go to a host the user did not name.
var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// isLoopback reports whether host is this machine: "localhost" or a
// loopback address (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// escapeControls writes the control characters of s (terminal escape
// sequences among them), the Unicode bidirectional controls and invalid
// UTF-8 as Go escapes (\x1b, \u202e), keeping newlines and tabs, so that a
// server's answer cannot drive the user's terminal.
func escapeControls(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// signRequest signs req with SigV4 for API Gateway (service
// "execute-api") with the default credential chain: environment,
// shared config and credentials files, SSO, instance or task role.
func (e env) signRequest(ctx context.Context, req *http.Request, body []byte, region string) error {
	if region == "" {
		m := executeAPIHost.FindStringSubmatch(req.URL.Hostname())
		if m == nil {
			return fmt.Errorf("cannot tell the region from %s: give -region (custom domains do not name it)", req.URL.Hostname())
		}
		region = m[1]
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return fmt.Errorf("loading AWS configuration: %w", err)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("no AWS credentials to sign with (or give -jwt for a JWT endpoint): %w", err)
	}
	sum := sha256.Sum256(body)
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "execute-api", region, e.now())
}

// readSecretInput reads a token from a file or, for "-", standard input.
func (e env) readSecretInput(path string) (string, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		return "", errors.New("the JWT is empty")
	}
	return token, nil
}

// statusHint says what an error status of a token endpoint usually means.
func statusHint(status int, withJWT bool) string {
	switch status {
	case http.StatusUnauthorized:
		if withJWT {
			return "\nhint: the JWT authorizer refused the token: it must be unexpired, from the endpoint's issuer and for its audience (the app client ID)"
		}
		return "\nhint: the endpoint takes JWTs: give one with -jwt or -jwt-file"
	case http.StatusForbidden:
		if withJWT {
			return "\nhint: the token lacks a scope the route requires (WithScopes), or the endpoint refused what was asked (see the error code)"
		}
		return "\nhint: your AWS identity may not call this route: grant it execute-api:Invoke (the endpoint's GrantInvoke), " +
			"or the endpoint takes JWTs (-jwt), or it refused what was asked (see the error code)"
	case http.StatusNotFound:
		return "\nhint: no such route or resource: use the TokenUrl output as it is, route included, and a channel, stage or room it serves"
	case http.StatusTooManyRequests:
		return "\nhint: throttled by the endpoint's ThrottlingRateLimit and ThrottlingBurstLimit: retry later"
	}
	return ""
}

// prettyJSON indents a JSON answer, or returns other answers as they are,
// with a final newline.
func prettyJSON(b []byte) []byte {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		out.Reset()
		out.Write(bytes.TrimSpace(b))
	}
	out.WriteByte('\n')
	return out.Bytes()
}
