import { ref } from "cdktf";
import { withoutTokenStackTraces } from "../lib/synthesis/token-stack-traces";
import { expectSameFiles, readTree, runApp } from "./support/run-app";

/** The stack cdktf records when it creates a token (here a reference, as resources create). */
function creationStackOf(identifier: string): readonly string[] {
  return ref(identifier).creationStack;
}

describe("token stack traces during synthesis", () => {
  it("leaves cdktf's token records empty but keeps every error's stack trace", () => {
    // GIVEN the hook WHEN a token is created and an error thrown inside it
    const { creationStack, error } = withoutTokenStackTraces(() => ({ creationStack: creationStackOf("local.x"), error: new Error("boom") }));
    // THEN the token carries no trace, the error a full one
    expect(creationStack).toEqual([]);
    expect(error.stack).toMatch(/^Error: boom\n {4}at /);
    expect(error.stack).toContain("token-stack-traces.test.ts");
  });

  it("keeps token records when UID2_TOKEN_STACK_TRACES=1", () => {
    const creationStack = withoutTokenStackTraces(() => creationStackOf("local.x"), { UID2_TOKEN_STACK_TRACES: "1" });
    expect(creationStack.length).toBeGreaterThan(0);
  });

  it("keeps stack traces that errors capture for themselves", () => {
    class ReleaseError extends Error {
      constructor() {
        super("custom");
        Error.captureStackTrace(this, ReleaseError);
      }
    }
    const error = withoutTokenStackTraces(() => new ReleaseError());
    expect(error.stack).toMatch(/^Error: custom\n {4}at /);
  });

  it("restores Error.captureStackTrace afterwards, also when the work throws", () => {
    const before = Error.captureStackTrace;
    expect(() => withoutTokenStackTraces(() => { throw new Error("inside"); })).toThrow("inside");
    expect(Error.captureStackTrace).toBe(before);
  });

  it("changes nothing in the synthesized output", async () => {
    // GIVEN two syntheses of the committed configuration, with and without token traces
    const [fast, traced] = await Promise.all([runApp(), runApp({ UID2_TOKEN_STACK_TRACES: "1" })]);
    expect(fast.code).toBe(0);
    expect(traced.code).toBe(0);
    // THEN every file is identical
    expectSameFiles(readTree(traced.outdir), readTree(fast.outdir));
  });
});
