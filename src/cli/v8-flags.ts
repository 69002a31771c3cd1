/**
 * V8's tiering, set for a run that lasts a second or two. V8 hands a function to TurboFan, its
 * optimizing compiler, once the function has run through its interrupt budget (67,584 bytes of
 * bytecode by default). A run of the command is too short to repay most of that work: on the
 * bench's 1,000-entity app, TurboFan took about 0.9 s of apply's 3 s of CPU (perf, on V8's
 * background threads), and the two cores are shared with the run's own threads. With a budget
 * of 1.5 MB only the hottest functions get there. Measured pairwise (BENCHMARKS.md, round 15),
 * with budgets of 0.3, 0.6, 1.5 and 3 MB tried: apply's CPU 0.73 times at N=10 and about 0.8
 * times at N=1000; never tiering up past Sparkplug (--max-opt=1) was 1.2 times slower at
 * N=1000. No output changes: only when code is compiled, not what it does.
 *
 * Set from inside the run, the flag applies to what V8 compiles and the threads started after,
 * in this process only; the command sets it first thing (main.ts), and only when run as the
 * command, never in a process that loads the package as a library. V8 takes a code cache entry
 * only under the flags it was recorded with: the build records dist/code-cache.bin through the
 * command too, so under the same flag.
 */
import * as v8 from "node:v8";

const SHORT_RUN_V8_FLAGS = "--interrupt-budget=1500000";

export function tuneV8ForShortRun(): void {
  v8.setFlagsFromString(SHORT_RUN_V8_FLAGS);
}
