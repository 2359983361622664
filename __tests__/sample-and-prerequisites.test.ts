/**
 * The sample manifest has the current release template's shape, and README's prerequisites say
 * what that shape costs in confidential ACI capacity and which Node.js lines are supported, as the
 * workflows use them.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { readReleaseManifest } from "../lib/manifest/read";
import { PROJECT_ROOT } from "../lib/project-root";
import { readmeSection } from "./support/readme-sections";

const sample = readReleaseManifest(path.join(PROJECT_ROOT, "operator", "sample-operator.yaml"));
const deployment = sample.documents.find((d) => d.body.kind === "Deployment")!.body as {
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; env?: { name: string }[] }[] } } };
};
const containers = deployment.spec.template.spec.containers;
const operator = containers.find((c) => c.name === "uid2-operator")!;
const prerequisites = readmeSection("Prerequisites for deploying").replace(/\s+/g, " ");

describe("operator/sample-operator.yaml", () => {
  it("has the current release template's shape: skr 2.14, 6 vCPUs and 24 GiB, IMAGE_VERSION", () => {
    expect(containers.find((c) => c.name === "skr")!.image).toBe("mcr.microsoft.com/aci/skr:2.14");
    expect(operator.resources).toEqual({ requests: { cpu: "6", memory: "24Gi" }, limits: { cpu: "6", memory: "24Gi" } });
    expect(operator.env!.map((e) => e.name)).toContain("IMAGE_VERSION");
    expect(operator.env!.map((e) => e.name)).not.toContain("IMAGE_NAME");
  });
});

describe("README prerequisites", () => {
  it("state the confidential ACI capacity the sample's pods need, a rolling update's surge, and how to see the quota", () => {
    const cpus = Number(operator.resources!.requests!.cpu);
    expect(prerequisites).toContain(`runs ${deployment.spec.replicas} replicas, each asking for ${cpus} vCPUs and 24 GiB for the operator container plus its \`skr\` sidecar`);
    // (6 + the sidecar's ~2.25) x 3, and one pod more while a rolling update surges
    expect(prerequisites).toContain("about 25 confidential ACI vCPUs for the three pods");
    expect(prerequisites).toContain("so plan for about 33");
    expect(prerequisites).toContain("/providers/Microsoft.ContainerInstance/locations/eastus/usages?api-version=2023-05-01");
  });

  it("name the supported Node.js LTS line, the one the workflows use, and why not 24", () => {
    expect(prerequisites).toContain("Node.js 22 (LTS, supported until 2027-04-30)");
    expect(prerequisites).toContain("Node 24 runs the app and `npm test`, but not the cdktf CLI");
    // the cdktf CLI's terminal helper: prebuilt binaries up to Node 22's ABI (127), none for Node 24's (137)
    const prebuilds = readdirSync(path.join(PROJECT_ROOT, "node_modules", "@cdktf", "node-pty-prebuilt-multiarch", "prebuilds", "linux-x64"));
    expect(prebuilds).toContain("node.abi127.node");
    expect(prebuilds).not.toContain("node.abi137.node");
    const workflows = readdirSync(path.join(PROJECT_ROOT, ".github", "workflows")).map((file) => readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8"));
    const versions = workflows.flatMap((text) => [...text.matchAll(/node-version:\s*(\S+)/g)].map((m) => m[1]));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set(["22"]));
  });
});
