/**
 * Rewrites per-resource provider imports into imports from the provider package's root, the way
 * code generated for a `cdktf init` project reads:
 *
 *   import { KeyVault, type KeyVaultNetworkAcls } from "@cdktf/provider-azurerm/lib/key-vault";
 * becomes
 *   import * as azurerm from "@cdktf/provider-azurerm";
 *   import KeyVault = azurerm.keyVault.KeyVault;
 *   import KeyVaultNetworkAcls = azurerm.keyVault.KeyVaultNetworkAcls;
 *
 * An import alias names both the value and the type, and TypeScript drops an alias used only as
 * a type, exactly as it drops a type-only import; so the program is the same, only the module
 * it loads differs.
 */
import { readFileSync } from "fs";
import * as ts from "typescript";

const PER_RESOURCE = /^(@cdktf\/provider-([a-z0-9-]+))\/lib\/([^/]+?)(?:\/index(?:\.js)?)?$/;

/** Module folder (`key-vault`) to the namespace the package root exports it as (`keyVault`). */
export type NamespaceTable = ReadonlyMap<string, string>;

/**
 * Reads `export * as keyVault from './key-vault'` lines from the package's lib/index.d.ts: the
 * names are not a plain camelCase of the folder (`aadb2c-directory` is `aadb2CDirectory`).
 */
export function readNamespaceTable(packageName: string, projectRoot: string): NamespaceTable {
  const index = require.resolve(packageName, { paths: [projectRoot] }).replace(/\.js$/, ".d.ts");
  const table = new Map<string, string>();
  for (const match of readFileSync(index, "utf8").matchAll(/^export \* as (\w+) from '\.\/([^']+)';$/gm)) {
    table.set(match[2], match[1]);
  }
  if (table.size === 0) throw new Error(`${index}: no "export * as" lines; the package layout changed`);
  return table;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Rewrites one TypeScript file; `namespaces` gives each provider package's table. */
export function rewriteProviderImports(fileName: string, source: string, namespaces: (packageName: string) => NamespaceTable): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const identifiers = identifiersIn(file);
  const rootLocals = new Map<string, string>();
  const edits: Edit[] = [];

  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const match = PER_RESOURCE.exec(statement.moduleSpecifier.text);
    if (!match) continue;
    const [, packageName, shortName, moduleFolder] = match;
    const namespace = namespaces(packageName).get(moduleFolder);
    if (namespace === undefined) throw new Error(`${fileName}: ${packageName} exports no module ${moduleFolder} from its root`);
    let root = rootLocals.get(packageName);
    if (root === undefined) {
      root = freeName(shortName.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), identifiers);
      rootLocals.set(packageName, root);
      identifiers.add(root);
    }
    edits.push({ start: statement.getStart(file), end: statement.end, text: aliasesFor(statement, `${root}.${namespace}`, fileName) });
  }
  if (edits.length === 0) return source;

  const rootImports = [...rootLocals].map(([packageName, local]) => `import * as ${local} from "${packageName}";\n`).join("");
  // The root imports go where the first rewritten import was, ahead of the aliases that use them.
  let output = source;
  for (let i = edits.length - 1; i >= 0; i--) {
    const { start, end, text } = edits[i];
    output = output.slice(0, start) + (i === 0 ? rootImports : "") + text + output.slice(end);
  }
  const leftover = /@cdktf\/provider-[a-z0-9-]+\/lib\//.exec(output);
  if (leftover) throw new Error(`${fileName}: a per-resource provider reference other than an import statement remains`);
  return output;
}

function aliasesFor(statement: ts.ImportDeclaration, qualifier: string, fileName: string): string {
  const clause = statement.importClause;
  if (!clause || clause.name) throw new Error(`${fileName}: unsupported import form: ${statement.getText()}`);
  const bindings = clause.namedBindings;
  if (!bindings) return "";
  if (ts.isNamespaceImport(bindings)) return `import ${bindings.name.text} = ${qualifier};`;
  return bindings.elements
    .map((element) => `import ${element.name.text} = ${qualifier}.${(element.propertyName ?? element.name).text};`)
    .join("\n");
}

/** Names that could clash with a new import binding: all identifiers except member names. */
function identifiersIn(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isMemberName(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent)) &&
    parent.name === node
  );
}

function freeName(wanted: string, taken: ReadonlySet<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
  return name;
}
