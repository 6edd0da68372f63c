package browser

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
)

// httpAPI stands in for API Gateway's HTTP API in front of a token
// function: it answers CORS preflights for the page's origin, checks the
// JWT as the JWT authorizer does (signature from the issuer's JWKS,
// issuer, audience, expiry; 401 otherwise) and passes the request to the
// real handler as a payload 2.0 event, claims as strings.
type httpAPI struct {
	*httptest.Server
	issuer, audience, pageOrigin string
	handler                      func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

	mu sync.Mutex
	// forbid answers 403 after the authorizer, as a route whose scopes
	// the token lacks.
	forbid bool
	// down drops every connection, as an endpoint that cannot be reached.
	down  bool
	calls int
	// answers are the bodies of the handler's 2xx answers.
	answers []string
}

func newHTTPAPI(t *testing.T, issuer, audience, pageOrigin string,
	handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)) *httpAPI {
	a := &httpAPI{issuer: issuer, audience: audience, pageOrigin: pageOrigin, handler: handler}
	a.Server = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.Close)
	return a
}

func (a *httpAPI) set(f func(a *httpAPI)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(a)
}

func (a *httpAPI) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	down, forbid := a.down, a.forbid
	a.calls++
	a.mu.Unlock()
	if down {
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", a.pageOrigin)
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	claims, err := a.authorize(r)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Unauthorized"}`)
		return
	}
	if forbid {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Forbidden"}`)
		return
	}
	body, _ := io.ReadAll(r.Body)
	query := map[string]string{}
	for k, v := range r.URL.Query() {
		query[k] = strings.Join(v, ",")
	}
	event := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: r.Method + " " + r.URL.Path, RawPath: r.URL.Path, RawQueryString: r.URL.RawQuery,
		QueryStringParameters: query, Headers: map[string]string{"origin": r.Header.Get("Origin")}, Body: string(body),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.URL.Path},
			Authorizer: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
			},
		},
	}
	resp, err := a.handler(r.Context(), event)
	if err != nil {
		http.Error(w, `{"message":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	if resp.StatusCode/100 == 2 {
		a.mu.Lock()
		a.answers = append(a.answers, resp.Body)
		a.mu.Unlock()
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	// Payload 2.0's cookies become Set-Cookie headers.
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	w.WriteHeader(resp.StatusCode)
	fmt.Fprint(w, resp.Body)
}

// authorize verifies the bearer token against the issuer's JWKS and
// returns its claims as payload 2.0 passes them: strings, a list as
// "[a b]".
func (a *httpAPI) authorize(r *http.Request) (map[string]string, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, fmt.Errorf("no bearer token")
	}
	keys, err := fetchJWKS(a.issuer + "/.well-known/jwks.json")
	if err != nil {
		return nil, err
	}
	token, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if key, ok := keys[kid]; ok {
			return key, nil
		}
		return nil, fmt.Errorf("unknown key %q", kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(a.issuer), jwt.WithAudience(a.audience), jwt.WithExpirationRequired())
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range token.Claims.(jwt.MapClaims) {
		switch v := v.(type) {
		case string:
			out[k] = v
		case []any:
			var parts []string
			for _, p := range v {
				parts = append(parts, fmt.Sprint(p))
			}
			sort.Strings(parts)
			out[k] = "[" + strings.Join(parts, " ") + "]"
		case float64:
			out[k] = fmt.Sprintf("%.0f", v)
		default:
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out, nil
}

func fetchJWKS(url string) (map[string]*rsa.PublicKey, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct{ Kid, N, E string } `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return nil, err
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		n, _ := base64.RawURLEncoding.DecodeString(k.N)
		e, _ := base64.RawURLEncoding.DecodeString(k.E)
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys, nil
}
