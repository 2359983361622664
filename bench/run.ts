/**
 * `npm run bench`: synthesis speed and memory of the app command of cdktf.json, against the same
 * app set up naively (naive-variant.ts), and the wall time of the two test commands: `npm test`
 * (the in-process suites, the edit loop's feedback, with a goal) and `npm run test:e2e` (the
 * end-to-end suites, reported).
 *
 *   npm run bench                  all goals, the test commands last
 *   npm run bench -- --skip-tests  without the test commands
 *
 * Exits 1 when a goal is missed. Everything it writes goes to bench/out/.
 */
import { cpus, loadavg, release, totalmem } from "os";
import { readFileSync } from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { appCommand } from "./app-command";
import { appSourcesDigest } from "./app-sources";
import { outputDifferences, synthesizedStacks } from "./compare-output";
import { writeManyDeploymentsConfig } from "./many-deployments";
import { median, runInTurns, timeShellCommand, type Run, type Subject } from "./measure";
import { generateNaiveVariant } from "./naive-variant";
import { goalTable, megabytes, seconds, table, type Goal } from "./report";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(__dirname, "out");

const RUNS = 11;
const NAIVE_RUNS = 3;
const WARMUPS = 1;
const MANY = 32;

/** The goals, as the project states them (docs/performance.md). */
const TARGET = { seconds: 1.0, speedup: 8, maxRssMb: 150, manyRatio: 3.5, testSeconds: 20 };

interface Series {
  readonly label: string;
  readonly runs: readonly Run[];
  readonly median: number;
  readonly maxRssMb: number;
}

/** Measures the subjects in turns; returns one series per subject. */
function measure(subjects: readonly (Subject & { readonly label: string })[], count: number, warmups: number): Series[] {
  progress(`${subjects.map((s) => s.label).join(" / ")}: ${warmups ? `${warmups} warm-up + ` : ""}${count} runs${subjects.length > 1 ? " each, in turns" : ""}`);
  return runInTurns(subjects, count, warmups).map((runs, i) => ({
    label: subjects[i].label,
    runs,
    median: median(runs.map((r) => r.seconds)),
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
  }));
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function parseArguments(argv: readonly string[]): { skipTests: boolean } {
  const unknown = argv.filter((a) => a !== "--skip-tests");
  if (unknown.length) throw new Error(`unknown argument(s) ${unknown.join(" ")}; the only option is --skip-tests`);
  return { skipTests: argv.includes("--skip-tests") };
}

function main(): void {
  const { skipTests } = parseArguments(process.argv.slice(2));
  const app = appCommand(ROOT);
  const defaultDeployments = (JSON.parse(readFileSync(path.join(ROOT, "config", "deployments.json"), "utf8")) as { deployments: unknown[] }).deployments.length;

  const digestAtStart = appSourcesDigest(ROOT);
  const loadAtStart = loadavg()[0];
  const generationStart = performance.now();
  const naive = generateNaiveVariant(ROOT, path.join(OUT, "naive"));
  const generationSeconds = (performance.now() - generationStart) / 1000;

  const optimizedDir = path.join(OUT, "synth-default");
  const naiveDir = path.join(OUT, "synth-naive");
  const manyDir = path.join(OUT, `synth-${MANY}`);
  const manyConfig = path.join(OUT, `deployments-${MANY}.json`);
  writeManyDeploymentsConfig(manyConfig, MANY);

  const [optimized, many] = measure(
    [
      { label: `optimized, ${defaultDeployments} deployments`, command: app, outdir: optimizedDir },
      { label: `optimized, ${MANY} deployments`, command: { ...app, env: { UID2_CONFIG: manyConfig } }, outdir: manyDir },
    ],
    RUNS,
    WARMUPS,
  );
  const stacks = synthesizedStacks(optimizedDir);
  const [naiveSeries] = measure([{ label: `naive (ts-node, root imports), ${defaultDeployments} deployments`, command: naive, outdir: naiveDir }], NAIVE_RUNS, 0);
  const differences = outputDifferences(optimizedDir, naiveDir);
  const manyStacks = synthesizedStacks(manyDir).length;
  const expectedManyStacks = (stacks.length / defaultDeployments) * MANY;
  if (manyStacks !== expectedManyStacks) throw new Error(`${MANY} deployments gave ${manyStacks} stacks, expected ${expectedManyStacks}`);

  const sourcesChanged = appSourcesDigest(ROOT) !== digestAtStart;
  const loadAfterSynth = loadavg()[0];

  let tests: ReturnType<typeof timeShellCommand> | undefined;
  let e2e: ReturnType<typeof timeShellCommand> | undefined;
  if (!skipTests) {
    progress("npm test (once)");
    tests = timeShellCommand("npm", ["test"], ROOT);
    progress("npm run test:e2e (once)");
    e2e = timeShellCommand("npm", ["run", "test:e2e"], ROOT);
  }

  const cpu = cpus();
  console.log(`\nMachine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? "unknown"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, ${process.platform} ${release()}, Node ${process.version}`);
  console.log(`Load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadAfterSynth.toFixed(2)} after the syntheses (other processes share the cores)`);
  console.log(`App command (cdktf.json): ${app.text}`);
  console.log(`Naive variant: node ${naive.args.join(" ")} in ${path.relative(ROOT, naive.cwd)}/ (ts-node type checking on, root provider imports in ${naive.rewrittenFiles.length} files; generated in ${seconds(generationSeconds)})`);
  console.log(`Stacks per run: ${stacks.length} (${stacks.join(", ")}); ${MANY} deployments: ${manyStacks}\n`);

  console.log(
    table(
      ["Series", "Runs (wall time, s)", "Median", "Min", "Max RSS"],
      [optimized, naiveSeries, many].map((s) => [
        s.label,
        s.runs.map((r) => r.seconds.toFixed(2)).join(" "),
        seconds(s.median),
        seconds(Math.min(...s.runs.map((r) => r.seconds))),
        megabytes(s.maxRssMb),
      ]),
    ),
  );
  console.log(`(The two optimized series ran in turns after ${WARMUPS} discarded warm-up turn; the naive one ran after them, without warm-up. Max RSS is the worst run of the series.)\n`);

  const speedup = naiveSeries.median / optimized.median;
  const ratio = many.median / optimized.median;
  const goals: Goal[] = [
    { name: `1. synth, default config (median of ${RUNS})`, measured: seconds(optimized.median), target: `<= ${TARGET.seconds.toFixed(1)} s`, pass: optimized.median <= TARGET.seconds },
    { name: `1. speed-up over naive (median of ${NAIVE_RUNS})`, measured: `${speedup.toFixed(1)}x (naive ${seconds(naiveSeries.median)})`, target: `>= ${TARGET.speedup}x`, pass: speedup >= TARGET.speedup },
    { name: "   naive output identical (every cdk.tf.json)", measured: differences.length ? `${differences.length} differ: ${differences.slice(0, 2).join("; ")}${differences.length > 2 ? "; ..." : ""}` : `${stacks.length}/${stacks.length} stacks`, target: "identical", pass: differences.length === 0 },
    { name: `2. peak memory, default config (max RSS)`, measured: `${megabytes(optimized.maxRssMb)} (naive ${megabytes(naiveSeries.maxRssMb)})`, target: `<= ${TARGET.maxRssMb} MB`, pass: optimized.maxRssMb <= TARGET.maxRssMb },
    { name: `3. ${MANY} deployments / default (medians)`, measured: `${ratio.toFixed(2)}x (${seconds(many.median)})`, target: `<= ${TARGET.manyRatio}x`, pass: ratio <= TARGET.manyRatio },
  ];
  if (tests) {
    const failed = tests.status !== 0 ? ` (npm test exited ${tests.status})` : "";
    goals.push({ name: "4. npm test wall time (once)", measured: `${seconds(tests.seconds)}${failed}`, target: `<= ${TARGET.testSeconds} s`, pass: tests.status === 0 && tests.seconds <= TARGET.testSeconds });
  } else {
    goals.push({ name: "4. npm test wall time", measured: "not run (--skip-tests)", target: `<= ${TARGET.testSeconds} s`, pass: undefined });
  }
  if (e2e) {
    const failed = e2e.status !== 0 ? ` (exited ${e2e.status})` : "";
    goals.push({ name: "   npm run test:e2e wall time (once)", measured: `${seconds(e2e.seconds)}${failed}`, target: "passes (time reported)", pass: e2e.status === 0 });
  }
  console.log(goalTable(goals));
  if (sourcesChanged) console.log("\nWARNING: the app's sources changed while the benchmark ran; the variants may have run different code. Run it again.");
  for (const [name, run] of [["npm test", tests], ["npm run test:e2e", e2e]] as const) {
    if (run && run.status !== 0) console.log(`\n${name} output (last 40 lines):\n${run.output.trimEnd().split("\n").slice(-40).join("\n")}`);
  }
  if (goals.some((g) => g.pass === false)) process.exitCode = 1;
}

main();
