/**
 * Lets Node run the app's TypeScript (`node --require ./scripts/register-ts.js synth.ts`).
 *
 * sucrase strips the types; type checking is the job of `tsc --noEmit` in `npm test`. Its output
 * is cached on disk by content: a cold transform of the app's ~40 files costs ~200 ms of a ~0.8 s
 * synthesis (mostly the transformer warming up), a cached one almost nothing. sucrase keeps line
 * numbers, so stack traces point at the right .ts lines without source maps.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { addHook } = require("pirates");

const SUCRASE_VERSION = require("sucrase/package.json").version;
const OPTIONS = { transforms: ["typescript", "imports"] };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "uid2-operator-aks", `sucrase-${SUCRASE_VERSION}`);

/** Loaded on the first cache miss only. */
let transform;

function compile(code, filename) {
  const cached = path.join(CACHE_DIR, `${crypto.createHash("sha256").update(code).digest("hex")}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  transform = transform || require("sucrase").transform;
  const output = transform(code, { ...OPTIONS, filePath: filename }).code;
  try {
    // Write then rename, so that parallel runs never read a half-written file.
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    fs.writeFileSync(partial, output);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only install still works, uncached.
  }
  return output;
}

addHook(compile, { exts: [".ts"], ignoreNodeModules: true });
