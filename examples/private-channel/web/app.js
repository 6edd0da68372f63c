// The private channel's viewer page: sign in with the stack's Amazon Cognito
// user pool (authorization code with PKCE; no secret in the page), fetch a
// playback token from the token endpoint with the ID token, and play the
// channel with the Amazon IVS Player Web SDK. config.json is written at
// deploy time: tokenUrl, authDomain, clientId.
"use strict";

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, forget, fetchToken } = window.IvscdkSignIn;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
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
    answer = await fetchToken(config, "You are signed in, but not allowed to watch this channel.");
    ticket = answer;
  } catch (e) {
    show(e.message);
    if (e.status === 401) {
      forget();
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
  // Back from signing out, from a failed sign-in, or signed in now.
  const told = await arrive(config);
  if (told) {
    show(told);
    buttons(["sign-in"]);
    return;
  }
  await watch(config);
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
