/**
 * What the review finds, as data: the Markdown report renders it, `--json` prints it as is.
 * Values are the synthesized JSON's own, except those held back as sensitive (HIDDEN).
 */
import type { JsonValue } from "../manifest/types";
import type { ItemKind } from "./terraform-items";

/** Stands in for a value the review does not show: under a sensitive variable or output, or write-only. */
export const HIDDEN = "(sensitive)";

/** Terraform's view of an item: created, destroyed, updated in place, destroyed and created again. */
export type ItemStatus = "added" | "removed" | "changed" | "replaced" | "unchanged";
export type StackStatus = "added" | "removed" | "changed" | "unchanged";

export interface AttributeChange {
  /** Where it changed, e.g. `default_node_pool.max_count`. */
  readonly path: string;
  /** Absent when the attribute is new. */
  readonly before?: JsonValue;
  /** Absent when the attribute is gone. */
  readonly after?: JsonValue;
}

/** A value whose text is the same on both sides but which changes anyway, with what it reads. */
export interface IndirectChange {
  readonly path: string;
  /** e.g. "`azurerm_key_vault.key-vault` is replaced". */
  readonly because: string;
}

export interface ItemReview {
  readonly address: string;
  readonly kind: ItemKind;
  readonly type: string;
  readonly status: ItemStatus;
  readonly changes: readonly AttributeChange[];
  readonly indirect: readonly IndirectChange[];
  /** The replacement rule's arguments that the changes hit. */
  readonly forcedBy: readonly string[];
  /** What a replacement or destruction costs (replacement-consequences.ts). */
  readonly warnings: readonly string[];
  /** What an in-place change does, where the attribute alone does not say it. */
  readonly notes: readonly string[];
}

export interface Counts {
  readonly added: number;
  readonly removed: number;
  /** Updated in place or replaced. */
  readonly changed: number;
  /** Of the changed, those destroyed and created again. */
  readonly replaced: number;
  readonly unchanged: number;
}

export interface StackReview {
  readonly name: string;
  readonly status: StackStatus;
  readonly dependencies: readonly string[];
  readonly resources: Counts;
  readonly dataSources: Counts;
  /** Every item that is not unchanged. */
  readonly items: readonly ItemReview[];
  /** Changes to the stack's other blocks: terraform (backend), provider, variable, output, locals. */
  readonly settings: readonly AttributeChange[];
  /** What the settings changes cost (a state that must be migrated). */
  readonly warnings: readonly string[];
}

export interface ImageChange {
  readonly container: string;
  readonly before?: string;
  readonly after?: string;
}

export interface PolicyChange {
  /** The decoded policy text of each side; absent where there is none. */
  readonly before?: string;
  readonly after?: string;
  /** Unified diff of the decoded texts. */
  readonly diff: string;
  /** A side whose annotation is not base64 text (a template placeholder, say). */
  readonly notes: readonly string[];
}

/** A Deployment object of a kubernetes_manifest whose pod template changed. */
export interface ReleaseReview {
  readonly stack: string;
  readonly address: string;
  readonly status: "added" | "removed" | "changed";
  readonly images: readonly ImageChange[];
  readonly policy?: PolicyChange;
  /** The pod template's other changes, paths from `spec.template`. */
  readonly podTemplate: readonly AttributeChange[];
}

export interface StackToRun {
  readonly name: string;
  /** Why it must run: it changed, or it reads outputs of a stack that changes. */
  readonly reason: string;
}

export interface CommandPlan {
  readonly stacks: readonly StackToRun[];
  /** The commands to run, in order, from the project root. */
  readonly commands: readonly string[];
  /** Why `--ignore-missing-stack-dependencies` is there, when it is. */
  readonly flagReason?: string;
  /** Variables without a default that the stacks need, as `TF_VAR_<name>`. */
  readonly variables: readonly string[];
  /** What stops or must precede the command (prevent_destroy, where to run it). */
  readonly notes: readonly string[];
}

export interface DeploymentReview {
  /** Named after its stacks' common prefix, e.g. `integ` for `integ-network` ... `integ-operator`. */
  readonly name: string;
  readonly status: StackStatus;
  readonly stacks: readonly StackReview[];
  readonly releases: readonly ReleaseReview[];
  readonly deploy?: CommandPlan;
  readonly destroy?: CommandPlan;
  /**
   * Why the change cannot be deployed in place and needs a teardown and a new deployment; then
   * `destroy` tears down every stack of the base, and `deploy` deploys every stack of the head.
   */
  readonly teardown?: string;
}

export interface Warning {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}

export interface ReplacementRuleRow {
  readonly type: string;
  readonly arguments: readonly string[];
  readonly source: string;
}

/** The comparison of two syntheses. */
export interface Comparison {
  readonly deployments: readonly DeploymentReview[];
  /** Every warning, in report order. */
  readonly warnings: readonly Warning[];
  /** The replacement rules of the resource types either side synthesizes. */
  readonly replacementRules: readonly ReplacementRuleRow[];
  /** Resource types either side synthesizes that have no replacement rule: check `terraform plan` for them. */
  readonly typesWithoutRules: readonly string[];
}

/** Where the compared revisions come from. */
export interface ReviewSides {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly commit: string; readonly uncommittedChanges: boolean };
  /** Which configuration file each side read. */
  readonly configuration: string;
  /**
   * What the head side's synthesis warned about (an untested chart and cluster pair, a release
   * that is still a template), as the app prints it, without its `warning: ` prefix.
   */
  readonly synthesisWarnings: readonly string[];
}

export type Review = ReviewSides & Comparison;
