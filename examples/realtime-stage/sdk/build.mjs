// Builds the stage page's scripts into the folder given as the first
// argument (webpage's BuildScripts runs `npm run build -- <folder>`):
// amazon-ivs-web-broadcast.js, the Web Broadcast SDK's browser build
// (window.IVSBroadcastClient), byte for byte as npm verified it; and, for
// the participant recordings, amazon-ivs-player.js, the player SDK as one
// script that sets window.IVSPlayer, with its WebAssembly worker and
// binary, which the page hands to IVSPlayer.create. The player uses
// Node's "events" module, which the browser has not: the "events" package
// stands in for it.
import { build } from "esbuild";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";

const out = process.argv[2];
await copyFile(join("node_modules", "amazon-ivs-web-broadcast", "dist", "amazon-ivs-web-broadcast.js"),
  join(out, "amazon-ivs-web-broadcast.js"));
await build({
  stdin: { contents: 'window.IVSPlayer = require("amazon-ivs-player");', resolveDir: "." },
  bundle: true, format: "iife", minify: true, logLevel: "warning",
  outfile: join(out, "amazon-ivs-player.js"),
});
for (const file of ["amazon-ivs-wasmworker.min.js", "amazon-ivs-wasmworker.min.wasm"]) {
  await copyFile(join("node_modules", "amazon-ivs-player", "dist", "assets", file), join(out, file));
}
