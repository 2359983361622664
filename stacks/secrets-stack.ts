/**
 * The deployment's secrets, as the guide's "Complete Key Vault and Managed Identity Setup" builds
 * them: the operator pods' managed identity, a Key Vault with RBAC authorization and purge
 * protection, the identity's read access, and the operator key in the vault.
 */
import { Construct } from "constructs";
import { Fn, TerraformOutput } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KeyVault, type KeyVaultNetworkAcls } from "@cdktf/provider-azurerm/lib/key-vault";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { OperatorKeySecret, OPERATOR_KEY_VARIABLE } from "../constructs/operator-key-secret";
import { cloudWorkspaceName } from "../constructs/state-backend";
import { KEY_VAULT_SUFFIX_LENGTH } from "../lib/config/defaults";
import type { SecretsSettings } from "../lib/config/types";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/** Data-plane role that lets the operator pods read the key ("Complete Key Vault and Managed Identity Setup"). */
export const SECRETS_USER_ROLE = "Key Vault Secrets User";

export interface SecretsStackProps extends DeploymentStackProps {
  /** The deployment's resource group (NetworkStack.resourceGroupName, from config `names.resourceGroup`). */
  readonly resourceGroupName: string;
  /** Region of the deployment (NetworkStack.location, from config `location`). */
  readonly location: string;
  /** The `cg` subnet, allowed through the vault's firewall when `secrets.restrictNetwork` is on (NetworkStack.containerGroupSubnetId). */
  readonly containerGroupSubnetId: string;
  /** Config `names.keyVault` (default `kv-<prefix>-uid2-<name>`, shortened with a hash past 24 characters). */
  readonly keyVaultName: string;
  /** Complete `keyVaultName` at plan time with a suffix derived from the subscription id and the deployment (default: when neither `namePrefix` nor `names.keyVault` is set). */
  readonly keyVaultSubscriptionSuffix: boolean;
  /** Config `names.operatorKeySecret` (default `uid2-operator-key`). */
  readonly operatorKeySecretName: string;
  /** Config `names.managedIdentity` (default `id-<prefix>-uid2-<name>-operator`). */
  readonly managedIdentityName: string;
  /** Config `secrets` (defaults: managed key version 1, 90 retention days, protect in prod, 120 s RBAC wait, open network). */
  readonly secrets: SecretsSettings;
}

export class SecretsStack extends DeploymentStack {
  readonly keyVaultName: string;
  readonly keyVaultUri: string;
  readonly keyVaultId: string;
  /** Resource id of the operator pods' identity: the `IDENTITY_PLACEHOLDER` of operator.yaml. */
  readonly identityId: string;
  readonly identityClientId: string;
  readonly identityPrincipalId: string;
  /** Name of the secret holding the operator key, whether this stack writes it or you do. */
  readonly operatorKeySecretName: string;
  /** The operator key's writer; absent when `secrets.manageOperatorKey` is false. */
  readonly operatorKey?: OperatorKeySecret;

  constructor(scope: Construct, id: string, props: SecretsStackProps) {
    super(scope, id, props);
    const s = props.secrets;
    const inGroup = { resourceGroupName: props.resourceGroupName, location: props.location };
    const client = new DataAzurermClientConfig(this, "client");

    const identity = new UserAssignedIdentity(this, "operator-identity", { ...inGroup, name: props.managedIdentityName });

    const vault = new KeyVault(this, "key-vault", {
      ...inGroup,
      name: props.keyVaultSubscriptionSuffix ? `${props.keyVaultName}-${subscriptionSuffix(client, props.deployment)}` : props.keyVaultName,
      tenantId: client.tenantId,
      skuName: "standard",
      // `--enable-rbac-authorization` (the attribute that replaces the deprecated
      // enable_rbac_authorization) and `--enable-purge-protection` of the guide.
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: s.softDeleteRetentionDays,
      networkAcls: vaultNetworkAcls(s, props.containerGroupSubnetId),
      ...(s.protect ? { lifecycle: { preventDestroy: true } } : {}),
    });

    new RoleAssignment(this, "identity-secrets-user", {
      scope: vault.id,
      roleDefinitionName: SECRETS_USER_ROLE,
      principalId: identity.principalId,
      // As the guide's `--assignee-principal-type`; it also lets Azure accept the assignment of an
      // identity created seconds ago, before Entra ID has replicated it.
      principalType: "ServicePrincipal",
    });

    if (s.manageOperatorKey) {
      this.operatorKey = new OperatorKeySecret(this, "operator-key", {
        keyVaultId: vault.id,
        secretName: props.operatorKeySecretName,
        deployerObjectId: client.objectId,
        version: s.operatorKeyVersion,
        rbacPropagationSeconds: s.rbacPropagationSeconds,
        howToSet: operatorKeyHelp(id, props),
      });
    }

    this.keyVaultName = vault.name;
    this.keyVaultUri = vault.vaultUri;
    this.keyVaultId = vault.id;
    this.identityId = identity.id;
    this.identityClientId = identity.clientId;
    this.identityPrincipalId = identity.principalId;
    this.operatorKeySecretName = props.operatorKeySecretName;

    const outputs: Record<string, [string, string]> = {
      key_vault_name: [vault.name, "Key Vault holding the operator key: the VAULT_NAME_PLACEHOLDER of operator.yaml."],
      key_vault_uri: [vault.vaultUri, "The vault's data-plane URI."],
      key_vault_id: [vault.id, "The vault's resource id."],
      managed_identity_id: [identity.id, "Resource id of the operator pods' identity: the IDENTITY_PLACEHOLDER of operator.yaml."],
      managed_identity_client_id: [identity.clientId, "Client id of the operator pods' identity."],
      managed_identity_principal_id: [identity.principalId, "Object (principal) id of the operator pods' identity."],
      operator_key_secret_name: [props.operatorKeySecretName, "Secret holding the operator key: the OPERATOR_KEY_SECRET_NAME_PLACEHOLDER of operator.yaml."],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description });
    }
  }
}

/**
 * Hex digits of a hash of the subscription id and the deployment name, known at plan time: the
 * same on every plan of a deployment in a subscription, different in another subscription, so
 * fresh clones that keep the default names do not ask for the same global vault name.
 */
function subscriptionSuffix(client: DataAzurermClientConfig, deployment: string): string {
  return Fn.substr(Fn.sha256(Fn.join("/", [client.subscriptionId, deployment])), 0, KEY_VAULT_SUFFIX_LENGTH);
}

/**
 * An explicit Allow when the vault is open, rather than no block: Terraform then reconciles the
 * firewall both ways, so turning `restrictNetwork` off reopens a vault it had locked down, and a
 * rule added by hand shows up as drift. Public network access stays enabled either way: the
 * firewall's subnet and IP rules apply to public access, and turning it off would shut them out.
 */
function vaultNetworkAcls(s: SecretsSettings, containerGroupSubnetId: string): KeyVaultNetworkAcls {
  if (!s.restrictNetwork) return { defaultAction: "Allow", bypass: "AzureServices" };
  return {
    defaultAction: "Deny",
    bypass: "AzureServices",
    virtualNetworkSubnetIds: [containerGroupSubnetId],
    ipRules: [...s.allowedIps],
  };
}

/** The `operator_key` variable's description: where to set it, and what a new value does. */
function operatorKeyHelp(stackId: string, props: SecretsStackProps): string {
  const where =
    props.backend.type === "cloud"
      ? `a sensitive Terraform variable "${OPERATOR_KEY_VARIABLE}" in the Terraform Cloud workspace "${cloudWorkspaceName(props.backend, stackId)}"`
      : `TF_VAR_${OPERATOR_KEY_VARIABLE} in the environment of the run (or a sensitive workspace variable in Terraform Cloud)`;
  const network = props.secrets.restrictNetwork
    ? " The vault denies other networks: the deployer's public IP must be in secrets.allowedIps, or writing the secret fails."
    : "";
  return (
    `The UID2 operator key for ${props.environment}, from your UID2 contact. Set ${where}; it is needed on every plan and apply of this stack. ` +
    `It is ephemeral: kept out of plan files and state, and written to Key Vault secret "${props.operatorKeySecretName}" only when the secret is created ` +
    `or secrets.operatorKeyVersion changes (bump it to rotate the key).${network}`
  );
}
