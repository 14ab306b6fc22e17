// Builds the phone page into daemon/web/static (committed, so `make build`
// works offline from a clone; `make web-check` rebuilds it from the
// lockfile and fails on any byte of difference).
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

const out = "../daemon/web/static";
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, legalComments: "none", logLevel: "warning", target: ["es2022"] };
await esbuild.build({ ...common, entryPoints: ["src/app.js"], outfile: out + "/app.js", format: "iife", platform: "browser" });
await esbuild.build({ ...common, entryPoints: ["src/app.css"], outfile: out + "/app.css" });
copyFileSync("src/index.html", out + "/index.html");
