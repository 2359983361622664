import { Construct } from "constructs";
import { TerraformElement } from "cdktf";

/**
 * The Terraform version a stack requires: `required_version` in its `terraform` block.
 *
 * An element of its own rather than an override of the stack's `terraform` block: cdktf 0.21's
 * HCL renderer writes every attribute of that block other than its nested blocks as
 * `0 = "<attribute name>"`, which is not HCL. So the JSON carries the requirement in the block,
 * and the HCL carries it as a second `terraform` block (`hclBlock`), which Terraform merges with
 * the first.
 */
export class TerraformVersionRequirement extends TerraformElement {
  constructor(scope: Construct, id: string, readonly constraint: string) {
    super(scope, id);
  }

  public override toTerraform(): Record<string, unknown> {
    return { terraform: { required_version: this.constraint } };
  }

  /** Nothing for cdktf's HCL renderer: the stack appends `hclBlock()` instead. */
  public override toHclTerraform(): Record<string, unknown> {
    return {};
  }

  /** `terraform { required_version = "..." }`, as `terraform fmt` writes it. */
  hclBlock(): string {
    return `terraform {\n  required_version = ${JSON.stringify(this.constraint)}\n}\n`;
  }
}
