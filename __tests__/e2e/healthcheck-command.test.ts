/**
 * The real health check command, as a child process, against loopback servers that misbehave:
 * how the process ends (its last line and its exit code) is what a pipeline gates on, and only
 * a real process shows it. Every child starts in beforeAll, so that their waits overlap; each
 * test then awaits its own.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import {
  answer,
  closeAllServers,
  inTurn,
  startMisbehavingServer,
  startServer,
  type Misbehaviour,
  type TestServer,
} from "../support/servers";
import { runHealthcheck, runScript, runShell, STACK_TRACE, stopAllChildren, verdictOf, type CommandResult } from "../support/run-healthcheck";

/**
 * Runs of the server that closes without answering. The intermittent exit 0 without a verdict
 * showed in 18 of 20 runs (5 of 12 when 12 ran at once on a busy machine); 10 concurrent runs
 * catch it with near certainty at little cost.
 */
const CLOSE_REPEATS = 10;

/**
 * What the verdict gives as the last result, by what the server does, and the seconds of the one
 * attempt, in the order the runs start: those that wait out their time first. The servers run
 * in the test process, on a machine busy starting every child at once, and one that acted late
 * would turn the result into "no answer": servers that end the exchange themselves get 10 s,
 * which costs nothing, since those checks end as soon as the server acts.
 */
const HOSTILE: readonly { readonly how: Misbehaviour; readonly seconds: number; readonly last: readonly string[] }[] = [
  { how: "stall-mid-body", seconds: 2, last: ["HTTP 200, then the body stalled: not complete within 2s"] },
  { how: "slow-headers", seconds: 1, last: ["no answer within 1s"] },
  { how: "never-answer", seconds: 1, last: ["no answer within 1s"] },
  // The server's close races the request being sent: its system may answer the request with a
  // reset after the close, and which of the two the client reads first is down to timing.
  { how: "close", seconds: 10, last: ["connection closed without an answer", "connection reset (ECONNRESET)", "connection closed while sending the request (EPIPE)"] },
  { how: "reset", seconds: 10, last: ["connection reset (ECONNRESET)"] },
  { how: "half-close", seconds: 10, last: ["connection closed without an answer"] },
];

/** One attempt that may wait `seconds` for its answer: --interval as long as --timeout leaves no room for a second. */
function oneAttempt(seconds: number): string[] {
  return ["--timeout", String(seconds), "--interval", String(seconds)];
}

/**
 * The health check commands README.md and docs/healthcheck.md show. They run as written, with
 * `sh`, in a copy of the project that has both sample deployments synthesized: a stand-in
 * terraform on PATH answers `terraform output` with a loopback server's URL, and
 * OPERATOR_ADDRESS (which the docs say to set to the Service's address) points at that server.
 */
const DOCUMENTS = ["README.md", path.join("docs", "healthcheck.md")];

function documentedCommands(): string[] {
  // Keyed by the command without its trailing comment: the same command is run once.
  const commands = new Map<string, string>();
  for (const document of DOCUMENTS) {
    const text = readFileSync(path.join(PROJECT_ROOT, document), "utf8");
    for (const [, block] of text.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
      for (const line of block.split("\n").filter((candidate) => candidate.startsWith("npm run healthcheck"))) {
        const command = line.replace(/\s+#.*$/, "");
        if (!commands.has(command)) commands.set(command, line);
      }
    }
  }
  return [...commands.values()];
}

/** Test traffic stays on this machine: a command naming any other address is not run. */
function namesAnAddress(line: string): boolean {
  return /:\/\/(?!\$OPERATOR_ADDRESS\/)/.test(line);
}

function projectCopy(url: string): string {
  const root = mkdtempSync(path.join(tmpdir(), "healthcheck-docs-"));
  for (const part of ["lib", "scripts", "config", "operator", "package.json"]) cpSync(path.join(PROJECT_ROOT, part), path.join(root, part), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  for (const deployment of ["integ", "prod"]) mkdirSync(path.join(root, "cdktf.out", "stacks", `${deployment}-operator`), { recursive: true });
  const output = JSON.stringify({ healthcheck_url: { sensitive: false, type: "string", value: url } });
  mkdirSync(path.join(root, "bin"));
  writeFileSync(path.join(root, "bin", "terraform"), `#!/bin/sh\nprintf '%s\\n' '${output}'\n`, { mode: 0o755 });
  return root;
}

const HEALTHCHECK = 'require("./lib/healthcheck/ending").HEALTHCHECK_ENDING';

/** scripts/run-command.ts running `main` (TypeScript source text), with the health check's ending or the default one. */
function runWithEnding(main: string, ending?: string): Promise<CommandResult> {
  return runScript(`require("./scripts/run-command").runCommand(${main}${ending ? `, ${ending}` : ""})`);
}

interface Launched {
  readonly server: TestServer;
  readonly runs: Promise<CommandResult>[];
}

const hostile = new Map<Misbehaviour, Launched>();
let recovering: Launched;
let wrongBody: Launched;
/** Answers 503; the runs refused before any request must leave it untouched. */
let untouched: TestServer;
/** In-process tests cover every refusal; these two run as processes, exit code and all. */
let refusals: Record<"--interval 0.001" | "a URL with a password", Promise<CommandResult>>;
let neverSettles: Promise<CommandResult>;
let throws: Promise<CommandResult>;
let lingers: Promise<CommandResult>;
let neverSettlesByDefault: Promise<CommandResult>;
let documented: { readonly commands: string[]; readonly server: TestServer; readonly root: string; readonly runs: Promise<CommandResult>[] };

beforeAll(async () => {
  // The longest runs start first, so that every wait overlaps the others' start-up: npm's own
  // start-up makes the documented commands the slowest, then come those that wait longest.
  const operator = await startServer(answer(200, "OK"));
  const root = projectCopy(operator.url);
  const env = { PATH: `${path.join(root, "bin")}${path.delimiter}${process.env.PATH}`, OPERATOR_ADDRESS: `127.0.0.1:${operator.port}`, npm_config_update_notifier: "false" };
  const commands = documentedCommands();
  const runs = commands.map((line) => (namesAnAddress(line) ? Promise.reject(new Error(`not run, it names an address: ${line}`)) : runShell(line, { cwd: root, env })));
  runs.forEach((run) => run.catch(() => undefined));
  documented = { commands, server: operator, root, runs };

  const failingFirst = await startServer(inTurn(answer(500, "Internal Server Error"), answer(200, "OK")));
  recovering = { server: failingFirst, runs: [runHealthcheck(["--url", failingFirst.url, "--timeout", "10", "--interval", "1"])] };
  for (const { how, seconds } of HOSTILE) {
    const server = await startMisbehavingServer(how);
    const repeats = how === "close" ? CLOSE_REPEATS : 1;
    hostile.set(how, { server, runs: Array.from({ length: repeats }, () => runHealthcheck(["--url", server.url, ...oneAttempt(seconds)])) });
  }
  const nginx = await startServer(answer(200, "<html>Welcome to nginx!</html>"));
  wrongBody = { server: nginx, runs: [runHealthcheck(["--url", nginx.url, ...oneAttempt(10)])] };
  untouched = await startServer(answer(503, ""));
  refusals = {
    "--interval 0.001": runHealthcheck(["--url", untouched.url, "--timeout", "2", "--interval", "0.001"]),
    "a URL with a password": runHealthcheck(["--url", `http://operator:s3cret-pa55@127.0.0.1:${untouched.port}/ops/healthcheck`, ...oneAttempt(1)]),
  };
  neverSettles = runWithEnding("() => new Promise(() => undefined)", HEALTHCHECK);
  throws = runWithEnding('async () => { throw new Error("boom") }', HEALTHCHECK);
  lingers = runWithEnding("async () => { setInterval(() => undefined, 60_000); return 0; }", HEALTHCHECK);
  neverSettlesByDefault = runWithEnding("() => new Promise(() => undefined)");
});

afterAll(async () => {
  stopAllChildren();
  await closeAllServers();
  rmSync(documented.root, { recursive: true, force: true });
});

/** The seconds a verdict says the check took: `... over 1.1s (deadline 1s)` or `... in 1.1s`. */
function statedSeconds(verdict: string): number {
  const match = /(?:over|in) ([\d.]+)s\b/.exec(verdict);
  if (!match) throw new Error(`no duration in: ${verdict}`);
  return Number(match[1]);
}

describe("a server that misbehaves", () => {
  it.each(HOSTILE)("GIVEN a server that does $how WHEN checked with --timeout $seconds THEN one unhealthy verdict, last, and exit 1", async ({ how, seconds, last }) => {
    const { server, runs } = hostile.get(how)!;

    const results = await Promise.all(runs);

    for (const result of results) {
      const verdict = verdictOf(result);
      expect({ how, code: result.code, verdict }).toEqual({
        how,
        code: 1,
        verdict: expect.stringMatching(new RegExp(`^unhealthy: ${server.url} did not answer 200 OK in 1 attempt over [\\d.]+s \\(deadline ${seconds}s\\); last: `)),
      });
      expect(last.map((words) => `last: ${words}`)).toContain(verdict.slice(verdict.indexOf("last: ")));
      // Bounded by the deadline whatever the server does (a little slack for a loaded machine).
      expect(statedSeconds(verdict)).toBeLessThanOrEqual(seconds + 0.5);
      expect(result.stderr).toBe("");
    }
    expect(server.requests).toHaveLength(runs.length);
  });

  it(`GIVEN a server that closes without answering WHEN checked ${CLOSE_REPEATS} times at once THEN every run gives the verdict and exit 1`, async () => {
    const results = await Promise.all(hostile.get("close")!.runs);

    expect(results.map((result) => result.code)).toEqual(Array(CLOSE_REPEATS).fill(1));
    expect(results.map((result) => verdictOf(result).startsWith("unhealthy: "))).toEqual(Array(CLOSE_REPEATS).fill(true));
  });

  it("GIVEN a server answering 500, then 200 OK WHEN checked THEN it retries after the interval and exits 0, healthy", async () => {
    const [result] = await Promise.all(recovering.runs);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('attempt 1: HTTP 500 "Internal Server Error"');
    expect(result.stdout).toContain("attempt 2: HTTP 200 OK");
    expect(verdictOf(result)).toMatch(new RegExp(`^healthy: ${recovering.server.url} answered 200 OK after 2 attempts in `));
    expect(statedSeconds(verdictOf(result))).toBeGreaterThanOrEqual(1);
    expect(recovering.server.requests).toHaveLength(2);
  });

  it("GIVEN a server answering 200 with a body other than OK WHEN checked THEN the verdict is unhealthy (exit 1)", async () => {
    const [result] = await Promise.all(wrongBody.runs);

    expect(result.code).toBe(1);
    expect(verdictOf(result)).toMatch(/; last: HTTP 200 but the body is "<html>Welcome to nginx!<\/html>", not OK$/);
    // The advice comes before the verdict, so that the verdict stays the last line.
    expect(result.stdout).toContain("something else answers at this address");
  });
});

describe("command-line values the command refuses before any request", () => {
  it("GIVEN --interval 0.001 WHEN run THEN it is refused in one line (exit 2) and no request is sent", async () => {
    const result = await refusals["--interval 0.001"];

    expect(result).toMatchObject({
      code: 2,
      stdout: "",
      stderr: 'healthcheck: --interval must be at least 1 second, got "0.001" (npm run healthcheck -- --help shows the usage)\n',
    });
    expect(untouched.requests).toHaveLength(0);
  });

  it("GIVEN a URL with a user and password WHEN run THEN it is refused in one line that does not show the password (exit 2)", async () => {
    const result = await refusals["a URL with a password"];

    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(`healthcheck: --url "http://***@127.0.0.1:${untouched.port}/ops/healthcheck" holds a user name or password`);
    expect(result.stderr).not.toContain("s3cret-pa55");
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toBe("");
    expect(untouched.requests).toHaveLength(0);
  });
});

describe("the process cannot end without a verdict", () => {
  it("GIVEN a check that never settles and leaves nothing pending WHEN Node runs out of work THEN the process prints an internal verdict and exits 1", async () => {
    const result = await neverSettles;

    expect(result.code).toBe(1);
    expect(verdictOf(result)).toBe("unhealthy: internal: no verdict: the check stopped before it had a result (a bug; please report it)");
  });

  it("GIVEN a check that throws WHEN run THEN the trace goes to stderr, then an internal verdict, exit 1", async () => {
    const result = await throws;

    expect(result.code).toBe(1);
    expect(verdictOf(result)).toBe("unhealthy: internal: boom");
    expect(result.stderr).toMatch(STACK_TRACE);
  });

  it("GIVEN a check that returned but left a timer running WHEN it finishes THEN the process still ends, with the check's code", async () => {
    const result = await lingers;

    // Without the grace exit, the minute-long timer would hold the process until the test's time limit kills it (code null).
    expect(result.code).toBe(0);
    expect(result.wallMs).toBeLessThan(15_000);
  });

  it("GIVEN a command with the default ending (npm run versions) that never settles WHEN Node runs out of work THEN it says so on stderr and exits 2", async () => {
    const result = await neverSettlesByDefault;

    expect(result).toMatchObject({ code: 2, stdout: "", stderr: "internal error: the command stopped before it had a result (a bug; please report it)\n" });
  });
});

describe("the commands the documentation shows", () => {
  it("GIVEN a healthy operator WHEN each documented command runs as written THEN each exits 0 with a healthy verdict", async () => {
    const { commands, server, runs } = documented;
    expect(commands.map((line) => line.replace(/\s+#.*$/, ""))).toEqual(
      expect.arrayContaining(["npm run healthcheck -- integ", 'npm run healthcheck -- --url "http://$OPERATOR_ADDRESS/ops/healthcheck"', "npm run healthcheck -- prod --timeout 1800 --interval 15"]),
    );
    expect(commands.filter(namesAnAddress)).toEqual([]);

    const results = await Promise.all(runs);

    results.forEach((result, index) => {
      expect({ command: commands[index], code: result.code, verdict: verdictOf(result) }).toEqual({
        command: commands[index],
        code: 0,
        verdict: expect.stringMatching(new RegExp(`^healthy: ${server.url} answered 200 OK after 1 attempt in `)),
      });
    });
    expect(server.requests).toHaveLength(commands.length);
  });
});
