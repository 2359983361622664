import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { App, DefaultTokenResolver, Fn, Lazy, ref, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";
import { resolveTokens } from "../lib/synthesis/resolve-tokens";

const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-resolve-")) });
const stack = new TerraformStack(app, "stack");
const token = ref("terraform_data.x.output", stack);

function cdktfResolves(json: unknown): unknown {
  return Tokenization.resolve(json, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** What resolveTokens hands to cdktf's resolver. */
function handedOver(json: unknown): unknown[] {
  const spy = jest.spyOn(Tokenization, "resolve");
  try {
    resolveTokens(stack, json);
    return spy.mock.calls.map(([value]) => value);
  } finally {
    spy.mockRestore();
  }
}

const SHAPES: [string, () => unknown][] = [
  ["plain data with every scalar", () => ({ a: "text", b: [1, 2.5, -3e10, true, false, null, 0, ""], c: { d: { e: "${var.literal}", f: "$${escaped}" } } })],
  ["undefined values and items", () => ({ a: undefined, b: [1, undefined, 2], c: { d: undefined } })],
  ["a string with a token", () => ({ deep: [{ text: `prefix-${Token.asString(token)}-suffix` }] })],
  ["a token object", () => ({ value: token, list: [token, "plain"] })],
  ["a function call", () => ({ value: Fn.base64decode(Token.asString(token)) })],
  ["a lazy value producing plain data and tokens", () => ({ value: Lazy.anyValue({ produce: () => ({ a: 1, b: Token.asString(token) }) }) })],
  ["a list token", () => ({ items: Token.asList(token) })],
  ["a map token", () => ({ map: Token.asStringMap(token) })],
  ["a token among keys", () => ({ [Token.asString(token)]: "value", other: "plain" })],
  ["a number token, alone and in a string", () => ({ count: Token.asNumber(token), text: `${Token.asNumber(token)} nodes` })],
  ["a __proto__ key (which cdktf assigns as the prototype)", () => JSON.parse('{"__proto__": {"kept": true}, "a": 1}')],
];

describe("resolveTokens", () => {
  it.each(SHAPES)("resolves %s as cdktf does", (_name, shape) => {
    // GIVEN a value WHEN resolved by both THEN the results are equal, key order included
    const ours = resolveTokens(stack, shape());
    const theirs = cdktfResolves(shape());
    expect(ours).toStrictEqual(theirs);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it("hands cdktf nothing of plain data", () => {
    expect(handedOver({ a: "text", b: [1, true, null], c: { d: "${var.literal}", e: undefined } })).toEqual([]);
  });

  it("hands cdktf only the values that hold tokens", () => {
    const text = `x-${Token.asString(token)}`;
    expect(handedOver({ a: "plain", b: { c: text }, d: [token] })).toEqual([text, [token]]);
  });

  it("hands cdktf whole any array with a list token, and any object with a token among its keys", () => {
    const list = Token.asList(token);
    const map = { [Token.asString(token)]: "v", other: "w" };
    expect(handedOver({ a: list, b: map })).toEqual([list, map]);
  });

  it("hands cdktf what it cannot tell is plain: class instances and exponent-like strings", () => {
    const date = new Date(0);
    expect(handedOver({ a: date, b: "1e5", c: "v1.2" })).toEqual([date, "1e5"]);
  });

  it("resolves in cdktf's preparing mode when asked, so references to other stacks register", () => {
    const other = new TerraformStack(app, "other");
    resolveTokens(other, { value: Token.asString(ref("terraform_data.y.output", stack)) }, true);
    expect(stack.node.tryFindChild("cross-stack-output-terraform_data.y.output")).toBeDefined();
  });
});
