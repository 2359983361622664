/**
 * `npm run healthcheck`, run in-process against real HTTP servers on 127.0.0.1, with a fake
 * terraform for reading stack outputs (no providers can be installed here), plus one run of
 * the real command as a child process.
 */
import { execFile, spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import * as http from "http";
import type { AddressInfo, Socket } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { ConfigError } from "../lib/config/problems";
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, parseHealthcheckArgs } from "../lib/healthcheck/args";
import { failureAdvice } from "../lib/healthcheck/advice";
import { main, type HealthcheckDeps } from "../lib/healthcheck/main";
import { terraformCli, type TerraformResult, type TerraformRunner } from "../lib/healthcheck/outputs";
import { poll } from "../lib/healthcheck/poll";
import { PROJECT_ROOT } from "../lib/project-root";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
}

const servers: { server: http.Server; sockets: Set<Socket> }[] = [];
const tempDirs: string[] = [];
const savedConfigEnv = process.env.UID2_CONFIG;

afterEach(async () => {
  for (const { server, sockets } of servers.splice(0)) {
    // Destroy sockets first: a server that never answered keeps them open, and close() waits.
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  if (savedConfigEnv === undefined) delete process.env.UID2_CONFIG;
  else process.env.UID2_CONFIG = savedConfigEnv;
});

async function startServer(handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    handler(request, response);
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/ops/healthcheck`, port, requests };
}

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function answer(status: number, body: string): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(body);
  };
}

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

const STACK_TRACE = /^\s+at /m;

describe("polling a URL given with --url", () => {
  it("GIVEN a server answering 200 OK WHEN checked THEN it is healthy after one attempt (exit 0)", async () => {
    const server = await startServer(answer(200, "OK\n"));

    const result = await run(["--url", server.url, "--timeout", "2", "--interval", "0.05"]);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\[\s+0s\] attempt 1: HTTP 200 OK/);
    expect(result.out).toContain(`healthy: ${server.url} answered 200 OK after 1 attempt in`);
    expect(server.requests).toEqual(["/ops/healthcheck"]);
  });

  it("GIVEN a server answering 503 twice, then OK WHEN checked THEN it retries and is healthy (exit 0)", async () => {
    let count = 0;
    const server = await startServer((request, response) => (++count <= 2 ? answer(503, "")(request, response) : answer(200, "OK")(request, response)));

    const result = await run(["--url", server.url, "--timeout", "2", "--interval", "0.05"]);

    expect(result.code).toBe(0);
    expect(result.out).toContain("attempt 1: HTTP 503");
    expect(result.out).toContain("attempt 2: HTTP 503");
    expect(result.out).toContain("attempt 3: HTTP 200 OK");
    expect(result.out).toContain("answered 200 OK after 3 attempts");
    expect(server.requests).toHaveLength(3);
  });

  it("GIVEN a server that always answers 503 WHEN checked THEN it fails within the deadline, saying 503 and what to run", async () => {
    const server = await startServer(answer(503, "Service Unavailable"));

    const result = await run(["--url", server.url, "--timeout", "1.5", "--interval", "0.05"]);

    expect(result.code).toBe(1);
    expect(result.elapsedMs).toBeLessThan(1500 + 500);
    expect(server.requests.length).toBeGreaterThan(2);
    expect(result.out).toContain('attempt 1: HTTP 503 "Service Unavailable"');
    expect(result.out).toMatch(new RegExp(`unhealthy: ${server.url} did not answer 200 OK in \\d+ attempts over [\\d.]+s \\(deadline 1.5s\\)`));
    expect(result.out).toContain('last result: HTTP 503 "Service Unavailable"');
    // The operator's documented failure modes: 401 from core exits at once, others after 12 hours.
    expect(result.out).toContain("HTTP 401");
    expect(result.out).toContain("12 hours");
    expect(result.out).toContain("kubectl get pods -l app.kubernetes.io/name=operator");
    expect(result.out).toContain("kubectl describe pod -l app.kubernetes.io/name=operator");
    expect(result.out).toContain("kubectl logs -l app.kubernetes.io/name=operator -c uid2-operator --tail=200");
    expect(result.out).toContain("kubectl get svc operator-svc");
  });

  it("GIVEN a server answering 200 with another body WHEN checked THEN it is not healthy: something else answers", async () => {
    const server = await startServer(answer(200, "<html>Welcome to nginx!</html>"));

    const result = await run(["--url", server.url, "--timeout", "1.2", "--interval", "0.05"]);

    expect(result.code).toBe(1);
    expect(result.out).toContain('HTTP 200 but the body is "<html>Welcome to nginx!</html>", not OK');
    expect(result.out).toContain("something else answers at this address");
  });

  it("GIVEN a port with nothing listening WHEN checked THEN it reports connection refused (exit 1)", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/ops/healthcheck`;

    const result = await run(["--url", url, "--timeout", "1.2", "--interval", "0.05"]);

    expect(result.code).toBe(1);
    expect(result.out).toContain("attempt 1: connection refused (ECONNREFUSED)");
    expect(result.out).toContain("the operator pods are not ready yet");
    expect(result.out).toContain("confidential pods");
  });

  it("GIVEN a server that accepts and never answers WHEN checked THEN the deadline still holds", async () => {
    const server = await startServer(() => undefined);

    const result = await run(["--url", server.url, "--timeout", "1", "--interval", "0.05"]);

    expect(result.code).toBe(1);
    expect(result.elapsedMs).toBeLessThan(1000 + 500);
    expect(result.out).toContain("attempt 1: no answer within 1s");
    expect(result.out).toContain("nothing answered");
  });

  it("GIVEN a server that never answers and a short request timeout WHEN polled THEN each request gives up and is retried", async () => {
    const server = await startServer(() => undefined);
    const lines: string[] = [];
    const started = performance.now();

    const result = await poll({ url: server.url, timeoutMs: 1000, intervalMs: 50, requestTimeoutMs: 200, log: (line) => lines.push(line) });

    expect(result.healthy).toBe(false);
    expect(result.attempts).toBeGreaterThanOrEqual(3);
    expect(performance.now() - started).toBeLessThan(1000 + 500);
    expect(lines[0]).toContain("attempt 1: no answer within 0.2s");
  });
});

describe("what an unhealthy result likely means", () => {
  it.each([
    ["HTTP 401 from the health check", { kind: "answer", status: 401, body: "" } as const, "a proxy or another service answers"],
    ["HTTP 404", { kind: "answer", status: 404, body: "Not Found" } as const, "has no /ops/healthcheck"],
    ["a redirect", { kind: "answer", status: 302, body: "" } as const, "something else answers"],
    ["an unknown host", { kind: "network", code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND" } as const, "does not resolve"],
    ["a TLS failure", { kind: "network", code: "ERR_SSL_WRONG_VERSION_NUMBER", message: "wrong version number" } as const, "plain HTTP on port 80"],
  ])("GIVEN %s WHEN explained THEN the advice says so", (_case, outcome, meaning) => {
    const advice = failureAdvice(outcome).join("\n");

    expect(advice).toContain(meaning);
    expect(advice).toContain("kubectl get svc operator-svc");
  });
});

describe("command-line mistakes", () => {
  it.each([["ftp://127.0.0.1/ops/healthcheck"], ["not a url"], ["127.0.0.1/ops/healthcheck"]])(
    "GIVEN --url %j WHEN run THEN it is refused naming --url (exit 2, no stack trace)",
    async (url) => {
      const result = await run(["--url", url]);

      expect(result.code).toBe(2);
      expect(result.err).toContain(`--url "${url}"`);
      expect(result.err).not.toMatch(STACK_TRACE);
      expect(result.out).toBe("");
    },
  );

  it.each([
    ["--timeout", "0"],
    ["--timeout", "-5"],
    ["--timeout", "soon"],
    ["--interval", ""],
    ["--interval", "0"],
    ["--interval", "ten"],
  ])("GIVEN %s=%j WHEN run THEN it is refused naming the option (exit 2)", async (option, value) => {
    const result = await run(["--url", "http://127.0.0.1/ops/healthcheck", `${option}=${value}`]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(`${option} must be a positive number of seconds, got "${value}"`);
    expect(result.err).not.toMatch(STACK_TRACE);
  });

  it("GIVEN a negative number after --timeout WHEN run THEN it is refused naming --timeout (exit 2)", async () => {
    const result = await run(["--url", "http://127.0.0.1/ops/healthcheck", "--timeout", "-5"]);

    expect(result.code).toBe(2);
    expect(result.err).toContain("'--timeout'");
  });

  it.each([
    ["both a deployment and --url", ["integ", "--url", "http://127.0.0.1/ops/healthcheck"], "not both"],
    ["neither a deployment nor --url", ["--timeout", "5"], "give a deployment name or --url"],
    ["two deployments", ["integ", "prod"], "expected one deployment name"],
    ["an unknown option", ["integ", "--wait", "5"], "--wait"],
  ])("GIVEN %s WHEN run THEN it prints the usage (exit 2)", async (_case, argv, reason) => {
    const result = await run(argv);

    expect(result.code).toBe(2);
    expect(result.err).toContain(reason);
    expect(result.err).toContain("usage: npm run healthcheck -- <deployment>");
    expect(result.err).not.toMatch(STACK_TRACE);
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

    const result = await run(["integ", "--timeout", "2", "--interval", "0.05"], { projectRoot: root, runTerraform: terraform.run });

    expect(result.code).toBe(0);
    expect(terraform.calls).toEqual([{ args: ["output", "-json", "-no-color"], cwd: path.join(root, "cdktf.out", "stacks", "integ-operator") }]);
    expect(server.requests).toEqual(["/ops/healthcheck"]);
    expect(result.out).toContain(`healthy: ${server.url} answered 200 OK`);
  });

  it("GIVEN a deployed stack that stays unhealthy WHEN checked THEN the advice uses the deployment's cluster and namespace", async () => {
    const server = await startServer(answer(503, ""));
    const terraform = fakeTerraform({ exitCode: 0, stdout: outputsJson({ healthcheck_url: server.url }), stderr: "" });

    const result = await run(["integ", "--timeout", "1.2", "--interval", "0.05"], { projectRoot: synthesizedRoot("integ"), runTerraform: terraform.run });

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

    const result = await run(["integ", "--timeout", "2", "--interval", "0.05"], { projectRoot: root, runTerraform: terraformCli });

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

describe("the real command", () => {
  function spawnHealthcheck(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/healthcheck.ts", ...args], { cwd: PROJECT_ROOT, timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
      });
    });
  }

  it("GIVEN a server answering 503 once, then OK WHEN `scripts/healthcheck.ts --url` runs THEN it exits 0 reporting healthy", async () => {
    let count = 0;
    const server = await startServer((request, response) => (++count === 1 ? answer(503, "")(request, response) : answer(200, "OK")(request, response)));

    const result = await spawnHealthcheck(["--url", `http://127.0.0.1:${server.port}/ops/healthcheck`, "--timeout", "5", "--interval", "0.1"]);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("attempt 1: HTTP 503");
    expect(result.stdout).toContain("attempt 2: HTTP 200 OK");
    expect(result.stdout).toContain("healthy: ");
  });

  it("GIVEN a malformed --url WHEN the command runs THEN it exits 2 with the usage and no stack trace", async () => {
    const result = await spawnHealthcheck(["--url", "ftp://example"]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--url "ftp://example" must use http or https');
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toBe("");
  });
});
