/**
 * The UID2 operator key, written to Key Vault without ever being stored by Terraform: the
 * guide's `az keyvault secret set` step of "Complete Key Vault and Managed Identity Setup".
 *
 * The key enters as an ephemeral, sensitive variable and reaches the secret through the
 * write-only `value_wo`, so it appears in no synthesized file, plan file or state. Terraform
 * writes it when the secret is created and again whenever `value_wo_version` changes.
 */
import { Construct } from "constructs";
import { DataResource, TerraformVariable, Token } from "cdktf";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";

/** The Terraform variable that carries the key: set it as `TF_VAR_operator_key`. */
export const OPERATOR_KEY_VARIABLE = "operator_key";

/** Data-plane role that may set secrets in a vault with RBAC authorization. */
export const SECRETS_OFFICER_ROLE = "Key Vault Secrets Officer";

export interface OperatorKeySecretProps {
  /** The vault the secret goes into. */
  readonly keyVaultId: string;
  /** The secret's name (config `names.operatorKeySecret`). */
  readonly secretName: string;
  /** Object id of whoever runs Terraform, which is granted the right to write the secret. */
  readonly deployerObjectId: string;
  /** Bumping it writes the variable's current value again (config `secrets.operatorKeyVersion`). */
  readonly version: number;
  /** Seconds to wait for the deployer's new role to take effect; 0 skips the wait (config `secrets.rbacPropagationSeconds`). */
  readonly rbacPropagationSeconds: number;
  /** Says where to set the variable, in its description. */
  readonly howToSet: string;
}

export class OperatorKeySecret extends Construct {
  readonly variable: TerraformVariable;
  /** "Key Vault Secrets Officer" for the deployer on the vault. */
  readonly writerRole: RoleAssignment;
  /** Present when `rbacPropagationSeconds` > 0. */
  readonly propagationWait?: DataResource;
  readonly secret: KeyVaultSecret;

  constructor(scope: Construct, id: string, props: OperatorKeySecretProps) {
    super(scope, id);

    this.variable = new TerraformVariable(this, "variable", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: props.howToSet,
    });
    // The stack's one input: its name is what people set (TF_VAR_operator_key), so it must not
    // carry cdktf's construct-path suffix.
    this.variable.overrideLogicalId(OPERATOR_KEY_VARIABLE);
    // cdktf 0.21 has no `ephemeral` option: an ephemeral variable is kept out of plan files and
    // state, and may feed only write-only arguments such as `value_wo`.
    this.variable.addOverride("ephemeral", true);

    // facts.md: with RBAC authorization, writing a secret needs a data-plane role; subscription
    // Owner alone gets 403. Whoever runs Terraform is granted it here, on this vault only.
    this.writerRole = new RoleAssignment(this, "writer-role", {
      scope: props.keyVaultId,
      roleDefinitionName: SECRETS_OFFICER_ROLE,
      principalId: props.deployerObjectId,
      // No principal_type: the deployer is a user on a workstation and a service principal in CI.
    });

    // facts.md: a fresh role assignment can take minutes to reach Key Vault, and until then the
    // first write fails with 403. The wait runs once after the assignment is (re)created; it is
    // a POSIX `sleep`, available on Linux and macOS workstations and in Terraform Cloud runs.
    if (props.rbacPropagationSeconds > 0) {
      this.propagationWait = new DataResource(this, "rbac-propagation-wait", {
        // triggers_replace takes any value; the binding types it as a map.
        triggersReplace: Token.asAnyMap(this.writerRole.id),
        provisioners: [{ type: "local-exec", command: `sleep ${props.rbacPropagationSeconds}` }],
      });
    }

    this.secret = new KeyVaultSecret(this, "secret", {
      keyVaultId: props.keyVaultId,
      name: props.secretName,
      valueWo: this.variable.stringValue,
      valueWoVersion: props.version,
      dependsOn: this.propagationWait ? [this.writerRole, this.propagationWait] : [this.writerRole],
    });
  }
}
