// The host's controls (the "hosts" group; the endpoints decide): go live
// from this browser (a show of the host's own, a real-time stage that the
// stack composes onto the channel while they publish, with the Amazon IVS
// Web Broadcast SDK), or from OBS with the stack's stream key; and cues,
// timed metadata put into the live stream, which every viewer's page
// shows over the video.
const $ = (id) => document.getElementById(id);
const { callEndpoint } = window.IvscdkSignIn;

export function Studio(config) {
  const say = (text) => { $("show-status").textContent = text; };
  let show = null; // the sessions endpoint's answer for the host's show
  let stage = null;
  let tracks = [];
  let poll = null;

  function sessionsCall(method, path, params) {
    const url = new URL(config.sessionsUrl + "/sessions" + path);
    url.search = new URLSearchParams(params || {}).toString();
    return callEndpoint(url.href, { method, service: "The show service",
      words: { NoCapability: "Only hosts may go live.", SessionNotFound: "This show has ended.",
        ChannelBusy: "Another show is on air: the channel takes one at a time." } });
  }

  // goLive opens the host's show, starts the camera and publishes; the
  // stack broadcasts the show to the channel from its first publisher on.
  async function goLive() {
    const sdk = window.IVSBroadcastClient;
    if (!sdk) return say("The broadcast SDK did not load. Reload the page.");
    say("Starting your camera…");
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch (e) {
      return say("Your camera or microphone is not available (" + e.name + "). Allow them, then try again.");
    }
    tracks = media.getTracks();
    $("preview").srcObject = media;
    $("preview").hidden = false;
    say("Opening your show…");
    try {
      show = await sessionsCall("POST", "");
    } catch (e) {
      stopCamera();
      return say(e.message);
    }
    const streams = tracks.map((t) => new sdk.LocalStageStream(t));
    stage = new sdk.Stage(show.token, {
      stageStreamsToPublish: () => streams,
      shouldPublishParticipant: () => true,
      shouldSubscribeToParticipant: () => sdk.SubscribeType.NONE,
    });
    stage.on(sdk.StageEvents.STAGE_CONNECTION_STATE_CHANGED, (state) => {
      if (state === "errored") say("The connection to your show failed. End it and go live again.");
    });
    $("go-live").hidden = true;
    $("end-show").hidden = false;
    say("Joining your show…");
    await stage.join();
    say("Publishing: the show goes on air in a few seconds.");
    poll = setInterval(() => {
      sessionsCall("GET", "/status", { session: show.session, participant: show.participantId })
        .then((status) => { $("on-air").hidden = !status.onAir; if (status.onAir) say("On air: viewers watch you on the channel."); })
        .catch((e) => { if (e.status === 404) ended("Your show has ended."); });
    }, (config.statusSeconds || 5) * 1000);
  }

  function stopCamera() {
    for (const t of tracks) t.stop();
    tracks = [];
    $("preview").hidden = true;
  }

  function ended(words) {
    clearInterval(poll);
    if (stage) stage.leave();
    stage = null;
    show = null;
    stopCamera();
    $("on-air").hidden = true;
    $("go-live").hidden = false;
    $("end-show").hidden = true;
    say(words);
  }

  async function endShow() {
    if (!show) return;
    try {
      await sessionsCall("DELETE", "", { session: show.session });
    } catch (e) {
      return say(e.message);
    }
    ended("Your show has ended.");
  }

  // sendCue puts a cue into the live stream (IVS takes 1 KB and 5 cues a
  // second; the endpoint answers those limits in words).
  async function sendCue(event) {
    event.preventDefault();
    const text = $("cue-text").value.trim();
    if (!text) return;
    $("cue-status").textContent = "Sending…";
    try {
      await callEndpoint(config.metadataUrl, { method: "POST", body: { metadata: JSON.stringify({ text }) }, service: "The cue service",
        words: { ChannelNotLive: "The event is not live: cues go into a live stream.", RateLimited: "Too many cues at once: wait a second.",
          MetadataTooLarge: "That cue is too long.", CapabilityNotAllowed: "Only hosts may send cues." } });
      $("cue-status").textContent = "Cue sent.";
      $("cue-text").value = "";
    } catch (e) {
      $("cue-status").textContent = e.message;
    }
  }

  $("go-live").addEventListener("click", () => goLive().catch((e) => say(e.message)));
  $("end-show").addEventListener("click", () => endShow().catch((e) => say(e.message)));
  $("cue-form").addEventListener("submit", sendCue);
  $("ingest").textContent = "rtmps://" + config.ingestServer + ":443/app/";

  return {
    open() { $("host").hidden = false; },
    close() { if (show) endShow(); $("host").hidden = true; },
  };
}
