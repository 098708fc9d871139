// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI can read;
// jest's own summary line has a format of its own.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
