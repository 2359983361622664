/**
 * Reading the files a configuration names: only regular files, never more than their limit, and
 * the configuration's JSON strictly (syntax errors, duplicate keys, `__proto__` and depth, each
 * with line and column).
 */
import { execFileSync } from "child_process";
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { readRegularFile, UnreadableFile } from "../lib/bounded-read";
import { MAX_CONFIG_DEPTH, parseConfigJson } from "../lib/config/json-reader";
import { loadConfig, MAX_CONFIG_BYTES } from "../lib/config/load";
import { ConfigError } from "../lib/config/problems";
import { MAX_MANIFEST_BYTES, releaseManifestProblems } from "../lib/manifest/read";

const scratch = mkdtempSync(path.join(tmpdir(), "uid2-inputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

function fifo(name: string): string {
  const file = path.join(scratch, name);
  execFileSync("mkfifo", [file]);
  return file;
}

/** A file of `bytes` bytes that takes no disk space (a hole). */
function sparseFile(name: string, bytes: number): string {
  const file = path.join(scratch, name);
  closeSync(openSync(file, "w"));
  truncateSync(file, bytes);
  return file;
}

function reasonOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof UnreadableFile) return error.reason;
    throw error;
  }
  throw new Error("the file was read");
}

function problemsOf(parse: () => unknown): readonly string[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("reading only regular files, within a limit", () => {
  it("reads a regular file within its limit", () => {
    expect(readRegularFile(scratchFile("small.txt", "héllo"), 6)).toBe("héllo");
  });

  it.each<[string, () => string, string]>([
    ["a missing file", () => path.join(scratch, "missing"), "no such file"],
    ["a directory", () => scratch, "is a directory, not a regular file"],
    ["a FIFO, without waiting for a writer", () => fifo("a-fifo"), "is a FIFO (named pipe), not a regular file"],
    ["a device that never ends", () => "/dev/zero", "is a device, not a regular file"],
  ])("refuses %s", (_case, file, reason) => {
    expect(reasonOf(() => readRegularFile(file(), 1024))).toBe(reason);
  });

  it("refuses a file one byte over its limit", () => {
    expect(reasonOf(() => readRegularFile(scratchFile("seven.txt", "1234567"), 6))).toBe("is larger than 6 bytes");
  });

  it("refuses a 10 GB file at once, reading no more than the limit and a byte", () => {
    // GIVEN a sparse 10 GB file WHEN read with a 5 MB limit THEN it is refused quickly
    const file = sparseFile("huge.yaml", 10 * 1024 ** 3);
    const started = Date.now();
    expect(reasonOf(() => readRegularFile(file, MAX_MANIFEST_BYTES))).toBe("is larger than 5 MB");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("operator.manifestPath that is not a regular file", () => {
  it.each<[string, () => string, string]>([
    ["a FIFO", () => fifo("operator-fifo.yaml"), "is a FIFO (named pipe), not a regular file"],
    ["/dev/zero", () => "/dev/zero", "is a device, not a regular file"],
    ["a file over 5 MB", () => sparseFile("operator-big.yaml", MAX_MANIFEST_BYTES + 1), "is larger than 5 MB"],
  ])("refuses %s with the file named", (_case, file, reason) => {
    const manifest = file();
    expect(releaseManifestProblems(manifest)).toEqual([`${manifest}: cannot read the manifest: ${reason}`]);
  });
});

describe("the configuration file", () => {
  it.each<[string, () => string, string]>([
    ["a FIFO", () => fifo("deployments-fifo.json"), "is a FIFO (named pipe), not a regular file"],
    ["a directory", () => scratch, "is a directory, not a regular file"],
    ["a file over 1 MB", () => scratchFile("big.json", `{"deployments": [], "$schema": "${"x".repeat(MAX_CONFIG_BYTES)}"}`), "is larger than 1 MB"],
  ])("refuses %s with the file named", (_case, file, reason) => {
    const config = file();
    expect(problemsOf(() => loadConfig(config))).toEqual([`${config}: configuration file ${reason} (is UID2_CONFIG set to the right file?)`]);
  });
});

describe("the configuration's JSON, read strictly", () => {
  it("reads what JSON.parse reads, a byte-order mark and escapes included", () => {
    const text = '\ufeff{ "a": [1, -2.5e3, true, false, null], "b": { "c": "\\u00e9\\n\\"" } }';
    expect(parseConfigJson(text, "f.json")).toEqual(JSON.parse(text.slice(1)));
  });

  it.each<[string, string, string]>([
    ["an unquoted key", "{ deployments: [", 'f.json:1:3: not valid JSON: expected a key in double quotes but found "d"'],
    ["a missing value", '{\n  "deployments": [ }', 'f.json:2:20: not valid JSON: expected a value but found "}"'],
    ["a trailing comma", '{"a": [1,\n 2,\n ]}', 'f.json:3:2: not valid JSON: a "," before "]": JSON allows no trailing comma'],
    ["an unclosed string", '{"a": "b', "f.json:1:7: not valid JSON: a string is not closed: its closing double quote is missing"],
    ["a line break in a string", '{"a": "b\nc"}', "f.json:1:9: not valid JSON: a control character (such as a line break or tab) inside a string; write it as \\n, \\t or \\u00XX"],
    ["an invalid escape", '{"a": "\\x"}', "f.json:1:8: not valid JSON: invalid escape \\x in a string"],
    ["text after the value", '{"a": 1}\n}', 'f.json:2:1: not valid JSON: unexpected "}" after the end of the JSON value'],
    ["an empty file", "  \n", 'f.json:2:1: not valid JSON: the file is empty; it must hold a JSON object such as { "deployments": [...] }'],
  ])("gives the line and column of %s", (_case, text, problem) => {
    expect(problemsOf(() => parseConfigJson(text, "f.json"))).toEqual([problem]);
  });

  it("refuses every duplicate key, naming it, where it is and where it was first", () => {
    // GIVEN `deployments` twice at the top level and `location` twice in a deployment
    const text = [
      "{",
      '  "deployments": [',
      '    { "name": "integ", "environment": "integ", "location": "eastus",',
      '      "location": "westus2" }',
      "  ],",
      '  "deployments": []',
      "}",
    ].join("\n");
    expect(problemsOf(() => parseConfigJson(text, "f.json"))).toEqual([
      'f.json:4:7: duplicate key "location" in deployments[0] (first at line 3); a JSON reader keeps one of the two and ignores the other silently: write each key once',
      'f.json:6:3: duplicate key "deployments" at the top level (first at line 2); a JSON reader keeps one of the two and ignores the other silently: write each key once',
    ]);
  });

  it("refuses a __proto__ key instead of dropping it", () => {
    const text = '{"deployments": [{"tags": {"__proto__": "x", "owner": "ads"}}]}';
    expect(problemsOf(() => parseConfigJson(text, "f.json"))).toEqual([
      'f.json:1:28: key "__proto__" in deployments[0].tags is not allowed: JavaScript objects cannot hold it as a setting or tag name, and would drop it silently',
    ]);
  });

  it(`reads ${MAX_CONFIG_DEPTH} levels of nesting and refuses one more, before going deeper`, () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    expect(parseConfigJson(nested(MAX_CONFIG_DEPTH), "f.json")).toBeDefined();
    expect(problemsOf(() => parseConfigJson(nested(MAX_CONFIG_DEPTH + 1), "f.json"))).toEqual([
      `f.json:1:${MAX_CONFIG_DEPTH + 1}: objects and lists nest deeper than ${MAX_CONFIG_DEPTH} levels here, far deeper than any configuration needs; the file was not read further`,
    ]);
  });

  it("refuses a configuration nested 5,000 levels deep with a message, not a stack overflow", () => {
    const text = `{"deployments": [{"name": "integ", "tags": ${'{"a": '.repeat(5000)}"x"${"}".repeat(5000)}}]}`;
    const file = scratchFile("deep.json", text);
    expect(problemsOf(() => loadConfig(file))).toEqual([expect.stringMatching(new RegExp(`^${escapeRegExp(file)}:1:\\d+: objects and lists nest deeper than 32 levels`))]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
