package browser

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// oidcProvider is a local OpenID Connect provider with the endpoints of a
// Cognito hosted sign-in: /oauth2/authorize, /login, /logout,
// /oauth2/token (authorization code with PKCE S256, no client secret) and
// /.well-known/jwks.json. It issues RS256 ID tokens. As Cognito's does, it
// keeps a session cookie: /oauth2/authorize asks for credentials (a form
// that /login takes, signing in as the configured subject) only when the
// browser has no session, and /logout ends it and returns to the client's
// registered sign-out URL (the page's "/").
type oidcProvider struct {
	*httptest.Server
	key      *rsa.PrivateKey
	clientID string
	mu       sync.Mutex
	codes    map[string]pendingCode
	// subject and groups are whom the next sign-in is.
	subject string
	groups  []string
	// lifetime is the ID tokens' (negative: already expired).
	lifetime time.Duration
	// pageOrigin may call the token endpoint (CORS); its "/" is the
	// client's one sign-out URL.
	pageOrigin string
	// sessions are the signed-in browsers' session cookies; prompts counts
	// the times credentials were asked for, logouts the sign-outs.
	sessions         map[string]bool
	prompts, logouts int
}

type pendingCode struct{ challenge, redirectURI string }

const keyID = "browser-test-key"

func newOIDCProvider(t *testing.T, clientID, pageOrigin string) *oidcProvider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &oidcProvider{key: key, clientID: clientID, codes: map[string]pendingCode{}, subject: "viewer-1",
		lifetime: time.Hour, pageOrigin: pageOrigin, sessions: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/authorize", p.authorize)
	mux.HandleFunc("/login", p.login)
	mux.HandleFunc("/logout", p.logout)
	mux.HandleFunc("/oauth2/token", p.token)
	mux.HandleFunc("/.well-known/jwks.json", p.jwks)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *oidcProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != p.clientID || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("redirect_uri") == "" || q.Get("scope") != "openid" {
		http.Error(w, "invalid_request: want response_type=code, this client, scope openid and a S256 PKCE challenge", http.StatusBadRequest)
		return
	}
	if c, err := r.Cookie(sessionCookie); err != nil || !p.signedIn(c.Value) {
		p.mu.Lock()
		p.prompts++
		p.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Sign in</title><form method="post" action="/login">
<input type="hidden" name="query" value="%s"><label>Username <input id="username" name="username"></label>
<label>Password <input id="password" name="password" type="password"></label><button id="submit">Sign in</button></form>`,
			html.EscapeString(r.URL.RawQuery))
		return
	}
	p.redirectWithCode(w, r, q)
}

// sessionCookie is the provider's session cookie.
const sessionCookie = "provider-session"

func (p *oidcProvider) signedIn(session string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sessions[session]
}

// login takes the credentials form: any non-empty username and password
// start a session.
func (p *oidcProvider) login(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	q, err := url.ParseQuery(r.PostForm.Get("query"))
	if r.Method != http.MethodPost || err != nil || r.PostForm.Get("username") == "" || r.PostForm.Get("password") == "" {
		http.Error(w, "give a username and a password", http.StatusBadRequest)
		return
	}
	session := randomID()
	p.mu.Lock()
	p.sessions[session] = true
	p.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	p.redirectWithCode(w, r, q)
}

// logout ends the browser's session and returns to logout_uri, which must
// be the client's registered sign-out URL, as Cognito's /logout does.
func (p *oidcProvider) logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("logout_uri") != p.pageOrigin+"/" {
		http.Error(w, "invalid_request: want this client and its registered sign-out URL", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	if c, err := r.Cookie(sessionCookie); err == nil {
		delete(p.sessions, c.Value)
	}
	p.logouts++
	p.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, q.Get("logout_uri"), http.StatusFound)
}

// redirectWithCode sends the browser back to the client with a code.
func (p *oidcProvider) redirectWithCode(w http.ResponseWriter, r *http.Request, q url.Values) {
	code := randomID()
	p.mu.Lock()
	p.codes[code] = pendingCode{challenge: q.Get("code_challenge"), redirectURI: q.Get("redirect_uri")}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// hasSession reports whether a browser is signed in with the provider
// (each rig has one browser).
func (p *oidcProvider) hasSession() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sessions) > 0
}

// counts returns how many times credentials were asked for, and how many
// sign-outs there were.
func (p *oidcProvider) counts() (prompts, logouts int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.prompts, p.logouts
}

func (p *oidcProvider) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", p.pageOrigin)
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		return
	}
	r.ParseForm()
	p.mu.Lock()
	pending, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_id") != p.clientID:
		http.Error(w, `{"error":"invalid_client"}`, http.StatusBadRequest)
		return
	case !ok || r.PostForm.Get("redirect_uri") != pending.redirectURI:
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != pending.challenge:
		http.Error(w, `{"error":"invalid_grant","error_description":"PKCE verifier does not match"}`, http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	now := time.Now()
	claims := jwt.MapClaims{"iss": p.URL, "aud": p.clientID, "sub": p.subject, "token_use": "id",
		"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(p.lifetime).Unix()}
	if len(p.groups) > 0 {
		claims["cognito:groups"] = p.groups
	}
	p.mu.Unlock()
	idToken := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	idToken.Header["kid"] = keyID
	signed, err := idToken.SignedString(p.key)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"id_token": signed, "access_token": "unused", "token_type": "Bearer", "expires_in": 3600})
}

func (p *oidcProvider) jwks(w http.ResponseWriter, r *http.Request) {
	pub := p.key.PublicKey
	json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "kid": keyID, "alg": "RS256", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
