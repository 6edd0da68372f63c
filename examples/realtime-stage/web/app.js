// The stage's join page: sign in with the stack's Amazon Cognito user pool
// (authorization code with PKCE; no secret in the page), fetch a
// participant token from the token endpoint with the ID token, and join
// the stage with the Amazon IVS Web Broadcast SDK: camera and microphone
// when the token allows publishing, every other participant shown, and
// leave. Below, for hosts, the stage's recordings (the stack's
// RecordingLibrary: each publisher recorded on their own): pick one to
// watch it with the Amazon IVS Player Web SDK (the endpoint sets
// CloudFront signed cookies for that one recording, on this page's own
// origin). With shows (the stack's StageSessions, config.sessionsUrl), a
// host starts a show of their own (a new stage) and shares its link
// (?show=<ID>); whoever opens the link joins it; the page polls the
// show's status: "on air" while it is broadcast to the channel, a
// promotion to co-host or back (the token exchanged in place, no
// reconnect), and a moderator's removal with its reason. config.json is
// written at deploy time: tokenUrl, authDomain, clientId and, with
// recordings, recordingsUrl and stageArn; with shows, sessionsUrl.
"use strict";

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, forget, fetchToken, callEndpoint, EndpointError } = window.IvscdkSignIn;

function show(text) { $("status").textContent = text; }
function buttons(names) {
  for (const b of ["sign-in", "join", "leave", "retry", "sign-out", "start-show", "join-show", "end-show"]) {
    if ($(b)) $(b).hidden = !names.includes(b);
  }
}

// The show this page opened from its link (?show=<ID>), if any; read
// once the sign-in has put the page's address back (main).
let linkedShow = null;

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
  buttons(readyButtons());
}

// readyButtons are the buttons of a signed-in page off stage.
function readyButtons() {
  if (!config.sessionsUrl) return ["join", "sign-out"];
  return linkedShow ? ["join-show", "sign-out"] : ["join", "start-show", "sign-out"];
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
  await enter(answer);
}

// publishing tells whether the current token lets this page publish.
let publishing = false;

// openCamera starts the camera and microphone as the streams to publish;
// false (and the page says why) if they are not available.
async function openCamera(sdk) {
  try {
    const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    localStreams = media.getTracks().map((track) => new sdk.LocalStageStream(track));
    $("local").srcObject = media;
    $("me").hidden = false;
    return true;
  } catch (e) {
    show("Your camera or microphone is not available (" + e.name + "). Allow them, then try again.");
    buttons(["retry", "sign-out"]);
    return false;
  }
}

// enter joins the stage with a token answer (the token endpoint's or a
// show's): camera and microphone when it allows publishing.
async function enter(answer) {
  const sdk = window.IVSBroadcastClient;
  if (!sdk) {
    show("The stage SDK did not load. Reload the page.");
    return;
  }
  publishing = (answer.capabilities || []).includes("PUBLISH");
  if (publishing && !(await openCamera(sdk))) return;
  const strategy = {
    stageStreamsToPublish: () => localStreams,
    shouldPublishParticipant: () => publishing,
    shouldSubscribeToParticipant: () => sdk.SubscribeType.AUDIO_VIDEO,
  };
  stage = new sdk.Stage(answer.token, strategy);
  const mine = stage;
  stage.on(sdk.StageEvents.STAGE_CONNECTION_STATE_CHANGED, (state) => {
    if (stage !== mine) return; // left: a removal's reason stays shown
    const words = {
      connecting: "Joining the stage…", connected: publishing ? "On stage: others see and hear you." : "On stage, watching.",
      disconnected: "You are not on the stage.", errored: "The connection to the stage failed. Try again.",
    };
    show(words[state] || "Stage: " + state);
    if (state === "errored") buttons(["retry", "sign-out"]);
  });
  // Everyone else on the stage has a figure (a show's host gets their
  // buttons there, viewers included); publishers' streams play in it.
  stage.on(sdk.StageEvents.STAGE_PARTICIPANT_JOINED, (participant) => {
    if (!participant.isLocal) figureFor(participant);
  });
  stage.on(sdk.StageEvents.STAGE_PARTICIPANT_STREAMS_ADDED, (participant, streams) => {
    if (participant.isLocal) return;
    const media = figureFor(participant).querySelector("video").srcObject;
    for (const s of streams) media.addTrack(s.mediaStreamTrack);
  });
  stage.on(sdk.StageEvents.STAGE_PARTICIPANT_LEFT, (participant) => {
    const figure = document.getElementById("p-" + participant.id);
    if (figure) figure.remove();
  });
  show("Joining the stage…");
  buttons(current ? (current.owner ? ["end-show", "leave", "sign-out"] : ["leave", "sign-out"]) : ["leave", "sign-out"]);
  try {
    await mine.join();
  } catch (e) {
    if (stage !== mine) return;
    show("Could not join the stage: " + (e && e.message ? e.message : e) + ". Try again.");
    buttons(["retry", "sign-out"]);
  }
}

function leave() {
  stopWatching();
  if (stage) stage.leave();
  stage = null;
  for (const s of localStreams) s.mediaStreamTrack.stop();
  localStreams = [];
  $("me").hidden = true;
  for (const f of document.querySelectorAll("#participants figure:not(#me)")) f.remove();
  show("You left the stage.");
  buttons(readyButtons());
}

// Shows (config.sessionsUrl): the sessions endpoint's answers, and the
// show this page is in.
let current = null; // {session, participantId, owner, capabilities}
let watching = null;

// sessionsCall calls the sessions endpoint with the ID token; an error
// answer becomes an EndpointError with the endpoint's own sentence.
function sessionsCall(method, path, params) {
  const url = new URL(config.sessionsUrl + "/sessions" + path);
  url.search = new URLSearchParams(params || {}).toString();
  return callEndpoint(url.href, { method, service: "The show service",
    words: { NoCapability: "Only hosts may start a show.", SessionNotFound: "This show has ended." } });
}

// showLink shows the link others join the show by.
function showLink(session) {
  const link = new URL(location.href);
  link.search = "?show=" + encodeURIComponent(session);
  link.hash = "";
  $("show-link").href = link.href;
  $("show-link").textContent = link.href;
  $("show").hidden = false;
}

// startShow opens a show of the caller's own and joins it.
async function startShow() {
  show("Starting your show…");
  buttons(["sign-out"]);
  let answer;
  try {
    answer = await sessionsCall("POST", "");
  } catch (e) {
    show(e.message);
    buttons(e.status === 401 ? ["sign-in"] : readyButtons());
    return;
  }
  await enterShow(answer);
}

// joinShow joins the show of the page's link.
async function joinShow() {
  show("Getting your ticket to the show…");
  buttons(["sign-out"]);
  let answer;
  try {
    answer = await sessionsCall("GET", "", { session: linkedShow });
  } catch (e) {
    show(e.message);
    buttons(e.status === 401 ? ["sign-in"] : readyButtons());
    return;
  }
  await enterShow(answer);
}

async function enterShow(answer) {
  current = answer;
  showLink(answer.session);
  onAir(answer.onAir);
  watch();
  await enter(answer);
}

// onAir shows whether the show is broadcast to the channel now.
function onAir(yes) {
  $("on-air").hidden = !yes;
}

// watch polls the show's status (config.statusSeconds, default 5):
// whether it is on air, this participant's role, and a removal.
function watch() {
  stopWatching();
  const every = (config.statusSeconds || 5) * 1000;
  const poll = async () => {
    if (!current) return;
    let status;
    try {
      status = await sessionsCall("GET", "/status", { session: current.session, participant: current.participantId });
    } catch (e) {
      if (e.status === 404 && current) ended("This show has ended.");
      return;
    }
    if (!current) return; // left while the poll was out
    onAir(status.onAir);
    if (status.removed) return ended("You were removed: " + status.removed);
    const publishes = status.role === "host" || status.role === "cohost";
    if (publishes !== publishing) await exchange(publishes);
  };
  watching = setInterval(() => { poll().catch((e) => show(e.message)); }, every);
}

function stopWatching() {
  if (watching) clearInterval(watching);
  watching = null;
}

// ended takes the page off the show, saying why.
function ended(words) {
  current = null;
  leave();
  onAir(false);
  $("show").hidden = true;
  show(words);
}

// exchange swaps this participant's token in place for one with its new
// role's capabilities (IVS token exchange: the same participant, no
// reconnect), starting or stopping the camera.
async function exchange(publishes) {
  const sdk = window.IVSBroadcastClient;
  const answer = await sessionsCall("GET", "/exchange", { session: current.session, participant: current.participantId });
  if (publishes && !localStreams.length && !(await openCamera(sdk))) return;
  await stage.exchangeToken(answer.token);
  publishing = (answer.capabilities || []).includes("PUBLISH");
  if (!publishing) {
    for (const s of localStreams) s.mediaStreamTrack.stop();
    localStreams = [];
    $("me").hidden = true;
  }
  stage.refreshStrategy();
  show(publishing ? "You are a co-host now: others see and hear you." : "You are watching now.");
}

// figureFor returns another participant's figure, made on first sight.
function figureFor(participant) {
  let figure = document.getElementById("p-" + participant.id);
  if (figure) return figure;
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
  if (current && current.owner) figure.append(hostControls(participant));
  $("participants").append(figure);
  return figure;
}

// hostControls are the show's host's buttons for another participant:
// make them a co-host (or a viewer again), or remove them with a reason
// (which needs the moderators group).
function hostControls(participant) {
  const controls = document.createElement("div");
  controls.className = "controls";
  const who = participant.userId || "this participant";
  const role = document.createElement("button");
  role.type = "button";
  role.textContent = "Make co-host";
  role.setAttribute("aria-label", "Make " + who + " a co-host");
  role.addEventListener("click", async () => {
    const next = role.textContent === "Make co-host" ? "cohost" : "viewer";
    try {
      await sessionsCall("POST", "/promote", { session: current.session, participant: participant.id, role: next });
      role.textContent = next === "cohost" ? "Make viewer" : "Make co-host";
    } catch (e) {
      show(e.message);
    }
  });
  const reason = document.createElement("input");
  reason.type = "text";
  reason.maxLength = 128;
  reason.placeholder = "Reason";
  reason.setAttribute("aria-label", "Why " + who + " is removed");
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = "Remove";
  remove.setAttribute("aria-label", "Remove " + who);
  remove.addEventListener("click", async () => {
    try {
      await sessionsCall("POST", "/disconnect", { session: current.session, participant: participant.id, reason: reason.value || "Removed by the host" });
    } catch (e) {
      show(e.message);
    }
  });
  controls.append(role, reason, remove);
  return controls;
}

// endShow ends the caller's own show: everyone leaves it.
async function endShow() {
  try {
    await sessionsCall("DELETE", "", { session: current.session });
  } catch (e) {
    show(e.message);
    return;
  }
  ended("Your show has ended.");
}

let config = {};

async function main() {
  try {
    config = await (await fetch("config.json", { cache: "no-store" })).json();
  } catch (e) {
    show("The page's settings could not be loaded. Reload the page.");
    return;
  }
  $("sign-in").addEventListener("click", () => signIn(config).catch((e) => show(e.message)));
  $("join").addEventListener("click", () => join(config).catch((e) => show(e.message)));
  $("retry").addEventListener("click", () => {
    leave();
    (linkedShow && config.sessionsUrl ? joinShow() : join(config)).catch((e) => show(e.message));
  });
  $("leave").addEventListener("click", () => { current = null; leave(); $("show").hidden = true; onAir(false); });
  $("start-show").addEventListener("click", () => startShow().catch((e) => show(e.message)));
  $("join-show").addEventListener("click", () => joinShow().catch((e) => show(e.message)));
  $("end-show").addEventListener("click", () => endShow().catch((e) => show(e.message)));
  $("sign-out").addEventListener("click", () => {
    leave();
    if (player) player.pause();
    $("past").hidden = true;
    show("Signing out…");
    signOut(config);
  });
  // Back from signing out, from a failed sign-in, or signed in now.
  const told = await arrive(config);
  linkedShow = new URLSearchParams(location.search).get("show");
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
