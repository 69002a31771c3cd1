/**
 * Checks on a staged result before anything is written: every changed file still parses.
 * (The second, must-be-empty conversion pass lives in the engine, which owns the passes.)
 */
import { pickParser } from "../../transforms/lib/parser";
import { transformApi } from "../plan/run-rule";
import type { StagedTree } from "../tree/tree";

export class VerificationError extends Error {}

export function reparseChanged(tree: StagedTree): void {
  for (const { file, after } of tree.diff()) {
    if (after === undefined) continue;
    try {
      if (/\.(ts|tsx)$/.test(file))
        transformApi().jscodeshift.withParser(pickParser(file))(after);
      else if (file.endsWith(".json")) JSON.parse(after);
    } catch (error) {
      throw new VerificationError(
        `${file}: the converted file does not parse (${(error as Error).message}); nothing was written`,
      );
    }
  }
}
