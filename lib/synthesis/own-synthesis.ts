/**
 * Whether a stack synthesizes through the app's own first and last steps (cross-stack-references.ts,
 * stack-json.ts) instead of cdktf's. They give byte for byte cdktf's output for less work, and
 * are verified against one cdktf release: on any other, cdktf's own steps run.
 */
import type { TerraformStack } from "cdktf";

/** The cdktf release the own steps reproduce (stock-equivalence.test.ts holds them to it). */
export const VERIFIED_CDKTF_VERSION = "0.21.0";

/** Set to 1 to synthesize with cdktf's own steps, e.g. to rule the app's out when chasing a problem. */
export const STOCK_SYNTHESIS_VARIABLE = "UID2_STOCK_SYNTHESIS";

export function usesOwnSynthesis(stack: TerraformStack, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[STOCK_SYNTHESIS_VARIABLE] !== "1" && stack.node.tryGetContext("cdktfVersion") === VERIFIED_CDKTF_VERSION;
}
