/**
 * Configuration problems reported the way the cdktf CLI expects synthesis errors: as error
 * annotations in the manifest. The CLI prints each annotation once (`ERROR [configuration]: ...`)
 * and then refuses to go on, for `synth`, `diff`, `deploy` and `destroy` alike. Written to stderr
 * with a failing exit instead, every line would be printed twice: the CLI echoes the app's
 * output as it arrives and again in its error summary.
 */
import { Annotations, App, DISABLE_STACK_TRACE_IN_METADATA, TerraformStack } from "cdktf";

/** The stack the annotations are attached to; it holds nothing and nothing can deploy it. */
export const PROBLEMS_STACK = "configuration";

/** Writes a manifest whose only stack carries one error annotation per problem. */
export function reportToCdktf(problems: readonly string[]): void {
  // The annotations are the user's problems, not the app's: no stack trace.
  const app = new App({ skipValidation: true, context: { [DISABLE_STACK_TRACE_IN_METADATA]: true } });
  const stack = new TerraformStack(app, PROBLEMS_STACK);
  for (const problem of problems) Annotations.of(stack).addError(problem);
  app.synth();
}
