/**
 * `npm run versions`: asks the live sources whether the configuration is still current, for
 * every deployment. Each distinct chart repository and each distinct region is asked once, all
 * at the same time; progress goes to stderr, the table (or JSON) to stdout.
 */
import { loadConfig } from "../config/load";
import { ConfigError } from "../config/problems";
import { aksVersionsCommand, readAksVersions, type AksMinorVersion } from "./aks-versions";
import { parseVersionsArgs, USAGE, UsageError } from "./args";
import { assessChart, assessKubernetes, type VersionedDeployment } from "./assess";
import { indexUrl, readChartIndex, type ChartIndex } from "./chart-index";
import { builtInDifferences, COMPATIBILITY_DOC_URL, readCompatibilityDoc, staleTableMessage, type CompatibilityDoc } from "./compatibility-doc";
import { VIRTUAL_NODE_CHART_REPOSITORY } from "../config/defaults";
import { renderJson, renderTable } from "./report";
import { SourceError } from "./source-error";

export const EXIT_CURRENT = 0;
export const EXIT_CHANGE = 1;
/** A source could not be asked; also bad usage or an invalid configuration. */
export const EXIT_UNCHECKED = 2;

export interface VersionsIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: VersionsIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface Asked<T> {
  readonly source: string;
  readonly value?: T;
  readonly error?: SourceError;
}

export async function main(argv: readonly string[], io: VersionsIo = processIo): Promise<number> {
  let json: boolean;
  let timeoutMs: number;
  let compatibilityUrl: string | undefined;
  let file: string;
  let deployments: readonly VersionedDeployment[];
  try {
    const args = parseVersionsArgs(argv);
    if (args.help) {
      io.out(USAGE);
      return EXIT_CURRENT;
    }
    ({ json, timeoutMs } = args);
    compatibilityUrl = args.compatibilityTable;
    const config = loadConfig();
    config.warnings.forEach((warning) => io.err(`warning: ${warning}`));
    ({ file, deployments } = config);
  } catch (error) {
    if (error instanceof UsageError) io.err(`versions: ${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError) io.err(`versions: the configuration has problems:\n${error.problems.map((p) => `  - ${p}`).join("\n")}`);
    else throw error;
    return EXIT_UNCHECKED;
  }

  const repositories = distinct(deployments.filter((d) => d.virtualNode.chartPath === undefined).map(repositoryOf));
  const locations = distinct(deployments.map((d) => d.location));
  // The maintainers' table is asked where their repository is used, or where --compatibility-table names a copy.
  const tables = distinct(compatibilityUrl ? [compatibilityUrl] : repositories.includes(VIRTUAL_NODE_CHART_REPOSITORY) ? [COMPATIBILITY_DOC_URL] : []);
  const [indexes, regions, docs] = await Promise.all([
    askEach(repositories, indexUrl, (repository) => readChartIndex(repository, timeoutMs), describeIndex, io),
    askEach(locations, aksVersionsCommand, (location) => readAksVersions(location, timeoutMs), describeRegion, io),
    askEach(tables, (url) => url, (url) => readCompatibilityDoc(url, timeoutMs), describeDoc, io),
  ]);

  const findings = deployments.flatMap((d) => {
    const kubernetes = assessKubernetes(d, regions.get(d.location)!);
    return [kubernetes, assessChart(d, d.virtualNode.chartPath === undefined ? indexes.get(repositoryOf(d)) : undefined, kubernetes)];
  });
  const errors = [...indexes.values(), ...regions.values(), ...docs.values()].flatMap((asked) => (asked.error ? [asked.error] : []));
  const compatibilityTable = [...docs.values()].flatMap((asked) => (asked.value ? [tableReport(asked.value)] : []))[0];
  const change = findings.some((f) => f.status === "change") || compatibilityTable?.message !== undefined;
  const exitCode = errors.length > 0 ? EXIT_UNCHECKED : change ? EXIT_CHANGE : EXIT_CURRENT;
  const report = { file, exitCode, findings, errors, ...(compatibilityTable ? { compatibilityTable } : {}) };
  io.out(json ? renderJson(report) : renderTable(report));
  return exitCode;
}

function repositoryOf(d: VersionedDeployment): string {
  return d.virtualNode.repository;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Asks every key's source at once; a SourceError is kept as the answer, anything else is a bug. */
async function askEach<T>(
  keys: readonly string[],
  sourceOf: (key: string) => string,
  ask: (key: string) => Promise<T>,
  describe: (value: T) => string,
  io: VersionsIo,
): Promise<Map<string, Asked<T>>> {
  const answers = await Promise.all(
    keys.map(async (key): Promise<[string, Asked<T>]> => {
      const source = sourceOf(key);
      io.err(`versions: asking ${source}`);
      try {
        const value = await ask(key);
        io.err(`versions: ${source}: ${describe(value)}`);
        return [key, { source, value }];
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        io.err(`versions: ${error.message}`);
        return [key, { source, error }];
      }
    }),
  );
  return new Map(answers);
}

/** The live table against the built-in copy. */
function tableReport(doc: CompatibilityDoc): { source: string; differences: string[]; message?: string } {
  const differences = builtInDifferences(doc);
  return { source: doc.url, differences, ...(differences.length > 0 ? { message: staleTableMessage(doc, differences) } : {}) };
}

function describeDoc(doc: CompatibilityDoc): string {
  return `AKS columns ${doc.columns.map((c) => `1.${c}`).join(", ")}; ${doc.rows.size} virtual node lines`;
}

function describeIndex(index: ChartIndex): string {
  return `${index.versions.length} virtualnode versions listed`;
}

function describeRegion(versions: readonly AksMinorVersion[]): string {
  return `${versions.length} minor versions: ${versions.map((v) => v.version).join(", ")}`;
}
