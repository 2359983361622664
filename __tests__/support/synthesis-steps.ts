/** Synthesis of a test app with chosen first and last steps, to hold the app's own steps to cdktf's. */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { readTree } from "./run-app";

/** A stack's first synthesis step (finding cross-stack references) and its last (its Terraform JSON). */
export interface SynthesisSteps {
  readonly prepareStack?: (stack: TerraformStack) => void;
  readonly toTerraform?: (stack: TerraformStack) => unknown;
}

/** cdktf's own steps, whatever a stack class overrides. */
export const CDKTF_STEPS: Required<SynthesisSteps> = {
  prepareStack: (stack) => TerraformStack.prototype.prepareStack.call(stack),
  toTerraform: (stack) => TerraformStack.prototype.toTerraform.call(stack),
};

/**
 * Synthesizes the app `define` builds with `app.synth()`, as the app command does, with `steps`
 * replacing every stack's own; returns every file written.
 */
export function synthesizeFiles(define: (app: App) => void, steps: SynthesisSteps = {}): Map<string, string> {
  const outdir = mkdtempSync(path.join(tmpdir(), "uid2-steps-"));
  const app = new App({ outdir, skipValidation: true });
  define(app);
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const { prepareStack, toTerraform } = steps;
    if (prepareStack) stack.prepareStack = () => prepareStack(stack);
    if (toTerraform) stack.toTerraform = () => toTerraform(stack);
  }
  app.synth();
  return readTree(outdir);
}
