// Writes hello.js into the folder given as the first argument, as a page's
// build writes its scripts.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

await writeFile(join(process.argv[2], "hello.js"), "window.hello = 1;\n");
