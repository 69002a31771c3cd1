/**
 * TEST ONLY: hooks for the fault-injection tests (__tests__/commit-faults.test.ts). Unset, they
 * do nothing.
 * - AMPLICATION_AUTH0_TEST_KILL_AT_STEP=N: the process kills itself (SIGKILL, as a crash or an
 *   out-of-memory kill would) just before the Nth step that changes the disk in a commit or a
 *   recovery: every write, rename, link and unlink counts. Set, the process also says on stderr
 *   which steps it took, so that a test knows where to kill.
 * - AMPLICATION_AUTH0_TEST_PAUSE_BEFORE_COMMIT=<file>: the commit waits (30 s at most) until
 *   that file exists before it checks the files again, so that a test can edit one or start a
 *   second run meanwhile.
 */
import * as fs from "node:fs";

export const KILL_AT_STEP_VARIABLE = "AMPLICATION_AUTH0_TEST_KILL_AT_STEP";
export const PAUSE_VARIABLE = "AMPLICATION_AUTH0_TEST_PAUSE_BEFORE_COMMIT";

export function pauseBeforeCommit(env: NodeJS.ProcessEnv = process.env): void {
  const until = env[PAUSE_VARIABLE];
  if (!until) return;
  process.stderr.write("test hook: paused before commit\n");
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < 30_000 && !fs.existsSync(until); waited += 20)
    Atomics.wait(sleep, 0, 0, 20);
}

/** Counts the steps of one commit or recovery. */
export class Steps {
  private readonly kinds: string[] = [];
  private readonly killAt: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.killAt = Number(env[KILL_AT_STEP_VARIABLE] ?? 0);
  }

  /** Runs one step that changes the disk; `kind` names it for the report. */
  take<T>(kind: string, action: () => T): T {
    this.kinds.push(kind);
    if (this.kinds.length === this.killAt) process.kill(process.pid, "SIGKILL");
    return action();
  }

  /** With the hook set: "test hook: <what> took N steps: kind×count kind×count ...". */
  report(what: string): void {
    if (this.killAt <= 0) return;
    const runs: string[] = [];
    let count = 0;
    this.kinds.forEach((kind, i) => {
      count += 1;
      if (this.kinds[i + 1] !== kind) {
        runs.push(`${kind}×${count}`);
        count = 0;
      }
    });
    process.stderr.write(
      `test hook: ${what} took ${this.kinds.length} steps: ${runs.join(" ")}\n`,
    );
  }
}
