/**
 * `npm run review` end to end: a temporary git repository holding this project, one branch per
 * scenario whose last commit makes the change, and the real command run in each branch's
 * worktree against the commit before (all scenarios at once). The fine details of the report are
 * unit-tested in review-compare.test.ts; here each scenario's report is checked for what a
 * reviewer must see.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../lib/project-root";
import type { Review } from "../../lib/review/findings";
import { copyProject, git, runShell, ScenarioRepository, type CommandResult, type Config } from "../support/git-scenarios";
import { readmeCommands } from "../support/readme-sections";

/** README's "Reviewing a change" commands, run as written: the first on a scaling change, the second on a rotation. */
const [README_MARKDOWN_COMMAND, README_JSON_COMMAND] = readmeCommands("Reviewing a change");
/** The other scenarios run the script directly: npm adds nothing to test there, and costs a process each. */
const REVIEW = "node --require ./scripts/register-ts.js scripts/review.ts";

const integ = { name: "integ", environment: "integ", location: "eastus" };
const prod = { name: "prod", environment: "prod", location: "eastus" };
const BASE: Config = { deployments: [integ, prod] };
const release = (n: number) => ({ ...integ, operator: { manifestPath: `__tests__/fixtures/manifests/release-${n}.yaml` } });

/** Each scenario: the commits of its branch (the last is the change), and how the review is run. */
const SCENARIOS = {
  scaling: { commits: [{ deployments: [{ ...integ, cluster: { maxCount: 8 } }, prod] }], command: README_MARKDOWN_COMMAND },
  prefix: { commits: [{ defaults: { namePrefix: "acme" }, deployments: [integ, prod] }], command: `${REVIEW} --base HEAD~1` },
  release: { commits: [{ deployments: [release(1)] }, { deployments: [release(2)] }], command: `${REVIEW} --base HEAD~1` },
  rotation: { commits: [{ deployments: [{ ...integ, secrets: { operatorKeyVersion: 2 } }, prod] }], command: README_JSON_COMMAND },
  removal: { commits: [{ deployments: [integ] }], command: `${REVIEW} --base HEAD~1` },
  location: { commits: [{ deployments: [{ ...integ, location: "westus" }, prod] }], command: `${REVIEW} --base HEAD~1` },
  invalidBase: {
    commits: [{ deployments: [{ ...integ, cluster: { dnsServiceIp: "10.5.0.10" } }] }, { deployments: [integ] }],
    command: `${REVIEW} --base HEAD~1`,
  },
} satisfies Record<string, { commits: Config[]; command: string }>;

type Scenario = keyof typeof SCENARIOS;

let repository: ScenarioRepository;
const dirs = {} as Record<Scenario, string>;
const results = {} as Record<Scenario, CommandResult>;
let notARepository: CommandResult;
let unknownRef: CommandResult;
/** `--base main` in a clone whose only local branch is another one. */
let noLocalMain: CommandResult;
let plainDir: string;

beforeAll(async () => {
  repository = new ScenarioRepository(BASE);
  for (const [name, scenario] of Object.entries(SCENARIOS)) dirs[name as Scenario] = repository.branch(name, ...scenario.commits);
  plainDir = mkdtempSync(path.join(tmpdir(), "uid2-review-plain-"));
  copyProject(plainDir);
  const runs = Object.entries(SCENARIOS).map(async ([name, scenario]) => {
    results[name as Scenario] = await runShell(dirs[name as Scenario], scenario.command);
  });
  const clone = path.join(repository.root, "clone");
  git(repository.root, "clone", "--quiet", "--branch", "scaling", repository.main, clone);
  symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
  [notARepository, unknownRef, noLocalMain] = await Promise.all([
    runShell(plainDir, `${REVIEW} --base HEAD~1`),
    runShell(dirs.scaling, `${REVIEW} --base no-such-ref`),
    runShell(clone, `${REVIEW} --base main`),
    ...runs,
  ]);
});

afterAll(() => {
  repository?.remove();
  if (plainDir) rmSync(plainDir, { recursive: true, force: true });
});

function report(name: Scenario): string {
  expect({ scenario: name, code: results[name].code, stderr: results[name].stderr }).toMatchObject({ code: 0 });
  return results[name].stdout;
}

describe("npm run review -- --base <ref>", () => {
  it("reports a scaling change as an in-place update of the cluster, nothing replaced", () => {
    // GIVEN a commit raising integ's cluster.maxCount from 5 to 8, WHEN README's command reviews it against the commit before
    expect(README_MARKDOWN_COMMAND).toBe("npm run review -- --base HEAD~1");
    const markdown = report("scaling");
    // THEN the report says it is an in-place update
    expect(markdown).toContain("# Infrastructure review");
    expect(markdown).toContain("| integ | integ-cluster | changed | 0 | 0 | 1 | 0 | 3 | 0 |");
    expect(markdown).toContain("#### `azurerm_kubernetes_cluster.cluster`: updated in place");
    expect(markdown).toContain("| `default_node_pool.max_count` | `5` | `8` |");
    expect(markdown).not.toContain("## Warnings");
    expect(markdown).not.toMatch(/replaced \(destroyed/);
    // AND what the head's synthesis warned about (the sample template, still configured) is in the report
    expect(markdown).toContain("## Synthesis warnings\n\nThe working tree's synthesis warns:\n\n- `");
    expect(markdown).toContain('\n- `integ, prod: operator.manifestPath "operator/sample-operator.yaml" is a template (IMAGE_PLACEHOLDER and CCE_POLICY_PLACEHOLDER remain)');
    expect(markdown).toContain("\n- `integ: monitoring has neither alertEmails nor actionGroupId: the alerts fire, but notify no one");
    // AND only the cluster stack is to be deployed, with the flag cdktf needs and why
    expect(markdown).toContain("npx cdktf deploy integ-cluster --ignore-missing-stack-dependencies");
    expect(markdown).toContain("`integ-network` has no changes and stays as deployed");
  });

  it("flags a name prefix change as replacing the vault and the cluster, with what that costs", () => {
    const markdown = report("prefix");
    expect(markdown).toContain("## Warnings");
    expect(markdown).toContain(
      // Without a prefix the vault's name is completed at plan time, so the review names it by its address.
      "- **integ-secrets** `azurerm_key_vault.key-vault`: replaces the Key Vault `azurerm_key_vault.key-vault`: the operator key must be written again; purge protection keeps the old name reserved for 90 days (`name` changes)",
    );
    expect(markdown).toContain("- **integ-cluster** `azurerm_kubernetes_cluster.cluster`: replaces the AKS cluster `aks-uid2-integ`");
    // AND prod's vault cannot be replaced at all while it is protected
    expect(markdown).toMatch(/\*\*prod-secrets\*\* `azurerm_key_vault\.key-vault`: replaces the Key Vault `azurerm_key_vault\.key-vault`.*it has prevent_destroy, so the plan fails/);
    expect(markdown).toMatch(/^\| `name` \| `kv-uid2-integ-\$\{substr\(sha256\(.*\| `kv-acme-uid2-integ` \|$/m);
    // AND every stack of both deployments is to be deployed, in dependency order, as the first
    // deployment's runbook does: the operator key goes to the secrets stack only
    expect(markdown).toContain(
      [
        "read -rs OPERATOR_KEY",
        "npx cdktf deploy integ-network integ-cluster",
        'TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf deploy integ-secrets --ignore-missing-stack-dependencies',
        "npx cdktf deploy integ-operator --ignore-missing-stack-dependencies",
        "npx cdktf deploy integ-monitoring --ignore-missing-stack-dependencies",
        "unset OPERATOR_KEY",
      ].join("\n"),
    );
  });

  it("decodes a new release: the image and the policy's changed lines", () => {
    const markdown = report("release");
    expect(markdown).toContain("## Operator release");
    expect(markdown).toContain(
      "| uid2-operator | `fixtures.example.azurecr.io/uid2-operator:5.41.9-r1-fixture` | `fixtures.example.azurecr.io/uid2-operator:5.42.1-r2-fixture` |",
    );
    expect(markdown).toContain("```diff\n--- policy before\n+++ policy after\n@@ -1,4 +1,4 @@\n package policy\n-# fixture policy for tests, release one\n+# fixture policy for tests, release two\n");
    expect(markdown).toContain('-framework_version := "0.2.3"\n+framework_version := "0.3.1"');
    // AND the other pod template change (the image's name in the environment) is listed too
    expect(markdown).toContain("| `spec.template.spec.containers[1].env[3].value` |");
    expect(markdown).toContain("npx cdktf deploy integ-operator --ignore-missing-stack-dependencies");
    // AND a release is no template
    expect(markdown).not.toMatch(/^- `integ: operator\.manifestPath .* is a template/m);
  });

  it("shows a rotation as a new operator key version, in JSON with --json", () => {
    // GIVEN a commit bumping secrets.operatorKeyVersion, WHEN README's second command writes review.json
    expect(README_JSON_COMMAND).toBe("npm run --silent review -- --base main --json > review.json");
    expect(results.rotation).toMatchObject({ code: 0, stdout: "" });
    const review = JSON.parse(readFileSync(path.join(dirs.rotation, "review.json"), "utf8")) as Review;
    expect(review.base.ref).toBe("main");
    // review.json itself is ignored by git, so the working tree still counts as committed
    expect(review.head.uncommittedChanges).toBe(false);
    const secrets = review.deployments.find((d) => d.name === "integ")!.stacks.find((s) => s.name === "integ-secrets")!;
    const secret = secrets.items.find((i) => i.type === "azurerm_key_vault_secret")!;
    expect(secret).toMatchObject({ status: "changed", changes: [{ path: "value_wo_version", before: 1, after: 2 }] });
    expect(secret.notes[0]).toMatch(/^writes a new operator key version \(value_wo_version 1 → 2\): set TF_VAR_operator_key/);
    expect(review.warnings).toEqual([]);
    expect(review.synthesisWarnings).toContainEqual(expect.stringMatching(/^integ, prod: operator\.manifestPath "operator\/sample-operator\.yaml" is a template/));
    expect(review.synthesisWarnings.every((w) => !w.startsWith("warning: "))).toBe(true);
    expect(review.deployments.find((d) => d.name === "integ")!.deploy!.variables).toEqual(["TF_VAR_operator_key"]);
  });

  it("lists a removed deployment's stacks as destroyed, with the destroy command and where to run it", () => {
    const markdown = report("removal");
    // (every resource of each prod stack removed, none added, changed or kept)
    for (const stack of ["network", "cluster", "secrets", "operator", "monitoring"]) expect(markdown).toMatch(new RegExp(`\\| prod \\| prod-${stack} \\| removed \\| 0 \\| [1-9]\\d* \\| 0 \\| 0 \\| 0 \\| \\d+ \\|`));
    expect(markdown).toContain("### prod (removed)");
    expect(markdown).toContain(
      [
        "npx cdktf destroy prod-monitoring prod-operator",
        'TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf destroy prod-secrets --ignore-missing-stack-dependencies',
        "npx cdktf destroy prod-cluster --ignore-missing-stack-dependencies",
        "npx cdktf destroy prod-network --ignore-missing-stack-dependencies",
      ].join("\n"),
    );
    expect(markdown).toContain("run it from a checkout of `HEAD~1` before this change is applied");
    expect(markdown).toContain("prod-secrets: destroys `azurerm_key_vault.key-vault`, which has prevent_destroy");
    expect(markdown).not.toContain("npx cdktf deploy");
  });

  it("gives a location change as a teardown from the base and a new deployment, not a deploy order that cannot work", () => {
    const markdown = report("location");
    expect(markdown).toContain("> **Teardown and a new deployment:** this change replaces the resource group of `integ-network` (`location` changes), which holds the resources of `integ-cluster`, `integ-secrets`, `integ-operator`, `integ-monitoring`.");
    expect(markdown).toContain("The new vault keeps the old one's name");
    const integ = markdown.slice(markdown.indexOf("### integ\n"));
    expect(integ).toMatch(/Destroy, dependents first:\n\n```sh\nread -rs OPERATOR_KEY\nnpx cdktf destroy integ-monitoring integ-operator\n/);
    expect(integ).toContain("npx cdktf destroy integ-network --ignore-missing-stack-dependencies");
    expect(integ.indexOf("Deploy, dependencies first:")).toBeGreaterThan(integ.indexOf("npx cdktf destroy integ-network"));
    expect(markdown).not.toContain("### prod");
  });

  it("refuses when the base's configuration is invalid, showing that side's errors", () => {
    const { code, stdout, stderr } = results.invalidBase;
    // One expectation for exit code and output, so that a failure shows all three.
    expect({ code, stdout, stderr }).toMatchObject({ code: 2, stdout: "", stderr: expect.stringMatching(/^review: synthesis of the base/) });
    expect(stderr).toMatch(/^review: synthesis of the base, HEAD~1 \([0-9a-f]{12}\), was refused \(exit 1\):\nInvalid configuration:\n {2}- integ: cluster\.dnsServiceIp "10\.5\.0\.10" must lie inside cluster\.serviceCidr 10\.4\.0\.0\/16/);
  });

  it("refuses outside a git repository and for an unknown ref", () => {
    expect(notARepository.code).toBe(2);
    expect(notARepository.stderr).toMatch(/^review: .* is not in a git repository/);
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain('review: unknown ref "no-such-ref"');
  });

  it("suggests origin/main for --base main in a clone without a local main", () => {
    expect(noLocalMain).toMatchObject({ code: 2, stdout: "" });
    expect(noLocalMain.stderr).toContain('review: unknown ref "main": no commit of this repository has that name; this clone has no local branch main, but origin/main exists: use --base origin/main');
  });

  it("leaves no worktree or temporary checkout behind, whatever the outcome", () => {
    expect(git(repository.main, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1 + Object.keys(SCENARIOS).length);
    for (const dir of Object.values(dirs)) expect(existsSync(path.join(dir, ".git"))).toBe(true);
  });
});
