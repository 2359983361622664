import * as path from "path";

/** The folder holding cdktf.json; relative paths in the configuration are resolved against it. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Resolves a configured path: absolute as given, relative against the project root. */
export function projectPath(configured: string): string {
  return path.resolve(PROJECT_ROOT, configured);
}

/** Terraform runs each stack in `cdktf.out/stacks/<stack>/`, three levels below the project root. */
const STACK_DIRECTORY_TO_PROJECT_ROOT = "../../..";

/**
 * A project-relative path as Terraform must see it from a stack's directory. Written this way,
 * the synthesized JSON holds no absolute path of the machine.
 */
export function fromStackDirectory(projectRelative: string): string {
  return path.posix.join(STACK_DIRECTORY_TO_PROJECT_ROOT, projectRelative.split(path.sep).join("/"));
}
