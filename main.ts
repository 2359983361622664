/**
 * The UID2 Private Operator on AKS, as five stacks per deployment:
 *
 *   <name>-network     resource group, VNet, subnets, NAT gateway
 *   <name>-cluster     AKS and the kubelet identity's roles          (needs network)
 *   <name>-secrets     Key Vault, operator key, the pods' identity   (needs network)
 *   <name>-operator    virtual nodes and the UID2 release manifest   (needs cluster and secrets)
 *   <name>-monitoring  managed Prometheus, alerts, availability test (needs network, cluster and
 *                      operator; not with monitoring.enabled false)
 *
 * and, for each Terraform Cloud organization a backend names, tfc-bootstrap-<organization>: the
 * workspaces and the remote runs' Azure credentials, deployed once before the deployments.
 *
 * Configuration: config/deployments.json, or the file named by UID2_CONFIG. The app command
 * (cdktf.json) is synth.ts, which validates it before loading this file.
 */
import { Annotations, App, DISABLE_STACK_TRACE_IN_METADATA, TerraformStack } from "cdktf";
import type { CloudBackendSettings, DeploymentConfig } from "./lib/config/types";
import { cloudWorkspaceName } from "./constructs/state-backend";
import { formatHcl } from "./lib/hcl-format";
import { operatorDeploymentName } from "./lib/manifest/checks";
import { readReleaseManifestOnce } from "./lib/manifest/read";
import { projectPath } from "./lib/project-root";
import { removeOtherFormat, removeUnfinishedOutput } from "./lib/stale-output";
import { ClusterStack } from "./stacks/cluster-stack";
import { NetworkStack } from "./stacks/network-stack";
import { MonitoringStack } from "./stacks/monitoring-stack";
import { OperatorStack, VIRTUAL_NODE_CHART_NAMESPACE } from "./stacks/operator-stack";
import { SecretsStack } from "./stacks/secrets-stack";
import { TfcBootstrapStack } from "./stacks/tfc-bootstrap-stack";

/**
 * Adds one deployment's stacks to the app, passing each the values it needs from the others;
 * returns them in deploy order.
 */
export function defineDeployment(app: App, d: DeploymentConfig): TerraformStack[] {
  const common = { deployment: d.name, environment: d.environment, backend: d.backend, tags: d.tags };

  const network = new NetworkStack(app, `${d.name}-network`, {
    ...common,
    location: d.location,
    resourceGroupName: d.names.resourceGroup,
    virtualNetworkName: d.names.virtualNetwork,
    publicIpName: d.names.publicIp,
    natGatewayName: d.names.natGateway,
    network: d.network,
    keyVaultServiceEndpoint: d.secrets.restrictNetwork,
    kubernetesVersion: d.cluster.kubernetesVersion,
  });

  const cluster = new ClusterStack(app, `${d.name}-cluster`, {
    ...common,
    resourceGroupName: network.resourceGroupName,
    resourceGroupId: network.resourceGroupId,
    location: network.location,
    locationName: d.location,
    aksSubnetId: network.aksSubnetId,
    clusterName: d.names.cluster,
    cluster: d.cluster,
    managedPrometheus: d.monitoring.enabled,
  });

  const secrets = new SecretsStack(app, `${d.name}-secrets`, {
    ...common,
    resourceGroupName: network.resourceGroupName,
    location: network.location,
    containerGroupSubnetId: network.containerGroupSubnetId,
    keyVaultName: d.names.keyVault,
    keyVaultSubscriptionSuffix: d.keyVaultSubscriptionSuffix,
    operatorKeySecretName: d.names.operatorKeySecret,
    managedIdentityName: d.names.managedIdentity,
    secrets: d.secrets,
  });

  const releaseManifest = readReleaseManifestOnce(projectPath(d.operator.manifestPath));
  const operator = new OperatorStack(app, `${d.name}-operator`, {
    ...common,
    clusterName: cluster.clusterName,
    clusterResourceGroupName: network.resourceGroupName,
    identityResourceId: secrets.identityId,
    keyVaultName: secrets.keyVaultName,
    operatorKeySecretName: secrets.operatorKeySecretName,
    containerGroupSubnetName: network.containerGroupSubnetName,
    virtualNode: d.virtualNode,
    operator: d.operator,
    releaseManifest,
  });

  const stacks: TerraformStack[] = [network, cluster, secrets, operator];
  if (d.monitoring.enabled) {
    const monitoring = new MonitoringStack(app, `${d.name}-monitoring`, {
      ...common,
      resourceGroupName: network.resourceGroupName,
      location: network.location,
      clusterId: cluster.clusterId,
      clusterName: cluster.clusterName,
      healthcheckUrl: operator.healthcheckUrl,
      exposure: d.operator.exposure,
      operator: { namespace: d.operator.namespace, deployment: operatorDeploymentName(releaseManifest) },
      virtualNodeNamespace: VIRTUAL_NODE_CHART_NAMESPACE,
      names: d.names,
      monitoring: d.monitoring,
    });
    stacks.push(monitoring);
  }
  return stacks;
}

/** A deployment's configuration and the stacks defineDeployment made of it, in deploy order. */
export interface DefinedDeployment {
  readonly config: DeploymentConfig;
  readonly stacks: readonly TerraformStack[];
}

/**
 * One bootstrap stack per Terraform Cloud organization that some deployment's backend names
 * (`tfc-bootstrap-<organization>`), with a workspace for each stack the deployment has: none for
 * the local and azurerm backends.
 */
export function defineTerraformCloudBootstraps(app: App, deployments: readonly DefinedDeployment[]): void {
  const byOrganization = new Map<string, DefinedDeployment[]>();
  for (const defined of deployments) {
    const d = defined.config;
    if (d.backend.type !== "cloud") continue;
    const key = JSON.stringify([d.backend.hostname, d.backend.organization]);
    byOrganization.set(key, [...(byOrganization.get(key) ?? []), defined]);
  }
  for (const [key, ds] of byOrganization) {
    const [hostname, organization] = JSON.parse(key) as [string, string];
    const first = ds[0].config;
    new TfcBootstrapStack(app, `tfc-bootstrap-${organization}`, {
      hostname,
      organization,
      resourceGroupName: `rg-${[first.namePrefix, "uid2", "tfc"].filter((part) => part !== "").join("-")}`,
      location: first.location,
      tags: first.tags,
      deployments: ds.map(({ config: d, stacks }) => {
        const backend = d.backend as CloudBackendSettings;
        return {
          name: d.name,
          ...(backend.project !== undefined ? { project: backend.project } : {}),
          executionMode: backend.executionMode,
          identityName: d.names.tfcIdentity,
          kubeletRole: d.cluster.kubeletRole,
          // Every stack but the first (the network stack) reads another's outputs.
          workspaces: stacks.map(({ node: { id } }, i) => ({ stack: id, workspace: cloudWorkspaceName(backend, id), readsOutputs: i > 0 })),
        };
      }),
    });
  }
}

/**
 * The stack a configuration warning is shown on: the network stack of the first deployment it
 * names (`integ: ...`, `integ, prod: ...`), else the app's first stack.
 */
function stackForWarning(app: App, deployments: readonly DeploymentConfig[], warning: string): TerraformStack {
  const named = warning.split(": ", 1)[0].split(", ");
  const deployment = deployments.find((d) => named.includes(d.name)) ?? deployments[0];
  return app.node.findChild(`${deployment.name}-network`) as TerraformStack;
}

/**
 * Synthesizes every deployment's stacks into the output directory. `warnings` are attached as
 * cdktf warning annotations, which the cdktf CLI prints as `WARN [stack]: ...`, once each.
 */
export function synthesize(deployments: readonly DeploymentConfig[], warnings: readonly string[] = []): void {
  // cdktf's construct validations run `terraform version` on the synthesizing machine for
  // every terraform_data resource and cloud block (40 ms each, seconds for many deployments).
  // The version that matters is the deploying machine's, which `required_version` in every
  // stack enforces; provider presence is covered by the tests.
  // Annotations carry no stack trace: they are about the configuration, not the code, and a
  // trace would put this machine's paths into the manifest.
  const app = new App({ skipValidation: true, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
  removeOtherFormat(app.outdir, app.hclOutput);
  try {
    defineTerraformCloudBootstraps(app, deployments.map((d) => ({ config: d, stacks: defineDeployment(app, d) })));
    for (const warning of warnings) Annotations.of(stackForWarning(app, deployments, warning)).addWarning(warning);
    app.synth();
  } catch (error) {
    removeUnfinishedOutput(app.outdir, app.node.findAll().filter(TerraformStack.isStack).map((stack) => stack.node.id));
    throw error;
  }
  if (app.hclOutput) formatHcl(app.outdir);
}
