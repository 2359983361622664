import type { IConstruct } from "constructs";
import { TerraformElement, TerraformStack } from "cdktf";

/** The stack's Terraform elements, in construct order, without those of a nested stack. */
export function elementsOf(stack: TerraformStack): TerraformElement[] {
  return stack.node.findAll().filter((node): node is TerraformElement => isElementOf(stack, node));
}

function isElementOf(stack: TerraformStack, node: IConstruct): boolean {
  return node instanceof TerraformElement && TerraformStack.of(node) === stack;
}
