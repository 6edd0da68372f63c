// The stage's join page: sign in with the stack's Amazon Cognito user pool
// (authorization code with PKCE; no secret in the page), fetch a
// participant token from the token endpoint with the ID token, and join
// the stage with the Amazon IVS Web Broadcast SDK: camera and microphone
// when the token allows publishing, every other participant shown, and
// leave. config.json is written at deploy time: tokenUrl, authDomain,
// clientId.
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
}

window.addEventListener("unhandledrejection", (event) => {
  show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => show(e.message));
