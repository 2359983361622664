import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Service } from "kubernetes-models/v1/Service";
import { ManifestError } from "../lib/manifest/errors";
import { withNamespace } from "../lib/manifest/namespace";
import { remainingTemplatePlaceholders, substitutePlaceholders, type PlaceholderValues } from "../lib/manifest/placeholders";
import { readReleaseManifest, releaseManifestProblems } from "../lib/manifest/read";
import { resolvePlainScalar } from "../lib/manifest/scalars";
import type { JsonObject, ReleaseManifest } from "../lib/manifest/types";
import { projectPath } from "../lib/project-root";
import { escapeTerraformTemplate } from "../lib/terraform-template";
import { OperatorStack } from "../stacks/operator-stack";
import { deployment } from "./support/config";
import { manifestFile, RELEASE_1, RELEASE_1_TEXT, RELEASE_2, releaseWith } from "./support/manifests";
import { synthStack } from "./support/synth";

const SAMPLE = projectPath("operator/sample-operator.yaml");
const scratch = mkdtempSync(path.join(tmpdir(), "uid2-manifest-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function problemsOf(text: string): readonly string[] {
  return releaseManifestProblems(manifestFile(text));
}

const PLAIN_VALUES: PlaceholderValues = {
  identityResourceId: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-operator",
  keyVaultName: "kv-uid2-integ",
  operatorKeySecretName: "uid2-operator-key",
  deploymentEnvironment: "integ",
};

/**
 * Where two JSON values differ, as paths: changed values, keys added or removed, changed types,
 * and mappings whose keys are the same but in another order.
 */
function differences(a: unknown, b: unknown, at = "$"): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const paths = a.length === b.length ? [] : [`${at} (length)`];
    for (let i = 0; i < Math.min(a.length, b.length); i++) paths.push(...differences(a[i], b[i], `${at}[${i}]`));
    return paths;
  }
  if (isObject(a) && isObject(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    const paths = [...keysA.filter((k) => !(k in b)), ...keysB.filter((k) => !(k in a))].map((k) => `${at}.${k} (added or removed)`);
    const shared = keysA.filter((k) => k in b);
    if (paths.length === 0 && shared.join("\n") !== keysB.join("\n")) paths.push(`${at} (key order)`);
    for (const key of shared) paths.push(...differences(a[key], b[key], `${at}.${key}`));
    return paths;
  }
  return Object.is(a, b) ? [] : [at];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function documentOf(manifest: ReleaseManifest, kind: string): JsonObject {
  const found = manifest.documents.find((d) => d.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${manifest.file}`);
  return found.body;
}

const ANNOTATIONS = "$.spec.template.metadata.annotations";
const OPERATOR_CONTAINER = "$.spec.template.spec.containers[1]";

describe("reading a release manifest", () => {
  // GIVEN release-1, a fixture in the release's shape (comments, a leading ---, an empty last document)
  const release = readReleaseManifest(RELEASE_1);
  const [deploymentDoc, serviceDoc] = release.documents;

  it("reads each non-empty document as one object, in file order", () => {
    expect(release.documents.map((d) => [d.apiVersion, d.kind, d.name])).toEqual([
      ["apps/v1", "Deployment", "operator-deployment"],
      ["v1", "Service", "operator-svc"],
    ]);
    expect(deploymentDoc.line).toBe(4);
    expect(serviceDoc.line).toBe(76);
  });

  it("keeps strings strings and numbers numbers, as kubectl sends them", () => {
    const spec = deploymentDoc.body.spec as any;
    expect(spec.replicas).toBe(3);
    expect(spec.template.metadata.annotations["microsoft.containerinstance.virtualnode.injectdns"]).toBe("false");
    const [skr, operator] = spec.template.spec.containers;
    expect(skr.env).toEqual([{ name: "Port", value: "9000" }]);
    expect(operator.securityContext).toEqual({ runAsUser: 1000 });
    expect(operator.resources.limits.memory).toBe("8Gi");
    expect(operator.ports[1]).toEqual({ name: "prometheus", containerPort: 9080, protocol: "TCP" });
    expect((serviceDoc.body.spec as any).ports).toEqual([{ protocol: "TCP", port: 80, targetPort: 8080 }]);
  });

  it("keeps the key order of the file", () => {
    expect(Object.keys(deploymentDoc.body)).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    const operator = (deploymentDoc.body.spec as any).template.spec.containers[1];
    expect(Object.keys(operator)).toEqual(["name", "image", "imagePullPolicy", "securityContext", "resources", "ports", "readinessProbe", "env"]);
  });

  it("reads a CRLF copy of the file to the very same objects", () => {
    // GIVEN release-1 with Windows line endings WHEN read THEN nothing differs
    const crlf = readReleaseManifest(manifestFile(RELEASE_1_TEXT.replace(/\n/g, "\r\n")));
    expect(differences(crlf.documents.map((d) => d.body), release.documents.map((d) => d.body))).toEqual([]);
  });

  it("skips empty documents and comment-only documents", () => {
    // GIVEN empty documents between and around the release's
    const manifest = readReleaseManifest(manifestFile(`---\n# nothing here\n---\n${RELEASE_1_TEXT}\n---\n---\n~\n`));
    expect(manifest.documents.map((d) => d.kind)).toEqual(["Deployment", "Service"]);
  });

  it("says when a file is an unreleased template, and which template placeholders remain", () => {
    expect(remainingTemplatePlaceholders(release)).toEqual([]);
    expect(remainingTemplatePlaceholders(readReleaseManifest(SAMPLE))).toEqual(["IMAGE_PLACEHOLDER", "CCE_POLICY_PLACEHOLDER"]);
    // GIVEN a release whose policy alone is still a placeholder
    const policyOnly = RELEASE_1_TEXT.replace(/virtualnode\.ccepolicy: \S+/, "virtualnode.ccepolicy: CCE_POLICY_PLACEHOLDER");
    expect(remainingTemplatePlaceholders(readReleaseManifest(manifestFile(policyOnly)))).toEqual(["CCE_POLICY_PLACEHOLDER"]);
  });
});

describe("YAML 1.1 scalars, resolved as kubectl (go-yaml v2) resolves them", () => {
  it.each([
    ["yes", true],
    ["Yes", true],
    ["on", true],
    ["y", true],
    ["no", false],
    ["OFF", false],
    ["n", false],
    ["true", true],
    ["~", null],
    ["", null],
    ["null", null],
    ["0755", 493],
    ["0o17", 15],
    ["0x1F", 31],
    ["0b101", 5],
    ["-0x10", -16],
    ["1_000", 1000],
    ["+12", 12],
    ["08", 8],
    ["1e3", 1000],
    ["1.5", 1.5],
    [".5", 0.5],
    ["2001-12-14", "2001-12-14"],
    ["1:20", "1:20"],
    ["8Gi", "8Gi"],
    ["<<", "<<"],
    ["0x", "0x"],
    ["1.2.3", "1.2.3"],
  ])("%j is %j", (source, value) => {
    expect(resolvePlainScalar(source)).toEqual({ value });
  });

  it.each([".inf", "-.Inf", ".nan", "9007199254740993", "0xFFFFFFFFFFFFFFFF"])("%j cannot be carried exactly in JSON, so it is refused", (source) => {
    expect(resolvePlainScalar(source)).toEqual({ problem: expect.stringContaining(source) });
  });

  it("applies to unquoted scalars only, and to map keys and merge keys as go-yaml v2 does", () => {
    // GIVEN an extra object with YAML 1.1 look-alikes, quoted and unquoted
    const text = releaseWith(
      [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: scalars}",
        "defaults: &defaults {mode: 0644}",
        "data:",
        "  <<: *defaults",
        "  unquoted: yes",
        "  quoted: 'yes'",
        "  octal: 0755",
        "  octalText: \"0755\"",
        "  date: 2001-12-14",
        "  block: |",
        "    on",
        "  on: key",
      ].join("\n"),
    );
    const configMap = documentOf(readReleaseManifest(manifestFile(text)), "ConfigMap");
    expect(configMap.data).toEqual({ mode: 420, unquoted: true, quoted: "yes", octal: 493, octalText: "0755", date: "2001-12-14", block: "on\n", true: "key" });
  });
});

describe("refusing a manifest that cannot be the release", () => {
  it("refuses a missing file, naming it", () => {
    const file = path.join(scratch, "missing.yaml");
    expect(releaseManifestProblems(file)).toEqual([`${file}: cannot read the manifest: no such file`]);
  });

  it("refuses a directory", () => {
    const dir = path.join(scratch, "a-directory");
    mkdirSync(dir);
    expect(releaseManifestProblems(dir)).toEqual([`${dir}: cannot read the manifest: is a directory, not a regular file`]);
  });

  it("throws a ManifestError carrying every problem", () => {
    // GIVEN a file with a YAML error WHEN read THEN a ManifestError lists the problems
    const file = manifestFile("apiVersion: v1\nkind: [\n");
    expect(() => readReleaseManifest(file)).toThrow(ManifestError);
    try {
      readReleaseManifest(file);
    } catch (error) {
      expect((error as ManifestError).problems.length).toBeGreaterThan(0);
      expect((error as ManifestError).message).toBe((error as ManifestError).problems.join("\n"));
    }
  });

  it("reports YAML errors with the file and line", () => {
    const file = manifestFile(releaseWith("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n  a: 2\n"));
    expect(releaseManifestProblems(file)).toEqual([`${file}:98: YAML error: Map keys must be unique`]);
  });

  it("refuses a document that is not a mapping", () => {
    expect(problemsOf(releaseWith("- just\n- a list\n"))).toEqual([expect.stringMatching(/:92: document 4 is a list, not a Kubernetes object/)]);
    expect(problemsOf(releaseWith("just text\n"))).toEqual([expect.stringMatching(/:92: document 4 is a single value, not a Kubernetes object/)]);
  });

  it("refuses a document without apiVersion, kind or metadata.name", () => {
    expect(problemsOf(releaseWith("metadata:\n  labels: {a: b}\n"))).toEqual([
      expect.stringMatching(/:92: document 4 lacks apiVersion, kind, metadata\.name; every document must be a Kubernetes object$/),
    ]);
    expect(problemsOf(releaseWith("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 12\n"))).toEqual([expect.stringMatching(/document 4 lacks metadata\.name/)]);
  });

  it("names an unknown placeholder, its object, its path and its line", () => {
    // GIVEN a release with a placeholder nothing fills in, inside a longer value
    const file = manifestFile(RELEASE_1_TEXT.replace("value: DEPLOYMENT_ENVIRONMENT_PLACEHOLDER", "value: env-REGION_PLACEHOLDER"));
    expect(releaseManifestProblems(file)).toEqual([
      `${file}:61: unknown placeholder REGION_PLACEHOLDER in Deployment operator-deployment at spec.template.spec.containers[1].env[2].value; ` +
        "only IDENTITY_PLACEHOLDER, VAULT_NAME_PLACEHOLDER, OPERATOR_KEY_SECRET_NAME_PLACEHOLDER, DEPLOYMENT_ENVIRONMENT_PLACEHOLDER, IMAGE_PLACEHOLDER, CCE_POLICY_PLACEHOLDER are known, and nothing would fill it in",
    ]);
  });

  it("names an unknown placeholder in a key, with the key quoted in the path", () => {
    const text = RELEASE_1_TEXT.replace('injectdns: "false"', 'injectdns: "false"\n        example.com/ZONE_PLACEHOLDER: "1"');
    expect(problemsOf(text)).toEqual([
      expect.stringContaining('unknown placeholder ZONE_PLACEHOLDER in Deployment operator-deployment at spec.template.metadata.annotations["example.com/ZONE_PLACEHOLDER"]'),
    ]);
  });

  it("refuses a file without an apps/v1 Deployment", () => {
    const serviceOnly = RELEASE_1_TEXT.slice(RELEASE_1_TEXT.indexOf("# The operator's public endpoint."));
    expect(problemsOf(serviceOnly)).toContainEqual(expect.stringMatching(/: holds no apps\/v1 Deployment; the release's operator.yaml defines the operator-deployment Deployment$/));
  });

  it("refuses a file without a LoadBalancer Service, which the health check needs", () => {
    expect(problemsOf(RELEASE_1_TEXT.replace("type: LoadBalancer", "type: ClusterIP"))).toEqual([expect.stringContaining("holds no v1 Service of type LoadBalancer")]);
  });

  it("refuses a file without IDENTITY_PLACEHOLDER, explaining that the pods could not read the vault", () => {
    // GIVEN a release already edited by hand, with an identity filled in
    const edited = RELEASE_1_TEXT.replace("identity: IDENTITY_PLACEHOLDER", "identity: /subscriptions/0000/some-identity");
    const problems = problemsOf(edited);
    expect(problems).toEqual([expect.stringContaining("has no IDENTITY_PLACEHOLDER")]);
    expect(problems[0]).toContain("cannot read the operator key from the Key Vault");
  });

  it("refuses two documents for the same object", () => {
    const service = RELEASE_1_TEXT.slice(RELEASE_1_TEXT.indexOf("apiVersion: v1"), RELEASE_1_TEXT.lastIndexOf("---"));
    expect(problemsOf(releaseWith(service))).toEqual([expect.stringContaining("Service operator-svc is defined twice (documents 2 and 4)")]);
  });

  it("refuses values JSON cannot carry, explicit tags and null keys, each with its line", () => {
    const problems = problemsOf(releaseWith("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: .inf\n  b: !!binary aGk=\n  ~: c\n"));
    expect(problems).toEqual([
      expect.stringMatching(/:96: \.inf is not a finite number; JSON cannot carry it$/),
      expect.stringMatching(/:97: explicit tag tag:yaml.org,2002:binary is not supported in a release manifest$/),
      expect.stringMatching(/:98: a mapping key is empty or null; Kubernetes objects need text keys$/),
    ]);
  });

  it("refuses a document whose aliases expand beyond reason, or that merges a non-mapping", () => {
    const nested = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]"];
    expect(problemsOf(releaseWith(["apiVersion: v1", "kind: ConfigMap", "metadata: {name: x}", ...nested].join("\n")))).toEqual([
      expect.stringMatching(/:92: document 4 cannot be expanded: Excessive alias count/),
    ]);
    expect(problemsOf(releaseWith("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nm: &m 5\ndata:\n  <<: *m\n"))).toEqual([
      expect.stringMatching(/:92: document 4 cannot be expanded: .*[Mm]erge/),
    ]);
  });

  it("collects every problem of the file at once", () => {
    // GIVEN a file with a bad document, an unknown placeholder and no identity
    const text = RELEASE_1_TEXT.replace("identity: IDENTITY_PLACEHOLDER", "identity: X_PLACEHOLDER") + "\n---\n- a list\n";
    expect(problemsOf(text)).toEqual([
      expect.stringContaining("document 4 is a list"),
      expect.stringContaining("unknown placeholder X_PLACEHOLDER"),
      expect.stringContaining("has no IDENTITY_PLACEHOLDER"),
    ]);
    // and once the bad document is gone, the absence of a Deployment can be told too
    expect(problemsOf(RELEASE_1_TEXT.replace("kind: Deployment", "kind: StatefulSet") + "\n---\n- a list\n")).toEqual([
      expect.stringContaining("document 4 is a list"),
    ]);
    expect(problemsOf(RELEASE_1_TEXT.replace("kind: Deployment", "kind: StatefulSet"))).toEqual([expect.stringContaining("holds no apps/v1 Deployment")]);
  });

  it("accepts the sample and both fixtures", () => {
    for (const file of [SAMPLE, RELEASE_1, RELEASE_2]) expect(releaseManifestProblems(file)).toEqual([]);
  });
});

describe("substituting the four placeholders", () => {
  const release = readReleaseManifest(RELEASE_1);
  const original = documentOf(release, "Deployment");
  const substituted = substitutePlaceholders(original, PLAIN_VALUES);

  it("changes exactly the four placeholder values and nothing else: no field added, removed, reordered or retyped", () => {
    expect(differences(original, substituted)).toEqual([
      `${ANNOTATIONS}.microsoft.containerinstance.virtualnode.identity`,
      `${OPERATOR_CONTAINER}.env[0].value`,
      `${OPERATOR_CONTAINER}.env[1].value`,
      `${OPERATOR_CONTAINER}.env[2].value`,
    ]);
    const spec = substituted.spec as any;
    expect(spec.template.metadata.annotations["microsoft.containerinstance.virtualnode.identity"]).toBe(PLAIN_VALUES.identityResourceId);
    expect(spec.template.spec.containers[1].env.slice(0, 3)).toEqual([
      { name: "VAULT_NAME", value: "kv-uid2-integ" },
      { name: "OPERATOR_KEY_SECRET_NAME", value: "uid2-operator-key" },
      { name: "DEPLOYMENT_ENVIRONMENT", value: "integ" },
    ]);
  });

  it("leaves the Service, which holds no placeholder, identical", () => {
    const service = documentOf(release, "Service");
    expect(differences(service, substitutePlaceholders(service, PLAIN_VALUES))).toEqual([]);
  });

  it("does not change the document it is given", () => {
    expect(differences(original, readReleaseManifest(RELEASE_1).documents[0].body)).toEqual([]);
  });

  it("finds placeholders by value, anywhere and inside longer strings", () => {
    // GIVEN placeholders in places the release does not use today
    const document: JsonObject = {
      metadata: { annotations: { "example.com/vault-url": "https://VAULT_NAME_PLACEHOLDER.vault.azure.net/" } },
      args: ["--env=DEPLOYMENT_ENVIRONMENT_PLACEHOLDER", "IDENTITY_PLACEHOLDER", "IMAGE_PLACEHOLDER"],
      nested: [[{ secret: "OPERATOR_KEY_SECRET_NAME_PLACEHOLDER/OPERATOR_KEY_SECRET_NAME_PLACEHOLDER" }]],
    };
    expect(substitutePlaceholders(document, PLAIN_VALUES)).toEqual({
      metadata: { annotations: { "example.com/vault-url": "https://kv-uid2-integ.vault.azure.net/" } },
      args: ["--env=integ", PLAIN_VALUES.identityResourceId, "IMAGE_PLACEHOLDER"],
      nested: [[{ secret: "uid2-operator-key/uid2-operator-key" }]],
    });
  });

  it("keeps values that are not strings, and placeholders in keys, as they are", () => {
    const document: JsonObject = { replicas: 3, enabled: false, none: null, VAULT_NAME_PLACEHOLDER: "x" };
    expect(substitutePlaceholders(document, PLAIN_VALUES)).toEqual(document);
  });
});

describe("escaping the release's text for Terraform's templates", () => {
  it("doubles ${ and %{ so that Terraform sends the original text", () => {
    expect(escapeTerraformTemplate("echo ${HOME} %{if x}")).toBe("echo $${HOME} %%{if x}");
    expect(escapeTerraformTemplate("$${already} %%{doubled}")).toBe("$$${already} %%%{doubled}");
    expect(escapeTerraformTemplate("$HOME 100% {}")).toBe("$HOME 100% {}");
  });

  it("escapes the release's strings and keys but inserts the substituted values unescaped", () => {
    // GIVEN release text with template syntax, and values that are cdktf tokens
    const tokens: PlaceholderValues = {
      identityResourceId: "${TfToken[TOKEN.1]}",
      keyVaultName: "${TfToken[TOKEN.2]}",
      operatorKeySecretName: "${TfToken[TOKEN.3]}",
      deploymentEnvironment: "integ",
    };
    const document: JsonObject = {
      command: ["sh", "-c", "echo ${VAULT} %{x}: VAULT_NAME_PLACEHOLDER"],
      identity: "IDENTITY_PLACEHOLDER",
      labels: { "example.com/${key}": "%{value}" },
    };
    expect(substitutePlaceholders(document, tokens)).toEqual({
      command: ["sh", "-c", "echo $${VAULT} %%{x}: ${TfToken[TOKEN.2]}"],
      identity: "${TfToken[TOKEN.1]}",
      labels: { "example.com/$${key}": "%%{value}" },
    });
  });
});

describe("adding the namespace", () => {
  const service = documentOf(readReleaseManifest(RELEASE_1), "Service");

  it("adds metadata.namespace when absent, as the only change", () => {
    const placed = withNamespace(service, "uid2");
    expect((placed.metadata as JsonObject).namespace).toBe("uid2");
    expect(differences(service, placed)).toEqual(["$.metadata.namespace (added or removed)"]);
  });

  it("keeps a namespace the release sets itself", () => {
    const own: JsonObject = { ...service, metadata: { name: "operator-svc", namespace: "theirs" } };
    expect(withNamespace(own, "uid2")).toBe(own);
  });

  it("adds none to cluster-scoped kinds", () => {
    const role: JsonObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } };
    expect(withNamespace(role, "uid2")).toBe(role);
  });
});

describe("the sample and the fixtures against the Kubernetes API schema", () => {
  it.each([
    ["the sample", SAMPLE],
    ["release-1", RELEASE_1],
    ["release-2", RELEASE_2],
  ])("every document of %s is a valid object, as released and as deployed", (_name, file) => {
    for (const { kind, body } of readReleaseManifest(file).documents) {
      for (const object of [body, withNamespace(substitutePlaceholders(body, PLAIN_VALUES), "uid2")]) {
        const model = kind === "Deployment" ? new Deployment(object as any) : kind === "Service" ? new Service(object as any) : undefined;
        expect(model).toBeDefined();
        expect(() => model!.validate()).not.toThrow();
      }
    }
  });
});

describe("upgrading to a new release", () => {
  /** The operator stack's Terraform JSON for a release file, with plain placeholder values. */
  function synthesizedWith(file: string): Record<string, unknown> {
    const d = deployment();
    const stack = new OperatorStack(Testing.app(), "integ-operator", {
      deployment: d.name,
      environment: d.environment,
      backend: d.backend,
      tags: d.tags,
      clusterName: "aks-uid2-integ",
      clusterResourceGroupName: "rg-uid2-integ",
      identityResourceId: PLAIN_VALUES.identityResourceId,
      keyVaultName: PLAIN_VALUES.keyVaultName,
      operatorKeySecretName: PLAIN_VALUES.operatorKeySecretName,
      containerGroupSubnetName: "cg",
      virtualNode: d.virtualNode,
      operator: d.operator,
      releaseManifest: readReleaseManifest(file),
    });
    return synthStack(stack).json as unknown as Record<string, unknown>;
  }

  it("changes only the image, the policy and the image's env var, in place", () => {
    // GIVEN release-1 deployed WHEN release-2 (new image and policy) replaces it
    const before = synthesizedWith(RELEASE_1);
    const after = synthesizedWith(RELEASE_2);
    // THEN the Terraform configurations differ in exactly those fields of the same resource
    const deploymentManifest = "$.resource.kubernetes_manifest.deployment-operator-deployment.manifest";
    expect(differences(before, after)).toEqual([
      `${deploymentManifest}.spec.template.metadata.annotations.microsoft.containerinstance.virtualnode.ccepolicy`,
      `${deploymentManifest}.spec.template.spec.containers[1].env[3].value`,
      `${deploymentManifest}.spec.template.spec.containers[1].image`,
    ]);
  });
});
