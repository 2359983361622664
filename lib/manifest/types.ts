/** The data a release manifest is read into: plain JSON, as `kubectl apply` would send it. */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** One step of a path into a document: a mapping key or a sequence index. */
export type PathSegment = string | number;

/** One Kubernetes object of the release file. */
export interface ManifestDocument {
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /** 1-based position among the file's documents, empty ones included (count the `---`). */
  readonly index: number;
  /** 1-based line where the object starts in the file. */
  readonly line: number;
  /** The whole object, key order as written. */
  readonly body: JsonObject;
}

/** A release's operator.yaml, read and checked by `readReleaseManifest`. */
export interface ReleaseManifest {
  /** The path it was read from, as given. */
  readonly file: string;
  readonly documents: readonly ManifestDocument[];
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
