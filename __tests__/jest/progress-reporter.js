/**
 * A progress line at most every 20 seconds while tests finish: tests passed and failed so far,
 * files done, time, and the file that last reported. The long files (the runtime proof, the
 * type-checks, the browser) otherwise print nothing for minutes. jest's default reporter still
 * prints each file's result and the summary.
 */
const path = require("node:path");

const EVERY_MS = 20_000;

class ProgressReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.startedAt = Date.now();
    this.printedAt = Date.now();
    this.passed = 0;
    this.failed = 0;
    this.filesDone = 0;
    this.files = 0;
  }

  onRunStart(results) {
    this.files = results.numTotalTestSuites;
  }

  onTestCaseResult(test, testCase) {
    if (testCase.status === "passed") this.passed += 1;
    if (testCase.status === "failed") this.failed += 1;
    if (Date.now() - this.printedAt < EVERY_MS) return;
    this.printedAt = Date.now();
    const seconds = Math.round((this.printedAt - this.startedAt) / 1000);
    const file = path.relative(this.rootDir, test.path);
    process.stderr.write(
      `… ${this.passed} passed, ${this.failed} failed, ${this.filesDone} of ${this.files} files done, ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s (now in ${file})\n`,
    );
  }

  onTestFileResult() {
    this.filesDone += 1;
  }
}

module.exports = ProgressReporter;
