/**
 * No value read from a file may be decoded by cdktf as a token (lib/token-shaped.ts). Each of
 * cdktf's encodings, as a value and as a key, is found by the walk the manifest reader and the
 * configuration loader run; tokens made by cdktf itself, at random places in random documents,
 * are all found; plain data is left alone. The bad-input corpus proves the refusals end to end.
 */
import { Lazy, Token } from "cdktf";
import { isTokenShaped, tokenShapedValues } from "../lib/token-shaped";

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One real token of each encoding, made by cdktf. */
function realTokens(): { encoding: string; value: string | number }[] {
  const lazy = Lazy.anyValue({ produce: () => "x" });
  return [
    { encoding: "string", value: Token.asString(lazy) },
    { encoding: "list", value: Token.asList(lazy)[0] },
    { encoding: "number", value: Token.asNumber(lazy) },
    { encoding: "number list", value: Token.asNumberList(lazy)[0] },
    { encoding: "map key", value: Object.keys(Token.asStringMap(lazy))[0] },
  ];
}

describe("cdktf token encodings in data", () => {
  it.each([
    ["a string token", "${TfToken[TOKEN.72]}"],
    ["a string token inside text", "https://example.com/${TfToken[TOKEN.3]}/x"],
    ["a one-item list token", "#{TfToken[TOKEN.72]}"],
    ["a map key token", "&{TfToken[TOKEN.72]}"],
    ["a token-range number written in text", "-8.1095622125914e+298"],
    ["a token-range number inside text", "replicas-8.1095622125914e+298x"],
  ])("finds %s as a value and as a key", (_title, text) => {
    // GIVEN a document holding the text as a value, a list element and a key
    const document = { data: { a: text }, list: [text], keys: { [text]: "x" } };
    // WHEN walked THEN each place is named by its path
    expect(Array.from(tokenShapedValues(document), ({ path, isKey }) => ({ path, isKey }))).toEqual([
      { path: ["data", "a"], isKey: false },
      { path: ["list", 0], isKey: false },
      { path: ["keys", text], isKey: true },
    ]);
  });

  it("finds a number in cdktf's token range", () => {
    expect(Array.from(tokenShapedValues({ spec: { replicas: -8.1095622125914e298 } }), ({ path }) => path)).toEqual([["spec", "replicas"]]);
  });

  it.each(realTokens())("finds a token cdktf made ($encoding)", ({ value }) => {
    expect(isTokenShaped(value)).toBe(true);
  });

  it("leaves plain data alone: templates, Terraform syntax, ordinary numbers", () => {
    const plain = {
      image: "mcr.microsoft.com/aci/skr:2.14",
      env: [{ name: "VAULT_NAME", value: "VAULT_NAME_PLACEHOLDER" }],
      braces: "${var.x} #{x} &{y} {TfToken[TOKEN.1]}",
      numbers: [0, 3, 1e5, -1.5e-7, 8.1e298, Number.MAX_SAFE_INTEGER],
      text: "1e5 2.5E+3 -7e-1",
    };
    expect(Array.from(tokenShapedValues(plain))).toEqual([]);
  });

  it("finds every random token cdktf makes, wherever it is placed, and nothing in random plain text (property)", () => {
    const next = random(20261207);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const text = (length: number) => Array.from({ length }, () => pick("abcXYZ019 -_.:/{}[]$#&|+e".split(""))).join("");
    for (let run = 0; run < 500; run++) {
      // GIVEN a token of a random encoding and number, put at a random depth as a value or a key
      const lazy = Lazy.anyValue({ produce: () => run });
      const [kind, token] = pick([
        ["string", `${text(3)}${Token.asString(lazy)}${text(3)}`],
        ["list", Token.asList(lazy)[0]],
        ["number", Token.asNumber(lazy)],
        // (set apart by a character no number has, as cdktf needs to read it)
        ["number in text", `${text(2)} ${String(Token.asNumber(lazy))}/${text(2)}`],
        ["map key", Object.keys(Token.asStringMap(lazy))[0]],
      ] as const);
      const asKey = typeof token === "string" && next() < 0.5;
      let document: unknown = asKey ? { [token]: text(4) } : token;
      const depth = Math.floor(next() * 5);
      for (let level = 0; level < depth; level++) document = next() < 0.5 ? [text(3), document] : { [text(5)]: document, other: text(6) };
      // WHEN walked THEN exactly the token is found
      const found = Array.from(tokenShapedValues({ root: document }), (f) => f.value);
      expect({ run, kind, found }).toEqual({ run, kind, found: [token] });
      // AND random plain text is not
      expect(isTokenShaped(text(Math.floor(next() * 40)))).toBe(false);
    }
  });
});
