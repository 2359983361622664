/**
 * The runbooks of README.md that the runbook tests run: the section, what the runbook's edits make
 * of the configuration, which stacks are deployed when it starts, and what it must do.
 */
import { FAKE_TFC_HOST, type Runbook } from "./runbook-harness";

const KINDS = ["network", "cluster", "secrets", "operator", "monitoring"] as const;
const stacksOf = (deployment: string) => KINDS.map((kind) => `${deployment}-${kind}`);

/** Which stack reads which: a consumer deploys after its producers and is destroyed before them. */
export const DEPENDENCIES: readonly [string, string][] = [
  ["network", "cluster"],
  ["network", "secrets"],
  ["cluster", "operator"],
  ["secrets", "operator"],
  ["network", "monitoring"],
  ["cluster", "monitoring"],
  ["operator", "monitoring"],
];

const RELEASE = (n: number) => `__tests__/fixtures/manifests/release-${n}.yaml`;

/** config/deployments.json after the first runbook's edits: a prefix, a release, two deployments. */
function configuration(edit: { integ?: object; manifest?: string } = {}) {
  return {
    defaults: { namePrefix: "acme", operator: { manifestPath: edit.manifest ?? RELEASE(1) } },
    deployments: [
      { name: "integ", environment: "integ", location: "eastus", ...edit.integ },
      { name: "prod", environment: "prod", location: "eastus" },
    ],
  };
}

/** Both deployments of `configuration()`, deployed earlier in dependency order. */
const BOTH_DEPLOYED = [...stacksOf("integ"), ...stacksOf("prod")];
const deployedEarlier = (stacks: readonly string[]) => ({ config: configuration(), order: BOTH_DEPLOYED, stacks });

export interface Expectation {
  /** What the runbook does to stacks: `apply`, `destroy`, or `plan` (diff). */
  readonly verb: "apply" | "destroy" | "plan";
  /** The stacks it must do it to, and no others. */
  readonly stacks: readonly string[];
  /** The deployment whose secrets stack, and nothing else, gets the operator key; none when no key is given. */
  readonly key?: string;
}

export interface DocumentedRunbook {
  /** What the tests call it. */
  readonly title: string;
  /** Its section of README.md, whose code blocks are its lines. */
  readonly heading: string;
  readonly runbook: Omit<Runbook, "lines">;
  readonly expect: readonly Expectation[];
  /** What the commands' output must show (what the runbook tells the user to read there). */
  readonly prints?: readonly string[];
}

const TYPED_KEY = "operator key typed by the user";

/** What `az aks get-credentials` needs, as the outputs the runbooks print give them. */
const CLUSTER_NAMES = ["resource_group_name", "rg-acme-uid2-integ", "cluster_name", "aks-acme-uid2-integ"];

export const RUNBOOKS: readonly DocumentedRunbook[] = [
  {
    // With prod deployed already, this is also README's "Adding a deployment": the same commands.
    title: "First deployment, and Adding a deployment (prod is deployed already)",
    heading: "### First deployment",
    runbook: { config: configuration(), deployed: deployedEarlier(stacksOf("prod")), typed: TYPED_KEY },
    expect: [{ verb: "apply", stacks: stacksOf("integ"), key: "integ" }],
  },
  {
    // Terraform Cloud from zero: nothing exists in the organization; the stand-in plays its workspaces and API.
    title: "First deployment with Terraform Cloud",
    heading: "### First deployment with Terraform Cloud",
    runbook: {
      config: {
        defaults: { namePrefix: "acme", operator: { manifestPath: RELEASE(1) }, backend: { type: "cloud", organization: "acme", workspacePrefix: "uid2-", project: "uid2", hostname: FAKE_TFC_HOST } },
        deployments: [{ name: "integ", environment: "integ", location: "eastus" }],
      },
      typed: TYPED_KEY,
    },
    expect: [{ verb: "apply", stacks: ["tfc-bootstrap-acme", ...stacksOf("integ")] }],
    prints: ["operator_key set on workspace uid2-integ-secrets"],
  },
  {
    title: "Upgrade to a new UID2 release",
    heading: "### Upgrade to a new UID2 release",
    runbook: { config: configuration({ manifest: RELEASE(2) }), deployed: deployedEarlier(BOTH_DEPLOYED), typed: TYPED_KEY },
    expect: [{ verb: "plan", stacks: ["integ-operator"] }, { verb: "apply", stacks: ["integ-operator"] }],
    prints: CLUSTER_NAMES,
  },
  {
    title: "Rotate the operator key",
    heading: "### Rotate the operator key",
    runbook: { config: configuration({ integ: { secrets: { operatorKeyVersion: 2 } } }), deployed: deployedEarlier(BOTH_DEPLOYED), typed: TYPED_KEY },
    expect: [{ verb: "apply", stacks: ["integ-secrets"], key: "integ" }],
    prints: CLUSTER_NAMES,
  },
  {
    title: "Bring your own key",
    heading: "### Bring your own key",
    runbook: { config: configuration({ integ: { secrets: { manageOperatorKey: false } } }), typed: TYPED_KEY },
    expect: [{ verb: "apply", stacks: stacksOf("integ") }],
    prints: ["key_vault_id", "/providers/Microsoft.KeyVault/vaults/kv-acme-uid2-integ", "key_vault_name", "kv-acme-uid2-integ", "operator_key_secret_name", "uid2-operator-key"],
  },
  {
    title: "Teardown",
    heading: "### Teardown",
    runbook: { config: configuration(), deployed: deployedEarlier(BOTH_DEPLOYED), typed: TYPED_KEY },
    expect: [{ verb: "destroy", stacks: stacksOf("integ"), key: "integ" }],
  },
];

/** The README section of `npx cdktf synth --hcl`, which e2e/hcl-output.test.ts runs through the harness. */
export const HCL_SECTION = "### HCL for reading";
