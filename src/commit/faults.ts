/**
 * TEST ONLY: hooks for the fault-injection tests (__tests__/commit-faults.test.ts). Unset, they
 * do nothing.
 * - AMPLICATION_AUTH0_TEST_KILL_AT_STEP=N: the process kills itself (SIGKILL, as a crash or an
 *   out-of-memory kill would) just before the Nth step that changes the disk in a commit or a
 *   recovery: every write, rename, link and unlink counts.
 * - AMPLICATION_AUTH0_TEST_PAUSE_BEFORE_COMMIT_MS=N: the commit waits N ms before it checks the
 *   files again, so that a test can edit one or start a second run meanwhile.
 */
export const KILL_AT_STEP_VARIABLE = "AMPLICATION_AUTH0_TEST_KILL_AT_STEP";
export const PAUSE_VARIABLE = "AMPLICATION_AUTH0_TEST_PAUSE_BEFORE_COMMIT_MS";

export function pauseBeforeCommit(env: NodeJS.ProcessEnv = process.env): void {
  const ms = Number(env[PAUSE_VARIABLE] ?? 0);
  if (!(ms > 0)) return;
  process.stderr.write("test hook: paused before commit\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Counts the steps of one process's writes; one per command run. */
export class Steps {
  private count = 0;
  private readonly killAt: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.killAt = Number(env[KILL_AT_STEP_VARIABLE] ?? 0);
  }

  /** Runs one step that changes the disk. */
  take<T>(action: () => T): T {
    this.count += 1;
    if (this.count === this.killAt) process.kill(process.pid, "SIGKILL");
    return action();
  }

  /** With the hook set: says on stderr how many steps ran, so that a test knows where to kill. */
  report(what: string): void {
    if (this.killAt > 0)
      process.stderr.write(`test hook: ${what} took ${this.count} steps\n`);
  }
}
