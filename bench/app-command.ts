/** The app command of cdktf.json, as the command `cdktf synth` runs, split into Node arguments. */
import { readFileSync } from "fs";
import * as path from "path";
import type { NodeCommand } from "./measure";

/**
 * Reads `app` from cdktf.json. The benchmark needs to add its own `--require` to the Node
 * command, so only a plain `node ...` command without shell quoting is accepted.
 */
export function appCommand(projectRoot: string): NodeCommand & { readonly text: string } {
  const text: string = JSON.parse(readFileSync(path.join(projectRoot, "cdktf.json"), "utf8")).app;
  const [program, ...args] = text.trim().split(/\s+/);
  if (program !== "node" || /["'$`\\|;&<>]/.test(text)) {
    throw new Error(`cdktf.json app "${text}": expected a plain "node ..." command the benchmark can extend`);
  }
  return { text, args, cwd: projectRoot };
}
