// The chat room's page: sign in with the stack's Amazon Cognito user pool
// (authorization code with PKCE; no secret in the page), and chat with the
// Amazon IVS Chat Client Messaging SDK: a ChatRoom whose tokenProvider
// calls the chat token endpoint with the ID token. Messages the room's
// moderation denies are shown as denied; delete and disconnect controls
// appear only when the token carries those capabilities. config.json is
// written at deploy time: tokenUrl, authDomain, clientId, region (or
// chatUrl, a WebSocket URL in place of the region's endpoint).
// index.html loads the SDK first (window.IVSChatMessaging).
const { ChatRoom, SendMessageRequest, DeleteMessageRequest, DisconnectUserRequest } = window.IVSChatMessaging;

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
  session.setItem("id_token", (await response.json()).id_token);
}

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

// What the current token allows besides sending (DELETE_MESSAGE,
// DISCONNECT_USER).
let capabilities = [];
let room = null;
// tokenError is why the last token could not be had, to say so when the
// SDK gives up connecting.
let tokenError = null;
// signedOut: the viewer chose Sign out (the disconnect that follows says so).
let signedOut = false;

function chatToken(config) {
  return async () => {
    try {
      return await fetchChatToken(config);
    } catch (e) {
      tokenError = e;
      throw e;
    }
  };
}

async function fetchChatToken(config) {
  {
    const token = idToken();
    if (!token || token === "expired") throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
    let response;
    try {
      response = await fetch(config.tokenUrl, { headers: { Authorization: "Bearer " + token } });
    } catch (e) {
      throw new EndpointError(0, "The token service cannot be reached. Check your connection and try again.");
    }
    if (response.status === 401) throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
    if (response.status === 403) throw new EndpointError(403, "You are signed in, but not allowed in this room.");
    if (!response.ok) throw new EndpointError(response.status, "The token service failed (" + response.status + "). Try again.");
    const answer = await response.json();
    capabilities = answer.capabilities || [];
    tokenError = null;
    return {
      token: answer.token,
      tokenExpirationTime: new Date(answer.tokenExpiresAt),
      sessionExpirationTime: new Date(answer.sessionExpiresAt),
    };
  }
}

function addMessage(message) {
  const item = document.createElement("li");
  item.id = "m-" + message.id;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = message.sender.userId;
  const text = document.createElement("span");
  text.textContent = message.content;
  item.append(who, text);
  if (capabilities.includes("DELETE_MESSAGE")) {
    const del = document.createElement("button");
    del.type = "button";
    del.className = "delete";
    del.textContent = "Delete";
    del.setAttribute("aria-label", "Delete this message");
    del.addEventListener("click", () => room.deleteMessage(new DeleteMessageRequest(message.id, "deleted by a moderator"))
      .catch((e) => show("Deleting failed: " + e.errorMessage)));
    item.append(del);
  }
  if (capabilities.includes("DISCONNECT_USER")) {
    const out = document.createElement("button");
    out.type = "button";
    out.className = "disconnect";
    out.textContent = "Disconnect " + message.sender.userId;
    out.addEventListener("click", () => room.disconnectUser(new DisconnectUserRequest(message.sender.userId, "disconnected by a moderator"))
      .catch((e) => show("Disconnecting failed: " + e.errorMessage)));
    item.append(out);
  }
  $("log").append(item);
  item.scrollIntoView({ block: "nearest" });
}

function addDenied(content) {
  const item = document.createElement("li");
  item.className = "denied";
  item.textContent = "Not delivered (the room's moderation denied it): " + content;
  $("log").append(item);
}

function connect(config) {
  const token = idToken();
  if (!token || token === "expired") {
    show(token ? "Your sign-in has expired. Sign in again." : "Sign in to chat.");
    buttons(["sign-in"]);
    return;
  }
  signedOut = false;
  show("Connecting to the room…");
  buttons(["sign-out"]);
  room = new ChatRoom({ regionOrUrl: config.chatUrl || config.region, tokenProvider: chatToken(config) });
  room.addListener("connect", () => {
    show(capabilities.includes("DELETE_MESSAGE") ? "Connected, as a moderator." : "Connected.");
    $("send").hidden = false;
    $("message").focus();
  });
  room.addListener("disconnect", (reason) => {
    $("send").hidden = true;
    if (reason === "clientDisconnect") {
      show(signedOut ? "Signed out." : "Disconnected.");
      buttons(["sign-in"]);
    } else if (tokenError && tokenError.status === 401) {
      show(tokenError.message);
      session.removeItem("id_token");
      buttons(["sign-in"]);
    } else {
      show(tokenError ? tokenError.message : "You are disconnected from the room. Try again.");
      buttons(["retry", "sign-out"]);
    }
  });
  room.addListener("message", addMessage);
  room.addListener("messageDelete", (event) => {
    const item = document.getElementById("m-" + event.messageId);
    if (item) item.remove();
  });
  room.addListener("userDisconnect", (event) => show(event.userId + " was disconnected by a moderator."));
  room.connect();
}

async function send(event) {
  event.preventDefault();
  const content = $("message").value.trim();
  if (!content) return;
  $("message").value = "";
  try {
    await room.sendMessage(new SendMessageRequest(content));
  } catch (e) {
    if (e && e.errorCode === 406) {
      addDenied(content);
      show("Your message was not delivered: the room's moderation denied it.");
    } else {
      show("Sending failed" + (e && e.errorMessage ? ": " + e.errorMessage : "") + ".");
    }
  }
}

async function main() {
  let config;
  try {
    config = await (await fetch("config.json", { cache: "no-store" })).json();
  } catch (e) {
    show("The page's settings could not be loaded. Reload the page.");
    return;
  }
  $("sign-in").addEventListener("click", () => signIn(config).catch((e) => show(e.message)));
  $("retry").addEventListener("click", () => connect(config));
  $("sign-out").addEventListener("click", () => {
    signedOut = true;
    if (room) room.disconnect();
    show("Signing out…");
    signOut(config);
  });
  $("send").addEventListener("submit", (e) => send(e));
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
  connect(config);
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
