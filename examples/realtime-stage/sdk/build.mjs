// Copies the stage page's script into the folder given as the first
// argument (webpage's BuildScripts runs `npm run build -- <folder>`):
// amazon-ivs-web-broadcast.js, the Web Broadcast SDK's browser build
// (window.IVSBroadcastClient), byte for byte as npm verified it.
import { copyFile } from "node:fs/promises";
import { join } from "node:path";

const out = process.argv[2];
await copyFile(join("node_modules", "amazon-ivs-web-broadcast", "dist", "amazon-ivs-web-broadcast.js"),
  join(out, "amazon-ivs-web-broadcast.js"));
