// The stage's join page: sign in with the stack's Amazon Cognito user pool
// (authorization code with PKCE; no secret in the page), fetch a
// participant token from the token endpoint with the ID token, and join
// the stage with the Amazon IVS Web Broadcast SDK: camera and microphone
// when the token allows publishing, every other participant shown, and
// leave. config.json is written at deploy time: tokenUrl, authDomain,
// clientId.
"use strict";

const $ = (id) => document.getElementById(id);
const session = window.sessionStorage;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "join", "leave", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
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
  session.setItem("id_token", (await response.json()).id_token);
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

class EndpointError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function participantToken(config, token) {
  let response;
  try {
    response = await fetch(config.tokenUrl, { headers: { Authorization: "Bearer " + token } });
  } catch (e) {
    throw new EndpointError(0, "The token service cannot be reached. Check your connection and try again.");
  }
  if (response.status === 401) throw new EndpointError(401, "Your sign-in has expired. Sign in again.");
  if (response.status === 403) throw new EndpointError(403, "You are signed in, but not allowed on this stage.");
  if (!response.ok) throw new EndpointError(response.status, "The token service failed (" + response.status + "). Try again.");
  return response.json();
}

let stage = null;
let localStreams = [];

function ready() {
  const token = idToken();
  if (!token || token === "expired") {
    show(token ? "Your sign-in has expired. Sign in again." : "Sign in to join the stage.");
    buttons(["sign-in"]);
    return;
  }
  show("Signed in. Join when you are ready.");
  buttons(["join", "sign-out"]);
}

async function join(config) {
  const token = idToken();
  if (!token || token === "expired") return ready();
  show("Getting your ticket to the stage…");
  buttons(["sign-out"]);
  let answer;
  try {
    answer = await participantToken(config, token);
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
  const sdk = window.IVSBroadcastClient;
  if (!sdk) {
    show("The stage SDK did not load. Reload the page.");
    return;
  }
  const publish = (answer.capabilities || []).includes("PUBLISH");
  if (publish) {
    try {
      const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      localStreams = media.getTracks().map((track) => new sdk.LocalStageStream(track));
      $("local").srcObject = media;
      $("me").hidden = false;
    } catch (e) {
      show("Your camera or microphone is not available (" + e.name + "). Allow them, then try again.");
      buttons(["retry", "sign-out"]);
      return;
    }
  }
  const strategy = {
    stageStreamsToPublish: () => localStreams,
    shouldPublishParticipant: () => publish,
    shouldSubscribeToParticipant: () => sdk.SubscribeType.AUDIO_VIDEO,
  };
  stage = new sdk.Stage(answer.token, strategy);
  stage.on(sdk.StageEvents.STAGE_CONNECTION_STATE_CHANGED, (state) => {
    const words = {
      connecting: "Joining the stage…", connected: publish ? "On stage: others see and hear you." : "On stage, watching.",
      disconnected: "You are not on the stage.", errored: "The connection to the stage failed. Try again.",
    };
    show(words[state] || "Stage: " + state);
    if (state === "errored") buttons(["retry", "sign-out"]);
  });
  stage.on(sdk.StageEvents.STAGE_PARTICIPANT_STREAMS_ADDED, (participant, streams) => {
    if (participant.isLocal) return;
    let figure = document.getElementById("p-" + participant.id);
    if (!figure) {
      figure = document.createElement("figure");
      figure.id = "p-" + participant.id;
      const video = document.createElement("video");
      video.playsInline = true;
      video.autoplay = true;
      video.setAttribute("aria-label", "Participant " + (participant.userId || participant.id));
      video.srcObject = new MediaStream();
      const caption = document.createElement("figcaption");
      caption.textContent = participant.userId || "A participant";
      figure.append(video, caption);
      $("participants").append(figure);
    }
    const media = figure.querySelector("video").srcObject;
    for (const s of streams) media.addTrack(s.mediaStreamTrack);
  });
  stage.on(sdk.StageEvents.STAGE_PARTICIPANT_LEFT, (participant) => {
    const figure = document.getElementById("p-" + participant.id);
    if (figure) figure.remove();
  });
  show("Joining the stage…");
  buttons(["leave", "sign-out"]);
  try {
    await stage.join();
  } catch (e) {
    show("Could not join the stage: " + (e && e.message ? e.message : e) + ". Try again.");
    buttons(["retry", "sign-out"]);
  }
}

function leave() {
  if (stage) stage.leave();
  stage = null;
  for (const s of localStreams) s.mediaStreamTrack.stop();
  localStreams = [];
  $("me").hidden = true;
  for (const f of document.querySelectorAll("#participants figure:not(#me)")) f.remove();
  show("You left the stage.");
  buttons(["join", "sign-out"]);
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
  $("join").addEventListener("click", () => join(config).catch((e) => show(e.message)));
  $("retry").addEventListener("click", () => { leave(); join(config).catch((e) => show(e.message)); });
  $("leave").addEventListener("click", leave);
  $("sign-out").addEventListener("click", () => {
    leave();
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
  ready();
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
