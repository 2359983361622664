import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { App, ref, TerraformLocal, TerraformStack, Token } from "cdktf";
import { registerCrossStackReferences } from "../lib/synthesis/cross-stack-references";
import { expectSameFiles } from "./support/run-app";
import { CDKTF_STEPS, synthesizeFiles } from "./support/synthesis-steps";

/** Every shape a reference to another stack can take inside an element's JSON. */
function consumerOf(origin: TerraformStack) {
  const at = (name: string) => ref(`terraform_data.${name}.output`, origin);
  return {
    plain: { name: "literal", flags: [true, false, 0, null], nested: { list: ["a", "b"], escaped: "$${not a token}" } },
    inString: { deep: { deeper: [{ text: `prefix-${Token.asString(at("in_string"))}-suffix` }] } },
    resolvable: { value: at("resolvable") },
    list: { items: Token.asList(at("list")) },
    listOfLists: [Token.asList(at("list_of_lists"))],
    map: Token.asStringMap(at("map")),
    mapKey: { [Token.asString(at("map_key"))]: "value" },
    number: { count: Token.asNumber(at("number")) },
    numberInString: { text: `${Token.asNumber(at("number_in_string"))} nodes` },
  };
}

/** Two stacks, one reading the other in every shape. */
function originAndConsumer(app: App): void {
  const origin = new TerraformStack(app, "origin");
  const consumer = new TerraformStack(app, "consumer");
  for (const [name, expression] of Object.entries(consumerOf(origin))) new TerraformLocal(consumer, name, expression);
}

describe("registerCrossStackReferences", () => {
  it("registers every shape of reference as cdktf's own first step does, with the same output", () => {
    // GIVEN a stack that reads another's attributes as strings, tokens, lists, maps and numbers
    // WHEN prepared by cdktf and by registerCrossStackReferences
    const stock = synthesizeFiles(originAndConsumer, { prepareStack: CDKTF_STEPS.prepareStack });
    const ours = synthesizeFiles(originAndConsumer, { prepareStack: registerCrossStackReferences });
    // THEN the origin has one output per reference, the consumer one remote-state read
    const origin = JSON.parse(ours.get("stacks/origin/cdk.tf.json") ?? "{}");
    const consumer = JSON.parse(ours.get("stacks/consumer/cdk.tf.json") ?? "{}");
    expect(Object.keys(origin.output)).toHaveLength(8);
    expect(Object.keys(consumer.data.terraform_remote_state)).toHaveLength(1);
    expect(consumer.locals.plain).toEqual({ name: "literal", flags: [true, false, 0, null], nested: { list: ["a", "b"], escaped: "$${not a token}" } });
    // AND every file is byte for byte cdktf's
    expectSameFiles(ours, stock);
  });

  it("refuses what cdktf refuses: plain items added to a referenced list", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-references-")), skipValidation: true });
    const origin = new TerraformStack(app, "origin");
    const consumer = new TerraformStack(app, "consumer");
    new TerraformLocal(consumer, "mixed", { items: ["first", ...Token.asList(ref("terraform_data.x.output", origin))] });
    expect(() => CDKTF_STEPS.prepareStack(consumer)).toThrow(/To add values to a tokenized list/);
    expect(() => registerCrossStackReferences(consumer)).toThrow(/To add values to a tokenized list/);
  });

  it("adds a local backend to a stack without one, as cdktf does", () => {
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "uid2-references-")), skipValidation: true });
    const stack = new TerraformStack(app, "alone");
    registerCrossStackReferences(stack);
    expect(stack.node.tryFindChild("backend")).toBeDefined();
  });
});
