// Builds the Amazon IVS web SDKs into the folder given as the first
// argument (webpage runs `npm run build -- <folder>`):
//   - amazon-ivs-player.js, the player SDK as one script that sets
//     window.IVSPlayer, and the SDK's WebAssembly worker and binary, which
//     a page hands to IVSPlayer.create;
//   - amazon-ivs-chat-messaging.js, the chat messaging SDK as one script
//     that sets window.IVSChatMessaging;
//   - amazon-ivs-web-broadcast.js, the Web Broadcast SDK's browser build
//     (window.IVSBroadcastClient), byte for byte as npm verified it.
// The player and chat SDKs use Node's "events" module, which the browser
// has not: the "events" package stands in for it.
import { build } from "esbuild";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";

const out = process.argv[2];
await build({
  stdin: { contents: 'window.IVSPlayer = require("amazon-ivs-player");', resolveDir: "." },
  bundle: true, format: "iife", minify: true, logLevel: "warning",
  outfile: join(out, "amazon-ivs-player.js"),
});
for (const file of ["amazon-ivs-wasmworker.min.js", "amazon-ivs-wasmworker.min.wasm"]) {
  await copyFile(join("node_modules", "amazon-ivs-player", "dist", "assets", file), join(out, file));
}
await build({
  stdin: { contents: 'export * from "amazon-ivs-chat-messaging";', resolveDir: "." },
  bundle: true, format: "iife", globalName: "IVSChatMessaging", minify: true, logLevel: "warning",
  outfile: join(out, "amazon-ivs-chat-messaging.js"),
});
await copyFile(join("node_modules", "amazon-ivs-web-broadcast", "dist", "amazon-ivs-web-broadcast.js"),
  join(out, "amazon-ivs-web-broadcast.js"));
