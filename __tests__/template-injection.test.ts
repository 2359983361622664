/**
 * No configuration string can make Terraform evaluate a template. Every string field of the
 * schema (found by walking it, so a field added later is covered too) is given each injection:
 * the configuration is either refused with that field named, or accepted and the synthesized
 * JSON carries the text inert (escaped as `$${` / `%%{`).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { z } from "zod";
import { resolveConfig } from "../lib/config/load";
import { ConfigError } from "../lib/config/problems";
import { configFileSchema } from "../lib/config/schema";
import { dotted } from "../lib/config/zod-messages";
import { entry } from "./support/config";
import { RELEASE_1 } from "./support/manifests";
import { appWith, synthAll } from "./support/synth";

/** Each with the unescaped form Terraform would evaluate, and the escaped form that is inert. */
const INJECTIONS = [
  { text: '${file("/etc/passwd")}', live: /(?<!\$)\$\{file\(/, inert: '$${file(\\"/etc/passwd\\")}' },
  { text: "%{ if true }x%{ endif }", live: /(?<!%)%\{ (if|endif)/, inert: "%%{ if true }x%%{ endif }" },
  // Without "/" or "%", which Azure refuses in tag names: reaches a tag name too.
  { text: '${upper("tag")}', live: /(?<!\$)\$\{upper\(/, inert: '$${upper(\\"tag\\")}' },
];

/** Stands for a record's key in a path (a tag's name), as opposed to its value. */
const RECORD_KEY = Symbol("record key");
type Segment = string | number | typeof RECORD_KEY;

/** Every string (and enum) field the schema allows, as a path into a file; records give their key and a value. */
function stringFields(schema: z.ZodType, at: Segment[] = []): Segment[][] {
  if (schema instanceof z.ZodOptional) return stringFields(schema.unwrap() as z.ZodType, at);
  if (schema instanceof z.ZodObject) return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, child]) => stringFields(child, [...at, key]));
  if (schema instanceof z.ZodArray) return stringFields(schema.element as z.ZodType, [...at, 0]);
  if (schema instanceof z.ZodRecord) {
    return [...stringFields(schema.keyType as z.ZodType, [...at, RECORD_KEY]), ...stringFields(schema.valueType as z.ZodType, [...at, "owner"])];
  }
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return [at];
  return [];
}

// `defaults` takes the very same settings schema as a deployment, so a deployment's fields stand for both.
const DEPLOYMENT_FIELDS = stringFields(configFileSchema.shape.deployments.element as z.ZodType).map((at) => ["deployments", 0, ...at]);
const FILE_FIELDS = stringFields(configFileSchema).filter((at) => at[0] !== "deployments" && at[0] !== "defaults");
const FIELDS = [...FILE_FIELDS, ...DEPLOYMENT_FIELDS];

/** Backend keys need the backend type that takes them. */
const CLOUD_BACKEND = { type: "cloud", organization: "acme" };
const AZURERM_BACKEND = { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01", containerName: "tfstate" };
const CLOUD_KEYS = ["organization", "workspacePrefix", "hostname", "project"];

const scratch = mkdtempSync(path.join(tmpdir(), "uid2-injection-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Fields that name a file or folder are given a real one whose path holds the injection, so that
 * they are accepted and reach the JSON rather than being refused for a missing file.
 */
const EXISTING_PATHS: Record<string, (injection: string, n: number) => string> = {
  "operator.manifestPath": (injection, n) => {
    const dir = path.join(scratch, `manifest-${n}`, injection);
    mkdirSync(dir, { recursive: true });
    cpSync(RELEASE_1, path.join(dir, "operator.yaml"));
    return path.join(dir, "operator.yaml");
  },
  "virtualNode.chartPath": (injection, n) => {
    const dir = path.join(scratch, `chart-${n}`, injection, "virtualnode");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: virtualnode\nversion: 0.0.1\n");
    return dir;
  },
};

let built = 0;

/** A valid file with `injection` written at `at`, and the field's name as messages give it. */
function fileWith(at: Segment[], injection: string): { file: Record<string, unknown>; field: string } {
  const inDeployment = at[0] === "deployments";
  const settingPath = inDeployment ? at.slice(2) : at;
  const field = dotted(settingPath.map((s) => (s === RECORD_KEY ? injection : s)));
  const setting: Record<string, unknown> = inDeployment ? entry() : {};
  let node = setting;
  settingPath.forEach((segment, i) => {
    const last = i === settingPath.length - 1;
    if (segment === RECORD_KEY) {
      // the record's key: a tag named by the injection
      return;
    }
    const next = settingPath[i + 1];
    if (last) {
      const carrier = EXISTING_PATHS[field];
      node[segment as string] = segment === 0 ? [injection] : carrier ? carrier(injection, ++built) : injection;
    } else if (next === RECORD_KEY) {
      node[segment as string] = { [injection]: "x" };
    } else if (next === 0) {
      node[segment as string] = [injection];
    } else {
      node[segment as string] = segment === "backend" ? { ...(CLOUD_KEYS.includes(String(next)) ? CLOUD_BACKEND : AZURERM_BACKEND) } : {};
      node = node[segment as string] as Record<string, unknown>;
    }
  });
  return { file: inDeployment ? { deployments: [setting] } : { ...setting, deployments: [entry()] }, field };
}

const CASES = FIELDS.flatMap((at) => INJECTIONS.map((injection) => ({ at, injection, ...fileWith(at, injection.text) })));

describe("template injection through configuration", () => {
  it("finds the string fields of the schema, tags' names and values among them", () => {
    const fields = CASES.map((c) => c.field);
    for (const expected of ["$schema", "name", "cluster.nodeVmSize", "virtualNode.repository", "network.addressSpace[0]", "tags.owner", 'tags.${upper("tag")}', "backend.project"]) {
      expect(fields).toContain(expected);
    }
    expect(new Set(fields).size).toBeGreaterThan(40);
  });

  it.each(CASES.map((c) => [c.field, c.injection.text, c] as const))("%s = %s is refused naming the field, or carried inert", (field, _text, c) => {
    let problems: readonly string[] = [];
    let accepted: ReturnType<typeof resolveConfig> | undefined;
    try {
      accepted = resolveConfig(c.file, "test.json");
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    if (!accepted) {
      // THEN a problem names the field (after "<deployment or file>: ")
      expect(problems.some((p) => p.slice(p.indexOf(": ") + 2).startsWith(`${field} `))).toBe(true);
      return;
    }
    // THEN every synthesized stack carries the text escaped, and nowhere unescaped
    const json = [...synthAll(appWith(...accepted.deployments)).values()].map((stack) => stack.text).join("\n");
    expect(json).not.toMatch(c.injection.live);
    expect(json).toContain(c.injection.inert);
  });
});
