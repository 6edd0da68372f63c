// The private channel's viewer page: sign in with the stack's Amazon Cognito
// user pool (authorization code with PKCE; no secret in the page), fetch a
// playback token from the token endpoint with the ID token, and play the
// channel with the Amazon IVS Player Web SDK. config.json is written at
// deploy time: tokenUrl, authDomain, clientId.
"use strict";

const $ = (id) => document.getElementById(id);
const session = window.sessionStorage;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function randomString() { return base64url(crypto.getRandomValues(new Uint8Array(32))); }
function redirectUri() { return window.location.origin + "/"; }

// signOut forgets the ID token and ends the hosted sign-in's own session
// at its logout endpoint, which returns to this page (the app client's
// registered sign-out URL). Dropping the ID token alone would leave that
// session alive: on a shared computer the next "Sign in" would be the
// previous user, with no password asked.
function signOut(config) {
  session.removeItem("id_token");
  session.setItem("signed_out", "1");
  const url = new URL(config.authDomain + "/logout");
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
  window.location.assign(url.toString());
}

// The ID token's claims, read (not verified: the endpoint's authorizer
// verifies it) to know when it expires.
function claims(jwt) {
  try {
    return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  } catch (e) {
    return {};
  }
}

async function signIn(config) {
  const verifier = randomString();
  const state = randomString();
  session.setItem("pkce_verifier", verifier);
  session.setItem("pkce_state", state);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL(config.authDomain + "/oauth2/authorize");
  url.search = new URLSearchParams({
    response_type: "code", client_id: config.clientId, redirect_uri: redirectUri(), scope: "openid",
    state, code_challenge: challenge, code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
}

// finishSignIn exchanges the authorization code for tokens.
async function finishSignIn(config, params) {
  const state = session.getItem("pkce_state");
  const verifier = session.getItem("pkce_verifier");
  session.removeItem("pkce_state");
  session.removeItem("pkce_verifier");
  window.history.replaceState(null, "", "/");
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
  const tokens = await response.json();
  session.setItem("id_token", tokens.id_token);
}

// idToken returns the signed-in viewer's ID token, "expired" for one past
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

class EndpointError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function playbackToken(config, token) {
  let response;
  try {
    response = await fetch(config.tokenUrl, { headers: { Authorization: "Bearer " + token } });
  } catch (e) {
    throw new EndpointError(0, "The token service cannot be reached. Check your connection and try again.");
  }
  if (response.status === 401) throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
  if (response.status === 403) throw new EndpointError(403, "You are signed in, but not allowed to watch this channel.");
  if (!response.ok) throw new EndpointError(response.status, "The token service failed (" + response.status + "). Try again.");
  return response.json();
}

// The folder of the player SDK that index.html loads, built into the page
// (../sdk); its WebAssembly worker and binary are beside it.
const PLAYER_SDK = new URL("sdk/", location.href).href;

let player = null;
// ticket is the token endpoint's last answer (playbackUrl, expiresAt).
let ticket = null;

async function watch(config) {
  const token = idToken();
  if (!token || token === "expired") {
    show(token ? "Your sign-in has expired. Sign in again." : "Sign in to watch the channel.");
    buttons(["sign-in"]);
    return;
  }
  show("Getting your ticket to the channel…");
  buttons(["sign-out"]);
  let answer;
  try {
    answer = await playbackToken(config, token);
    ticket = answer;
  } catch (e) {
    show(e.message);
    if (e.status === 401) {
      session.removeItem("id_token");
      buttons(["sign-in"]);
    } else {
      buttons(["retry", "sign-out"]);
    }
    return;
  }
  if (!window.IVSPlayer || !window.IVSPlayer.isPlayerSupported) {
    show("This browser cannot play the stream.");
    return;
  }
  if (!player) {
    player = window.IVSPlayer.create({
      wasmWorker: PLAYER_SDK + "amazon-ivs-wasmworker.min.js",
      wasmBinary: PLAYER_SDK + "amazon-ivs-wasmworker.min.wasm",
    });
    player.attachHTMLVideoElement($("video"));
    const events = window.IVSPlayer.PlayerEventType;
    const states = window.IVSPlayer.PlayerState;
    player.addEventListener(states.PLAYING, () => show("Live."));
    player.addEventListener(states.ENDED, () => { show("The stream has ended."); buttons(["retry", "sign-out"]); });
    player.addEventListener(events.ERROR, (err) => {
      const refused = err && (err.code === 403 || err.statusCode === 403);
      if (refused && ticketExpired()) {
        // IVS needs a valid token to (re)start playback; get a new one,
        // once per expired ticket.
        show("Your ticket has expired; getting a new one…");
        watch(config).catch((e) => show(e.message));
      } else if (refused) {
        show("The channel refused your ticket. Try again.");
        buttons(["retry", "sign-out"]);
      } else if (err && (err.code === 404 || err.statusCode === 404)) {
        show("The stream is offline. Try again when it is live.");
        buttons(["retry", "sign-out"]);
      } else {
        show("Playback failed. Try again.");
        buttons(["retry", "sign-out"]);
      }
    });
  }
  $("video").hidden = false;
  show("Connecting to the stream…");
  player.load(answer.playbackUrl);
  player.play();
}

// ticketExpired tells whether the last ticket's token has expired (or
// will within 5 seconds), as its expiresAt says.
function ticketExpired() {
  return ticket !== null && Date.parse(ticket.expiresAt) <= Date.now() + 5000;
}

async function main() {
  let config;
  try {
    const response = await fetch("config.json", { cache: "no-store" });
    config = await response.json();
  } catch (e) {
    show("The page's settings could not be loaded. Reload the page.");
    return;
  }
  $("sign-in").addEventListener("click", () => signIn(config).catch((e) => show(e.message)));
  $("retry").addEventListener("click", () => watch(config).catch((e) => show(e.message)));
  $("sign-out").addEventListener("click", () => {
    if (player) player.pause();
    $("video").hidden = true;
    show("Signing out…");
    signOut(config);
  });
  if (session.getItem("signed_out")) {
    // Back from the logout endpoint.
    session.removeItem("signed_out");
    show("Signed out.");
    buttons(["sign-in"]);
    return;
  }
  const params = new URLSearchParams(window.location.search);
  if (params.has("error")) {
    window.history.replaceState(null, "", "/");
    show("Signing in failed: " + params.get("error") + ". Sign in again.");
    buttons(["sign-in"]);
    return;
  }
  if (params.has("code")) {
    try {
      await finishSignIn(config, params);
    } catch (e) {
      show(e.message);
      buttons(["sign-in"]);
      return;
    }
  }
  await watch(config);
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
