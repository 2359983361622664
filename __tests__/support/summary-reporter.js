/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, after jest's own
 * summary, so any CI log reader can count the results without knowing jest's format. When
 * snapshots differ from the stored ones (or a new one could not be written, as on CI), it also
 * prints the exact command that updates them.
 */

/** README, "In pull requests": the command that rewrites the snapshots. */
const UPDATE_COMMAND = "npm test -- -u";

/** jest's message for a snapshot it may not write (`--ci`, the default on CI machines). */
const NOT_WRITTEN = "New snapshot was not written";

function snapshotsToUpdate(results) {
  const unmatched = results.snapshot ? results.snapshot.unmatched : 0;
  const unwritten = results.testResults
    .flatMap((file) => file.testResults)
    .filter((test) => test.failureMessages.some((message) => message.includes(NOT_WRITTEN))).length;
  return unmatched + unwritten;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
    const toUpdate = snapshotsToUpdate(results);
    if (toUpdate > 0) {
      process.stdout.write(
        `Snapshots: ${toUpdate} differ from the stored ones. If the change is intended, check the diff above, then update them with: ${UPDATE_COMMAND}\n`,
      );
    }
  }
}

module.exports = SummaryReporter;
