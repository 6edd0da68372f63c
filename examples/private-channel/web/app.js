// The private channel's viewer page: sign in with the stack's Amazon
// Cognito user pool (authorization code with PKCE; no secret in the page),
// then watch the channel with ivscdk-watch.js (from package webpage: a
// playback token from the token endpoint with the ID token, the Amazon
// IVS Player Web SDK, the stream's cues over the video, and below it the
// past broadcasts of the stack's RecordingLibrary, with rewind while
// live). Hosts (the "hosts" group) may also send a cue. config.json is
// written at deploy time: tokenUrl, authDomain, clientId and, with
// recordings, recordingsUrl and channelArn; with timed metadata,
// metadataUrl.
import { Watch } from "./ivscdk-watch.js"; // webpage.WatchFiles, deployed beside these files

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, callEndpoint, groups } = window.IvscdkSignIn;

const page = {
  show(text) { $("status").textContent = text; },
  buttons(names) {
    for (const b of ["sign-in", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
  },
};

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

async function main() {
  let config;
  try {
    const response = await fetch("config.json", { cache: "no-store" });
    config = await response.json();
  } catch (e) {
    page.show("The page's settings could not be loaded. Reload the page.");
    return;
  }
  const watch = Watch(config, page);
  $("sign-in").addEventListener("click", () => signIn(config).catch((e) => page.show(e.message)));
  $("retry").addEventListener("click", () => watch.live().catch((e) => page.show(e.message)));
  $("cue-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sendCue(config);
  });
  $("sign-out").addEventListener("click", () => {
    watch.stop();
    $("cue-form").hidden = true;
    page.show("Signing out…");
    signOut(config);
  });
  // Back from signing out, from a failed sign-in, or signed in now.
  const told = await arrive(config);
  if (told) {
    page.show(told);
    page.buttons(["sign-in"]);
    return;
  }
  const token = idToken();
  if (!token || token === "expired") {
    page.show(token ? "Your sign-in has expired. Sign in again." : "Sign in to watch the channel.");
    page.buttons(["sign-in"]);
    return;
  }
  page.buttons(["sign-out"]);
  $("cue-form").hidden = !(config.metadataUrl && groups().includes("hosts"));
  const recordings = config.recordingsUrl ? watch.listRecordings() : null;
  await watch.live();
  await recordings;
}

window.addEventListener("unhandledrejection", (event) => {
  page.show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => page.show(e.message));
