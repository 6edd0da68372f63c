// Builds the chat page's script into the folder given as the first argument
// (webpage's BuildScripts runs `npm run build -- <folder>`):
// amazon-ivs-chat-messaging.js, the chat messaging SDK as one script that
// sets window.IVSChatMessaging. The SDK uses Node's "events" module, which
// the browser has not: the "events" package stands in for it.
import { build } from "esbuild";
import { join } from "node:path";

const out = process.argv[2];
await build({
  stdin: { contents: 'export * from "amazon-ivs-chat-messaging";', resolveDir: "." },
  bundle: true, format: "iife", globalName: "IVSChatMessaging", minify: true, logLevel: "warning",
  outfile: join(out, "amazon-ivs-chat-messaging.js"),
});
