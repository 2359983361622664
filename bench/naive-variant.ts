/**
 * The "before" of the benchmark: this same app as a `cdktf init` project sets one up. It is
 * generated from the current sources at bench time, so it always has the same stacks:
 *   - provider classes imported from the package roots (rewrite-imports.ts);
 *   - run through ts-node with type checking, as the template's `npx ts-node main.ts` does.
 * Its output must equal the app's byte for byte: only the way the code is loaded differs.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";
import { appFiles } from "./app-sources";
import type { NodeCommand } from "./measure";
import { readNamespaceTable, rewriteProviderImports, type NamespaceTable } from "./rewrite-imports";

export interface NaiveVariant extends NodeCommand {
  /** Source files whose provider imports were rewritten. */
  readonly rewrittenFiles: readonly string[];
}

/** Writes the variant to `dir` (replacing what was there) and returns the command that runs it. */
export function generateNaiveVariant(projectRoot: string, dir: string): NaiveVariant {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tables = new Map<string, NamespaceTable>();
  const namespaces = (packageName: string): NamespaceTable => {
    let table = tables.get(packageName);
    if (!table) tables.set(packageName, (table = readNamespaceTable(packageName, projectRoot)));
    return table;
  };

  const rewrittenFiles: string[] = [];
  for (const relative of appFiles(projectRoot)) {
    const from = path.join(projectRoot, relative);
    const to = path.join(dir, relative);
    mkdirSync(path.dirname(to), { recursive: true });
    if (!relative.endsWith(".ts")) {
      copyFileSync(from, to);
      continue;
    }
    const source = readFileSync(from, "utf8");
    const rewritten = rewriteProviderImports(relative, source, namespaces);
    if (rewritten !== source) rewrittenFiles.push(relative);
    writeFileSync(to, rewritten);
  }
  if (rewrittenFiles.length === 0) throw new Error("no provider import was rewritten: the variant would not be naive");

  // Modules are resolved from the project's node_modules, as in the project itself.
  symlinkSync(path.relative(dir, path.join(projectRoot, "node_modules")), path.join(dir, "node_modules"), "dir");
  const tsconfig = path.join(dir, "tsconfig.json");
  writeFileSync(tsconfig, `${JSON.stringify(naiveTsconfig(projectRoot), null, 2)}\n`);

  return {
    args: ["--require", "ts-node/register", "synth.ts"],
    cwd: dir,
    env: { TS_NODE_PROJECT: tsconfig },
    rewrittenFiles,
  };
}

/**
 * The project's compiler options without `isolatedModules` (which sucrase needs, and a
 * `cdktf init` project does not set). `skipLibCheck` stays true: cdktf init's template
 * (cdktf-cli/bundle/templates/typescript/tsconfig.json) sets it too. ts-node type checks
 * unless told otherwise; the setting is spelt out so that no environment variable can turn it off.
 */
function naiveTsconfig(projectRoot: string): object {
  const file = path.join(projectRoot, "tsconfig.json");
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const compilerOptions: Record<string, unknown> = { ...config.compilerOptions, skipLibCheck: true };
  delete compilerOptions.isolatedModules;
  delete compilerOptions.noEmit;
  return {
    compilerOptions,
    include: ["**/*.ts"],
    exclude: ["node_modules"],
    "ts-node": { transpileOnly: false, typeCheck: true },
  };
}
