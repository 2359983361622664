/**
 * Terraform reads every string of its JSON configuration, object keys included, as a template:
 * `${` starts an interpolation and `%{` a directive. Text that must reach Terraform as written
 * (a release's strings, a tag, a file path) is escaped; settings that never need them refuse them
 * (lib/config/schema.ts).
 */

const TEMPLATE_SEQUENCE = /[$%]\{/;

/** True when Terraform would read part of `text` as an interpolation or a directive. */
export function hasTemplateSequence(text: string): boolean {
  return TEMPLATE_SEQUENCE.test(text);
}

/** Doubles `${` and `%{` (to `$${`, `%%{`), which makes Terraform send the original text. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sign: string) => `${sign}${sign}{`);
}
