// ivscdk-watch.js (package webpage, WatchFiles): watching a private IVS
// channel on a page. The channel live with the Amazon IVS Player Web SDK (a
// playback token from the token endpoint, the viewer's ID token its
// ticket), the stream's cues over the video (TEXT_METADATA_CUE), and the
// past broadcasts (the stack's RecordingLibrary): pick one to watch it (the
// endpoint sets CloudFront signed cookies for that one recording, on this
// page's origin); while a broadcast is live, "Rewind" plays its recording
// so far and "Back to live" returns to the stream.
const $ = (id) => document.getElementById(id);
const { forget, fetchToken, EndpointError } = window.IvscdkSignIn;

// The folder of the SDKs that index.html loads, built into the page;
// the player's WebAssembly worker and binary are beside it.
const SDK = new URL("sdk/", location.href).href;

// The page holds these elements by ID: video (the player's), cue (shown
// over it), rewind and back-to-live (buttons), and past, past-status,
// recordings and more (the past broadcasts); config.json holds tokenUrl
// (the playback token endpoint), recordingsUrl and channelArn. It loads
// the player SDK (webpage's IVSSDKs) and signin.js first.
//
// Watch makes the page's player side: page.show says a status,
// page.buttons shows the page's buttons (sign-in, retry, sign-out);
// options.noun names what is watched in the page's words ("channel", the
// default, or "event"). It returns live() (play the channel),
// listRecordings() (list the past broadcasts) and stop().
export function Watch(config, page, options) {
  const noun = (options && options.noun) || "channel";
  let player = null;
  let ticket = null; // the token endpoint's last answer (playbackUrl, expiresAt)
  let watching = "live"; // "live", or the recording being played
  let inProgress = null; // the listed recording still being written, if any
  let cueTimer = null;

  const when = (recording) => new Date(recording.startedAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  const length = (ms) => {
    const s = Math.round(ms / 1000);
    const pad = (n) => String(n).padStart(2, "0");
    return s >= 3600 ? Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60) : Math.floor(s / 60) + ":" + pad(s % 60);
  };
  const ticketExpired = () => ticket !== null && Date.parse(ticket.expiresAt) <= Date.now() + 5000;
  const liveButtons = () => {
    $("rewind").hidden = !(watching === "live" && inProgress);
    $("back-to-live").hidden = watching === "live";
  };

  // showCue shows a cue for a few seconds: its "text" when it is JSON
  // with one (as the host's form sends), else all of it.
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

  function ensurePlayer() {
    if (player) return;
    player = window.IVSPlayer.create({ wasmWorker: SDK + "amazon-ivs-wasmworker.min.js", wasmBinary: SDK + "amazon-ivs-wasmworker.min.wasm" });
    player.attachHTMLVideoElement($("video"));
    const events = window.IVSPlayer.PlayerEventType;
    const states = window.IVSPlayer.PlayerState;
    player.addEventListener(states.PLAYING, () => page.show(watching === "live" ? "Live." : "Playing the broadcast of " + when(watching) + "."));
    player.addEventListener(states.ENDED, () => {
      page.show(watching === "live" ? "The stream has ended." : "The broadcast is over.");
      page.buttons(["retry", "sign-out"]);
    });
    player.addEventListener(events.TEXT_METADATA_CUE, (cue) => showCue(cue.text));
    player.addEventListener(events.ERROR, (err) => {
      const code = err && (err.code || err.statusCode);
      if (watching !== "live") {
        page.show(code === 403 ? "Your pass to this broadcast has expired or was refused. Pick it again." : "The broadcast could not be played. Pick it again.");
      } else if (code === 403 && ticketExpired()) {
        // IVS needs a valid token to (re)start playback: a new one, once
        // per expired ticket.
        page.show("Your ticket has expired; getting a new one…");
        live().catch((e) => page.show(e.message));
        return;
      } else if (code === 403) {
        page.show("The " + noun + " refused your ticket. Try again.");
      } else if (code === 404) {
        page.show("The stream is offline. Try again when it is live.");
      } else {
        page.show("Playback failed. Try again.");
      }
      page.buttons(["retry", "sign-out"]);
    });
  }

  // live plays the channel.
  async function live() {
    page.show("Getting your ticket to the " + noun + "…");
    try {
      ticket = await fetchToken(config, "You are signed in, but not allowed to watch this " + noun + ".");
    } catch (e) {
      page.show(e.message);
      if (e.status === 401) forget();
      page.buttons(e.status === 401 ? ["sign-in"] : ["retry", "sign-out"]);
      return;
    }
    if (!window.IVSPlayer || !window.IVSPlayer.isPlayerSupported) {
      page.show("This browser cannot play the stream.");
      return;
    }
    ensurePlayer();
    watching = "live";
    liveButtons();
    $("video").hidden = false;
    page.show("Connecting to the stream…");
    player.load(ticket.playbackUrl);
    player.play();
  }

  // recordingsCall calls the recordings endpoint at path with the ID token.
  function recordingsCall(path, params) {
    const url = new URL(config.recordingsUrl + path, location.href);
    url.search = new URLSearchParams(Object.assign({ channel: config.channelArn }, params)).toString();
    return fetchToken({ tokenUrl: url.href }, "You are signed in, but not allowed to watch past broadcasts.");
  }

  // listRecordings shows a page of past broadcasts (next: the next page).
  async function listRecordings(next) {
    $("past").hidden = false;
    $("past-status").textContent = "Loading past broadcasts…";
    let answer;
    try {
      answer = await recordingsCall("", next ? { next } : {});
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
      $("recordings").append(recordingItem(recording));
    }
    const count = $("recordings").children.length;
    $("past-status").textContent = count === 0 ? "No past broadcasts yet." : count + (count === 1 ? " broadcast." : " broadcasts.");
    $("more").hidden = !answer.next;
    $("more").onclick = () => listRecordings(answer.next);
    liveButtons();
  }

  // recordingItem is one past broadcast: its thumbnail, date and length,
  // a button that plays it.
  function recordingItem(recording) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.id = "watch-" + $("recordings").children.length;
    const picture = document.createElement(recording.thumbnail ? "img" : "span");
    if (recording.thumbnail) {
      picture.src = recording.thumbnail;
      picture.alt = "";
    } else {
      picture.className = "no-thumbnail";
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
    button.append(picture, title, detail);
    let label = "Watch the broadcast of " + title.textContent + ", " + detail.textContent;
    // Video moderation's evidence, listed to moderators only.
    const evidence = recording.moderation || [];
    if (evidence.length > 0) {
      const flag = document.createElement("span");
      flag.className = "flagged";
      const names = [...new Set(evidence.flatMap((e) => (e.labels || []).map((l) => l.name)))];
      flag.textContent = names.length > 0 ? "Flagged: " + names.join(", ") : "Not checked by moderation";
      flag.title = evidence.map((e) => new Date(e.checkedAt).toLocaleTimeString([], { timeStyle: "short" }) + " " + e.outcome +
        (e.streamStopped ? ", stream stopped" : "") + (e.viewersRevoked ? ", " + e.viewersRevoked + " viewers cut off" : "")).join("\n");
      button.append(flag);
      label += ", " + flag.textContent;
    }
    button.setAttribute("aria-label", label);
    button.addEventListener("click", () => playRecording(recording, false).catch((e) => page.show(e.message)));
    item.append(button);
    return item;
  }

  // playRecording gets the cookies for one recording and plays it; rewind
  // starts a recording in progress 30 seconds before its live edge.
  async function playRecording(recording, rewind) {
    page.show("Getting your pass to the broadcast of " + when(recording) + "…");
    let answer;
    try {
      answer = await recordingsCall("/watch", { id: recording.id });
    } catch (e) {
      page.show(e.message);
      if (e instanceof EndpointError && e.status === 401) {
        forget();
        page.buttons(["sign-in"]);
      }
      return;
    }
    if (!window.IVSPlayer || !window.IVSPlayer.isPlayerSupported) {
      page.show("This browser cannot play the broadcast.");
      return;
    }
    ensurePlayer();
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

  $("rewind").addEventListener("click", () => inProgress && playRecording(inProgress, true).catch((e) => page.show(e.message)));
  $("back-to-live").addEventListener("click", () => live().catch((e) => page.show(e.message)));

  return {
    live,
    listRecordings,
    stop() {
      if (player) player.pause();
      $("video").hidden = true;
      $("past").hidden = true;
    },
  };
}
