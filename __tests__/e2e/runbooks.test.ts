/**
 * Every runbook of README.md, run as written through the real cdktf CLI against a stand-in
 * Terraform (support/runbook-harness.ts): each command is accepted, exactly the intended stacks
 * run, in dependency order, no stack of another deployment runs, and the operator key reaches
 * only the secrets stack of the deployment it belongs to. Then every `npx cdktf` command of the
 * docs must be one of those the runbooks ran.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { documentationFiles, codeBlockLines, readDoc, sectionCodeLines } from "../support/doc-blocks";
import { DEPENDENCIES, HCL_SECTION, RUNBOOKS } from "../support/documented-runbooks";
import { runRunbookOnce, type CommandRun } from "../support/runbook-harness";
import { cdktfCommandTexts } from "../support/shell-lines";

/** The stand-in's events of a runbook's commands, in the order they happened. */
function events(runs: readonly CommandRun[]) {
  return runs.flatMap((run) => run.invocations);
}

/** Stacks that Terraform ran `verb` in, in order of their start. */
function stacksThat(runs: readonly CommandRun[], verb: string): string[] {
  return events(runs).filter((e) => e.event === "start" && e.args[0] === verb).map((e) => e.stack ?? "(no stack)");
}

function position(runs: readonly CommandRun[], event: "start" | "end", verb: string, stack: string): number {
  return events(runs).findIndex((e) => e.event === event && e.args[0] === verb && e.stack === stack);
}

/** Dependency pairs (first, then) that ran in the wrong order: `then` started before `first` ended. */
function outOfOrder(runs: readonly CommandRun[], verb: string, deployment: string): string[] {
  const ran = new Set(stacksThat(runs, verb));
  return DEPENDENCIES.map(([producer, consumer]) => (verb === "destroy" ? [consumer, producer] : [producer, consumer]))
    .map(([first, then]) => [`${deployment}-${first}`, `${deployment}-${then}`])
    .filter(([first, then]) => ran.has(first) && ran.has(then))
    .filter(([first, then]) => position(runs, "end", verb, first) > position(runs, "start", verb, then))
    .map(([first, then]) => `${then} before ${first} was done`);
}

/** About a dozen cdktf commands of three seconds each, on a machine of two cores, with room for a busy one. */
const RUNBOOKS_TIMEOUT_MS = 300_000;

/** Every runbook, started at once: they run side by side, each in its own workspace. */
const results = new Map<string, CommandRun[]>();
beforeAll(async () => {
  const runs = await Promise.all(RUNBOOKS.map(({ heading, runbook }) => runRunbookOnce({ ...runbook, lines: sectionCodeLines("README.md", heading) })));
  RUNBOOKS.forEach(({ heading }, i) => results.set(heading, runs[i]));
}, RUNBOOKS_TIMEOUT_MS);

describe.each(RUNBOOKS)("README runbook: $title", ({ heading, expect: expectations, prints }) => {
  let runs: CommandRun[];
  beforeAll(() => {
    runs = results.get(heading)!;
  });

  it("runs every cdktf command of the runbook, each accepted", () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect({ command: run.command.text, code: run.code, output: run.code === 0 ? "" : run.output }).toEqual({ command: run.command.text, code: 0, output: "" });
  });

  it.each(expectations)("runs terraform $verb in exactly the intended stacks, each once, in dependency order", ({ verb, stacks }) => {
    expect([...stacksThat(runs, verb)].sort()).toEqual([...stacks].sort());
    const deployment = stacks[0].replace(/-[a-z]+$/, "");
    expect(outOfOrder(runs, verb, deployment)).toEqual([]);
  });

  if (prints) {
    it("shows the user what the runbook says to read", () => {
      const output = runs.map((run) => run.output).join("");
      expect(prints.filter((text) => !output.includes(text))).toEqual([]);
    });
  }

  it("touches no stack of another deployment", () => {
    const deployments = new Set(expectations.flatMap((e) => e.stacks.map((stack) => stack.replace(/-[a-z]+$/, ""))));
    const others = events(runs).filter((e) => e.stack !== undefined && !deployments.has(e.stack.replace(/-[a-z]+$/, "")));
    expect(others.map((e) => `${e.stack}: terraform ${e.args.join(" ")}`)).toEqual([]);
  });

  it("gives the operator key to its deployment's secrets stack only, or to no stack", () => {
    // (cdktf's own `terraform version` checks, outside any stack, see the environment of the command.)
    const owner = expectations.find((e) => e.key !== undefined)?.key;
    const reached = new Set(events(runs).filter((e) => e.stack !== undefined && e.vars.includes("TF_VAR_operator_key")).map((e) => e.stack));
    expect([...reached]).toEqual(owner ? [`${owner}-secrets`] : []);
  });
});

describe("README runbook: First deployment with Terraform Cloud, what it leaves in the organization", () => {
  const stacks = ["network", "cluster", "secrets", "operator", "monitoring"];
  const workspace = (runs: CommandRun[], stack: string) => JSON.parse(readFileSync(path.join(runs[0].tfcDir!, "acme", `uid2-integ-${stack}.json`), "utf8"));

  it("one workspace per stack, run remotely as the deployment's identity, reading outputs with the team's token; the key on the secrets workspace only, and in no output", () => {
    const runs = results.get("### First deployment with Terraform Cloud")!;
    for (const stack of stacks) {
      const w = workspace(runs, stack);
      expect({ stack, mode: w.executionMode, auth: w.vars.TFC_AZURE_PROVIDER_AUTH, token: w.vars.TFE_TOKEN?.sensitive }).toEqual({
        stack,
        mode: "remote",
        auth: { category: "env", sensitive: false },
        token: stack === "network" ? undefined : true,
      });
      expect({ stack, key: w.vars.operator_key }).toEqual({ stack, key: stack === "secrets" ? { category: "terraform", sensitive: true, setBy: "api" } : undefined });
      expect({ stack, applied: Object.keys(w.outputs).length > 0 }).toEqual({ stack, applied: true });
    }
    const typed = RUNBOOKS.find((r) => r.heading === "### First deployment with Terraform Cloud")!.runbook.typed;
    for (const run of runs) expect(run.output).not.toContain(typed);
  });
});

describe("the docs' cdktf commands", () => {
  it("are all run, as written, by the runbook tests above or the HCL test", () => {
    // GIVEN every npx cdktf command in the code blocks of README.md and docs/*.md
    const documented = documentationFiles().flatMap((file) => cdktfCommandTexts(codeBlockLines(readDoc(file))).map((text) => ({ file, text })));
    // WHEN compared with the commands of the sections the tests run
    const run = new Set([
      ...RUNBOOKS.flatMap(({ heading }) => cdktfCommandTexts(sectionCodeLines("README.md", heading))),
      ...cdktfCommandTexts(sectionCodeLines("README.md", HCL_SECTION)),
    ]);
    // THEN none is left out
    expect(documented.length).toBeGreaterThan(0);
    expect(documented.filter(({ text }) => !run.has(text))).toEqual([]);
  });
});

