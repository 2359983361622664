/**
 * cdktf finds the references between stacks before it writes any: `TerraformStack.prepareStack()`
 * resolves every element of the stack once, in "preparing" mode, so that each reference to
 * another stack's attribute registers an output there and a remote-state read here, and throws
 * the result away. This does the same through `resolveTokens`, which hands cdktf only the values
 * that hold tokens.
 */
import { TerraformStack } from "cdktf";
import { resolveTokens } from "./resolve-tokens";
import { elementsOf } from "./stack-elements";

/** `TerraformStack.prepareStack()`: ensures the stack has a backend, then lets every reference in it register itself. */
export function registerCrossStackReferences(stack: TerraformStack): void {
  stack.ensureBackendExists();
  // Listed before resolving, as cdktf does: the remote-state reads resolving adds need no preparing.
  for (const element of elementsOf(stack)) resolveTokens(stack, element.toTerraform(), true);
}
