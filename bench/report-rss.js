/**
 * Preloaded into a benchmarked process (`node --require bench/report-rss.js ...`): when the
 * process exits, writes its peak resident set size in KB (getrusage's maxrss, as Node reports
 * it) to the file named by BENCH_RSS_FILE. Portable where /usr/bin/time is missing or differs.
 */
"use strict";
const { writeFileSync } = require("fs");

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
}
