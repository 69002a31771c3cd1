import type { Transform } from "jscodeshift";
import { transformApi } from "../../src/plan/run-rule";
import type { Splice } from "../../transforms/lib/splice";

/** Runs a transform as the engine does for its splice: the output, and the splice it recorded. */
export function transformRecordingSplice(
  transform: Transform,
  file: string,
  source: string,
): { output: ReturnType<Transform>; splice?: Splice } {
  let splice: Splice | undefined;
  const output = transform({ path: file, source }, transformApi(), {
    recordSplice: (made: Splice) => (splice = made),
  });
  return { output, splice: splice?.output === output ? splice : undefined };
}
