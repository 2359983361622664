/** The runbook tests read docs' shell lines as a shell would: these are the forms they rely on. */
import { cdktfCommands, cdktfCommandTexts, withoutComment } from "./support/shell-lines";

const KEY = "typed key";

describe("reading a runbook's shell lines", () => {
  it("gives an assignment before a command to that command only", () => {
    // GIVEN a key read, then handed to one command
    const commands = cdktfCommands(['read -rs OPERATOR_KEY', 'TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf deploy integ-secrets', "npx cdktf deploy integ-operator"], KEY);
    // THEN only that command has it
    expect(commands.map((c) => [c.args, c.env])).toEqual([
      [["deploy", "integ-secrets"], { TF_VAR_operator_key: KEY }],
      [["deploy", "integ-operator"], {}],
    ]);
  });

  it("gives an exported variable to every later command, until unset", () => {
    const commands = cdktfCommands(["read -rs TF_VAR_operator_key && export TF_VAR_operator_key", "npx cdktf deploy 'integ-*' --parallelism 2", "unset TF_VAR_operator_key", "npx cdktf deploy prod-network"], KEY);
    expect(commands.map((c) => [c.args, c.env])).toEqual([
      [["deploy", "integ-*", "--parallelism", "2"], { TF_VAR_operator_key: KEY }],
      [["deploy", "prod-network"], {}],
    ]);
  });

  it("does not export a variable that was only read", () => {
    expect(cdktfCommands(["read -rs OPERATOR_KEY", "npx cdktf deploy integ-secrets"], KEY)[0].env).toEqual({});
  });

  it("drops comments, but not a # inside quotes or a word", () => {
    expect(withoutComment("npx cdktf synth   # review cdktf.out/")).toBe("npx cdktf synth");
    expect(withoutComment("echo '# not a comment' a#b")).toBe("echo '# not a comment' a#b");
  });

  it("finds cdktf commands after && and passes over every other command", () => {
    expect(cdktfCommandTexts(["npm ci && npx cdktf synth", "kubectl get pods", "# npx cdktf deploy in a comment", 'X="$Y" npx cdktf output integ-secrets'])).toEqual([
      "npx cdktf synth",
      'X="$Y" npx cdktf output integ-secrets',
    ]);
  });

  it("refuses a variable no earlier line sets", () => {
    expect(() => cdktfCommands(['TF_VAR_operator_key="$OPERATOR_KEY" npx cdktf deploy integ-secrets'], KEY)).toThrow(/\$OPERATOR_KEY, which no earlier line sets/);
  });
});
