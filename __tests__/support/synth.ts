/** Synthesis helpers: a stack's Terraform JSON as a string (for cdktf's matchers) and parsed. */
import { App, Testing, TerraformStack } from "cdktf";
import { defineDeployment, defineTerraformCloudBootstraps } from "../../main";
import type { DeploymentConfig } from "../../lib/config/types";

export interface SynthesizedStack {
  /** For cdktf's jest matchers. */
  readonly text: string;
  /** For property paths the matchers cannot reach. */
  readonly json: TerraformJson;
}

export interface TerraformJson {
  readonly terraform: Record<string, any>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
  readonly variable?: Record<string, any>;
  readonly provider?: Record<string, any>;
}

const synthesized = new WeakMap<TerraformStack, SynthesizedStack>();

/** A stack's JSON, synthesized once however many tests read it. */
export function synthStack(stack: TerraformStack): SynthesizedStack {
  let result = synthesized.get(stack);
  if (!result) {
    const text = Testing.synth(stack);
    synthesized.set(stack, (result = { text, json: JSON.parse(text) as TerraformJson }));
  }
  return result;
}

const apps = new Map<string, App>();

/**
 * Defines the deployments as main.ts does (with the Terraform Cloud bootstrap where a backend
 * names an organization), in a test app. Tests of a suite that ask for the same
 * deployments share one app (and so one synthesis): building and synthesizing an app is most of
 * a stack test's time. Tests only read the app they are given.
 */
export function appWith(...deployments: DeploymentConfig[]): App {
  const key = JSON.stringify(deployments);
  const cached = apps.get(key);
  if (cached) return cached;
  const app = Testing.app();
  defineTerraformCloudBootstraps(app, deployments.map((d) => ({ config: d, stacks: defineDeployment(app, d) })));
  apps.set(key, app);
  return app;
}

const prepared = new WeakSet<App>();

/**
 * Resolves cross-stack references of every stack of the app once, as `app.synth()` does, so
 * that a stack's JSON holds its remote-state reads and the other stacks' outputs.
 */
function prepareApp(app: App): void {
  if (prepared.has(app)) return;
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) stack.prepareStack();
  prepared.add(app);
}

/** The stack `<deployment>-<kind>` of an app built with appWith, as its class. */
export function stackOf<T extends TerraformStack>(app: App, stackId: string): T {
  return app.node.findChild(stackId) as T;
}

/** Every stack of the app, synthesized, by stack id. */
export function synthAll(app: App): Map<string, SynthesizedStack> {
  prepareApp(app);
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  return new Map(stacks.map((stack) => [stack.node.id, synthStack(stack)]));
}

/** Synthesizes the stack `<deployment>-<kind>` of an app built with appWith. */
export function synthOf(app: App, stackId: string): SynthesizedStack {
  prepareApp(app);
  return synthStack(app.node.findChild(stackId) as TerraformStack);
}

/** cdktf's prefix for the outputs it adds to pass values to other stacks. */
const CROSS_STACK_OUTPUT = "cross-stack-output-";

/** A stack's own outputs, without those cdktf adds for cross-stack references. */
export function declaredOutputs(json: TerraformJson): Record<string, any> {
  return Object.fromEntries(Object.entries(json.output ?? {}).filter(([name]) => !name.startsWith(CROSS_STACK_OUTPUT)));
}

/** The single resource of a type in a stack (fails the test if there is not exactly one). */
export function onlyResource(json: TerraformJson, type: string): Record<string, any> {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
