/**
 * `npm run tfc-key -- <deployment>`: sets the `operator_key` variable of the deployment's
 * `-secrets` workspace in Terraform Cloud, before its first plan, from standard input. The key
 * goes from stdin to Terraform Cloud's API (as a sensitive Terraform variable, which Terraform
 * Cloud never shows again) and nowhere else: not to a state, a file, the command line or the
 * output. The bootstrap stack (stacks/tfc-bootstrap-stack.ts) deliberately does not hold it.
 *
 * The API token is `TFE_TOKEN`, else the one `terraform login <hostname>` stored.
 */
import { readFileSync } from "fs";
import { homedir } from "os";
import * as path from "path";
import { loadConfig } from "../config/load";
import { ConfigError } from "../config/problems";
import type { CloudBackendSettings } from "../config/types";
import { cloudWorkspaceName } from "../../constructs/state-backend";
import { UsageError } from "../command-line";

export const EXIT_SET = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE = [
  "usage: printf '%s' \"$OPERATOR_KEY\" | npm run --silent tfc-key -- <deployment>",
  "",
  "  Sets operator_key, a sensitive Terraform variable, on the deployment's -secrets workspace in",
  "  Terraform Cloud, from standard input. Needs TFE_TOKEN or a token from terraform login.",
].join("\n");

/** The variable the secrets stack declares (stacks/secrets-stack.ts). */
export const OPERATOR_KEY_VARIABLE = "operator_key";
const TIMEOUT_MS = 30_000;
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export interface TfcKeyIo {
  readonly err: (line: string) => void;
  readonly out: (line: string) => void;
  readonly stdin: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

/** Terraform Cloud's API over HTTPS; plain HTTP only to this machine (a test's stand-in). */
export function apiBase(hostname: string): string {
  return `${LOOPBACK.test(hostname) ? "http" : "https"}://${hostname}/api/v2`;
}

/** The token: TFE_TOKEN, else `terraform login`'s credentials file for the host. */
export function apiToken(hostname: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env.TFE_TOKEN) return env.TFE_TOKEN;
  const file = env.TF_CLI_CONFIG_DIR ? path.join(env.TF_CLI_CONFIG_DIR, "credentials.tfrc.json") : path.join(env.HOME ?? homedir(), ".terraform.d", "credentials.tfrc.json");
  try {
    const token = (JSON.parse(readFileSync(file, "utf8")) as { credentials?: Record<string, { token?: unknown }> }).credentials?.[hostname]?.token;
    return typeof token === "string" && token !== "" ? token : undefined;
  } catch {
    return undefined;
  }
}

class TfcError extends Error {}

async function api(base: string, token: string, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.api+json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: "error",
  }).catch((error: unknown) => {
    throw new TfcError(`${method} ${base}${route} could not be sent: ${String((error as { cause?: unknown }).cause ?? error)}`);
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? {} : JSON.parse(text);
  } catch {
    json = {};
  }
  return { status: response.status, json };
}

function parseArgs(argv: readonly string[]): { help: true } | { help: false; deployment: string } {
  if (argv.length === 1 && (argv[0] === "--help" || argv[0] === "-h")) return { help: true };
  if (argv.length !== 1 || argv[0].startsWith("-")) throw new UsageError(`expected one deployment name, got ${argv.length === 0 ? "none" : JSON.stringify(argv.join(" "))}`);
  return { help: false, deployment: argv[0] };
}

export async function main(argv: readonly string[], io: TfcKeyIo): Promise<number> {
  let deployment: string;
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return EXIT_SET;
    }
    deployment = args.deployment;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`tfc-key: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const config = loadConfig();
    const d = config.deployments.find((candidate) => candidate.name === deployment);
    if (!d) throw new TfcError(`no deployment "${deployment}" in ${config.file} (deployments: ${config.deployments.map((c) => c.name).join(", ")})`);
    if (d.backend.type !== "cloud") throw new TfcError(`deployment ${deployment} keeps its state with backend.type "${d.backend.type}", not in Terraform Cloud: give the key to the command that deploys its secrets stack (TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf deploy ${deployment}-secrets ...)`);
    if (!d.secrets.manageOperatorKey) throw new TfcError(`deployment ${deployment} has secrets.manageOperatorKey false: no stack takes the key; write it into the vault yourself (README, "Bring your own key")`);
    const backend: CloudBackendSettings = d.backend;
    const key = (await io.stdin()).replace(/\r?\n$/, "");
    if (key === "") throw new TfcError("standard input held no key: pipe it in, e.g. read -rs OPERATOR_KEY, then printf '%s' \"$OPERATOR_KEY\" | npm run --silent tfc-key -- " + deployment);
    const token = apiToken(backend.hostname, io.env);
    if (!token) throw new TfcError(`no Terraform Cloud token for ${backend.hostname}: run terraform login ${backend.hostname}, or set TFE_TOKEN`);
    const workspace = cloudWorkspaceName(backend, `${deployment}-secrets`);
    const base = apiBase(backend.hostname);
    const found = await api(base, token, "GET", `/organizations/${encodeURIComponent(backend.organization)}/workspaces/${encodeURIComponent(workspace)}`);
    if (found.status === 401) throw new TfcError(`${backend.hostname} refused the token (HTTP 401): run terraform login ${backend.hostname} again, or check TFE_TOKEN`);
    if (found.status === 404) throw new TfcError(`workspace ${workspace} does not exist in organization ${backend.organization}, or the token may not see it: deploy tfc-bootstrap-${backend.organization} first (README, "First deployment with Terraform Cloud")`);
    if (found.status !== 200 || typeof found.json?.data?.id !== "string") throw new TfcError(`reading workspace ${workspace} answered HTTP ${found.status}`);
    const workspaceId: string = found.json.data.id;
    const vars = await api(base, token, "GET", `/workspaces/${workspaceId}/vars`);
    if (vars.status !== 200) throw new TfcError(`listing the variables of ${workspace} answered HTTP ${vars.status}`);
    const existing = (Array.isArray(vars.json?.data) ? vars.json.data : []).find(
      (v: any) => v?.attributes?.key === OPERATOR_KEY_VARIABLE && v?.attributes?.category === "terraform",
    );
    const attributes = { key: OPERATOR_KEY_VARIABLE, value: key, category: "terraform", sensitive: true, hcl: false, description: `UID2 operator key of deployment ${deployment} (set by npm run tfc-key)` };
    const written = existing
      ? await api(base, token, "PATCH", `/workspaces/${workspaceId}/vars/${existing.id}`, { data: { id: existing.id, type: "vars", attributes } })
      : await api(base, token, "POST", `/workspaces/${workspaceId}/vars`, { data: { type: "vars", attributes } });
    if (written.status !== 200 && written.status !== 201) throw new TfcError(`writing ${OPERATOR_KEY_VARIABLE} on ${workspace} answered HTTP ${written.status}`);
    io.out(`${OPERATOR_KEY_VARIABLE} ${existing ? "replaced" : "set"} on workspace ${workspace} (sensitive: Terraform Cloud will not show it again)`);
    return EXIT_SET;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`tfc-key: the configuration has problems:\n${error.problems.map((p) => `  - ${p}`).join("\n")}`);
      return EXIT_USAGE;
    }
    if (!(error instanceof TfcError)) throw error;
    io.err(`tfc-key: ${error.message}`);
    return EXIT_FAILED;
  }
}
