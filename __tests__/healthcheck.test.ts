/**
 * `npm run healthcheck` in-process: its parts (the request, the polling loop, the advice, the
 * command line) against real HTTP servers on 127.0.0.1, with a fake terraform for reading stack
 * outputs (no providers can be installed here). e2e/healthcheck-command.test.ts runs the real
 * command as a child process.
 */
import { execFile, spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ConfigError } from "../lib/config/problems";
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, MAX_SECONDS, MIN_INTERVAL_SECONDS, MIN_TIMEOUT_SECONDS, parseHealthcheckArgs } from "../lib/healthcheck/args";
import { failureAdvice } from "../lib/healthcheck/advice";
import { main, type HealthcheckDeps } from "../lib/healthcheck/main";
import { BODY_LIMIT, describeOutcome, type Outcome } from "../lib/healthcheck/outcome";
import { terraformCli, type TerraformResult, type TerraformRunner } from "../lib/healthcheck/outputs";
import { poll } from "../lib/healthcheck/poll";
import { probe } from "../lib/healthcheck/probe";
import { BAD_HEALTHCHECK_ARGS } from "./fixtures/bad-healthcheck-args";
import { STACK_TRACE } from "./support/run-healthcheck";
import { answer, closeAllServers, closedPort, inTurn, startMisbehavingServer, startServer } from "./support/servers";

const tempDirs: string[] = [];
const savedConfigEnv = process.env.UID2_CONFIG;

afterEach(async () => {
  await closeAllServers();
  tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  if (savedConfigEnv === undefined) delete process.env.UID2_CONFIG;
  else process.env.UID2_CONFIG = savedConfigEnv;
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "healthcheck-test-"));
  tempDirs.push(dir);
  return dir;
}

/** A project root in which `<deployment>-operator` has been synthesized. */
function synthesizedRoot(deployment: string): string {
  const root = tempDir();
  mkdirSync(path.join(root, "cdktf.out", "stacks", `${deployment}-operator`), { recursive: true });
  return root;
}

interface FakeTerraform {
  readonly run: TerraformRunner;
  readonly calls: { args: readonly string[]; cwd: string }[];
}

function fakeTerraform(result: TerraformResult): FakeTerraform {
  const calls: { args: readonly string[]; cwd: string }[] = [];
  return { calls, run: async (args, cwd) => (calls.push({ args, cwd }), result) };
}

function outputsJson(outputs: Record<string, string>): string {
  const entries = Object.entries(outputs).map(([name, value]) => [name, { sensitive: false, type: "string", value }]);
  return JSON.stringify(Object.fromEntries(entries));
}

const integ = {
  name: "integ",
  environment: "integ",
  names: { resourceGroup: "rg-uid2-integ", cluster: "aks-uid2-integ" },
  operator: { namespace: "uid2" },
};

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly elapsedMs: number;
}

/** Runs the command in-process; the configuration and terraform must be given when used. */
async function run(argv: string[], deps: Partial<HealthcheckDeps> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const started = performance.now();
  const code = await main(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    loadDeployments: () => ({ deployments: [integ] }),
    runTerraform: () => Promise.reject(new Error("terraform must not run in this test")),
    ...deps,
  });
  return { code, out: out.join("\n"), err: err.join("\n"), elapsedMs: performance.now() - started };
}

/** The last line of the output: the verdict. */
function lastLine(result: Run): string {
  return result.out.split("\n").at(-1) ?? "";
}

/**
 * One attempt (the interval leaves no room for a second) that may wait 10 s: these servers
 * answer at once, so the run ends as soon as they do, even when a busy machine delays them.
 */
const ONE_ATTEMPT = ["--timeout", "10", "--interval", "10"];

describe("polling a URL given with --url", () => {
  it("GIVEN a server answering 200 OK WHEN checked THEN it is healthy after one attempt, the verdict last (exit 0)", async () => {
    const server = await startServer(answer(200, "OK\n"));

    const result = await run(["--url", server.url, ...ONE_ATTEMPT]);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\[\s+\d+s\] attempt 1: HTTP 200 OK/);
    expect(lastLine(result)).toMatch(new RegExp(`^healthy: ${server.url} answered 200 OK after 1 attempt in [\\d.]+s$`));
    expect(server.requests).toEqual(["/ops/healthcheck"]);
  });

  it("GIVEN a server that always answers 503 WHEN checked once THEN one attempt, the advice, then the verdict (exit 1)", async () => {
    const server = await startServer(answer(503, "Service Unavailable"));

    const result = await run(["--url", server.url, ...ONE_ATTEMPT]);

    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(result.out).toContain('attempt 1: HTTP 503 "Service Unavailable"');
    expect(result.out).toContain('last result: HTTP 503 "Service Unavailable"');
    // The operator's documented failure modes: 401 from core exits at once, others after 12 hours.
    expect(result.out).toContain("HTTP 401");
    expect(result.out).toContain("12 hours");
    expect(result.out).toContain("kubectl get pods -l app.kubernetes.io/name=operator");
    expect(result.out).toContain("kubectl describe pod -l app.kubernetes.io/name=operator");
    expect(result.out).toContain("kubectl logs -l app.kubernetes.io/name=operator -c uid2-operator --tail=200");
    expect(result.out).toContain("kubectl get svc operator-svc");
    expect(lastLine(result)).toMatch(new RegExp(`^unhealthy: ${server.url} did not answer 200 OK in 1 attempt over [\\d.]+s \\(deadline 10s\\); last: HTTP 503 "Service Unavailable"$`));
  });

  it("GIVEN a server answering 200 with another body WHEN checked THEN it is not healthy: something else answers", async () => {
    const server = await startServer(answer(200, "<html>Welcome to nginx!</html>"));

    const result = await run(["--url", server.url, ...ONE_ATTEMPT]);

    expect(result.code).toBe(1);
    expect(result.out).toContain('HTTP 200 but the body is "<html>Welcome to nginx!</html>", not OK');
    expect(result.out).toContain("something else answers at this address");
  });

  it("GIVEN a port with nothing listening WHEN checked THEN it reports connection refused (exit 1)", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/ops/healthcheck`;

    const result = await run(["--url", url, ...ONE_ATTEMPT]);

    expect(result.code).toBe(1);
    expect(result.out).toContain("attempt 1: connection refused (ECONNREFUSED)");
    expect(result.out).toContain("the operator pods are not ready yet");
    expect(result.out).toContain("confidential pods");
  });

  it("GIVEN a server answering 503 twice, then OK WHEN polled THEN it retries and is healthy after three attempts", async () => {
    const server = await startServer(inTurn(answer(503, ""), answer(503, ""), answer(200, "OK")));
    const lines: string[] = [];

    const result = await poll({ url: server.url, timeoutMs: 2000, intervalMs: 20, log: (line) => lines.push(line) });

    expect(result).toMatchObject({ healthy: true, attempts: 3 });
    expect(lines.map((line) => line.replace(/^\[\s*\d+s\] /, ""))).toEqual(["attempt 1: HTTP 503", "attempt 2: HTTP 503", "attempt 3: HTTP 200 OK"]);
  });

  it("GIVEN a server that never answers and a short request timeout WHEN polled THEN each request gives up and is retried within the deadline", async () => {
    const server = await startServer(() => undefined);
    const lines: string[] = [];
    const started = performance.now();

    const result = await poll({ url: server.url, timeoutMs: 800, intervalMs: 20, requestTimeoutMs: 100, log: (line) => lines.push(line) });

    expect(result.healthy).toBe(false);
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(800 + 500);
    // "could not connect" when a busy machine is slower than the 0.1 s to connect.
    expect(lines[0]).toMatch(/attempt 1: (no answer|could not connect) within 0.1s$/);
  });
});

describe("one request", () => {
  it("GIVEN servers that misbehave in each way WHEN probed at once THEN each outcome says what happened, within the request's timeout", async () => {
    // Long enough for a busy machine to let the in-process servers act; the probes run at once.
    const TIMEOUT_MS = 600;
    const expected = {
      close: { kind: "closed" },
      reset: { kind: "network", code: "ECONNRESET" },
      "half-close": { kind: "closed" },
      "stall-mid-body": { kind: "no-answer", stage: "body", status: 200, waitedMs: TIMEOUT_MS },
      "slow-headers": { kind: "no-answer", stage: "headers", waitedMs: TIMEOUT_MS },
      "never-answer": { kind: "no-answer", stage: "headers", waitedMs: TIMEOUT_MS },
    } as const;
    const kinds = Object.keys(expected) as (keyof typeof expected)[];
    const servers = await Promise.all(kinds.map((how) => startMisbehavingServer(how)));
    const started = performance.now();

    const outcomes = await Promise.all(servers.map((server) => probe(server.url, TIMEOUT_MS)));

    expect(Object.fromEntries(kinds.map((how, index) => [how, outcomes[index]]))).toMatchObject(expected);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
  });

  it("GIVEN a server sending a large body WHEN probed THEN only the first BODY_LIMIT bytes are read", async () => {
    const server = await startServer(answer(200, "x".repeat(1024 * 1024)));

    const outcome = await probe(server.url, 2000);

    expect(outcome.kind).toBe("answer");
    expect((outcome as { body: string }).body).toHaveLength(BODY_LIMIT);
  });

  it("GIVEN a server that redirects WHEN probed THEN the redirect is the answer, not followed", async () => {
    const elsewhere = await startServer(answer(200, "OK"));
    const server = await startServer((_request, response) => {
      response.writeHead(302, { location: elsewhere.url });
      response.end();
    });

    const outcome = await probe(server.url, 2000);

    expect(outcome).toEqual({ kind: "answer", status: 302, body: "" });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it.each([
    [{ kind: "no-answer", stage: "connect", waitedMs: 10_000 }, "could not connect within 10s"],
    [{ kind: "no-answer", stage: "headers", waitedMs: 1000 }, "no answer within 1s"],
    [{ kind: "no-answer", stage: "body", status: 200, waitedMs: 1000 }, "HTTP 200, then the body stalled: not complete within 1s"],
    [{ kind: "closed" }, "connection closed without an answer"],
    [{ kind: "closed", status: 200 }, "HTTP 200, then the connection closed before the body was complete"],
  ] as const)("GIVEN the outcome %j WHEN described THEN it reads %j", (outcome, words) => {
    expect(describeOutcome(outcome as Outcome)).toBe(words);
  });
});

describe("what an unhealthy result likely means", () => {
  it.each([
    ["HTTP 401 from the health check", { kind: "answer", status: 401, body: "" } as const, "a proxy or another service answers"],
    ["HTTP 404", { kind: "answer", status: 404, body: "Not Found" } as const, "has no /ops/healthcheck"],
    ["a redirect", { kind: "answer", status: 302, body: "" } as const, "something else answers"],
    ["an unknown host", { kind: "network", code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND" } as const, "does not resolve"],
    ["a TLS failure", { kind: "network", code: "ERR_SSL_WRONG_VERSION_NUMBER", message: "wrong version number" } as const, "plain HTTP on port 80"],
    ["a connection closed without an answer", { kind: "closed" } as const, "the address takes no requests"],
    ["no connection", { kind: "no-answer", stage: "connect", waitedMs: 10_000 } as const, "no ready operator pod"],
    ["a connection with no answer", { kind: "no-answer", stage: "headers", waitedMs: 10_000 } as const, "accepted but nothing answered"],
    ["a body that stalled", { kind: "no-answer", stage: "body", status: 200, waitedMs: 10_000 } as const, "cut it short"],
    ["a body cut short", { kind: "closed", status: 200 } as const, "cut it short"],
  ])("GIVEN %s WHEN explained THEN the advice says so", (_case, outcome, meaning) => {
    const advice = failureAdvice(outcome).join("\n");

    expect(advice).toContain(meaning);
    expect(advice).toContain("kubectl get svc operator-svc");
  });
});

describe("bad-input corpus: health check command lines", () => {
  it.each(BAD_HEALTHCHECK_ARGS.map((c) => [c.title, c] as const))(
    "GIVEN %s WHEN run THEN it is refused in one line naming it, before any request (exit 2, no stack trace, no password)",
    async (_title, c) => {
      const server = await startServer(answer(200, "OK"));

      const result = await run(c.argv(server.url));

      expect(result.code).toBe(2);
      expect(result.err.startsWith(`healthcheck: ${c.expect}`)).toBe(true);
      expect(result.err.endsWith(" (npm run healthcheck -- --help shows the usage)")).toBe(true);
      expect(result.err.split("\n")).toHaveLength(1);
      expect(result.err).not.toMatch(STACK_TRACE);
      expect(result.err).not.toContain("s3cret");
      expect(result.err).not.toContain("s3/cret");
      expect(result.out).toBe("");
      expect(server.requests).toHaveLength(0);
    },
  );
});

describe("command-line values", () => {
  it("GIVEN --help WHEN run THEN the usage, with the bounds and the exit codes, goes to stdout (exit 0, nothing checked)", async () => {
    const result = await run(["--help"]);

    expect(result.code).toBe(0);
    expect(result.out).toContain("usage: npm run healthcheck -- <deployment>");
    expect(result.out).toContain("--interval <seconds>  wait this long between attempts (default 10, at least 1, at most 86400)");
    expect(result.out).toContain("exit codes: 0 healthy, 1 unhealthy");
  });

  it("GIVEN no --timeout or --interval WHEN parsed THEN the defaults are 900 s and 10 s", () => {
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(900);
    expect(DEFAULT_INTERVAL_SECONDS).toBe(10);
    expect(parseHealthcheckArgs(["integ"])).toEqual({
      help: false,
      target: { kind: "deployment", deployment: "integ" },
      timeoutMs: 900_000,
      intervalMs: 10_000,
    });
  });

  it("GIVEN the bounds themselves WHEN parsed THEN they are accepted", () => {
    expect([MIN_TIMEOUT_SECONDS, MIN_INTERVAL_SECONDS, MAX_SECONDS]).toEqual([1, 1, 86_400]);
    expect(parseHealthcheckArgs(["integ", "--timeout", "1", "--interval", "1"])).toMatchObject({ timeoutMs: 1000, intervalMs: 1000 });
    expect(parseHealthcheckArgs(["integ", "--timeout", "86400", "--interval", "86400"])).toMatchObject({ timeoutMs: 86_400_000, intervalMs: 86_400_000 });
    expect(parseHealthcheckArgs(["integ", "--interval", "1.5"])).toMatchObject({ intervalMs: 1500 });
  });
});

describe("checking a deployment by name", () => {
  it("GIVEN a configuration file in UID2_CONFIG WHEN an unknown deployment is named THEN it is refused, listing the known ones", async () => {
    const file = path.join(tempDir(), "deployments.json");
    writeFileSync(
      file,
      JSON.stringify({
        deployments: [
          { name: "alpha", environment: "integ", location: "eastus" },
          { name: "beta", environment: "prod", location: "eastus" },
        ],
      }),
    );
    process.env.UID2_CONFIG = file;
    const terraform = fakeTerraform({ exitCode: 0, stdout: "{}", stderr: "" });
    const errors: string[] = [];

    // The real configuration loader, reading the file named by UID2_CONFIG.
    const result = await main(["gamma"], { out: () => undefined, err: (line) => errors.push(line), runTerraform: terraform.run });

    expect(result).toBe(2);
    expect(errors.join("\n")).toContain('unknown deployment "gamma"');
    expect(errors.join("\n")).toContain("alpha, beta");
    expect(terraform.calls).toHaveLength(0);
  });

  it("GIVEN an invalid configuration WHEN a deployment is named THEN its problems are listed (exit 2)", async () => {
    const result = await run(["integ"], {
      loadDeployments: () => {
        throw new ConfigError(["integ: location \"westeurope\" is not supported"]);
      },
    });

    expect(result.code).toBe(2);
    expect(result.err).toContain("the configuration has problems");
    expect(result.err).toContain('integ: location "westeurope" is not supported');
    expect(result.err).not.toMatch(STACK_TRACE);
  });

  it("GIVEN the operator stack was never synthesized WHEN checked THEN it says to run cdktf synth or deploy", async () => {
    const result = await run(["integ"], { projectRoot: tempDir() });

    expect(result.code).toBe(2);
    expect(result.err).toContain(path.join("cdktf.out", "stacks", "integ-operator"));
    expect(result.err).toContain("npx cdktf synth");
    expect(result.err).toContain("npx cdktf deploy integ-network integ-cluster integ-secrets integ-operator");
  });

  it.each([
    ["terraform fails to read the state", { exitCode: 1, stdout: "", stderr: "Error: Backend initialization required, please run \"terraform init\"\n" }],
    ["the state has no outputs", { exitCode: 0, stdout: "{}\n", stderr: "" }],
    ["healthcheck_url is empty", { exitCode: 0, stdout: outputsJson({ healthcheck_url: "" }), stderr: "" }],
  ])("GIVEN %s WHEN checked THEN the deployment is reported as not deployed yet, with the deploy command", async (_case, terraformResult) => {
    const terraform = fakeTerraform(terraformResult);

    const result = await run(["integ"], { projectRoot: synthesizedRoot("integ"), runTerraform: terraform.run });

    expect(result.code).toBe(2);
    expect(result.err).toContain("deployment integ is not deployed yet (no healthcheck_url output)");
    expect(result.err).toContain("npx cdktf deploy integ-network integ-cluster integ-secrets integ-operator");
    expect(result.err).toContain(terraformResult.stderr.split("\n")[0]);
    expect(result.err).not.toMatch(STACK_TRACE);
    expect(terraform.calls).toHaveLength(1);
  });

  it("GIVEN a healthcheck_url output with a password in it WHEN checked THEN it is refused without showing the password (exit 2)", async () => {
    const terraform = fakeTerraform({ exitCode: 0, stdout: outputsJson({ healthcheck_url: "http://operator:s3cret@127.0.0.1/ops/healthcheck" }), stderr: "" });

    const result = await run(["integ"], { projectRoot: synthesizedRoot("integ"), runTerraform: terraform.run });

    expect(result.code).toBe(2);
    expect(result.err).toContain('the healthcheck_url output of stack integ-operator "http://***@127.0.0.1/ops/healthcheck" holds a user name or password');
    expect(result.err).not.toContain("s3cret");
    expect(result.out).toBe("");
  });

  it("GIVEN terraform cannot be started WHEN checked THEN it says so (exit 2)", async () => {
    const result = await run(["integ"], {
      projectRoot: synthesizedRoot("integ"),
      runTerraform: () => Promise.reject(new Error("terraform is not on PATH")),
    });

    expect(result.code).toBe(2);
    expect(result.err).toContain("could not run `terraform output -json -no-color`");
    expect(result.err).toContain("terraform is not on PATH");
  });

  it("GIVEN a deployed stack WHEN checked THEN the URL from its outputs is polled, terraform running in the stack's directory", async () => {
    const server = await startServer(answer(200, "OK"));
    const root = synthesizedRoot("integ");
    const terraform = fakeTerraform({ exitCode: 0, stdout: outputsJson({ healthcheck_url: server.url, cluster_name: "aks-uid2-integ" }), stderr: "" });

    const result = await run(["integ", ...ONE_ATTEMPT], { projectRoot: root, runTerraform: terraform.run });

    expect(result.code).toBe(0);
    expect(terraform.calls).toEqual([{ args: ["output", "-json", "-no-color"], cwd: path.join(root, "cdktf.out", "stacks", "integ-operator") }]);
    expect(server.requests).toEqual(["/ops/healthcheck"]);
    expect(result.out).toContain(`healthy: ${server.url} answered 200 OK`);
  });

  it("GIVEN a deployed stack that stays unhealthy WHEN checked THEN the advice uses the deployment's cluster and namespace", async () => {
    const server = await startServer(answer(503, ""));
    const terraform = fakeTerraform({ exitCode: 0, stdout: outputsJson({ healthcheck_url: server.url }), stderr: "" });

    const result = await run(["integ", ...ONE_ATTEMPT], { projectRoot: synthesizedRoot("integ"), runTerraform: terraform.run });

    expect(result.code).toBe(1);
    expect(result.out).toContain("az aks get-credentials --resource-group rg-uid2-integ --name aks-uid2-integ");
    expect(result.out).toContain("kubectl get pods -l app.kubernetes.io/name=operator --namespace uid2");
    expect(result.out).toContain("kubectl logs -l app.kubernetes.io/name=operator -c uid2-operator --tail=200 --namespace uid2");
  });
});

/** Terraform reads outputs without any provider, so a local-backend stack works offline. */
const terraformInstalled = spawnSync("terraform", ["version"], { stdio: "ignore" }).status === 0;

describe("reading outputs with the real terraform CLI", () => {
  /** A synthesized operator stack with a local backend, as constructs/state-backend.ts writes it. */
  function localBackendStack(deployment: string, outputs?: Record<string, string>): { root: string; stackDir: string } {
    const root = synthesizedRoot(deployment);
    const stack = `${deployment}-operator`;
    const stackDir = path.join(root, "cdktf.out", "stacks", stack);
    writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: `../../../terraform.${stack}.tfstate` } } } }));
    if (outputs) {
      const stateOutputs = Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value, type: "string" }]));
      const state = { version: 4, terraform_version: "1.11.0", serial: 1, lineage: "healthcheck-test", outputs: stateOutputs, resources: [], check_results: null };
      writeFileSync(path.join(root, `terraform.${stack}.tfstate`), JSON.stringify(state));
    }
    return { root, stackDir };
  }

  function terraformInit(cwd: string): Promise<void> {
    return new Promise((resolve, reject) =>
      execFile("terraform", ["init", "-input=false", "-no-color"], { cwd }, (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve())),
    );
  }

  (terraformInstalled ? it : it.skip)("GIVEN a deployed stack with a local state file WHEN checked THEN terraform's healthcheck_url is polled", async () => {
    const server = await startServer(answer(200, "OK"));
    const { root, stackDir } = localBackendStack("integ", { healthcheck_url: server.url });
    await terraformInit(stackDir);

    const result = await run(["integ", ...ONE_ATTEMPT], { projectRoot: root, runTerraform: terraformCli });

    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(server.requests).toEqual(["/ops/healthcheck"]);
  });

  (terraformInstalled ? it : it.skip)("GIVEN a synthesized stack whose backend was never initialized WHEN checked THEN terraform's own error is quoted", async () => {
    const { root } = localBackendStack("integ");

    const result = await run(["integ"], { projectRoot: root, runTerraform: terraformCli });

    expect(result.code).toBe(2);
    expect(result.err).toContain("deployment integ is not deployed yet (no healthcheck_url output)");
    expect(result.err).toContain("    Error: Backend initialization required");
    expect(result.err).toContain("terraform init");
  });
});
