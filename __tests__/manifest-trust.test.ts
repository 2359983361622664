/**
 * What a release manifest may not do: crash the reader (deep nesting, alias cycles). Each
 * refusal names the file and the line.
 */
import { MAX_MANIFEST_DEPTH } from "../lib/manifest/depth";
import { readReleaseManifest, releaseManifestProblems } from "../lib/manifest/read";
import { manifestFile, releaseWith } from "./support/manifests";

/** The problems of release-1 with `extra` appended as document 4 (line 92), with the file's path cut off. */
function problemsWith(extra: string): string[] {
  return problemsOfText(releaseWith(extra));
}

function problemsOfText(text: string): string[] {
  const file = manifestFile(text);
  return releaseManifestProblems(file).map((p) => (p.startsWith(`${file}:`) ? p.slice(file.length) : p));
}

const configMap = (name: string, body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${body}`;

describe("manifests that would crash a reader", () => {
  it.each([
    ["a flow list nested 5,000 levels", configMap("deep", `data:\n  k: ${"[".repeat(5000)}${"]".repeat(5000)}\n`), 97],
    ["block mappings nested 200 levels", Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k:`).join("\n"), 92 + MAX_MANIFEST_DEPTH],
  ])("refuses %s with the line where the limit is passed, before composing it", (_case, extra, line) => {
    expect(problemsWith(extra)).toEqual([
      `:${line}: mappings and lists nest deeper than ${MAX_MANIFEST_DEPTH} levels here, far deeper than any Kubernetes object; the file was not read further`,
    ]);
  });

  it.each([
    ["a mapping holding its own alias", configMap("cycle", "data: &d\n  k: *d\n"), 97, "d"],
    ["a list holding its own alias", configMap("cycle", "data:\n  k: &l [1, *l]\n"), 97, "l"],
    ["an alias to an enclosing anchor two levels up", configMap("cycle", "data: &outer\n  k:\n    inner: *outer\n"), 98, "outer"],
  ])("refuses %s as a cycle, with its line", (_case, extra, line, anchor) => {
    expect(problemsWith(extra)).toEqual([`:${line}: alias *${anchor} lies inside the node its anchor &${anchor} names: a cycle, whose value would be infinite`]);
  });

  it("reads an alias to an earlier, separate node as the value it names", () => {
    const manifest = readReleaseManifest(manifestFile(releaseWith(configMap("aliases", "shared: &s {a: b}\ndata:\n  k: *s\n"))));
    expect(manifest.documents[2].body.data).toEqual({ k: { a: "b" } });
  });

  it(`refuses aliases that nest deeper than ${MAX_MANIFEST_DEPTH} levels once expanded`, () => {
    // GIVEN anchors of 20 levels, each aliased inside the next WHEN expanded THEN 80 levels
    const level = (inner: string) => `${"[".repeat(19)}${inner}${"]".repeat(19)}`;
    const extra = configMap("expanded", `a: &a ${level("1")}\nb: &b ${level("*a")}\nc: &c ${level("*b")}\ndata:\n  k: ${level("*c")}\n`);
    expect(problemsWith(extra)).toEqual([`:92: document 4 nests deeper than ${MAX_MANIFEST_DEPTH} levels once its aliases are expanded`]);
  });
});
