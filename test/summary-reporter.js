// Prints the run's closing lines that any CI can read: every skipped test by name (so a skip is
// never silent), then "tests: N passed, N failed, N skipped"; jest's own summary has a format of its own.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'todo') continue;
        const group = test.ancestorTitles.join(' > ') || test.title;
        skipped.set(group, (skipped.get(group) ?? 0) + 1);
      }
    }
    for (const [group, count] of skipped) process.stdout.write(`skipped: ${group} (${count} test${count === 1 ? '' : 's'})\n`);
    process.stdout.write(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
