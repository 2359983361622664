/**
 * The review's building blocks on small in-memory values: the JSON diff, the line diff of the
 * decoded policy, references inside Terraform strings, what is hidden, how values are cut, how
 * stacks group into deployments, and the command line.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parseReviewArgs, UsageError } from "../lib/review/args";
import { sameLockFile } from "../lib/review/base-checkout";
import { deploymentName, dependencyOrder, groupDeployments } from "../lib/review/deployments";
import { HIDDEN } from "../lib/review/findings";
import { addWorktree } from "../lib/review/git";
import { diffJson, valueAt } from "../lib/review/json-diff";
import { MAX_EDIT_LINES, unifiedDiff } from "../lib/review/policy-diff";
import { referencesIn } from "../lib/review/references";
import { decodePolicy } from "../lib/review/release";
import { forcingArguments, REPLACEMENT_RULES } from "../lib/review/replacement-rules";
import { redact, sensitiveNames } from "../lib/review/sensitive";
import { shorten, shortenPair } from "../lib/review/shorten";
import { configurationSource, synthesizeSide, SynthesisStopped } from "../lib/review/synthesize-side";

describe("diffJson", () => {
  it("lists each changed, added and removed path, objects by key and arrays by index", () => {
    const before = { a: 1, b: { c: "x", d: [1, 2] }, gone: true };
    const after = { a: 1, b: { c: "y", d: [1, 3, 4] }, new: { k: null } };
    expect(diffJson(before, after)).toEqual([
      { path: ["b", "c"], before: "x", after: "y" },
      { path: ["b", "d", 1], before: 2, after: 3 },
      { path: ["b", "d", 2], after: 4 },
      { path: ["gone"], before: true },
      { path: ["new"], after: { k: null } },
    ]);
  });

  it("treats a value of another kind as one change, and equal values as none", () => {
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: ["a"], before: [1], after: { 0: 1 } }]);
    expect(diffJson({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });

  it("reads a value at a path, or nothing", () => {
    expect(valueAt({ a: [{ b: 2 }] }, ["a", 0, "b"])).toBe(2);
    expect(valueAt({ a: [{ b: 2 }] }, ["a", 1, "b"])).toBeUndefined();
    expect(valueAt({ a: "x" }, ["a", "b"])).toBeUndefined();
  });
});

describe("unifiedDiff", () => {
  const labels = { before: "old", after: "new" };

  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", labels)).toBe("");
  });

  it("writes diff -u hunks with three lines of context, separate hunks for distant changes", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";
    const after = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    expect(unifiedDiff(before, after, labels)).toBe(
      ["--- old", "+++ new", "@@ -1,6 +1,6 @@", " 1", " 2", "-3", "+three", " 4", " 5", " 6", "@@ -9,3 +9,4 @@", " 9", " 10", " 11", "+12", ""].join("\n"),
    );
  });

  it("shows a text that appears or goes entirely, with diff's empty ranges", () => {
    expect(unifiedDiff("", "x\ny\n", labels)).toBe("--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
    expect(unifiedDiff("x\n", "", labels)).toBe("--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n");
  });

  it("finds a shortest edit script", () => {
    // GIVEN two texts whose shortest edit script changes five lines (Myers' example), diffed with all lines as context
    const diff = unifiedDiff("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n", labels, 100);
    const body = diff.split("\n").slice(3, -1);
    // THEN five lines change, and each side's lines read back in order
    expect(body.filter((line) => !line.startsWith(" "))).toHaveLength(5);
    expect(body.filter((line) => !line.startsWith("+")).map((line) => line.slice(1))).toEqual(["a", "b", "c", "a", "b", "b", "a"]);
    expect(body.filter((line) => !line.startsWith("-")).map((line) => line.slice(1))).toEqual(["c", "b", "a", "b", "a", "c"]);
  });

  it("shows texts that differ on more lines than it searches as wholly replaced", () => {
    const count = MAX_EDIT_LINES / 2 + 1;
    const before = Array.from({ length: count }, (_, i) => `a${i}\n`).join("");
    const after = Array.from({ length: count }, (_, i) => `b${i}\n`).join("");
    const lines = unifiedDiff(before, after, labels).split("\n");
    expect(lines.slice(0, 3)).toEqual(["--- old", "+++ new", `@@ -1,${count} +1,${count} @@`]);
    expect(lines.slice(3, 3 + count).every((line) => line.startsWith("-a"))).toBe(true);
    expect(lines.slice(3 + count, 3 + 2 * count).every((line) => line.startsWith("+b"))).toBe(true);
  });
});

describe("decodePolicy", () => {
  it("decodes base64 text", () => {
    expect(decodePolicy(Buffer.from("package policy\n").toString("base64"))).toEqual({ text: "package policy\n" });
  });

  it("says why there is no text: a placeholder, binary, not a string", () => {
    expect(decodePolicy("CCE_POLICY_PLACEHOLDER").note).toBe('not base64: "CCE_POLICY_PLACEHOLDER"');
    expect(decodePolicy(Buffer.from([0xff, 0xfe, 0xfd]).toString("base64")).note).toBe("base64, but not UTF-8 text");
    expect(decodePolicy(3).note).toBe("not a string: 3");
    expect(decodePolicy(undefined)).toEqual({});
  });
});

describe("referencesIn", () => {
  it("finds resources, data sources, variables, locals and other stacks' outputs inside ${...}", () => {
    const value = {
      id: "${azurerm_key_vault.key-vault.id}",
      host: "${base64decode(data.azurerm_kubernetes_cluster.cluster.kube_config[0].host)}",
      key: "${var.operator_key}",
      list: ["${local.names}", "plain azurerm_key_vault.not-a-reference.id"],
      rg: "${data.terraform_remote_state.cross-stack-reference-input-integ-network.outputs.cross-stack-output-rgname}",
      tfe: "${data.tfe_outputs.cross-stack-reference-input-integ-secrets.values.vault}",
      nested: "${{ a = aws_x.y.z }}",
      "${not.a.key}": "x",
    };
    expect(referencesIn(value).map(({ path: at, reference }) => [at.join("."), reference])).toEqual([
      ["id", { kind: "item", address: "azurerm_key_vault.key-vault", attribute: "id" }],
      ["host", { kind: "item", address: "data.azurerm_kubernetes_cluster.cluster", attribute: "kube_config" }],
      ["key", { kind: "variable", name: "operator_key" }],
      ["list.0", { kind: "local", name: "names" }],
      ["rg", { kind: "stack-output", stack: "integ-network", output: "cross-stack-output-rgname" }],
      ["tfe", { kind: "stack-output", stack: "integ-secrets", output: "vault" }],
      ["nested", { kind: "item", address: "aws_x.y", attribute: "z" }],
    ]);
  });
});

describe("redact", () => {
  const names = sensitiveNames({ variable: { operator_key: { sensitive: true }, region: {} }, output: { secret: { sensitive: true, value: "x" }, open: { value: "y" } } });

  it("hides write-only arguments, values reading a sensitive variable, sensitive outputs and defaults", () => {
    expect(redact("anything", ["value_wo"], names)).toBe(HIDDEN);
    expect(redact("key=${var.operator_key}", ["settings", "key"], names)).toBe(HIDDEN);
    expect(redact("x", ["output", "secret", "value"], names)).toBe(HIDDEN);
    expect(redact("k", ["variable", "operator_key", "default"], names)).toBe(HIDDEN);
    expect(redact({ value: "x", sensitive: true }, ["output", "secret"], names)).toEqual({ value: HIDDEN, sensitive: true });
  });

  it("shows everything else", () => {
    expect(redact("${var.region}", ["location"], names)).toBe("${var.region}");
    expect(redact("y", ["output", "open", "value"], names)).toBe("y");
    expect(redact({ value_wo_version: 2 }, [], names)).toEqual({ value_wo_version: 2 });
  });
});

describe("shorten", () => {
  it("leaves short values and cuts long ones in the middle, saying how long they were", () => {
    expect(shorten("short")).toBe("short");
    const long = `${"a".repeat(80)}${"b".repeat(80)}`;
    expect(shorten(long)).toBe(`${"a".repeat(60)}…${"b".repeat(39)} (160 characters)`);
  });

  it("cuts two long values where they start to differ", () => {
    const [before, after] = shortenPair(`${"x".repeat(150)}one${"y".repeat(150)}`, `${"x".repeat(150)}two${"y".repeat(150)}`);
    expect(before).toMatch(/^…x{33}oney{64}… \(303 characters\)$/);
    expect(after).toMatch(/^…x{33}twoy{64}… \(303 characters\)$/);
  });
});

describe("deployments", () => {
  const graph = new Map([
    ["integ-network", new Set<string>()],
    ["integ-cluster", new Set(["integ-network"])],
    ["integ-secrets", new Set(["integ-network"])],
    ["integ-operator", new Set(["integ-cluster", "integ-secrets", "integ-network"])],
    ["prod-west-network", new Set<string>()],
    ["prod-west-cluster", new Set(["prod-west-network"])],
    ["solo", new Set<string>()],
  ]);

  it("groups connected stacks, each in dependency order, named after their common prefix", () => {
    expect(groupDeployments(graph)).toEqual([
      { name: "integ", stacks: ["integ-network", "integ-cluster", "integ-secrets", "integ-operator"] },
      { name: "prod-west", stacks: ["prod-west-network", "prod-west-cluster"] },
      { name: "solo", stacks: ["solo"] },
    ]);
  });

  it("names a lone stack after its name without the last part", () => {
    expect(deploymentName(["prod-network"])).toBe("prod");
    expect(deploymentName(["a-x", "a-xy"])).toBe("a");
  });

  it("never loops on a cycle", () => {
    expect(dependencyOrder(["a", "b"], new Map([["a", new Set(["b"])], ["b", new Set(["a"])]]))).toEqual(["a", "b"]);
  });
});

describe("replacement rules", () => {
  it("match an argument and what lies below it, not a longer name", () => {
    const rule = REPLACEMENT_RULES.azurerm_kubernetes_cluster;
    expect(forcingArguments(rule, "network_profile.network_policy")).toEqual(["network_profile"]);
    expect(forcingArguments(rule, "default_node_pool.name")).toEqual(["default_node_pool.name"]);
    expect(forcingArguments(rule, "default_node_pool.max_count")).toEqual([]);
    expect(forcingArguments(rule, "name_suffix")).toEqual([]);
  });

  it("name each entry's source", () => {
    for (const rule of Object.values(REPLACEMENT_RULES)) expect(rule.source).toMatch(/(azurerm v4\.55\.0|helm v3\.1\.1|kubernetes v2\.38\.0|Terraform) docs|\.go/);
  });
});

describe("the command line and its inputs", () => {
  it("takes --base and --json", () => {
    expect(parseReviewArgs(["--base", "main"])).toEqual({ help: false, base: "main", json: false });
    expect(parseReviewArgs(["--json", "--base=HEAD~1"])).toEqual({ help: false, base: "HEAD~1", json: true });
    expect(parseReviewArgs(["-h"])).toEqual({ help: true });
  });

  it.each([[[]], [["--base"]], [["--base", ""]], [["main"]], [["--bsae", "main"]]])("refuses %j", (argv) => {
    expect(() => parseReviewArgs(argv)).toThrow(UsageError);
  });

  it("uses the file UID2_CONFIG names on both sides, else each side's own", () => {
    expect(configurationSource({ UID2_CONFIG: "my.json" }, "/work")).toEqual({ file: "/work/my.json", description: "UID2_CONFIG=/work/my.json on both sides" });
    expect(configurationSource({}, "/work")).toEqual({ description: "each side's own config/deployments.json" });
  });

  it("borrows node_modules only when both package-lock.json files are the same", () => {
    const [a, b] = [mkdtempSync(path.join(tmpdir(), "uid2-lock-")), mkdtempSync(path.join(tmpdir(), "uid2-lock-"))];
    try {
      expect(sameLockFile(a, b)).toBe(false);
      writeFileSync(path.join(a, "package-lock.json"), '{"lockfileVersion":3}');
      writeFileSync(path.join(b, "package-lock.json"), '{"lockfileVersion":3}');
      expect(sameLockFile(a, b)).toBe(true);
      writeFileSync(path.join(b, "package-lock.json"), '{"lockfileVersion":3,"x":1}');
      expect(sameLockFile(a, b)).toBe(false);
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });
});

/** Gone, or a zombie left for init to reap: either way it has stopped running. */
function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

describe("synthesizing a side", () => {
  it("stops the app command and what it started when the other side is refused", async () => {
    // GIVEN an app command whose process (under sh -c) would run for 20 s
    const dir = mkdtempSync(path.join(tmpdir(), "uid2-side-"));
    const app = `node -e "require('fs').writeFileSync('pid', String(process.pid)); setTimeout(() => {}, 20000)"`;
    writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ app }));
    const stop = new AbortController();
    try {
      const side = { role: "head", description: "the working tree", projectDir: dir, outdir: path.join(dir, "out") };
      const running = synthesizeSide(side, { description: "test" }, process.env, stop.signal);
      while (!existsSync(path.join(dir, "pid"))) await new Promise((resolve) => setTimeout(resolve, 20));
      const pid = Number(readFileSync(path.join(dir, "pid"), "utf8"));
      // WHEN it is stopped THEN it settles as stopped, at once, and the app's own process has exited too
      const stoppedAt = Date.now();
      stop.abort();
      await expect(running).rejects.toBeInstanceOf(SynthesisStopped);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      // (the signal reaches the whole group at once; the app's process may need a moment to die of it)
      const deadline = Date.now() + 5_000;
      while (!hasExited(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(hasExited(pid)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("addWorktree, while another review adds one in the same repository", () => {
  /** A repository with one commit, and the record of a worktree another `git worktree add` is still writing. */
  function repositoryWithHalfMadeWorktree(): { root: string; record: string } {
    const root = mkdtempSync(path.join(tmpdir(), "uid2-worktree-race-"));
    const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
    execFileSync("git", ["init", "--quiet"], { cwd: root, env });
    execFileSync("git", ["commit", "--quiet", "--allow-empty", "-m", "one"], { cwd: root, env });
    const record = path.join(root, ".git", "worktrees", "other-review");
    mkdirSync(record, { recursive: true });
    // git has written where the worktree goes, created its commondir and not yet written it:
    // `worktree add` then fails reading it
    writeFileSync(path.join(record, "gitdir"), `${path.join(root, "..", `${path.basename(root)}-other`, ".git")}\n`);
    writeFileSync(path.join(record, "commondir"), "");
    return { root, record };
  }

  it("waits and tries again when the other worktree's record is not written yet", async () => {
    const { root, record } = repositoryWithHalfMadeWorktree();
    try {
      // WHEN the other add finishes its record a moment later
      setTimeout(() => writeFileSync(path.join(record, "commondir"), "../..\n"), 150);
      const dir = path.join(root, "..", `${path.basename(root)}-checkout`);
      await addWorktree(root, dir, "HEAD");
      // THEN this review's checkout is there
      expect(existsSync(path.join(dir, ".git"))).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("gives up with git's message when the record stays unreadable", async () => {
    const { root } = repositoryWithHalfMadeWorktree();
    try {
      await expect(addWorktree(root, path.join(root, "..", `${path.basename(root)}-never`), "HEAD")).rejects.toThrow(/cannot check out HEAD into .*: fatal: failed to read .*commondir/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
