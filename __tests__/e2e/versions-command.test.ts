/**
 * `npm run versions`, run as the real command in child processes (all at once), against a chart
 * repository served on 127.0.0.1 and a stand-in `az` placed first on PATH. The README's two
 * commands run exactly as written; the other cases run the same script without npm in front.
 */
import { execFile } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as http from "http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { stringify } from "yaml";
import { resolveConfig } from "../../lib/config/load";
import { PROJECT_ROOT } from "../../lib/project-root";

/** The newest versions in the chart repository's index (facts.md: the index of 2026-08-06, and the builds since, to 2026-09-16), newest first. */
const PUBLISHED = ["1.3508.26091601", "1.3507.26090301", "1.3410.26082101", "1.3410.26081102", "1.3409.26080501", "1.3409.26073001", "1.3408.26072301", "1.3408.26071502", "1.3408.26070201", "1.3406.26062601", "1.3307.26033004", "1.3305.25112102", "1.3208.25082901", "1.3012.25080101", "1.3012.25060201"];

interface Minor {
  readonly version: string;
  readonly patches: readonly string[];
  readonly plans?: readonly string[];
  readonly preview?: boolean;
}

/** An answer of `az aks get-versions --output json` in the current CLI's format (facts.md). */
function aksAnswer(minors: readonly Minor[]): string {
  return JSON.stringify({
    values: minors.map((m) => ({
      version: m.version,
      isPreview: m.preview ?? null,
      isDefault: m.version === "1.36",
      capabilities: { supportPlan: m.plans ?? ["KubernetesOfficial", "AKSLongTermSupport"] },
      patchVersions: Object.fromEntries(m.patches.map((patch) => [patch, { upgrades: [] }])),
    })),
  });
}

/** What AKS offered on 2026-12-01 (facts.md): 1.33 and 1.34 are past standard support. */
const OFFERED: readonly Minor[] = [
  { version: "1.35", patches: ["1.35.3", "1.35.4"] },
  { version: "1.36", patches: ["1.36.1", "1.36.2"] },
  { version: "1.37", patches: ["1.37.0"] },
  { version: "1.38", patches: ["1.38.0"], preview: true },
];
const WITH_LTS_133: readonly Minor[] = [{ version: "1.33", patches: ["1.33.9"], plans: ["AKSLongTermSupport"] }, ...OFFERED];

/** How the stand-in az answers, per --location ("*" for any other). */
type AzBehaviour = Record<string, { stdout?: string; stderr?: string; code?: number; delayMs?: number }>;

const work = mkdtempSync(path.join(tmpdir(), "uid2-versions-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory holding only a stand-in `az` (a node script) that logs its arguments and answers as told. */
function standInAz(name: string, behaviour: AzBehaviour): string {
  const dir = path.join(work, `az-${name}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, "behaviour.json"), JSON.stringify(behaviour));
  const script = [
    `#!${process.execPath}`,
    'const fs = require("fs");',
    'const path = require("path");',
    'const args = process.argv.slice(2);',
    'fs.appendFileSync(path.join(__dirname, "calls.log"), JSON.stringify(args) + "\\n");',
    'const behaviour = JSON.parse(fs.readFileSync(path.join(__dirname, "behaviour.json"), "utf8"));',
    'const answer = behaviour[args[args.indexOf("--location") + 1]] || behaviour["*"];',
    "setTimeout(() => {",
    '  process.stderr.write(answer.stderr || "");',
    '  process.stdout.write(answer.stdout || "");',
    "  process.exitCode = answer.code || 0;",
    "}, answer.delayMs || 0);",
  ].join("\n");
  writeFileSync(path.join(dir, "az"), script);
  chmodSync(path.join(dir, "az"), 0o755);
  return dir;
}

function calls(azDir: string): string[][] {
  try {
    return readFileSync(path.join(azDir, "calls.log"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}

/** Each configuration file's content as written, by file. */
const written = new Map<string, string>();

function writeConfig(name: string, deployments: readonly Record<string, unknown>[], repository: string): string {
  const file = path.join(work, `${name}.json`);
  written.set(file, JSON.stringify({ defaults: { virtualNode: { repository } }, deployments }, null, 2));
  writeFileSync(file, written.get(file)!);
  return file;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The test runner's environment, without a configuration a developer may have selected. */
function environment(config: string, pathDirs: string): NodeJS.ProcessEnv {
  const { UID2_CONFIG: _selected, npm_config_loglevel: _level, ...rest } = process.env;
  return { ...rest, UID2_CONFIG: config, PATH: pathDirs };
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd: PROJECT_ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The command's script, without npm: for the cases the README does not show. */
function runScript(config: string, pathDirs: string, args: readonly string[] = []): Promise<Run> {
  return run(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/versions.ts", ...args], environment(config, pathDirs));
}

/** A README command, as written: `npm run versions`, `npm run -s versions -- --json`. */
function runReadmeCommand(command: string, config: string, azDir: string): Promise<Run> {
  const [file, ...args] = command.split(" ");
  return run(file, args, environment(config, `${azDir}${path.delimiter}${process.env.PATH}`));
}

const requests = new Map<string, number>();
const sockets = new Set<Socket>();
let server: http.Server;
let base = "";
let closedPort = 0;
/** A server that accepts each connection and closes it at once, answering nothing. */
let closingServer: TcpServer;

/** The chart repository: /current/<case>/ lists PUBLISHED, /not-yaml/ answers broken YAML, /slow/ never answers. */
function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = request.url ?? "";
  requests.set(url, (requests.get(url) ?? 0) + 1);
  if (/^\/current\/[a-z-]+\/index\.yaml$/.test(url)) {
    const entries = PUBLISHED.map((version) => ({ version, appVersion: version, created: "2026-08-06T00:00:00Z", urls: [`virtualnode-${version}.tgz`] }));
    response.writeHead(200, { "content-type": "text/yaml" });
    response.end(stringify({ apiVersion: "v1", entries: { virtualnode: entries }, generated: "2026-08-06T00:00:00Z" }));
  } else if (url === "/tables/current.md" || url === "/tables/newer.md") {
    response.writeHead(200, { "content-type": "text/markdown" });
    response.end(compatibilityPage(url === "/tables/newer.md"));
  } else if (url === "/not-yaml/index.yaml") {
    response.writeHead(200, { "content-type": "text/yaml" });
    response.end("entries:\n  virtualnode: [\n    { version: 1.3409.26080501\n");
  } else if (url !== "/slow/index.yaml") {
    response.writeHead(404);
    response.end();
  }
}

/**
 * A compatibility page in the maintainers' format: the built-in table of 2026-08-11 as it stands,
 * or with what a later update would add (an AKS 1.36 column, a 1.35 row, a changed cell).
 */
function compatibilityPage(newer: boolean): string {
  const columns = newer ? [29, 30, 31, 32, 33, 34, 35, 36] : [29, 30, 31, 32, 33, 34, 35];
  const row = (build: string, marks: string[]) => `| ${build} | ${marks.join(" | ")} |`;
  const extra = (mark: string) => (newer ? [mark] : []);
  return [
    "# Version Compatibility",
    "",
    `| Virtual Node Version | ${columns.map((c) => `AKS 1.${c}`).join(" | ")} |`,
    `|---|${columns.map(() => "---").join("|")}|`,
    row("1.29", ["✅", "❌", "❌", "❌", "❌", "❌", "", ...extra("")]),
    row("1.30", ["✅", "✅", "✅", "✅", "❓", "❌", "", ...extra("")]),
    row("1.32", ["❌", "❌", "❌", "✅", "❓", "❌", "", ...extra("")]),
    row("1.33", ["❌", "❌", "❌", "✅", "✅", "✅*", newer ? "❓" : "", ...extra("")]),
    row("1.34", ["❌", "❌", "❌", "❓", "✅", "✅", "✅**", ...extra("✅")]),
    ...(newer ? [row("1.35", ["❌", "❌", "❌", "❌", "❌", "❌", "✅", "✅"])] : []),
    "",
    "\\* VN2 1.3307.26033004 and higher compatible with AKS 1.34",
    "\\*\\* VN2 1.3410.26081102 and higher compatible with AKS 1.35",
  ].join("\n");
}

const cases: Record<string, Promise<Run>> = {};
const azDirs: Record<string, string> = {};
const configs: Record<string, string> = {};

beforeAll(async () => {
  server = http.createServer(handle);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = http.createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));

  closingServer = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => closingServer.listen(0, "127.0.0.1", resolve));
  const closingBase = `http://127.0.0.1:${(closingServer.address() as AddressInfo).port}`;

  const current = (name: string) => `${base}/current/${name}/`;
  const threeDeployments = [
    { name: "integ", environment: "integ", location: "eastus" },
    { name: "prod-east", environment: "prod", location: "eastus" },
    { name: "prod-west", environment: "prod", location: "westus2" },
  ];
  const answering = (minors: readonly Minor[]): AzBehaviour => ({ "*": { stdout: aksAnswer(minors) } });
  const empty = path.join(work, "empty-path");
  mkdirSync(empty);

  // Every child process starts now, so the suite waits for the slowest one only.
  const start = (name: string, config: string, azDir: string, runIt: () => Promise<Run>) => {
    configs[name] = config;
    azDirs[name] = azDir;
    cases[name] = runIt();
  };
  const table = (name: string, deployments: readonly Record<string, unknown>[], repository: string, az: AzBehaviour, args: readonly string[] = []) => {
    const config = writeConfig(name, deployments, repository);
    const azDir = standInAz(name, az);
    start(name, config, azDir, () => runScript(config, `${azDir}${path.delimiter}${process.env.PATH}`, args));
  };

  {
    const config = writeConfig("readme-table", threeDeployments, current("readme-table"));
    const azDir = standInAz("readme-table", answering(OFFERED));
    start("readme-table", config, azDir, () => runReadmeCommand("npm run versions", config, azDir));
  }
  {
    const config = writeConfig("readme-json", threeDeployments, current("readme-json"));
    const azDir = standInAz("readme-json", answering(OFFERED));
    start("readme-json", config, azDir, () => runReadmeCommand("npm run -s versions -- --json", config, azDir));
  }
  table(
    "chart-outdated",
    [
      { name: "integ", environment: "integ", location: "eastus", virtualNode: { chartVersion: "1.3408.26072301" } },
      { name: "prod", environment: "prod", location: "eastus", virtualNode: { chartVersion: "1.3409.26090101" } },
    ],
    current("chart-outdated"),
    answering(OFFERED),
  );
  table(
    "minor-not-offered",
    [
      // (the README's example)
      { name: "integ", environment: "integ", location: "eastus", cluster: { kubernetesVersion: "1.33" }, virtualNode: { chartVersion: "1.3408.26072301" } },
      { name: "prod", environment: "prod", location: "westus2", cluster: { kubernetesVersion: "1.33" } },
    ],
    current("minor-not-offered"),
    { eastus: { stdout: aksAnswer(OFFERED) }, westus2: { stdout: aksAnswer(WITH_LTS_133) } },
  );
  {
    const config = writeConfig("az-missing", threeDeployments.slice(0, 1), current("az-missing"));
    start("az-missing", config, empty, () => runScript(config, empty));
  }
  table("az-login", threeDeployments.slice(0, 1), current("az-login"), {
    "*": { stderr: "ERROR: Please run 'az login' to setup account.\n", code: 1 },
  });
  table("index-unreachable", threeDeployments.slice(0, 1), `http://127.0.0.1:${closedPort}/`, answering(OFFERED));
  table("index-closes", threeDeployments.slice(0, 1), `${closingBase}/`, answering(OFFERED), ["--timeout", "3"]);
  // Both sources answer, neither in the expected format.
  table("not-the-format", threeDeployments.slice(0, 1), `${base}/not-yaml/`, { "*": { stdout: JSON.stringify([{ orchestratorVersion: "1.36.2" }]) } });
  table("slow", threeDeployments.slice(0, 1), `${base}/slow/`, { "*": { stdout: aksAnswer(OFFERED), delayMs: 60_000 } }, ["--timeout", "0.5"]);
  table("table-current", threeDeployments.slice(0, 1), current("table-current"), answering(OFFERED), ["--compatibility-table", `${base}/tables/current.md`]);
  table("table-newer", threeDeployments.slice(0, 1), current("table-newer"), answering(OFFERED), ["--compatibility-table", `${base}/tables/newer.md`]);
  await Promise.all(Object.values(cases));
});

afterAll(async () => {
  sockets.forEach((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => closingServer.close(() => resolve()));
});

/** The table's rows, split into cells, keyed `<deployment> <setting>`. */
function rows(stdout: string): Map<string, string[]> {
  const lines = stdout.split("\n").filter((line) => /^\S+\s+(cluster\.kubernetesVersion|virtualNode\.chartVersion)\s/.test(line));
  return new Map(lines.map((line) => line.split(/\s{2,}/)).map((cells) => [`${cells[0]} ${cells[1]}`, cells]));
}

describe("npm run versions: everything current", () => {
  it("exits 0 and prints one table: deployment, setting, configured, current, verdict, set", async () => {
    // GIVEN three deployments in two regions, on the defaults, with the chart index and AKS answering as on 2026-12-01
    const result = await cases["readme-table"];
    // THEN (run as the README writes it)
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^deployment\s+setting\s+configured\s+current\s+verdict\s+set$/m);
    expect(rows(result.stdout).get("integ cluster.kubernetesVersion")).toEqual(["integ", "cluster.kubernetesVersion", "1.36", "offered in eastus; newest 1.37", "current", "-"]);
    expect(rows(result.stdout).get("prod-west virtualNode.chartVersion")).toEqual(["prod-west", "virtualNode.chartVersion", "1.3410.26082101", "1.3410.26082101, newest tested for AKS 1.36", "current", "-"]);
    expect(rows(result.stdout).size).toBe(6);
    expect(result.stdout).toContain("Everything is current.");
    // AND the default build's line is named as past its upstream support (a note, not a change)
    expect(result.stdout).toContain("note: integ virtualNode.chartVersion: Kubernetes 1.34 left upstream support on 2026-10-27");
  });

  it("asks az once per distinct region and the chart index once", async () => {
    await cases["readme-table"];
    expect(calls(azDirs["readme-table"]).sort()).toEqual([
      ["aks", "get-versions", "--location", "eastus", "--output", "json"],
      ["aks", "get-versions", "--location", "westus2", "--output", "json"],
    ]);
    expect(requests.get("/current/readme-table/index.yaml")).toBe(1);
  });

  it("shows progress per source on stderr, and nothing else there", async () => {
    const { stderr } = await cases["readme-table"];
    const progress = stderr.split("\n").filter((line) => line.startsWith("versions: "));
    expect(progress).toEqual(
      expect.arrayContaining([
        `versions: asking ${base}/current/readme-table/index.yaml`,
        `versions: ${base}/current/readme-table/index.yaml: 15 virtualnode versions listed`,
        "versions: asking az aks get-versions --location eastus --output json",
        "versions: az aks get-versions --location westus2 --output json: 4 minor versions: 1.35, 1.36, 1.37, 1.38",
      ]),
    );
    expect(progress).toHaveLength(6);
  });

  it("never edits the configuration, even when something should change", async () => {
    // GIVEN the configurations as written WHEN the commands have run THEN each is byte for byte the same
    await Promise.all(Object.values(cases));
    for (const name of ["readme-table", "chart-outdated", "minor-not-offered"]) {
      expect(readFileSync(configs[name], "utf8")).toBe(written.get(configs[name]));
    }
  });

  it("prints the same findings as JSON with --json (npm's -s keeps its own header out of stdout)", async () => {
    const result = await cases["readme-json"];
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ configuration: expect.stringMatching(/readme-json\.json$/), exitCode: 0, errors: [] });
    expect(report.findings).toHaveLength(6);
    expect(report.findings[0]).toEqual({
      deployment: "integ",
      setting: "cluster.kubernetesVersion",
      configured: "1.36",
      current: "offered in eastus; newest 1.37",
      verdict: "current",
      status: "current",
      source: "az aks get-versions --location eastus --output json",
    });
    expect(report.findings[1]).toMatchObject({ setting: "virtualNode.chartVersion", status: "current", source: `${base}/current/readme-json/index.yaml` });
  });
});

describe("npm run versions: something should change (exit 1)", () => {
  it("names the newer chart of the same line to set", async () => {
    const result = await cases["chart-outdated"];
    expect(result.code).toBe(1);
    expect(rows(result.stdout).get("integ virtualNode.chartVersion")).toEqual([
      "integ",
      "virtualNode.chartVersion",
      "1.3408.26072301",
      "1.3410.26082101, newest tested for AKS 1.36",
      "newer chart",
      "1.3410.26082101",
    ]);
  });

  it("says when the configured chart is not in the repository's index", async () => {
    const result = await cases["chart-outdated"];
    expect(rows(result.stdout).get("prod virtualNode.chartVersion")).toEqual(["prod", "virtualNode.chartVersion", "1.3409.26090101", "1.3410.26082101, newest tested for AKS 1.36", "not in index", "1.3410.26082101"]);
    expect(result.stdout).toContain("2 settings should change: set the values of the \"set\" column in");
  });

  it("says when the region no longer offers the minor, and the next minor to move to", async () => {
    const result = await cases["minor-not-offered"];
    expect(result.code).toBe(1);
    expect(rows(result.stdout).get("integ cluster.kubernetesVersion")).toEqual(["integ", "cluster.kubernetesVersion", "1.33", "offered in eastus: 1.35, 1.36, 1.37", "not offered", "1.35"]);
  });

  it("prints what the README's example shows", async () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const example = /```\n(deployment {2}setting[^`]+)```/.exec(readme)![1];
    const printed = rows((await cases["minor-not-offered"]).stdout);
    const shown = rows(example);
    expect(shown.size).toBe(2);
    for (const [key, cells] of shown) expect(printed.get(key)).toEqual(cells);
  });

  it("gives the chart for the Kubernetes version it says to set, which synthesis then accepts without a warning", async () => {
    const result = await cases["minor-not-offered"];
    const [, , , current, verdict, set] = rows(result.stdout).get("integ virtualNode.chartVersion")!;
    expect({ current, verdict, set }).toEqual({ current: "1.3410.26082101, newest tested for AKS 1.35, the version to set", verdict: "refused with 1.35", set: "1.3410.26082101" });
    // WHEN the user sets both values THEN the configuration resolves with no warning about the pair
    const { warnings } = resolveConfig({ deployments: [{ name: "integ", environment: "integ", location: "eastus", cluster: { kubernetesVersion: "1.35" }, virtualNode: { chartVersion: set } }] }, "test.json");
    expect(warnings.filter((w) => w.includes("virtualNode"))).toEqual([]);
  });

  it("says when only AKS Long-Term Support still offers it", async () => {
    const result = await cases["minor-not-offered"];
    expect(rows(result.stdout).get("prod cluster.kubernetesVersion")).toEqual([
      "prod",
      "cluster.kubernetesVersion",
      "1.33",
      "1.33 only with AKS Long-Term Support in westus2; newest 1.37",
      "LTS only",
      "1.35",
    ]);
  });
});

describe("npm run versions: the chart maintainers' live compatibility table", () => {
  it("says nothing more when the live table is what the built-in copy holds", async () => {
    const result = await cases["table-current"];
    expect(result.stderr).toContain(`versions: ${base}/tables/current.md: AKS columns 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35; 5 virtual node lines`);
    expect({ code: result.code, stale: result.stdout.includes("The app should change") }).toEqual({ code: 0, stale: false });
  });

  it("says where the built-in copy is older, and exits 1", async () => {
    const result = await cases["table-newer"];
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `The app should change: the built-in compatibility table (2026-08-11, lib/versions/compatibility.ts) is older than the chart maintainers' table at ${base}/tables/newer.md, ` +
        "which has columns for AKS 1.36; rows for 1.35 builds; 1.33 builds on AKS 1.35: ❓ (built-in: no mark): synthesis judges chart and cluster pairs by the built-in one until it is updated.",
    );
    expect(result.stdout).not.toContain("Everything is current.");
  });

  it("is not asked for a repository other than the maintainers', unless named", async () => {
    const result = await cases["readme-table"];
    expect(result.stderr).not.toMatch(/VersionCompatibility|tables\//);
  });
});

describe("npm run versions: a source could not be asked (exit 2)", () => {
  it("says az is missing from PATH", async () => {
    const result = await cases["az-missing"];
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("could not ask az aks get-versions --location eastus --output json: the Azure CLI (az) is not on PATH: install it, then az login");
    expect(rows(result.stdout).get("integ cluster.kubernetesVersion")).toEqual(["integ", "cluster.kubernetesVersion", "1.36", "unknown", "could not ask", "-"]);
    // the chart's source still answered
    expect(rows(result.stdout).get("integ virtualNode.chartVersion")?.[4]).toBe("current");
  });

  it("says az is not logged in when it asks for az login", async () => {
    const result = await cases["az-login"];
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      "could not ask az aks get-versions --location eastus --output json: not logged in to Azure: run az login (az exited with 1: ERROR: Please run 'az login' to setup account.)",
    );
  });


  it("names the chart index it could not reach", async () => {
    const result = await cases["index-unreachable"];
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(new RegExp(`could not ask http://127\\.0\\.0\\.1:${closedPort}/index\\.yaml: could not be reached: .*ECONNREFUSED`));
    expect(rows(result.stdout).get("integ cluster.kubernetesVersion")?.[4]).toBe("current");
  });

  it("names the chart index that closed the connection without answering, and still reports the rest", async () => {
    // GIVEN a repository server that accepts each connection and closes it unanswered
    const result = await cases["index-closes"];
    // THEN the report is complete, with exit code 2 and the index named
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.not.stringContaining("internal error") });
    expect(result.stdout).toMatch(/could not ask http:\/\/127\.0\.0\.1:\d+\/index\.yaml: (could not be reached|no complete answer within 3s)/);
    expect(rows(result.stdout).get("integ virtualNode.chartVersion")?.[4]).toBe("could not ask");
    expect(result.stderr).not.toContain("internal error");
  });

  it("says the index is not YAML, and that az answered in an unexpected format", async () => {
    const result = await cases["not-the-format"];
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`could not ask ${base}/not-yaml/index.yaml: is not YAML: `);
    expect(result.stdout).toContain('could not ask az aks get-versions --location eastus --output json: answered in an unexpected format: no "values" list');
  });

  it("gives up on slow sources after --timeout, naming each", async () => {
    // GIVEN an index that never answers and an az that answers after 60 s, WHEN run with --timeout 0.5
    const result = await cases["slow"];
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`could not ask ${base}/slow/index.yaml: no complete answer within 0.5s`);
    expect(result.stdout).toContain("could not ask az aks get-versions --location eastus --output json: no answer within 0.5s");
    expect(result.stdout).toContain("The check is incomplete (exit code 2).");
    // THEN it did not wait for them (the margin is for a busy machine, not for the command)
    expect(result.ms).toBeLessThan(20_000);
  });
});
