/**
 * `npm run synth`: the app command of cdktf.json run directly, the fast path of the edit loop. It
 * writes what `npx cdktf synth` writes: the CLI also removes the stacks of deployments that are
 * no longer configured, so this clears the output's stacks before synthesizing.
 */
import { removeSynthesizedStacks } from "../lib/stale-output";

removeSynthesizedStacks();
require("../synth");
