/**
 * No setting may have the form of a cdktf token (lib/token-shaped.ts): every value of the file,
 * tags and names included, reaches the synthesized JSON through cdktf, which would turn such a
 * value into a live Terraform expression. Checked on the file as read, keys included, before the
 * schema and the rules.
 */
import { tokenShapedValues } from "../token-shaped";
import { Problems, showValue } from "./problems";
import { dotted, locate } from "./zod-messages";

export function reportTokenShapedValues(problems: Problems, file: string, raw: unknown): void {
  for (const { path, value, isKey } of tokenShapedValues(raw)) {
    const { where, rest } = locate(file, raw, isKey ? path.slice(0, -1) : path);
    const what = isKey ? `has the key ${showValue(value)}, which` : showValue(value);
    problems.errorText(`${where}: ${dotted(rest) || "(top level)"} ${what} has the form of a cdktf token, which synthesis would turn into a Terraform expression; write the value itself`);
  }
}
