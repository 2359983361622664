import { Construct } from "constructs";
import { Aspects, TerraformStack } from "cdktf";
import { AzureProvider } from "../constructs/azure-provider";
import { StandardTags, standardTags } from "../constructs/standard-tags";
import { configureBackend } from "../constructs/state-backend";
import { TerraformVersionRequirement } from "../constructs/terraform-version";
import type { BackendSettings, Environment } from "../lib/config/types";

/**
 * Terraform that every stack needs: the secrets stack's operator key is an ephemeral variable
 * (Terraform 1.10) written through a write-only argument (1.11). Terraform itself enforces it at
 * init, on the machine that deploys.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11";

/** What every stack of a deployment takes. */
export interface DeploymentStackProps {
  /** The deployment's name (config `name`); it prefixes the stack id. */
  readonly deployment: string;
  /** `integ` or `prod` (config `environment`). */
  readonly environment: Environment;
  /** Where the stack keeps its state (config `backend`, default local). */
  readonly backend: BackendSettings;
  /** Extra tags for every taggable resource (config `tags`, default none). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A stack of one deployment: its backend, the shared azurerm provider configuration, and the
 * standard tags on every taggable resource.
 */
export abstract class DeploymentStack extends TerraformStack {
  readonly azure: AzureProvider;
  private readonly terraformVersion: TerraformVersionRequirement;

  protected constructor(scope: Construct, id: string, props: DeploymentStackProps) {
    super(scope, id);
    this.terraformVersion = new TerraformVersionRequirement(this, "terraform-version", REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, props.backend);
    this.azure = new AzureProvider(this, "azure");
    Aspects.of(this).add(new StandardTags(standardTags(props.deployment, props.environment, props.tags)));
  }

  /** cdktf's HCL of the stack (`cdktf synth --hcl`), with the version requirement it cannot render (constructs/terraform-version.ts). */
  public override toHclTerraform(): { [key: string]: any } {
    const rendered = super.toHclTerraform();
    return { ...rendered, hcl: `${rendered.hcl}\n\n${this.terraformVersion.hclBlock()}` };
  }
}
