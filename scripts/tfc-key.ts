/**
 * Entry point of `npm run tfc-key`; lib/tfc/operator-key.ts holds the logic, README's "First
 * deployment with Terraform Cloud" shows it.
 */
import { main } from "../lib/tfc/operator-key";
import { runCommand } from "./run-command";

/** Standard input, whole: the key, piped in (never a command-line argument). */
function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

runCommand((argv) =>
  main(argv, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), stdin: readStdin, env: process.env }),
);
