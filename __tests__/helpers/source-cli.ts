import * as path from "node:path";

/**
 * The arguments to node that start the CLI from its current sources as a real process (no build
 * needed), for tests about what only a process shows: its exit code, its working folder, what
 * it leaves behind. The built CLI (dist/) is tested by the pack and commit-fault tests.
 */
export const SOURCE_CLI = [
  path.join(__dirname, "run-ts.js"),
  path.join(__dirname, "..", "..", "src", "cli", "main.ts"),
];
