// The private channel's viewer page: sign in with the stack's Amazon Cognito
// user pool (authorization code with PKCE; no secret in the page), fetch a
// playback token from the token endpoint with the ID token, and play the
// channel with the Amazon IVS Player Web SDK. Below the video, the
// channel's past broadcasts (the stack's RecordingLibrary): pick one to
// watch it (the endpoint sets CloudFront signed cookies for that one
// recording, on this page's own origin); while a broadcast is live,
// "Rewind" plays its recording so far and "Back to live" returns to the
// stream. config.json is written at deploy time: tokenUrl, authDomain,
// clientId and, with recordings, recordingsUrl and channelArn; with timed
// metadata, metadataUrl: the stream's cues show over the video as they
// play (TEXT_METADATA_CUE), and hosts (the "hosts" group) may send one.
"use strict";

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, forget, fetchToken, callEndpoint, groups, EndpointError } = window.IvscdkSignIn;

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
// watching is "live" (the channel) or the recording being played.
let watching = "live";
// inProgress is the listed recording still being written, if any.
let inProgress = null;

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
  ensurePlayer(config);
  watching = "live";
  liveButtons();
  $("video").hidden = false;
  show("Connecting to the stream…");
  player.load(answer.playbackUrl);
  player.play();
}

// ensurePlayer makes the player once.
function ensurePlayer(config) {
  if (!player) {
    player = window.IVSPlayer.create({
      wasmWorker: PLAYER_SDK + "amazon-ivs-wasmworker.min.js",
      wasmBinary: PLAYER_SDK + "amazon-ivs-wasmworker.min.wasm",
    });
    player.attachHTMLVideoElement($("video"));
    const events = window.IVSPlayer.PlayerEventType;
    const states = window.IVSPlayer.PlayerState;
    player.addEventListener(states.PLAYING, () => show(watching === "live" ? "Live." : "Playing the broadcast of " + when(watching) + "."));
    player.addEventListener(states.ENDED, () => {
      show(watching === "live" ? "The stream has ended." : "The broadcast is over.");
      buttons(["retry", "sign-out"]);
    });
    player.addEventListener(events.TEXT_METADATA_CUE, (cue) => showCue(cue.text));
    player.addEventListener(events.ERROR, (err) => {
      const refused = err && (err.code === 403 || err.statusCode === 403);
      if (watching !== "live") {
        show(refused ? "Your pass to this broadcast has expired or was refused. Pick it again." : "The broadcast could not be played. Pick it again.");
        buttons(["retry", "sign-out"]);
      } else if (refused && ticketExpired()) {
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
}

// showCue shows a cue of the stream over the video for a few seconds: its
// "text" when it is JSON with one (as this page sends), else all of it.
let cueTimer = null;
function showCue(metadata) {
  let text = metadata;
  try {
    const parsed = JSON.parse(metadata);
    if (parsed && typeof parsed.text === "string") text = parsed.text;
  } catch (e) { /* plain text */ }
  $("cue").textContent = text;
  $("cue").hidden = false;
  clearTimeout(cueTimer);
  cueTimer = setTimeout(() => { $("cue").hidden = true; }, 8000);
}

// sendCue puts a host's cue into the live stream (the timed metadata
// endpoint; IVS takes 1 KB and 5 cues a second).
async function sendCue(config) {
  const text = $("cue-text").value.trim();
  if (!text) return;
  $("cue-status").textContent = "Sending…";
  try {
    await callEndpoint(config.metadataUrl, { method: "POST", body: { metadata: JSON.stringify({ text }) }, service: "The cue service",
      words: { ChannelNotLive: "The channel is not live: cues go into a live stream.", RateLimited: "Too many cues at once: wait a second.",
        MetadataTooLarge: "That cue is too long.", CapabilityNotAllowed: "Only hosts may send cues." } });
    $("cue-status").textContent = "Cue sent.";
    $("cue-text").value = "";
  } catch (e) {
    $("cue-status").textContent = e.message;
  }
}

// ticketExpired tells whether the last ticket's token has expired (or
// will within 5 seconds), as its expiresAt says.
function ticketExpired() {
  return ticket !== null && Date.parse(ticket.expiresAt) <= Date.now() + 5000;
}

// liveButtons offers "Rewind" while the channel's broadcast is being
// recorded and the live stream plays, and "Back to live" while a
// recording plays.
function liveButtons() {
  $("rewind").hidden = !(watching === "live" && inProgress);
  $("back-to-live").hidden = watching === "live";
}

// when says when a recording started, in the viewer's words.
function when(recording) {
  return new Date(recording.startedAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

// length says how long a recording is (h:mm:ss or m:ss).
function length(ms) {
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const pad = (n) => String(n).padStart(2, "0");
  return hms[0] > 0 ? hms[0] + ":" + pad(hms[1]) + ":" + pad(hms[2]) : hms[1] + ":" + pad(hms[2]);
}

// recordingsCall calls the recordings endpoint at path with the ID token.
function recordingsCall(config, path, params) {
  const url = new URL(config.recordingsUrl + path, location.href);
  url.search = new URLSearchParams(Object.assign({ channel: config.channelArn }, params)).toString();
  return fetchToken({ tokenUrl: url.href }, "You are signed in, but not allowed to watch past broadcasts.");
}

// listRecordings shows a page of past broadcasts (more: the next page).
async function listRecordings(config, next) {
  $("past").hidden = false;
  $("past-status").textContent = "Loading past broadcasts…";
  let answer;
  try {
    answer = await recordingsCall(config, "", next ? { next } : {});
  } catch (e) {
    $("past-status").textContent = e.message;
    return;
  }
  if (!next) {
    $("recordings").replaceChildren();
    inProgress = null;
  }
  for (const recording of answer.recordings) {
    if (recording.live) inProgress = recording;
    $("recordings").append(recordingItem(config, recording));
  }
  const count = $("recordings").children.length;
  $("past-status").textContent = count === 0 ? "No past broadcasts yet." : count + (count === 1 ? " broadcast." : " broadcasts.");
  $("more").hidden = !answer.next;
  $("more").onclick = () => listRecordings(config, answer.next);
  liveButtons();
}

// recordingItem is one past broadcast: its thumbnail, date and length, a
// button that plays it.
function recordingItem(config, recording) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.id = "watch-" + $("recordings").children.length;
  if (recording.thumbnail) {
    const img = document.createElement("img");
    img.src = recording.thumbnail;
    img.alt = "";
    button.append(img);
  } else {
    const none = document.createElement("span");
    none.className = "no-thumbnail";
    button.append(none);
  }
  const title = document.createElement("span");
  title.textContent = when(recording);
  const detail = document.createElement("span");
  if (recording.live) {
    detail.className = "live";
    detail.textContent = "Live now";
  } else {
    detail.textContent = recording.status === "failed" ? "Incomplete recording" : length(recording.durationMs);
  }
  button.append(title, detail);
  button.setAttribute("aria-label", "Watch the broadcast of " + title.textContent + ", " + detail.textContent);
  button.addEventListener("click", () => playRecording(config, recording, false).catch((e) => show(e.message)));
  item.append(button);
  return item;
}

// playRecording gets the cookies for one recording and plays it; rewind
// starts a recording in progress 30 seconds before its end, its live edge.
async function playRecording(config, recording, rewind) {
  show("Getting your pass to the broadcast of " + when(recording) + "…");
  let answer;
  try {
    answer = await recordingsCall(config, "/watch", { id: recording.id });
  } catch (e) {
    show(e.message);
    if (e instanceof EndpointError && e.status === 401) {
      forget();
      buttons(["sign-in"]);
    }
    return;
  }
  if (!window.IVSPlayer || !window.IVSPlayer.isPlayerSupported) {
    show("This browser cannot play the broadcast.");
    return;
  }
  ensurePlayer(config);
  watching = answer;
  liveButtons();
  $("video").hidden = false;
  player.load(new URL(answer.playlist, location.href).href);
  if (rewind) {
    player.addEventListener(window.IVSPlayer.PlayerState.READY, function seek() {
      player.removeEventListener(window.IVSPlayer.PlayerState.READY, seek);
      const end = player.getDuration();
      if (Number.isFinite(end) && end > 30) player.seekTo(end - 30);
    });
  }
  player.play();
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
  $("rewind").addEventListener("click", () => inProgress && playRecording(config, inProgress, true).catch((e) => show(e.message)));
  $("back-to-live").addEventListener("click", () => watch(config).catch((e) => show(e.message)));
  $("cue-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sendCue(config);
  });
  $("sign-out").addEventListener("click", () => {
    if (player) player.pause();
    $("video").hidden = true;
    $("past").hidden = true;
    $("cue-form").hidden = true;
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
  $("cue-form").hidden = !(config.metadataUrl && groups().includes("hosts"));
  const recordings = config.recordingsUrl && idToken() && idToken() !== "expired" ? listRecordings(config) : null;
  await watch(config);
  await recordings;
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
