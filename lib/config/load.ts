/**
 * Reads and validates the deployments file: the one place configuration is checked. Everything
 * after this trusts a DeploymentConfig.
 */
import * as path from "path";
import { configFileSchema, type DeploymentEntry, type Settings } from "./schema";
import { schemaValidPart, wholeFile } from "./schema-valid-part";
import { builtInSettings, defaultNames } from "./defaults";
import { deepMerge, type Layer } from "./merge";
import { ConfigError, Problems, reporterFor } from "./problems";
import { reportTokenShapedValues } from "./token-values";
import { reportZodIssues } from "./zod-messages";
import { checkDeployment, checkAcrossDeployments } from "./rules";
import { resolveBackend } from "./rules/backend";
import type { DeploymentConfig } from "./types";
import { readRegularFile, UnreadableFile } from "../bounded-read";
import { PROJECT_ROOT } from "../project-root";
import { parseConfigJson } from "./json-reader";

/** The file read when `UID2_CONFIG` is not set. */
export const DEFAULT_CONFIG_FILE = path.join(PROJECT_ROOT, "config", "deployments.json");

export interface LoadedConfig {
  /** The file that was read, as given. */
  readonly file: string;
  readonly deployments: readonly DeploymentConfig[];
  /** Things that will not stop synthesis but that a person should read. */
  readonly warnings: readonly string[];
}

/** The configuration file named by `UID2_CONFIG`, else config/deployments.json. */
export function configFileFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  return env.UID2_CONFIG ? path.resolve(env.UID2_CONFIG) : DEFAULT_CONFIG_FILE;
}

/** Reads, validates and resolves a configuration file; throws ConfigError listing every problem. */
export function loadConfig(file: string = configFileFromEnvironment()): LoadedConfig {
  return resolveConfig(readJson(file), path.relative(process.cwd(), file) || file);
}

/** Far more than any configuration needs: a file with dozens of deployments is a few tens of KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The file's JSON, read with bounded size and depth (json-reader.ts); problems name the file. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readRegularFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    const reason =
      error.code === "ENOENT"
        ? "does not exist (set UID2_CONFIG to another file, or create it)"
        : `${error.reason} (is UID2_CONFIG set to the right file?)`;
    throw new ConfigError([`${file}: configuration file ${reason}`]);
  }
  return parseConfigJson(text, file);
}

/**
 * Validates parsed JSON (as read from `file`) and resolves every deployment. The rules run on
 * whatever the schema accepts, so one run reports the problems of every stage.
 */
export function resolveConfig(raw: unknown, file: string): LoadedConfig {
  const problems = new Problems();
  reportTokenShapedValues(problems, file, raw);
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) reportZodIssues(problems, file, raw, parsed.error.issues);
  const valid = parsed.success ? wholeFile(parsed.data) : schemaValidPart(raw, parsed.error.issues);
  const deployments: DeploymentConfig[] = [];
  for (const entry of valid.entries) {
    const resolved = resolveDeployment(entry, valid.defaults, problems);
    if (resolved) deployments.push(resolved);
  }
  for (const d of deployments) checkDeployment(d, reporterFor(problems, d.name));
  checkAcrossDeployments(valid.names, deployments, problems);
  problems.throwIfAny();
  return { file, deployments, warnings: problems.warnings };
}

/** Built-in defaults, then the file's `defaults`, then the deployment's own settings. */
function resolveDeployment(entry: DeploymentEntry, defaults: Settings | undefined, problems: Problems): DeploymentConfig | undefined {
  const builtIn = builtInSettings(entry.environment);
  const layers: Layer[] = [builtIn, defaults, entry];
  const merged = deepMerge(...layers) as Required<Settings> & DeploymentEntry;
  const backend = resolveBackend(mergeBackend(layers), reporterFor(problems, entry.name));
  if (!backend) return undefined;
  const names = { ...defaultNames(merged.namePrefix, entry.name), ...merged.names };
  const cluster = merged.cluster as Omit<DeploymentConfig["cluster"], "dnsPrefix"> & { dnsPrefix?: string };
  return {
    ...(merged as unknown as DeploymentConfig),
    names,
    keyVaultSubscriptionSuffix: merged.namePrefix === "" && merged.names?.keyVault === undefined,
    cluster: { ...cluster, dnsPrefix: cluster.dnsPrefix ?? names.cluster },
    backend,
  };
}

/** Backend layers merge only while they name the same type: switching type starts afresh. */
function mergeBackend(layers: Layer[]): NonNullable<Settings["backend"]> {
  let backend: Record<string, unknown> = {};
  for (const layer of layers) {
    const next = (layer as Settings | undefined)?.backend;
    if (!next) continue;
    backend = next.type !== undefined && next.type !== backend.type ? { ...next } : deepMerge(backend, next);
  }
  return backend as NonNullable<Settings["backend"]>;
}
