/**
 * Reading the release's operator.yaml ("Complete the UID2 Private Operator Setup"): every
 * non-empty YAML document becomes one Kubernetes object, valued exactly as `kubectl apply -f`
 * would send it (see scalars.ts), keys in the order written.
 */
import { Composer, type Document, isAlias, isCollection, isMap, isNode, isScalar, isSeq, LineCounter, type Node, Parser, Scalar, visit } from "yaml";
import { readRegularFile, UnreadableFile } from "../bounded-read";
import { checkRelease, type LocatedDocument } from "./checks";
import { firstTooDeepCollection, MAX_MANIFEST_DEPTH, nestsDeeperThan } from "./depth";
import { located, ManifestError } from "./errors";
import { resolvePlainScalar } from "./scalars";
import { formatPath } from "./walk";
import { isJsonObject, type JsonObject, type JsonValue, type PathSegment, type ReleaseManifest } from "./types";

/**
 * Parser settings. The failsafe schema reads every scalar as text; unquoted ones are then
 * resolved by go-yaml v2's rules (resolvePlainScalar). `<<` merge keys work as in go-yaml v2.
 * Duplicate keys are refused, stricter than kubectl (which keeps the last one silently): in a
 * release file a duplicate is a defect worth naming, not something to guess around.
 */
const PARSE_OPTIONS = { schema: "failsafe", merge: true, uniqueKeys: true, prettyErrors: false } as const;

/** More alias expansions than this in one document is refused; a release uses none. */
const MAX_ALIAS_COUNT = 100;

/** Explicit tags that change nothing in the value; any other tag is refused. */
const HARMLESS_TAGS = new Set(["!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"]);

/**
 * Reads and checks a release manifest. Throws a ManifestError listing every problem: an
 * unreadable file, YAML errors, documents that are not Kubernetes objects, unknown placeholders,
 * no Deployment, no identity placeholder (checks.ts).
 */
export function readReleaseManifest(file: string): ReleaseManifest {
  const text = readText(file);
  const lines = new LineCounter();
  const problems: string[] = [];
  const documents: LocatedDocument[] = [];
  const lineAt = (offset: number): number => lines.linePos(offset).line;

  // Parsed, checked for depth, then composed: what parseAllDocuments does, with the depth check
  // between, so that composing (which recurses) never meets a pathologically deep file.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const tooDeep = firstTooDeepCollection(tokens);
  if (tooDeep !== undefined) {
    throw new ManifestError([located(file, lineAt(tooDeep), `mappings and lists nest deeper than ${MAX_MANIFEST_DEPTH} levels here, far deeper than any Kubernetes object; the file was not read further`)]);
  }

  let index = 0;
  for (const doc of new Composer(PARSE_OPTIONS).compose(tokens)) {
    index += 1;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) problems.push(located(file, lineAt(error.pos[0]), `YAML error: ${error.message}`));
      continue;
    }
    if (isEmpty(doc)) continue;
    const read = readDocument(file, doc, index, lineAt);
    if ("problems" in read) problems.push(...read.problems);
    else documents.push(read);
  }

  problems.push(...checkRelease(file, documents, problems.length === 0));
  if (problems.length > 0) throw new ManifestError(problems);
  return { file, documents: documents.map((d) => d.document) };
}

const readOnce = new Map<string, ReleaseManifest | ManifestError>();

/**
 * readReleaseManifest, once per file and process: validation and every deployment that names
 * the same file share one parse (it is most of the validation time of a large configuration).
 */
export function readReleaseManifestOnce(file: string): ReleaseManifest {
  let result = readOnce.get(file);
  if (result === undefined) {
    try {
      result = readReleaseManifest(file);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      result = error;
    }
    readOnce.set(file, result);
  }
  if (result instanceof ManifestError) throw result;
  return result;
}

/** The problems `readReleaseManifest` would throw, or [] when the file is usable. */
export function releaseManifestProblems(file: string): readonly string[] {
  try {
    readReleaseManifest(file);
    return [];
  } catch (error) {
    if (error instanceof ManifestError) return error.problems;
    throw error;
  }
}

/** A UID2 release's operator.yaml is about 10 KB; this leaves room for any release, not for a stray file. */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

function readText(file: string): string {
  try {
    return readRegularFile(file, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new ManifestError([located(file, undefined, `cannot read the manifest: ${error.reason}`)]);
  }
}

/** A document with no content, only comments, or a lone null (`~`): kubectl skips these too. */
function isEmpty(doc: Document.Parsed): boolean {
  return doc.contents === null || isNullScalar(doc.contents);
}

/** An unquoted, untagged scalar that go-yaml v2 reads as null (`~`, `null`, or nothing). */
function isNullScalar(node: unknown): boolean {
  if (!isScalar(node) || node.type !== Scalar.PLAIN || node.tag) return false;
  const resolved = resolvePlainScalar(String(node.source ?? ""));
  return "value" in resolved && resolved.value === null;
}

function readDocument(
  file: string,
  doc: Document.Parsed,
  index: number,
  lineAt: (offset: number) => number,
): LocatedDocument | { problems: string[] } {
  const contents = doc.contents!;
  const line = lineAt(contents.range[0]);
  const problems = [...resolveScalars(file, doc, lineAt), ...aliasCycleProblems(file, doc, lineAt)];
  if (!isMap(contents)) {
    const shape = isSeq(contents) ? "a list" : "a single value";
    problems.push(located(file, line, `document ${index} is ${shape}, not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`));
    return { problems };
  }
  if (problems.length > 0) return { problems };

  const body = toJson(doc);
  if (typeof body === "string") return { problems: [located(file, line, `document ${index} cannot be expanded: ${body}`)] };
  if (nestsDeeperThan(body)) {
    return { problems: [located(file, line, `document ${index} nests deeper than ${MAX_MANIFEST_DEPTH} levels once its aliases are expanded`)] };
  }
  problems.push(...identityProblems(file, line, index, body));
  if (problems.length > 0) return { problems };

  const metadata = body.metadata as JsonObject;
  const lineOf = (path: readonly PathSegment[]): number | undefined => {
    const node = doc.getIn(path, true);
    return isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
  };
  return {
    document: { apiVersion: body.apiVersion as string, kind: body.kind as string, name: metadata.name as string, index, line, body },
    lineOf,
  };
}

/**
 * Gives every unquoted scalar its go-yaml v2 value, in place, and reports what kubectl could not
 * send either: map keys that are null or collections, non-finite or inexact numbers, and
 * explicit tags that would change a value.
 */
function resolveScalars(file: string, doc: Document.Parsed, lineAt: (offset: number) => number): string[] {
  const problems: string[] = [];
  const at = (node: { range?: readonly number[] | null }) => (node.range ? lineAt(node.range[0]) : undefined);
  const checkTag = (node: { tag?: string; range?: readonly number[] | null }) => {
    if (node.tag && !HARMLESS_TAGS.has(node.tag)) {
      problems.push(located(file, at(node), `explicit tag ${node.tag} is not supported in a release manifest`));
    }
  };
  visit(doc, {
    Map: (_key, node) => void checkTag(node),
    Seq: (_key, node) => void checkTag(node),
    Scalar(_key, node) {
      checkTag(node);
      if (node.type !== Scalar.PLAIN || node.tag) return;
      const resolved = resolvePlainScalar(String(node.source));
      if ("problem" in resolved) problems.push(located(file, at(node), resolved.problem));
      else node.value = resolved.value;
    },
    Pair(_key, pair) {
      const key = pair.key;
      if (isCollection(key)) {
        problems.push(located(file, at(key), "a mapping key is itself a list or mapping; Kubernetes objects need text keys"));
      } else if (key === null || isNullScalar(key)) {
        const where = isNode(key) ? at(key) : isNode(pair.value) ? at(pair.value) : undefined;
        problems.push(located(file, where, "a mapping key is empty or null; Kubernetes objects need text keys"));
      }
    },
  });
  return problems;
}

/**
 * An alias inside the very node its anchor names (`a: &a [*a]`) stands for an infinite value:
 * expanded, it is an object that contains itself, which no Kubernetes object can be and which
 * every walk over the document would follow forever. Aliases resolve to the last node with their
 * anchor before them, in document order, which is the order `visit` takes.
 */
function aliasCycleProblems(file: string, doc: Document.Parsed, lineAt: (offset: number) => number): string[] {
  const problems: string[] = [];
  const anchored = new Map<string, Node>();
  visit(doc, {
    Node(_key, node) {
      if (!isAlias(node)) {
        if (node.anchor) anchored.set(node.anchor, node);
        return;
      }
      const source = anchored.get(node.source);
      if (source?.range && node.range && source.range[0] <= node.range[0] && node.range[0] < source.range[2]) {
        problems.push(located(file, lineAt(node.range[0]), `alias *${node.source} lies inside the node its anchor &${node.source} names: a cycle, whose value would be infinite`));
      }
    },
  });
  return problems;
}

/**
 * The document as JSON, or why it cannot be: aliases beyond a sane count (an "alias bomb") or a
 * `<<` merge of something that is not a mapping.
 */
function toJson(doc: Document.Parsed): JsonObject | string {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as JsonObject;
  } catch (error) {
    return (error as Error).message;
  }
}

/** apiVersion, kind and metadata.name must be present and text. */
function identityProblems(file: string, line: number, index: number, body: JsonObject): string[] {
  const missing: string[] = [];
  const isText = (value: JsonValue | undefined) => typeof value === "string" && value !== "";
  if (!isText(body.apiVersion)) missing.push("apiVersion");
  if (!isText(body.kind)) missing.push("kind");
  const metadata = body.metadata;
  if (!isJsonObject(metadata) || !isText(metadata.name)) missing.push(formatPath(["metadata", "name"]));
  return missing.length === 0 ? [] : [located(file, line, `document ${index} lacks ${missing.join(", ")}; every document must be a Kubernetes object`)];
}
