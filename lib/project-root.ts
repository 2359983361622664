import * as path from "path";

/** The folder holding cdktf.json; relative paths in the configuration are resolved against it. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Resolves a configured path: absolute as given, relative against the project root. */
export function projectPath(configured: string): string {
  return path.resolve(PROJECT_ROOT, configured);
}
