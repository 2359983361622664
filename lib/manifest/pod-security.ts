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

/** One check of a pod spec or a container, against the Pod Security Standards control it enforces. */
interface PodSecurityRule {
  /** The control's name on the Kubernetes "Pod Security Standards" page (baseline profile). */
  readonly control: string;
  /** Whether it reads the pod spec or each container (init, regular and ephemeral). */
  readonly scope: "pod" | "container";
  /** The offending values, each with its path from the pod spec or the container. */
  readonly check: (object: JsonObject) => PodSecurityProblem[];
}

/**
 * Sysctls the baseline profile allows: namespaced to the pod, they cannot affect the node or
 * other pods. Any other sysctl is refused.
 */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

const securityContextOf = (object: JsonObject): JsonObject => (isJsonObject(object.securityContext) ? object.securityContext : {});

/**
 * The rule of a control that forbids a profile of type Unconfined (`seccompProfile`,
 * `appArmorProfile`), at the pod (every container's default) or at each container.
 */
function unconfinedRule(scope: PodSecurityRule["scope"], control: string, field: "seccompProfile" | "appArmorProfile", profile: string): PodSecurityRule {
  const what = scope === "pod" ? `every container's ${profile}` : `its ${profile}`;
  return {
    control,
    scope,
    check: (object) => {
      const value = securityContextOf(object)[field];
      return isJsonObject(value) && value.type === "Unconfined"
        ? [{ path: ["securityContext", field, "type"], text: `runs ${what} unconfined: the kernel's system calls are open to it without the runtime's filter` }]
        : [];
    },
  };
}

/**
 * The checks, as a table a reviewer can read against the Kubernetes page "Pod Security
 * Standards", baseline profile: each names its control.
 */
export const POD_SECURITY_RULES: readonly PodSecurityRule[] = [
  {
    control: "Host Namespaces",
    scope: "pod",
    check: (spec) =>
      Object.entries(HOST_NAMESPACES)
        .filter(([field]) => spec[field] === true)
        .map(([field, what]) => ({ path: [field], text: `shares ${what} with the pod: a container could then act on the node itself` })),
  },
  {
    control: "HostPath Volumes",
    scope: "pod",
    check: (spec) =>
      itemsOf(spec.volumes).flatMap(({ item: volume, index }) => {
        const hostPath = isJsonObject(volume.hostPath) ? volume.hostPath.path : undefined;
        return typeof hostPath === "string" && !isUnder(hostPath, ALLOWED_HOST_PATH)
          ? [{ path: ["volumes", index, "hostPath", "path"], text: `mounts the node's ${hostPath}; only host paths under ${ALLOWED_HOST_PATH} (the confidential-containers share the release's skr container reads) are allowed` }]
          : [];
      }),
  },
  unconfinedRule("pod", "Seccomp", "seccompProfile", "seccomp profile"),
  unconfinedRule("pod", "AppArmor", "appArmorProfile", "AppArmor profile"),
  {
    control: "Sysctls",
    scope: "pod",
    check: (spec) =>
      itemsOf(securityContextOf(spec).sysctls).flatMap(({ item, index }) =>
        typeof item.name === "string" && SAFE_SYSCTLS.has(item.name)
          ? []
          : [{ path: ["securityContext", "sysctls", index, "name"], text: `sets sysctl ${String(item.name)}, outside the safe set (${[...SAFE_SYSCTLS].join(", ")}): it can reach the node's kernel or other pods` }],
      ),
  },
  {
    control: "Privileged Containers",
    scope: "container",
    check: (container) =>
      securityContextOf(container).privileged === true ? [{ path: ["securityContext", "privileged"], text: "runs privileged: the container gets every device and capability of the node" }] : [],
  },
  {
    control: "Capabilities",
    scope: "container",
    check: (container) => {
      const capabilities = securityContextOf(container).capabilities;
      const added = isJsonObject(capabilities) ? capabilities.add : undefined;
      if (!Array.isArray(added)) return [];
      return added.flatMap((capability: JsonValue, i: number) =>
        typeof capability !== "string" || !BASELINE_CAPABILITIES.has(capability.replace(/^CAP_/, ""))
          ? [{ path: ["securityContext", "capabilities", "add", i], text: `adds capability ${String(capability)}, which gives the container power over the node` }]
          : [],
      );
    },
  },
  {
    control: "HostProcess",
    scope: "container",
    check: (container) => {
      const windows = securityContextOf(container).windowsOptions;
      return isJsonObject(windows) && windows.hostProcess === true ? [{ path: ["securityContext", "windowsOptions", "hostProcess"], text: "runs as a process of the node itself" }] : [];
    },
  },
  {
    control: "Host Ports",
    scope: "container",
    check: (container) =>
      itemsOf(container.ports).flatMap(({ item: port, index }) =>
        typeof port.hostPort === "number" && port.hostPort !== 0 ? [{ path: ["ports", index, "hostPort"], text: `binds port ${port.hostPort} of the node itself` }] : [],
      ),
  },
  {
    control: "/proc Mount Type",
    scope: "container",
    check: (container) => {
      const procMount = securityContextOf(container).procMount;
      return procMount !== undefined && procMount !== "Default"
        ? [{ path: ["securityContext", "procMount"], text: `mounts /proc as ${JSON.stringify(procMount)}: the container sees the node's masked /proc paths` }]
        : [];
    },
  },
  unconfinedRule("container", "Seccomp", "seccompProfile", "seccomp profile"),
  unconfinedRule("container", "AppArmor", "appArmorProfile", "AppArmor profile"),
];

/** What in the document's pod spec, if it has one, would let a pod reach beyond its container. */
export function podSecurityProblems(document: ManifestDocument): PodSecurityProblem[] {
  const specPath = POD_SPEC_PATHS[document.kind];
  const spec = specPath && valueAt(document.body, specPath);
  if (!isJsonObject(spec)) return [];
  const containers = CONTAINER_LISTS.flatMap((list) => itemsOf(spec[list]).map(({ item, index }) => ({ item, at: [list, index] as PathSegment[] })));
  return POD_SECURITY_RULES.flatMap((rule) => {
    const targets = rule.scope === "pod" ? [{ item: spec, at: [] as PathSegment[] }] : containers;
    return targets.flatMap(({ item, at }) => rule.check(item).map((p) => ({ path: [...specPath, ...at, ...p.path], text: `${p.text} (Pod Security Standards, baseline: ${rule.control})` })));
  });
}

/** The mappings of a list, with their indexes; nothing for anything else. */
function itemsOf(list: JsonValue | undefined): { item: JsonObject; index: number }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: JsonValue, index: number) => (isJsonObject(item) ? [{ item, index }] : []));
}

/** True when `candidate` is `dir` or inside it, `..` segments resolved first. */
function isUnder(candidate: string, dir: string): boolean {
  const normal = path.posix.normalize(candidate);
  return normal === dir || normal.startsWith(`${dir}/`);
}
