// The stage's join page: sign in with the stack's Amazon Cognito user pool
// (authorization code with PKCE; no secret in the page), fetch a
// participant token from the token endpoint with the ID token, and join
// the stage with the Amazon IVS Web Broadcast SDK: camera and microphone
// when the token allows publishing, every other participant shown, and
// leave. Below, for hosts, the stage's recordings (the stack's
// RecordingLibrary: each publisher recorded on their own): pick one to
// watch it with the Amazon IVS Player Web SDK (the endpoint sets
// CloudFront signed cookies for that one recording, on this page's own
// origin). config.json is written at deploy time: tokenUrl, authDomain,
// clientId and, with recordings, recordingsUrl and stageArn.
"use strict";

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, forget, fetchToken } = window.IvscdkSignIn;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "join", "leave", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
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

// The folder of the player SDK that index.html loads, built into the page
// (../sdk); its WebAssembly worker and binary are beside it.
const PLAYER_SDK = new URL("sdk/", location.href).href;
let player = null;

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
  url.search = new URLSearchParams(Object.assign({ stage: config.stageArn }, params)).toString();
  return fetchToken({ tokenUrl: url.href }, "Only hosts may watch the stage's recordings.");
}

// listRecordings shows a page of the stage's recordings (more: the next
// page); for anyone but a host the endpoint refuses, and the section
// stays hidden.
async function listRecordings(config, next) {
  let answer;
  try {
    answer = await recordingsCall(config, "", next ? { next } : {});
  } catch (e) {
    if (e.status === 403 && !next) return;
    $("past").hidden = false;
    $("past-status").textContent = e.message;
    return;
  }
  $("past").hidden = false;
  if (!next) $("recordings").replaceChildren();
  for (const recording of answer.recordings) $("recordings").append(recordingItem(config, recording));
  const count = $("recordings").children.length;
  $("past-status").textContent = count === 0 ? "No recordings yet." : count + (count === 1 ? " recording." : " recordings.");
  $("more").hidden = !answer.next;
  $("more").onclick = () => listRecordings(config, answer.next);
}

// recordingItem is one participant's recording: its thumbnail, date,
// length and participant, a button that plays it.
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
  const who = document.createElement("span");
  who.textContent = "Participant " + recording.participantId;
  const detail = document.createElement("span");
  if (recording.live) {
    detail.className = "live";
    detail.textContent = "Recording now";
  } else {
    detail.textContent = recording.status === "RECORDING_ENDED" ? length(recording.durationMs) : "Incomplete recording";
  }
  button.append(title, who, detail);
  button.setAttribute("aria-label", "Watch the recording of participant " + recording.participantId + ", " + title.textContent + ", " + detail.textContent);
  button.addEventListener("click", () => playRecording(config, recording).catch((e) => show(e.message)));
  item.append(button);
  return item;
}

// playRecording gets the cookies for one recording and plays it.
async function playRecording(config, recording) {
  $("past-status").textContent = "Getting your pass to the recording of " + when(recording) + "…";
  let answer;
  try {
    answer = await recordingsCall(config, "/watch", { id: recording.id });
  } catch (e) {
    $("past-status").textContent = e.message;
    return;
  }
  if (!window.IVSPlayer || !window.IVSPlayer.isPlayerSupported) {
    $("past-status").textContent = "This browser cannot play the recording.";
    return;
  }
  if (!player) {
    player = window.IVSPlayer.create({
      wasmWorker: PLAYER_SDK + "amazon-ivs-wasmworker.min.js",
      wasmBinary: PLAYER_SDK + "amazon-ivs-wasmworker.min.wasm",
    });
    player.attachHTMLVideoElement($("recording"));
    player.addEventListener(window.IVSPlayer.PlayerState.PLAYING, () => { $("past-status").textContent = "Playing the recording."; });
    player.addEventListener(window.IVSPlayer.PlayerState.ENDED, () => { $("past-status").textContent = "The recording is over."; });
    player.addEventListener(window.IVSPlayer.PlayerEventType.ERROR, (err) => {
      const refused = err && (err.code === 403 || err.statusCode === 403);
      $("past-status").textContent = refused ? "Your pass to this recording has expired or was refused. Pick it again." : "The recording could not be played. Pick it again.";
    });
  }
  $("recording").hidden = false;
  player.load(new URL(answer.playlist, location.href).href);
  player.play();
}

async function join(config) {
  const token = idToken();
  if (!token || token === "expired") return ready();
  show("Getting your ticket to the stage…");
  buttons(["sign-out"]);
  let answer;
  try {
    answer = await fetchToken(config, "You are signed in, but not allowed on this stage.");
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
    if (player) player.pause();
    $("past").hidden = true;
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
  ready();
  if (config.recordingsUrl && idToken() && idToken() !== "expired") await listRecordings(config);
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
