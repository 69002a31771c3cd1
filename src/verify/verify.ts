/**
 * Checks on a staged result before anything is written: every changed file still parses.
 * (The second, must-be-empty conversion pass lives in the engine, which owns the passes.)
 */
import { babelParserFor } from "../../transforms/lib/parser";
import type { StagedTree } from "../tree/tree";

export class VerificationError extends Error {}

/**
 * Parses every changed .ts/.tsx file with the parser the rules parse it with (jscodeshift's
 * Babel options for its extension; recast's copy of the tree for reprinting is not needed to
 * tell whether it parses) and every changed .json file with JSON.parse.
 */
export function reparseChanged(tree: StagedTree): void {
  for (const { file, after } of tree.diff()) {
    if (after === undefined) continue;
    try {
      if (/\.(ts|tsx)$/.test(file)) babelParserFor(file).parse(after);
      else if (file.endsWith(".json")) JSON.parse(after);
    } catch (error) {
      throw new VerificationError(
        `${file}: the converted file does not parse (${(error as Error).message}); nothing was written`,
      );
    }
  }
}
