/**
 * The shell lines of a runbook, read the way a POSIX shell would read the few forms the docs use,
 * so that the runbook tests run each `npx cdktf` command exactly as written, with exactly the
 * environment the lines before it give it:
 *
 *   read -rs NAME            NAME holds what the user types (not exported)
 *   export NAME              NAME reaches every later command
 *   unset NAME               NAME is gone
 *   NAME="$OTHER" npx cdktf  NAME reaches this command only
 *   a && b                   both parts, in order
 *   # ...                    a comment
 *   printf '%s' "$NAME" | npm run --silent tfc-key -- <deployment>
 *                            the one npm command a runbook's cdktf commands depend on (it sets
 *                            the operator key in Terraform Cloud), given $NAME on stdin
 *
 * Every other command (npm, kubectl, az, ...) is passed over: the runbook tests are about cdktf.
 */

/** One `npx cdktf` command of a runbook. */
export interface CdktfCommand {
  /** The command as the docs write it, without a comment: the key the coverage test uses. */
  readonly text: string;
  /** The arguments after `npx cdktf`, quotes removed and variables expanded. */
  readonly args: readonly string[];
  /** The variables the shell hands to the command: exported ones and its own assignments. */
  readonly env: Readonly<Record<string, string>>;
  /** For `npm run --silent tfc-key`: what the pipe gives it on stdin. Absent for cdktf commands. */
  readonly stdin?: string;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s'"]*)(\s+|$)/;
const NPX_CDKTF = /^npx\s+cdktf(\s|$)/;
const PIPED_TFC_KEY = /^printf\s+'%s'\s+"\$([A-Za-z_][A-Za-z0-9_]*)"\s*\|\s*npm\s+run\s+--silent\s+(tfc-key\s+--\s+\S+)$/;

/** Joins lines continued with a trailing backslash. */
export function joinContinuations(lines: readonly string[]): string[] {
  const joined: string[] = [];
  let pending = "";
  for (const line of lines) {
    if (line.endsWith("\\")) pending += `${line.slice(0, -1)} `;
    else {
      joined.push(pending + line);
      pending = "";
    }
  }
  if (pending) joined.push(pending);
  return joined;
}

/** The line up to a `#` that starts a comment (at the start or after a blank, outside quotes). */
export function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Splits on `&&` outside quotes. */
function andParts(line: string): string[] {
  const parts: string[] = [];
  let quote = "";
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "&" && line[i + 1] === "&") {
      parts.push(line.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(line.slice(start).trim());
  return parts.filter((part) => part !== "");
}

/** Words of a command: quotes removed, `$NAME` expanded outside single quotes. */
function words(text: string, vars: Readonly<Record<string, string>>): string[] {
  const result: string[] = [];
  let word: string | undefined;
  let quote = "";
  const expand = (i: number): [string, number] => {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (!name) return ["$", i];
    if (!(name in vars)) throw new Error(`runbook line uses $${name}, which no earlier line sets: ${text}`);
    return [vars[name], i + name.length];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = "";
      else word += c;
    } else if (c === "$") {
      const [value, end] = expand(i);
      word = (word ?? "") + value;
      i = end;
    } else if (quote === '"') {
      if (c === '"') quote = "";
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) result.push(word);
      word = undefined;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) result.push(word);
  return result;
}

/** The assignments that open a command (`NAME=value NAME2="$X" cmd ...`), and the rest. */
function leadingAssignments(part: string): { assignments: [string, string][]; rest: string } {
  const assignments: [string, string][] = [];
  let rest = part;
  for (let match = ASSIGNMENT.exec(rest); match; match = ASSIGNMENT.exec(rest)) {
    assignments.push([match[1], match[2]]);
    rest = rest.slice(match[0].length);
  }
  return { assignments, rest };
}

/** Every command of some lines, in order: continuations joined, comments dropped, `&&` split. */
function commandParts(lines: readonly string[]): string[] {
  return joinContinuations(lines).flatMap((line) => andParts(withoutComment(line)));
}

/**
 * Reads the lines of a runbook in order and returns its `npx cdktf` commands with their
 * environment. `typed` is what the user types at each `read`.
 */
export function cdktfCommands(lines: readonly string[], typed: string): CdktfCommand[] {
  const shellVars: Record<string, string> = {};
  const exported = new Set<string>();
  const commands: CdktfCommand[] = [];
  for (const text of commandParts(lines)) {
    const piped = PIPED_TFC_KEY.exec(text);
    if (piped) {
      if (!(piped[1] in shellVars)) throw new Error(`runbook line uses $${piped[1]}, which no earlier line sets: ${text}`);
      commands.push({ text, args: piped[2].split(/\s+/), env: {}, stdin: shellVars[piped[1]] });
      continue;
    }
    const { assignments, rest } = leadingAssignments(text);
    const assigned = Object.fromEntries(assignments.map(([name, value]) => [name, words(value, shellVars).join(" ")]));
    const [command, ...args] = words(rest, shellVars);
    if (command === undefined) Object.assign(shellVars, assigned);
    else if (command === "read") shellVars[args[args.length - 1]] = typed;
    else if (command === "export") for (const name of args) exported.add(name);
    else if (command === "unset") {
      for (const name of args) {
        delete shellVars[name];
        exported.delete(name);
      }
    } else if (NPX_CDKTF.test(rest)) {
      const env = Object.fromEntries([...exported].filter((name) => name in shellVars).map((name) => [name, shellVars[name]]));
      commands.push({ text, args: args.slice(1), env: { ...env, ...assigned } });
    }
  }
  return commands;
}

/** The `npx cdktf` commands of some lines, as written (the coverage test's keys). */
export function cdktfCommandTexts(lines: readonly string[]): string[] {
  return commandParts(lines).filter((text) => NPX_CDKTF.test(leadingAssignments(text).rest));
}
