/**
 * Pods a release must not run: what the Kubernetes Pod Security Standards' "baseline" profile
 * forbids because it breaks out of the container, minus the one thing the release itself does.
 * The release's `skr` container mounts a host path, the confidential-containers share that
 * holds the attestation reference info (facts.md, "The release's operator.yaml"); host paths
 * under that share stay allowed, any other is refused.
 */
import * as path from "path";
import { isJsonObject, type JsonObject, type JsonValue, type ManifestDocument, type PathSegment } from "./types";
import { valueAt } from "./walk";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly PathSegment[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

const HOST_NAMESPACES: Readonly<Record<string, string>> = {
  hostNetwork: "the node's network",
  hostPID: "the node's processes",
  hostIPC: "the node's inter-process communication",
};

/** Capabilities the baseline profile lets a container add; any other gives it power over the node. */
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);

/** The confidential-containers share on the host, which the release's skr container reads. */
export const ALLOWED_HOST_PATH = "/opt/confidential-containers";

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

export interface PodSecurityProblem {
  /** Path of the offending value in the document. */
  readonly path: readonly PathSegment[];
  readonly text: string;
}

/** What in the document's pod spec, if it has one, would let a pod reach beyond its container. */
export function podSecurityProblems(document: ManifestDocument): PodSecurityProblem[] {
  const specPath = POD_SPEC_PATHS[document.kind];
  const spec = specPath && valueAt(document.body, specPath);
  if (!isJsonObject(spec)) return [];
  const problems: PodSecurityProblem[] = [];
  const add = (at: readonly PathSegment[], text: string) => problems.push({ path: [...specPath, ...at], text });

  for (const [field, what] of Object.entries(HOST_NAMESPACES)) {
    if (spec[field] === true) add([field], `shares ${what} with the pod: a container could then act on the node itself`);
  }
  eachOf(spec.volumes, (volume, i) => {
    const hostPath = isJsonObject(volume.hostPath) ? volume.hostPath.path : undefined;
    if (typeof hostPath === "string" && !isUnder(hostPath, ALLOWED_HOST_PATH)) {
      add(["volumes", i, "hostPath", "path"], `mounts the node's ${hostPath}; only host paths under ${ALLOWED_HOST_PATH} (the confidential-containers share the release's skr container reads) are allowed`);
    }
  });
  for (const list of CONTAINER_LISTS) {
    eachOf(spec[list], (container, i) => {
      for (const problem of containerProblems(container)) add([list, i, ...problem.path], problem.text);
    });
  }
  return problems;
}

function containerProblems(container: JsonObject): PodSecurityProblem[] {
  const problems: PodSecurityProblem[] = [];
  const context = isJsonObject(container.securityContext) ? container.securityContext : {};
  if (context.privileged === true) {
    problems.push({ path: ["securityContext", "privileged"], text: "runs privileged: the container gets every device and capability of the node" });
  }
  const added = isJsonObject(context.capabilities) ? context.capabilities.add : undefined;
  if (Array.isArray(added)) {
    added.forEach((capability, i) => {
      if (typeof capability !== "string" || !BASELINE_CAPABILITIES.has(capability.replace(/^CAP_/, ""))) {
        problems.push({ path: ["securityContext", "capabilities", "add", i], text: `adds capability ${String(capability)}, which gives the container power over the node` });
      }
    });
  }
  if (isJsonObject(context.windowsOptions) && context.windowsOptions.hostProcess === true) {
    problems.push({ path: ["securityContext", "windowsOptions", "hostProcess"], text: "runs as a process of the node itself" });
  }
  eachOf(container.ports, (port, i) => {
    if (typeof port.hostPort === "number" && port.hostPort !== 0) {
      problems.push({ path: ["ports", i, "hostPort"], text: `binds port ${port.hostPort} of the node itself` });
    }
  });
  return problems;
}

function eachOf(list: JsonValue | undefined, visit: (item: JsonObject, index: number) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item: JsonValue, index: number) => {
    if (isJsonObject(item)) visit(item, index);
  });
}

/** True when `candidate` is `dir` or inside it, `..` segments resolved first. */
function isUnder(candidate: string, dir: string): boolean {
  const normal = path.posix.normalize(candidate);
  return normal === dir || normal.startsWith(`${dir}/`);
}
