/** Reads what a synthesis wrote, and compares two syntheses stack by stack. */
import { existsSync, readFileSync } from "fs";
import * as path from "path";

/** The stacks the app synthesized, from cdktf's manifest.json, sorted. */
export function synthesizedStacks(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  return Object.keys(manifest.stacks).sort();
}

function stackFile(outdir: string, stack: string): string {
  return path.join(outdir, "stacks", stack, "cdk.tf.json");
}

/** Lists every difference: a stack only one side has, or a cdk.tf.json that differs. */
export function outputDifferences(expectedDir: string, actualDir: string): string[] {
  const expected = synthesizedStacks(expectedDir);
  const actual = synthesizedStacks(actualDir);
  const differences: string[] = [];
  for (const stack of expected) if (!actual.includes(stack)) differences.push(`${stack}: missing`);
  for (const stack of actual) if (!expected.includes(stack)) differences.push(`${stack}: unexpected`);
  for (const stack of expected.filter((s) => actual.includes(s))) {
    const [a, b] = [stackFile(expectedDir, stack), stackFile(actualDir, stack)];
    if (!existsSync(a) || !existsSync(b) || readFileSync(a, "utf8") !== readFileSync(b, "utf8")) {
      differences.push(`${stack}: cdk.tf.json differs`);
    }
  }
  return differences;
}
