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
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, forget, fetchToken } = window.IvscdkSignIn;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
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
  const answer = await fetchToken(config, "You are signed in, but not allowed in this room.");
  capabilities = answer.capabilities || [];
  tokenError = null;
  return {
    token: answer.token,
    tokenExpirationTime: new Date(answer.tokenExpiresAt),
    sessionExpirationTime: new Date(answer.sessionExpiresAt),
  };
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
      forget();
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
  // Back from signing out, from a failed sign-in, or signed in now.
  const told = await arrive(config);
  if (told) {
    show(told);
    buttons(["sign-in"]);
    return;
  }
  connect(config);
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
