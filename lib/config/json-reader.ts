/**
 * The configuration file's JSON, read more strictly than JSON.parse: a key written twice in one
 * object (JSON.parse silently keeps the last, so a second `deployments` would replace the first)
 * and a `__proto__` key (which JavaScript objects swallow instead of holding) are refused, each
 * with its line and column; a syntax error gives its line and column; and nesting is bounded
 * while reading, so that no later step (validation, the messages that quote values) can be
 * driven into a stack overflow by a pathological file.
 */
import { ConfigError } from "./problems";
import { dotted } from "./zod-messages";

/** Deeper than any configuration needs (a deployment's settings are four levels deep). */
export const MAX_CONFIG_DEPTH = 32;

type Path = (string | number)[];

/** A syntax error or a limit: reading cannot go on after it. */
class Stop extends Error {
  constructor(readonly offset: number, readonly text: string) {
    super(text);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * Parses `text` (the content of `file`) as JSON. Throws a ConfigError listing every duplicate
 * and `__proto__` key, or the first syntax error, each as `<file>:<line>:<column>: ...`.
 */
export function parseConfigJson(text: string, file: string): unknown {
  const reader = new StrictJsonReader(text);
  let value: unknown;
  try {
    value = reader.document();
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    reader.problems.push({ offset: error.offset, text: error.text });
  }
  if (reader.problems.length > 0) {
    throw new ConfigError(reader.problems.map((p) => `${file}:${reader.position(p.offset)}: ${p.text}`));
  }
  return value;
}

class StrictJsonReader {
  readonly problems: { offset: number; text: string }[] = [];
  private pos = 0;
  /** Offset of the first character of each line. */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    // A byte-order mark, as some Windows editors write, is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** `line:column` of an offset, both counted from 1. */
  position(offset: number): string {
    const line = this.lineOf(offset);
    return `${line}:${offset - this.lineStarts[line - 1] + 1}`;
  }

  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  document(): unknown {
    this.skipSpace();
    if (this.pos >= this.text.length) throw this.syntax("the file is empty; it must hold a JSON object such as { \"deployments\": [...] }");
    const value = this.value([], 0);
    this.skipSpace();
    if (this.pos < this.text.length) throw this.syntax(`unexpected ${this.describeHere()} after the end of the JSON value`);
    return value;
  }

  private value(path: Path, depth: number): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.object(path, depth + 1);
    if (c === "[") return this.array(path, depth + 1);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw this.syntax(`expected a value but found ${this.describeHere()}`);
  }

  private enter(depth: number): void {
    if (depth > MAX_CONFIG_DEPTH) {
      throw new Stop(this.pos, `objects and lists nest deeper than ${MAX_CONFIG_DEPTH} levels here, far deeper than any configuration needs; the file was not read further`);
    }
  }

  private object(path: Path, depth: number): Record<string, unknown> {
    this.enter(depth);
    this.pos += 1;
    const result: Record<string, unknown> = {};
    const firstLine = new Map<string, number>();
    this.skipSpace();
    if (this.take("}")) return result;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') throw this.syntax(`expected a key in double quotes but found ${this.describeHere()}`);
      const keyOffset = this.pos;
      const key = this.string();
      this.skipSpace();
      if (!this.take(":")) throw this.syntax(`expected ":" after the key "${key}" but found ${this.describeHere()}`);
      const value = this.value([...path, key], depth);
      this.keep(result, key, value, keyOffset, path, firstLine);
      this.skipSpace();
      if (this.take("}")) return result;
      if (!this.take(",")) throw this.syntax(`expected "," or "}" but found ${this.describeHere()}`);
      this.skipSpace();
      if (this.text[this.pos] === "}") throw this.syntax('a "," before "}": JSON allows no trailing comma');
    }
  }

  /** Stores a key's value, or reports why it cannot be stored. */
  private keep(target: Record<string, unknown>, key: string, value: unknown, offset: number, path: Path, firstLine: Map<string, number>): void {
    const where = path.length === 0 ? "at the top level" : `in ${dotted(path)}`;
    if (key === "__proto__") {
      this.problems.push({ offset, text: `key "__proto__" ${where} is not allowed: JavaScript objects cannot hold it as a setting or tag name, and would drop it silently` });
      return;
    }
    const first = firstLine.get(key);
    if (first !== undefined) {
      this.problems.push({ offset, text: `duplicate key "${key}" ${where} (first at line ${first}); a JSON reader keeps one of the two and ignores the other silently: write each key once` });
      return;
    }
    firstLine.set(key, this.lineOf(offset));
    target[key] = value;
  }

  private array(path: Path, depth: number): unknown[] {
    this.enter(depth);
    this.pos += 1;
    const result: unknown[] = [];
    this.skipSpace();
    if (this.take("]")) return result;
    for (;;) {
      result.push(this.value([...path, result.length], depth));
      this.skipSpace();
      if (this.take("]")) return result;
      if (!this.take(",")) throw this.syntax(`expected "," or "]" but found ${this.describeHere()}`);
      this.skipSpace();
      if (this.text[this.pos] === "]") throw this.syntax('a "," before "]": JSON allows no trailing comma');
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos += 1;
    for (;;) {
      if (this.pos >= this.text.length) throw new Stop(start, "not valid JSON: a string is not closed: its closing double quote is missing");
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) break;
      if (code < 0x20) throw this.syntax("a control character (such as a line break or tab) inside a string; write it as \\n, \\t or \\u00XX");
      if (code === 0x5c) {
        const next = this.text[this.pos + 1];
        if (next === "u") {
          HEX4.lastIndex = this.pos + 2;
          if (!HEX4.test(this.text)) throw this.syntax("\\u must be followed by four hexadecimal digits");
          this.pos += 6;
          continue;
        }
        if (next === undefined || !ESCAPES.has(next)) throw this.syntax(`invalid escape \\${next ?? ""} in a string`);
        this.pos += 2;
        continue;
      }
      this.pos += 1;
    }
    this.pos += 1;
    // Checked above, so JSON.parse only decodes the escapes.
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw this.syntax(`expected a number but found ${this.describeHere()}`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private take(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos += 1;
    return true;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") return;
      this.pos += 1;
    }
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return "the end of the file";
    const c = this.text[this.pos];
    return c.charCodeAt(0) < 0x20 ? `character U+${c.charCodeAt(0).toString(16).padStart(4, "0")}` : JSON.stringify(c);
  }

  private syntax(message: string): Stop {
    return new Stop(this.pos, `not valid JSON: ${message}`);
  }
}
