import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { resolveConfig } from "../lib/config/load";
import { PROJECT_ROOT } from "../lib/project-root";
import { deployment, entry, problemsOfDeployment } from "./support/config";

const RELEASE = path.join(__dirname, "fixtures", "manifests", "release-1.yaml");

/** A copy of the fixture release with `edit` applied to its text. */
function editedRelease(edit: (text: string) => string, from: string = RELEASE): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "uid2-release-")), "operator.yaml");
  writeFileSync(file, edit(readFileSync(from, "utf8")));
  return file;
}

describe("backend validation", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["unknown type", { type: "s3" }, ['integ: backend.type "s3" must be one of: local, cloud, azurerm']],
    ["cloud without organization", { type: "cloud" }, ['integ: backend.organization is required with backend.type "cloud"']],
    ["cloud with an empty organization", { type: "cloud", organization: "" }, ['integ: backend.organization "" must not be empty']],
    ["cloud with a bad organization", { type: "cloud", organization: "a b" }, ['integ: backend.organization "a b" must be 3-40 letters, digits, hyphens and underscores (a Terraform Cloud organization name)']],
    ["cloud with a bad workspace prefix", { type: "cloud", organization: "acme", workspacePrefix: "uid2/" }, ['integ: backend.workspacePrefix "uid2/" must be at most 60 letters, digits, hyphens and underscores (workspace names allow no other characters)']],
    ["cloud with a URL as hostname", { type: "cloud", organization: "acme", hostname: "https://tfe.example.com" }, ['integ: backend.hostname "https://tfe.example.com" must be a host name such as app.terraform.io, without scheme or path']],
    ["cloud with an azurerm key", { type: "cloud", organization: "acme", containerName: "tfstate" }, ['integ: backend.containerName "tfstate" is not a setting of backend.type "cloud" (allowed: organization, workspacePrefix, hostname, project, executionMode)']],
    ["azurerm missing all three", { type: "azurerm" }, [
      'integ: backend.resourceGroupName is required with backend.type "azurerm"',
      'integ: backend.storageAccountName is required with backend.type "azurerm"',
      'integ: backend.containerName is required with backend.type "azurerm"',
    ]],
    ["azurerm with a bad storage account", { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "Tf-State", containerName: "tfstate" }, ['integ: backend.storageAccountName "Tf-State" must be 3-24 lowercase letters and digits (an Azure storage account name)']],
    ["azurerm with a bad container", { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01", containerName: "TF" }, ['integ: backend.containerName "TF" must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit']],
    ["azurerm with a bad subscription", { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01", containerName: "tfstate", subscriptionId: "mine" }, ['integ: backend.subscriptionId "mine" must be a subscription GUID']],
    ["local with a cloud key", { type: "local", organization: "acme" }, ['integ: backend.organization "acme" is not a setting of backend.type "local" (allowed: none)']],
    ["unknown key", { type: "local", path: "/tmp/x" }, ['integ: backend.path is not a known setting; allowed here: type, organization, workspacePrefix, hostname, project, executionMode, resourceGroupName, storageAccountName, containerName, subscriptionId']],
  ])("refuses %s", (_case, backend, expected) => {
    expect(problemsOfDeployment({ backend })).toEqual(expected);
  });

  it("resolves each backend type with its defaults", () => {
    expect(deployment({ backend: { type: "cloud", organization: "acme" } }).backend).toEqual({
      type: "cloud", organization: "acme", workspacePrefix: "", hostname: "app.terraform.io", executionMode: "remote",
    });
    expect(deployment({ backend: { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01", containerName: "tfstate" } }).backend).toEqual({
      type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "tfstate01", containerName: "tfstate",
    });
  });
});

describe("tags validation", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a reserved tag", { environment: "qa" }, 'integ: tags.environment "qa" cannot be set: environment, deployment, managed-by are set by the app from the deployment (Azure tag names are case-insensitive)'],
    ["a reserved tag in another case", { "Managed-By": "me" }, 'integ: tags.Managed-By "me" cannot be set: environment, deployment, managed-by are set by the app from the deployment (Azure tag names are case-insensitive)'],
    ["a name with Azure's reserved prefix azure", { "azure-owner": "ads" }, 'integ: tags.azure-owner "ads" is a reserved tag name: Azure keeps names starting with microsoft, azure, windows (in any case) for itself'],
    ["a name with Azure's reserved prefix Microsoft", { "Microsoft.Team": "ads" }, 'integ: tags.Microsoft.Team "ads" is a reserved tag name: Azure keeps names starting with microsoft, azure, windows (in any case) for itself'],
    ["a name with Azure's reserved prefix windows", { windowsVersion: "11" }, 'integ: tags.windowsVersion "11" is a reserved tag name: Azure keeps names starting with microsoft, azure, windows (in any case) for itself'],
    ["two names equal but for case", { Owner: "ads", owner: "web" }, 'integ: tags.owner "web" is the same tag as tags.Owner: Azure tag names are case-insensitive, so one value would replace the other'],
    ["a name with a slash", { "team/owner": "ads" }, 'integ: tags.team/owner "ads" has an invalid tag name: 1-512 characters, none of < > % & \\ ? /'],
    ["a value over 256 characters", { owner: "x".repeat(257) }, `integ: tags.owner "${"x".repeat(116)}... is too long: tag values are at most 256 characters`],
  ])("refuses %s", (_case, tags, expected) => {
    expect(problemsOfDeployment({ tags })).toEqual([expected]);
  });

  it("refuses names equal but for case across defaults and the deployment, naming both", () => {
    // GIVEN Owner in defaults and owner in the deployment WHEN merged THEN both are named
    expect(problemsOfDeployment({ tags: { owner: "web" } }, { tags: { Owner: "ads" } })).toEqual([
      'integ: tags.owner "web" is the same tag as tags.Owner: Azure tag names are case-insensitive, so one value would replace the other',
    ]);
  });

  it("accepts names that merely contain a reserved word", () => {
    expect(problemsOfDeployment({ tags: { "team-azure": "ads", "cost-center": "ads", "my.microsoft.team": "x" } })).toEqual([]);
  });

  it("refuses more than 50 tags with the built-in ones", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"]));
    expect(problemsOfDeployment({ tags })).toEqual([
      expect.stringMatching(/^integ: tags \["t0",.*\.\.\. gives 51 tags with the 3 built-in ones; Azure allows at most 50$/),
    ]);
  });
});

describe("virtual node and operator validation", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a bad chart version", { virtualNode: { chartVersion: "latest" } }, 'integ: virtualNode.chartVersion "latest" must be a chart version 1.MMPP.YYMMDDNN such as "1.3409.26080501"'],
    ["a plain-http repository", { virtualNode: { repository: "http://example.com/charts" } }, 'integ: virtualNode.repository "http://example.com/charts" must be an https:// URL of a Helm chart repository (http:// only for this machine'],
    ["a chart path without Chart.yaml", { virtualNode: { chartPath: "config" } }, 'integ: virtualNode.chartPath "config" must be a chart directory holding Chart.yaml (resolved to '],
    ["a missing manifest", { operator: { manifestPath: "operator/missing.yaml" } }, 'integ: operator.manifestPath "operator/missing.yaml" must name the release\'s operator.yaml; no file at '],
    ["a bad namespace", { operator: { namespace: "UID2_Operator" } }, 'integ: operator.namespace "UID2_Operator" must be a Kubernetes namespace name: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit'],
  ])("refuses %s", (_case, overrides, expected) => {
    const problems = problemsOfDeployment(overrides);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(expected)).toBe(true);
  });
});

describe("release manifest validation", () => {
  it("accepts a release and warns about the sample template", () => {
    expect(problemsOfDeployment({ operator: { manifestPath: RELEASE } })).toEqual([]);
    const warnings = resolveConfig({ deployments: [entry()] }, "test.json").warnings.filter((w) => w.includes("operator.manifestPath"));
    expect(warnings).toEqual([
      'integ: operator.manifestPath "operator/sample-operator.yaml" is a template (IMAGE_PLACEHOLDER and CCE_POLICY_PLACEHOLDER remain): synthesis works, but a deploy stops at plan; point it at the release\'s operator.yaml',
    ]);
  });

  it.each<[string, string, string, string]>([
    ["the policy", "CCE_POLICY_PLACEHOLDER", "cG9saWN5", "IMAGE_PLACEHOLDER remains"],
    ["the image", "IMAGE_PLACEHOLDER", "example.azurecr.io/uid2-operator:1.0", "CCE_POLICY_PLACEHOLDER remains"],
  ])("names only the placeholder that remains when %s is filled in", (_case, filled, value, remains) => {
    // GIVEN the sample template with one of its two template placeholders filled in
    const file = editedRelease((text) => text.replaceAll(filled, value), path.join(PROJECT_ROOT, "operator", "sample-operator.yaml"));
    // WHEN the configuration is resolved
    const warnings = resolveConfig({ deployments: [entry({ operator: { manifestPath: file } })] }, "test.json").warnings.filter((w) => w.includes("operator.manifestPath"));
    // THEN the warning names the one that remains
    expect(warnings).toEqual([`integ: operator.manifestPath "${file}" is a template (${remains}): synthesis works, but a deploy stops at plan; point it at the release's operator.yaml`]);
  });

  it.each<[string, (text: string) => string, RegExp]>([
    ["invalid YAML", (text) => text.replace("kind: Deployment", "kind: [Deployment"), /:\d+: /],
    ["an unknown placeholder", (text) => text.replace("imagePullPolicy: Always", "imagePullPolicy: PULL_POLICY_PLACEHOLDER"), /PULL_POLICY_PLACEHOLDER/],
    ["no Deployment", (text) => text.replace("kind: Deployment", "kind: StatefulSet"), /Deployment/],
    ["no IDENTITY_PLACEHOLDER", (text) => text.replace("IDENTITY_PLACEHOLDER", "my-identity"), /IDENTITY_PLACEHOLDER/],
  ])("refuses a release file with %s, naming the deployment and operator.manifestPath", (_case, edit, cause) => {
    const file = editedRelease(edit);
    const problems = problemsOfDeployment({ operator: { manifestPath: file } });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.startsWith(`integ: operator.manifestPath "${file}" is not a usable release manifest: `)).toBe(true);
    expect(problems.join("\n")).toMatch(cause);
  });
});
