/**
 * What one synthesis wrote, read back: cdktf's `manifest.json` (the stacks and their
 * dependencies) and each stack's `cdk.tf.json`. The review works on these files only, so it
 * compares any two revisions of the app, whatever resources they hold.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { isJsonObject, type JsonObject, type JsonValue } from "../manifest/types";
import { ReviewError } from "./errors";

export interface SynthesizedStack {
  readonly name: string;
  /** Stacks whose outputs this one reads; they deploy first. */
  readonly dependencies: readonly string[];
  /** The stack's Terraform JSON. */
  readonly json: JsonObject;
}

/** Every stack of one synthesis, by name. */
export type Synthesis = ReadonlyMap<string, SynthesizedStack>;

/** Reads the stacks an output directory holds (`CDKTF_OUTDIR`). */
export function readSynthesis(outdir: string): Synthesis {
  const manifest = readJsonObject(path.join(outdir, "manifest.json"));
  const stacks = isJsonObject(manifest.stacks) ? manifest.stacks : {};
  const result = new Map<string, SynthesizedStack>();
  for (const [name, entry] of Object.entries(stacks)) {
    if (!isJsonObject(entry) || typeof entry.synthesizedStackPath !== "string") {
      throw new ReviewError(`${path.join(outdir, "manifest.json")}: stack "${name}" has no synthesizedStackPath`);
    }
    const dependencies = Array.isArray(entry.dependencies) ? entry.dependencies.filter((d): d is string => typeof d === "string") : [];
    result.set(name, { name, dependencies, json: readJsonObject(path.join(outdir, entry.synthesizedStackPath)) });
  }
  return result;
}

function readJsonObject(file: string): JsonObject {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as JsonValue;
  } catch (error) {
    throw new ReviewError(`${file}: cannot read the synthesized JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new ReviewError(`${file}: expected a JSON object`);
  return parsed;
}
