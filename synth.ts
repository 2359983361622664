/**
 * The app command of cdktf.json. It validates the configuration before cdktf and the providers
 * are loaded, so a refused configuration fails in a fraction of a synthesis's time and writes
 * nothing; only then does it load the stacks (main.ts) and synthesize. Any other failure ends
 * with its cause on the first line and no output left behind (lib/app-command.ts).
 */
import { runAppCommand } from "./lib/app-command";
import { loadConfigOrExit } from "./lib/config/cli";

runAppCommand(() => {
  const { deployments, warnings } = loadConfigOrExit();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately loaded after validation
  const { synthesize } = require("./main") as typeof import("./main");
  synthesize(deployments, warnings);
});
