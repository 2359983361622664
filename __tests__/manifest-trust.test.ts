/**
 * What a release manifest may not do: crash the reader (deep nesting, alias cycles), collide with
 * itself, carry a Secret or cluster-wide RBAC, run pods that reach beyond their containers, or
 * leave the operator's pods without their identity. Each refusal names the file and the line.
 */
import { OPERATOR_KINDS } from "../lib/manifest/kinds";
import { MAX_MANIFEST_DEPTH } from "../lib/manifest/depth";
import { readReleaseManifest, releaseManifestProblems } from "../lib/manifest/read";
import { problemsOfDeployment } from "./support/config";
import { manifestFile, RELEASE_1_TEXT, releaseWith } from "./support/manifests";

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

describe("documents whose resources would collide", () => {
  it("refuses two objects whose kind and name differ only in case or punctuation, naming both", () => {
    const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: operator.svc\nspec:\n  type: ClusterIP\n";
    expect(problemsWith(service)).toEqual([
      ":92: Service operator.svc (document 4) and Service operator-svc (document 2, line 76) differ only in case or punctuation; both would become the resource kubernetes_manifest.service-operator-svc",
    ]);
    expect(problemsWith(configMap("Operator_Config", "data: {}\n") + "\n---\n" + configMap("operator-config", "data: {}\n"))).toEqual([
      ":99: ConfigMap operator-config (document 5) and ConfigMap Operator_Config (document 4, line 92) differ only in case or punctuation; both would become the resource kubernetes_manifest.configmap-operator-config",
    ]);
  });
});

describe("kinds that are never deployed", () => {
  it("refuses a Secret, saying to keep secrets in Key Vault", () => {
    const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: operator-key\ndata:\n  key: c2VjcmV0\n";
    expect(problemsWith(secret)).toEqual([
      ":92: Secret operator-key (document 4) cannot be deployed: its data would be written in the clear into the synthesized JSON and the Terraform state; keep secrets in Key Vault, where the operator key is, and let the pods read them with their managed identity",
    ]);
  });

  it.each(["ClusterRole", "ClusterRoleBinding"])("refuses a %s: cluster-wide RBAC", (kind) => {
    const rbac = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: operator-admin\n`;
    expect(problemsWith(rbac)).toEqual([
      `:92: ${kind} operator-admin (document 4) cannot be deployed: cluster-wide RBAC grants rights over the whole cluster, far beyond the operator's namespace; the operator needs none`,
    ]);
  });
});

describe("kinds outside the operator's own", () => {
  const role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules: []\n";

  it("refuses them per deployment, naming operator.extraKinds", () => {
    const file = manifestFile(releaseWith(role));
    expect(problemsOfDeployment({ operator: { manifestPath: file } })).toEqual([
      `integ: operator.manifestPath "${file}" is not a usable release manifest: ${file}:92: Role reader (document 4) is not one of the operator's own kinds (${OPERATOR_KINDS.join(", ")}); if the release really needs it, list "Role" in operator.extraKinds`,
    ]);
  });

  it("accepts them when operator.extraKinds lists them", () => {
    expect(problemsOfDeployment({ operator: { manifestPath: manifestFile(releaseWith(role)), extraKinds: ["Role"] } })).toEqual([]);
  });

  it("accepts every one of the operator's own kinds without listing", () => {
    const own = OPERATOR_KINDS.filter((kind) => kind !== "Deployment" && kind !== "Service").map((kind) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: own-${kind.toLowerCase()}\n`);
    expect(problemsOfDeployment({ operator: { manifestPath: manifestFile(releaseWith(own.join("---\n"))) } })).toEqual([]);
  });

  it.each<[string, string, string]>([
    ["Secret", "Secret", "cannot be allowed: its data would be written in the clear into the synthesized JSON and the Terraform state; keep secrets in Key Vault"],
    ["ClusterRole", "ClusterRole", "cannot be allowed: cluster-wide RBAC grants rights over the whole cluster"],
    ["ClusterRoleBinding", "ClusterRoleBinding", "cannot be allowed: cluster-wide RBAC grants rights over the whole cluster"],
    ["a lowercase name", "role", "must be a Kubernetes kind such as Role or CronJob"],
  ])("refuses %s in operator.extraKinds", (_case, kind, reason) => {
    expect(problemsOfDeployment({ operator: { extraKinds: ["Role", kind] } })).toEqual([
      expect.stringMatching(new RegExp(`^integ: operator\\.extraKinds\\[1\\] "${kind}" ${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
    ]);
  });
});

describe("pods that would reach beyond their containers", () => {
  const POD = "spec.template.spec";
  /** release-1 with `edit` applied to its text. */
  const edited = (edit: (text: string) => string) => problemsOfText(edit(RELEASE_1_TEXT));
  const skrContainer = "      - name: skr\n";
  const inSkr = (lines: string) => (text: string) => text.replace(skrContainer, skrContainer + lines);
  const inPod = (lines: string) => (text: string) => text.replace("      nodeSelector:\n", lines + "      nodeSelector:\n");

  it.each<[string, (text: string) => string, string]>([
    ["a privileged container", inSkr("        securityContext:\n          privileged: true\n"), `:27: Deployment operator-deployment at ${POD}.containers[0].securityContext.privileged runs privileged: the container gets every device and capability of the node (Pod Security Standards, baseline: Privileged Containers)`],
    ["the node's network", inPod("      hostNetwork: true\n"), `:68: Deployment operator-deployment at ${POD}.hostNetwork shares the node's network with the pod: a container could then act on the node itself (Pod Security Standards, baseline: Host Namespaces)`],
    ["the node's processes", inPod("      hostPID: true\n"), `:68: Deployment operator-deployment at ${POD}.hostPID shares the node's processes with the pod: a container could then act on the node itself (Pod Security Standards, baseline: Host Namespaces)`],
    ["the node's IPC", inPod("      hostIPC: true\n"), `:68: Deployment operator-deployment at ${POD}.hostIPC shares the node's inter-process communication with the pod: a container could then act on the node itself (Pod Security Standards, baseline: Host Namespaces)`],
    ["an added capability", inSkr("        securityContext:\n          capabilities:\n            add: [NET_BIND_SERVICE, SYS_ADMIN]\n"), `:28: Deployment operator-deployment at ${POD}.containers[0].securityContext.capabilities.add[1] adds capability SYS_ADMIN, which gives the container power over the node (Pod Security Standards, baseline: Capabilities)`],
    ["a host port", inSkr("        ports:\n        - containerPort: 9000\n          hostPort: 9000\n"), `:28: Deployment operator-deployment at ${POD}.containers[0].ports[0].hostPort binds port 9000 of the node itself (Pod Security Standards, baseline: Host Ports)`],
    ["another host path", (text) => text.replace("          path: /opt/confidential-containers/share/kata-containers/reference-info-base64", "          path: /etc"), `:67: Deployment operator-deployment at ${POD}.volumes[0].hostPath.path mounts the node's /etc; only host paths under /opt/confidential-containers (the confidential-containers share the release's skr container reads) are allowed (Pod Security Standards, baseline: HostPath Volumes)`],
    ["a host path that climbs out of the share", (text) => text.replace("reference-info-base64\n      nodeSelector", "../../../../../var/run\n      nodeSelector"), `:67: Deployment operator-deployment at ${POD}.volumes[0].hostPath.path mounts the node's /opt/confidential-containers/share/kata-containers/../../../../../var/run; only host paths under /opt/confidential-containers (the confidential-containers share the release's skr container reads) are allowed (Pod Security Standards, baseline: HostPath Volumes)`],
    ["/proc unmasked", inSkr("        securityContext:\n          procMount: Unmasked\n"), `:27: Deployment operator-deployment at ${POD}.containers[0].securityContext.procMount mounts /proc as "Unmasked": the container sees the node's masked /proc paths (Pod Security Standards, baseline: /proc Mount Type)`],
    ["a container without seccomp", inSkr("        securityContext:\n          seccompProfile: {type: Unconfined}\n"), `:27: Deployment operator-deployment at ${POD}.containers[0].securityContext.seccompProfile.type runs its seccomp profile unconfined: the kernel's system calls are open to it without the runtime's filter (Pod Security Standards, baseline: Seccomp)`],
    ["a pod without seccomp", inPod("      securityContext:\n        seccompProfile: {type: Unconfined}\n"), `:69: Deployment operator-deployment at ${POD}.securityContext.seccompProfile.type runs every container's seccomp profile unconfined: the kernel's system calls are open to it without the runtime's filter (Pod Security Standards, baseline: Seccomp)`],
    ["a container without AppArmor", inSkr("        securityContext:\n          appArmorProfile: {type: Unconfined}\n"), `:27: Deployment operator-deployment at ${POD}.containers[0].securityContext.appArmorProfile.type runs its AppArmor profile unconfined: the kernel's system calls are open to it without the runtime's filter (Pod Security Standards, baseline: AppArmor)`],
    ["an unsafe sysctl", inPod("      securityContext:\n        sysctls:\n        - {name: net.ipv4.tcp_syncookies, value: '1'}\n        - {name: kernel.msgmax, value: '65536'}\n"), `:71: Deployment operator-deployment at ${POD}.securityContext.sysctls[1].name sets sysctl kernel.msgmax, outside the safe set`],
  ])("refuses %s, naming the field and its line", (_case, edit, problem) => {
    expect(edited(edit)).toEqual([expect.stringMatching(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))]);
  });

  it("checks the pod spec of other workload kinds too", () => {
    const job = [
      "apiVersion: batch/v1",
      "kind: CronJob",
      "metadata:\n  name: rotate",
      "spec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: x\n            image: x\n            securityContext: {privileged: true}",
    ].join("\n");
    expect(problemsWith(job)).toEqual([expect.stringMatching(/^:\d+: CronJob rotate at spec\.jobTemplate\.spec\.template\.spec\.containers\[0\]\.securityContext\.privileged runs privileged/)]);
  });

  it("accepts the release as it is: the skr container's host path under the confidential-containers share", () => {
    expect(edited((text) => text)).toEqual([]);
  });
});

describe("the identity placeholder, where the pods get their identity", () => {
  const ANNOTATION = "microsoft.containerinstance.virtualnode.identity: IDENTITY_PLACEHOLDER";

  it("refuses IDENTITY_PLACEHOLDER elsewhere when the pod template's annotation lacks it", () => {
    // GIVEN the placeholder moved from the annotation into an env value
    const moved = RELEASE_1_TEXT.replace(ANNOTATION, "microsoft.containerinstance.virtualnode.identity: my-identity").replace(
      "value: DEPLOYMENT_ENVIRONMENT_PLACEHOLDER",
      "value: IDENTITY_PLACEHOLDER",
    );
    expect(problemsOfText(moved)).toEqual([
      ':21: Deployment operator-deployment has no IDENTITY_PLACEHOLDER as its pod template\'s microsoft.containerinstance.virtualnode.identity annotation (it is "my-identity"); ' +
        "without it the pods run without the managed identity and cannot read the operator key from the Key Vault (was the file already edited by hand? use the release's operator.yaml as unzipped)",
    ]);
  });

  it("refuses the placeholder inside a longer annotation value, or an annotation that is missing", () => {
    expect(problemsOfText(RELEASE_1_TEXT.replace(ANNOTATION, `${ANNOTATION}-2`))).toEqual([expect.stringContaining('(it is "IDENTITY_PLACEHOLDER-2")')]);
    expect(problemsOfText(RELEASE_1_TEXT.replace(`        ${ANNOTATION}\n`, "") + "\n---\n" + configMap("ids", "data:\n  id: IDENTITY_PLACEHOLDER\n"))).toEqual([
      expect.stringMatching(/^:4: Deployment operator-deployment has no IDENTITY_PLACEHOLDER .* \(it has none\)/),
    ]);
  });
});
