// The live event's page: sign in with the stack's Amazon Cognito user
// pool (authorization code with PKCE; no secret in the page), then watch
// the private channel (ivscdk-watch.js, from package webpage) with the
// chat beside it (chat.js) and the past broadcasts below; hosts also get
// their controls (studio.js). config.json is written at deploy time:
// tokenUrl (playback tokens), chatTokenUrl, region (or chatUrl),
// metadataUrl, sessionsUrl, recordingsUrl, channelArn, ingestServer,
// authDomain and clientId.
import { Watch } from "./ivscdk-watch.js"; // webpage.WatchFiles, deployed beside these files
import { Chat } from "./chat.js";
import { Studio } from "./studio.js";

const $ = (id) => document.getElementById(id);
// The sign-in (signin.js, which index.html loads first).
const { signIn, signOut, arrive, idToken, groups } = window.IvscdkSignIn;

const page = {
  show(text) { $("status").textContent = text; },
  buttons(names) {
    for (const b of ["sign-in", "retry", "sign-out"]) $(b).hidden = !names.includes(b);
  },
};

async function main() {
  let config;
  try {
    config = await (await fetch("config.json", { cache: "no-store" })).json();
  } catch (e) {
    page.show("The page's settings could not be loaded. Reload the page.");
    return;
  }
  const watch = Watch(config, page, { noun: "event" });
  const chat = Chat(config);
  const studio = Studio(config);
  $("sign-in").addEventListener("click", () => signIn(config).catch((e) => page.show(e.message)));
  $("retry").addEventListener("click", () => watch.live().catch((e) => page.show(e.message)));
  $("sign-out").addEventListener("click", () => {
    watch.stop();
    chat.leave();
    studio.close();
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
    page.show(token ? "Your sign-in has expired. Sign in again." : "Sign in to watch the event.");
    page.buttons(["sign-in"]);
    return;
  }
  page.buttons(["sign-out"]);
  if (groups().includes("hosts")) studio.open();
  chat.connect();
  const past = watch.listRecordings();
  await watch.live();
  await past;
}

window.addEventListener("unhandledrejection", (event) => {
  page.show("Something went wrong: " + (event.reason && event.reason.message ? event.reason.message : event.reason));
});
main().catch((e) => page.show(e.message));
