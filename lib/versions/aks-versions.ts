/**
 * What AKS offers in a region, in Azure's own words: `az aks get-versions --location <loc>
 * --output json`, run through the `az` found on PATH with the caller's login. The current CLI
 * answers `{"values": [{"version": "1.36", "isPreview": null, "capabilities": {"supportPlan":
 * ["KubernetesOfficial", "AKSLongTermSupport"]}, "patchVersions": {"1.36.2": {...}}}, ...]}`,
 * one entry per minor version (facts.md, "Release currency").
 */
import { spawn } from "child_process";
import { signalProcessGroup } from "../process-group";
import { parseKubernetesVersion, type KubernetesVersion } from "./kubernetes-version";
import { seconds, SourceError } from "./source-error";

/** Support plans as AKS names them: standard support, and Long-Term Support (Premium tier). */
const STANDARD_SUPPORT = "KubernetesOfficial";

/** The answer is a few kilobytes; more is not this command's answer. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface AksMinorVersion {
  /** `1.36` */
  readonly version: string;
  readonly parsed: KubernetesVersion;
  readonly preview: boolean;
  /** Offered with standard support; false when only AKS Long-Term Support still offers it. */
  readonly standardSupport: boolean;
  /** `1.36.2`, ... */
  readonly patches: readonly string[];
}

/** The command line, as progress and messages show it. */
export function aksVersionsCommand(location: string): string {
  return `az aks get-versions --location ${location} --output json`;
}

/** Asks AKS; throws SourceError when az is missing, fails, is too slow, or answers in another format. */
export async function readAksVersions(location: string, timeoutMs: number): Promise<readonly AksMinorVersion[]> {
  const source = aksVersionsCommand(location);
  const result = await runAz(["aks", "get-versions", "--location", location, "--output", "json"], timeoutMs);
  switch (result.kind) {
    case "missing":
      throw new SourceError(source, "the Azure CLI (az) is not on PATH: install it, then az login");
    case "timeout":
      throw new SourceError(source, `no answer within ${seconds(timeoutMs)}`);
    case "failed":
      throw new SourceError(source, `could not be run: ${result.message}`);
    case "exit":
      if (result.code !== 0) throw new SourceError(source, failure(result.code, result.stderr));
      return parseAnswer(source, result.stdout);
  }
}

function failure(code: number, stderr: string): string {
  const said = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const quoted = said.length > 0 ? `: ${said.join(" ").slice(0, 300)}` : "";
  if (/az login/i.test(stderr)) return `not logged in to Azure: run az login (az exited with ${code}${quoted})`;
  return `az exited with ${code}${quoted}`;
}

function parseAnswer(source: string, stdout: string): readonly AksMinorVersion[] {
  const unexpected = (what: string) => new SourceError(source, `answered in an unexpected format: ${what}`);
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw unexpected(`not JSON (${JSON.stringify(stdout.trim().slice(0, 60))})`);
  }
  const values = (answer as { values?: unknown } | null)?.values;
  if (!Array.isArray(values)) throw unexpected('no "values" list');
  return values.map((value, i) => {
    const entry = (value ?? {}) as { version?: unknown; isPreview?: unknown; capabilities?: { supportPlan?: unknown }; patchVersions?: unknown };
    const parsed = typeof entry.version === "string" ? parseKubernetesVersion(entry.version) : undefined;
    if (parsed === undefined || parsed.patch !== undefined) throw unexpected(`values[${i}].version ${JSON.stringify(entry.version)} is not a major.minor version`);
    const plans = entry.capabilities?.supportPlan;
    if (plans !== undefined && !(Array.isArray(plans) && plans.every((plan) => typeof plan === "string"))) throw unexpected(`values[${i}].capabilities.supportPlan is not a list of names`);
    const patches = entry.patchVersions;
    if (patches !== undefined && (typeof patches !== "object" || patches === null || Array.isArray(patches))) throw unexpected(`values[${i}].patchVersions is not an object`);
    return {
      version: parsed.minorText,
      parsed,
      preview: entry.isPreview === true,
      // An answer without support plans predates LTS: everything in it had standard support.
      standardSupport: plans === undefined || (plans as string[]).includes(STANDARD_SUPPORT),
      patches: Object.keys(patches ?? {}),
    };
  });
}

type RunResult =
  | { readonly kind: "exit"; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: "missing" }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "timeout" };

/**
 * Runs `az` from PATH, in a process group of its own. On timeout the whole group is stopped
 * (`az` is a shell script that starts Python, which may start more), and the result does not
 * wait for its output streams, which a grandchild could otherwise hold open.
 */
function runAz(args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn("az", [...args], { stdio: ["ignore", "pipe", "pipe"], detached: true, env: process.env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const stop = () => {
      signalProcessGroup(child, "SIGKILL");
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      stop();
      settle({ kind: "timeout" });
    }, timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_OUTPUT_BYTES) {
        stop();
        settle({ kind: "failed", message: `it wrote more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB` });
      } else {
        into.push(chunk);
      }
    };
    child.stdout.on("data", collect(stdout));
    child.stderr.on("data", collect(stderr));
    child.on("error", (error: NodeJS.ErrnoException) => settle(error.code === "ENOENT" ? { kind: "missing" } : { kind: "failed", message: error.message }));
    child.on("close", (code, signal) =>
      settle({ kind: "exit", code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }),
    );
  });
}
