/**
 * `npm run versions` bounds what it reads and runs: a redirect is checked before it is followed,
 * an index nested without end is refused before it is composed, text from a source is printed
 * without control characters, and a hung `az` is stopped with everything it started. The
 * servers and the stand-in `az` run on this machine only.
 */
import { spawnSync } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { readAksVersions } from "../lib/versions/aks-versions";
import { readChartIndex } from "../lib/versions/chart-index";
import { printable, SourceError } from "../lib/versions/source-error";

const ROUTES: Record<string, { status: number; headers?: Record<string, string>; body?: string }> = {
  "/off-https/index.yaml": { status: 302, headers: { location: "http://example.invalid/index.yaml" } },
  "/with-credentials/index.yaml": { status: 301, headers: { location: "https://user:s3cret@example.invalid/index.yaml" } },
  "/hop/index.yaml": { status: 302, headers: { location: "/good/index.yaml" } },
  "/loop/index.yaml": { status: 302, headers: { location: "/loop/index.yaml" } },
  "/good/index.yaml": { status: 200, body: "apiVersion: v1\nentries:\n  virtualnode:\n  - version: 1.3409.26080501\n" },
  "/deep/index.yaml": { status: 200, body: `entries: ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}\n` },
  "/ansi/index.yaml": { status: 200, body: 'entries:\n  virtualnode:\n  - version: "1.3409.1\\e[2J\\e[31mfake"\n' },
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    const route = ROUTES[request.url ?? ""] ?? { status: 404 };
    response.writeHead(route.status, route.headers);
    response.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error("the source was accepted");
}

describe("the chart index", () => {
  it("does not follow a redirect off HTTPS, and names where it led", async () => {
    expect(await failure(readChartIndex(`${base}/off-https/`, 5000))).toMatch(/redirected to http:\/\/example\.invalid\/index\.yaml, which was not followed: it is not an https:\/\/ URL/);
  });

  it("does not follow a redirect to a URL with credentials, and never prints them", async () => {
    const message = await failure(readChartIndex(`${base}/with-credentials/`, 5000));
    expect(message).toMatch(/which was not followed: it must not hold a user name or password/);
    expect(message).not.toContain("s3cret");
  });

  it("follows a redirect that keeps to the rules", async () => {
    expect((await readChartIndex(`${base}/hop/`, 5000)).versions).toEqual(["1.3409.26080501"]);
  });

  it("stops after five redirects", async () => {
    expect(await failure(readChartIndex(`${base}/loop/`, 5000))).toMatch(/redirected more than 5 times/);
  });

  it("refuses an index nested a million levels deep quickly, before composing it", async () => {
    const started = Date.now();
    expect(await failure(readChartIndex(`${base}/deep/`, 5000))).toMatch(/nests deeper than 16 levels/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("prints versions without the terminal escapes a source put in them", async () => {
    const { versions } = await readChartIndex(`${base}/ansi/`, 5000);
    expect(versions).toEqual(["1.3409.1?[2J?[31mfake".replace("?[2J?[31m", "??")]);
  });
});

describe("text from a source", () => {
  it("loses ANSI escapes and control characters, keeping line breaks only where asked", () => {
    expect(printable("a\u001b[31mred\u001b[0m\u0007b\nc")).toBe("a?red??b?c");
    expect(printable("a\nb\rc", true)).toBe("a\nb?c");
  });
});

describe("a hung az", () => {
  it("is stopped after the timeout with every process it started", async () => {
    // GIVEN an az that starts a grandchild and hangs, recording the grandchild's pid
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-az-"));
    const pidFile = path.join(dir, "grandchild.pid");
    writeFileSync(path.join(dir, "az"), `#!/bin/sh\nsleep 60 &\necho $! > "${pidFile}"\nwait\n`);
    chmodSync(path.join(dir, "az"), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
    try {
      // WHEN asked with a timeout of one second
      await expect(readAksVersions("eastus", 1000)).rejects.toThrow(SourceError);
    } finally {
      process.env.PATH = savedPath;
    }
    // THEN the grandchild is gone too: no such process, or one that has exited and awaits reaping
    const pid = readFileSync(pidFile, "utf8").trim();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const state = spawnSync("ps", ["-o", "stat=", "-p", pid], { encoding: "utf8" }).stdout.trim();
    expect(state === "" || state.startsWith("Z")).toBe(true);
  });
});
