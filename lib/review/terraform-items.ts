/** The resources and data sources of a stack's Terraform JSON, by Terraform address. */
import { isJsonObject, type JsonObject } from "../manifest/types";

export type ItemKind = "resource" | "data";

export interface Item {
  readonly kind: ItemKind;
  readonly type: string;
  readonly name: string;
  /** `type.name`, or `data.type.name` for a data source: what `terraform plan` prints. */
  readonly address: string;
  /** Its arguments, without cdktf's `//` metadata (construct path), which Terraform ignores. */
  readonly body: JsonObject;
}

/** cdktf's comment key: metadata for people, ignored by Terraform. */
export const CDKTF_METADATA_KEY = "//";

/** Every resource and data source of a stack, by address. */
export function itemsOf(stack: JsonObject): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const kind of ["resource", "data"] as const) {
    const byType = stack[kind];
    if (!isJsonObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isJsonObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        if (!isJsonObject(body)) continue;
        const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        items.set(address, { kind, type, name, address, body: withoutMetadata(body) });
      }
    }
  }
  return items;
}

export function withoutMetadata(body: JsonObject): JsonObject {
  const { [CDKTF_METADATA_KEY]: _metadata, ...rest } = body;
  return rest;
}

/** The stack's blocks other than resources and data sources: terraform, provider, variable, output, locals. */
export function settingsOf(stack: JsonObject): JsonObject {
  const { resource: _resource, data: _data, [CDKTF_METADATA_KEY]: _metadata, ...rest } = stack;
  return rest;
}
