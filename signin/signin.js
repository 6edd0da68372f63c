// ivscdk's page sign-in (github.com/ivscdk/ivscdk/signin): sign in with an
// Amazon Cognito user pool's hosted sign-in (authorization code with PKCE;
// no secret in the page), keep the ID token for this tab, call a token
// endpoint with it, and sign out of the hosted sign-in's own session.
// Load it before the page's script; it defines window.IvscdkSignIn.
// config is the page's config.json: authDomain (the hosted sign-in's base
// URL), clientId (the app client), tokenUrl (the endpoint).
"use strict";
(() => {
  const session = window.sessionStorage;

  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function randomString() { return base64url(crypto.getRandomValues(new Uint8Array(32))); }
  // The page's own address: the app client's registered callback and
  // sign-out URL.
  function redirectUri() { return window.location.origin + "/"; }

  // signIn sends the browser to the hosted sign-in, which returns to the
  // page with an authorization code (arrive finishes it).
  async function signIn(config) {
    const verifier = randomString();
    const state = randomString();
    session.setItem("pkce_verifier", verifier);
    session.setItem("pkce_state", state);
    // Where the page was (a show's link, say): the sign-in returns to the
    // page's root, and finishSignIn puts it back. Only a path of this
    // origin is kept.
    const here = window.location.pathname + window.location.search;
    session.setItem("return_to", here.startsWith("/") && !here.startsWith("//") ? here : "/");
    const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const url = new URL(config.authDomain + "/oauth2/authorize");
    url.search = new URLSearchParams({
      response_type: "code", client_id: config.clientId, redirect_uri: redirectUri(), scope: "openid",
      state, code_challenge: challenge, code_challenge_method: "S256",
    }).toString();
    window.location.assign(url.toString());
  }

  // signOut forgets the ID token and ends the hosted sign-in's own session
  // at its logout endpoint, which returns to the page. Dropping the ID
  // token alone would leave that session alive: on a shared computer the
  // next "Sign in" would be the previous user, with no password asked.
  function signOut(config) {
    session.removeItem("id_token");
    session.setItem("signed_out", "1");
    const url = new URL(config.authDomain + "/logout");
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
    window.location.assign(url.toString());
  }

  // claims reads an ID token's claims (not verified: the endpoint's
  // authorizer verifies it), to know when it expires.
  function claims(jwt) {
    try {
      return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    } catch (e) {
      return {};
    }
  }

  // finishSignIn exchanges the authorization code for tokens.
  async function finishSignIn(config, params) {
    const state = session.getItem("pkce_state");
    const verifier = session.getItem("pkce_verifier");
    session.removeItem("pkce_state");
    session.removeItem("pkce_verifier");
    const back = session.getItem("return_to");
    session.removeItem("return_to");
    window.history.replaceState(null, "", back && back.startsWith("/") && !back.startsWith("//") ? back : "/");
    if (!state || params.get("state") !== state || !verifier) {
      throw new Error("The sign-in did not come back as it left: sign in again.");
    }
    const response = await fetch(config.authDomain + "/oauth2/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", client_id: config.clientId, code: params.get("code"),
        redirect_uri: redirectUri(), code_verifier: verifier,
      }),
    });
    if (!response.ok) throw new Error("Signing in failed (" + response.status + "): sign in again.");
    session.setItem("id_token", (await response.json()).id_token);
  }

  // arrive handles the page's arrival: back from sign-out, from a failed
  // sign-in, or from the hosted sign-in with a code (exchanged here). It
  // returns what to tell the user, who must sign in (again), or null when
  // the page goes on (signed in or not: see idToken).
  async function arrive(config) {
    if (session.getItem("signed_out")) {
      session.removeItem("signed_out");
      return "Signed out.";
    }
    const params = new URLSearchParams(window.location.search);
    if (params.has("error")) {
      window.history.replaceState(null, "", "/");
      return "Signing in failed: " + params.get("error") + ". Sign in again.";
    }
    if (params.has("code")) {
      try {
        await finishSignIn(config, params);
      } catch (e) {
        return e.message;
      }
    }
    return null;
  }

  // idToken returns the signed-in user's ID token, "expired" for one past
  // its expiry (which is then forgotten), or null.
  function idToken() {
    const token = session.getItem("id_token");
    if (!token) return null;
    const exp = claims(token).exp;
    if (!exp || exp * 1000 <= Date.now()) {
      session.removeItem("id_token");
      return "expired";
    }
    return token;
  }

  // forget drops the ID token (the endpoint refused it).
  function forget() { session.removeItem("id_token"); }

  // EndpointError is an endpoint's refusal; status is its HTTP status, 0
  // when it could not be reached, and code the endpoint's error code
  // ({"error": {"code"}}), "" when it gave none.
  class EndpointError extends Error {
    constructor(status, message, code) { super(message); this.status = status; this.code = code || ""; }
  }

  // callEndpoint calls an ivscdk endpoint at url with the ID token and
  // returns its JSON answer. options: method (default GET), body (sent as
  // JSON), service (its name in messages, default "The token service"),
  // forbidden (what to say on 403, unless words has the code), words (the
  // endpoint's error codes to what to say).
  async function callEndpoint(url, options) {
    const o = options || {};
    const service = o.service || "The token service";
    const token = idToken();
    if (!token || token === "expired") throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
    const init = { method: o.method || "GET", headers: { Authorization: "Bearer " + token } };
    if (o.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(o.body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      throw new EndpointError(0, service + " cannot be reached. Check your connection and try again.");
    }
    if (response.status === 401) throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = body.error || {};
      const said = (o.words || {})[error.code];
      if (said) throw new EndpointError(response.status, said, error.code);
      if (response.status === 403 && o.forbidden) throw new EndpointError(403, o.forbidden, error.code);
      throw new EndpointError(response.status, error.message || service + " failed (" + response.status + "). Try again.", error.code);
    }
    return body;
  }

  // fetchToken calls the token endpoint (config.tokenUrl) with the ID
  // token and returns its JSON answer. forbidden is what to say when the
  // endpoint answers 403 (signed in, but not allowed).
  function fetchToken(config, forbidden) {
    return callEndpoint(config.tokenUrl, { forbidden });
  }

  // groups are the signed-in user's groups (cognito:groups), to show
  // what they may do; the endpoints decide what they may do.
  function groups() {
    const token = idToken();
    if (!token || token === "expired") return [];
    const g = claims(token)["cognito:groups"];
    return Array.isArray(g) ? g : [];
  }

  window.IvscdkSignIn = Object.freeze({ signIn, signOut, arrive, idToken, forget, fetchToken, callEndpoint, groups, EndpointError });
})();
