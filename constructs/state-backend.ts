/**
 * Where each stack keeps its state, and how other stacks read its outputs from there.
 *
 * cdktf passes values between stacks as outputs of the producing stack, read by the consumer
 * through the producer's backend (`getRemoteStateDataSource`). So every backend here must point
 * the reader at the producer's real state location.
 */
import { Construct } from "constructs";
import {
  AzurermBackend,
  CloudBackend,
  type IResolvable,
  LocalBackend,
  NamedCloudWorkspace,
  TerraformRemoteState,
  TerraformStack,
  Token,
  ref,
} from "cdktf";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import type { AzurermBackendSettings, BackendSettings, CloudBackendSettings } from "../lib/config/types";
import { fromStackDirectory } from "../lib/project-root";

/**
 * Local state sits at the project root as `terraform.<stack>.tfstate`. Terraform runs in
 * `cdktf.out/stacks/<stack>/`, so the path is written relative to that directory: the
 * synthesized JSON then holds no absolute path of the machine, and every stack's reader finds
 * the file at the same relative place.
 */
export function localStatePath(stackId: string): string {
  return fromStackDirectory(`terraform.${stackId}.tfstate`);
}

/** The Terraform Cloud workspace of a stack: `<workspacePrefix><stack id>`. */
export function cloudWorkspaceName(settings: CloudBackendSettings, stackId: string): string {
  return `${settings.workspacePrefix}${stackId}`;
}

/** The azurerm backend's state key of a stack. */
export function azurermStateKey(stackId: string): string {
  return `${stackId}.tfstate`;
}

/** Configures the stack's backend from the deployment's settings. */
export function configureBackend(stack: TerraformStack, settings: BackendSettings): void {
  const stackId = stack.node.id;
  switch (settings.type) {
    case "local":
      new LocalBackend(stack, { path: localStatePath(stackId) });
      return;
    case "cloud":
      new TfeOutputsCloudBackend(stack, settings, cloudWorkspaceName(settings, stackId));
      return;
    case "azurerm":
      new AzurermBackend(stack, azurermBackendProps(settings, stackId));
      return;
  }
}

function azurermBackendProps(settings: AzurermBackendSettings, stackId: string) {
  return {
    resourceGroupName: settings.resourceGroupName,
    storageAccountName: settings.storageAccountName,
    containerName: settings.containerName,
    key: azurermStateKey(stackId),
    // Azure AD (Entra ID) authentication to the storage account: no access key in the
    // configuration or the environment.
    useAzureadAuth: true,
    ...(settings.subscriptionId !== undefined ? { subscriptionId: settings.subscriptionId } : {}),
  };
}

/**
 * A `cloud` block with one named workspace per stack. Other stacks read its outputs with the
 * tfe provider's `tfe_outputs` data source rather than `terraform_remote_state`: the latter is
 * unreliable in Terraform Cloud remote runs across workspaces (hashicorp/terraform-cdk#1534)
 * and needs access to the whole state, while `tfe_outputs` reads outputs only, as HashiCorp
 * recommends.
 */
class TfeOutputsCloudBackend extends CloudBackend {
  constructor(scope: TerraformStack, private readonly settings: CloudBackendSettings, private readonly workspace: string) {
    super(scope, {
      organization: settings.organization,
      hostname: settings.hostname,
      workspaces: new NamedCloudWorkspace(workspace, settings.project),
    });
  }

  getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    ensureTfeProvider(scope, this.settings.hostname);
    return new TfeOutputs(scope, name, { organization: this.settings.organization, workspace: this.workspace });
  }
}

/** The tfe provider (prebuilt binding), declared once in each stack that reads another stack's outputs. */
function ensureTfeProvider(scope: Construct, hostname: string): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild("tfe")) new TfeProvider(stack, "tfe", { hostname });
}

interface TfeOutputsConfig {
  readonly organization: string;
  readonly workspace: string;
}

/**
 * `data "tfe_outputs"`, standing in for `terraform_remote_state` in cdktf's cross-stack
 * wiring. Values come from `values`, the sensitive map, because cdktf marks cross-stack
 * outputs sensitive.
 */
class TfeOutputs extends TerraformRemoteState {
  constructor(scope: Construct, id: string, private readonly outputsConfig: TfeOutputsConfig) {
    super(scope, id, "tfe", {});
  }

  private expression(output: string): IResolvable {
    return ref(`data.tfe_outputs.${this.friendlyUniqueId}.values.${output}`, this.cdktfStack);
  }

  getString(output: string): string {
    return Token.asString(this.expression(output));
  }

  getNumber(output: string): number {
    return Token.asNumber(this.expression(output));
  }

  getList(output: string): string[] {
    return Token.asList(this.expression(output));
  }

  getBoolean(output: string): IResolvable {
    return this.expression(output);
  }

  get(output: string): IResolvable {
    return this.expression(output);
  }

  toTerraform(): { [name: string]: unknown } {
    return { data: { tfe_outputs: { [this.friendlyUniqueId]: { ...this.outputsConfig } } } };
  }

  toHclTerraform(): { [name: string]: unknown } {
    return this.toTerraform();
  }
}
