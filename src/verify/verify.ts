/**
 * Checks on a staged result before anything is written: every changed file still parses.
 * (The second, must-be-empty conversion pass lives in the engine, which owns the passes.)
 */
import type { SourceParser } from "../../transforms/lib/parser";
import type { StagedTree } from "../tree/staged-tree";

export class VerificationError extends Error {}

/** A changed file to parse: .ts/.tsx with Babel (by parser name), .json with JSON.parse. */
interface Job {
  file: string;
  text: string;
  kind: "ts" | "tsx" | "json";
}

function jobs(tree: StagedTree): Job[] {
  const out: Job[] = [];
  for (const { file, after } of tree.diff()) {
    if (after === undefined) continue;
    if (/\.(ts|tsx)$/.test(file))
      out.push({
        file,
        text: after,
        kind: file.endsWith(".tsx") ? "tsx" : "ts",
      });
    else if (file.endsWith(".json"))
      out.push({ file, text: after, kind: "json" });
  }
  return out;
}

function failure(file: string, message: string): VerificationError {
  return new VerificationError(
    `${file}: the converted file does not parse (${message}); nothing was written`,
  );
}

/**
 * Parses every changed .ts/.tsx file with the parser the rules parse it with (jscodeshift's
 * Babel and options for its extension, see transforms/lib/parser.ts; recast's copy of the tree
 * for reprinting is not needed to tell whether it parses) and every changed .json file with
 * JSON.parse; throws for the first, in path order, that does not parse. A text that parser
 * (the run's, see SourceParser) has just parsed without error (the second pass parses a converted App.tsx of 400 KB) is
 * not parsed again: the answer would be the same.
 */
export function reparseChanged(tree: StagedTree, parser: SourceParser): void {
  for (const { file, text, kind } of jobs(tree)) {
    try {
      if (kind === "json") JSON.parse(text);
      else if (!parser.parsedWithoutError(file, text)) parser.parse(file, text);
    } catch (error) {
      throw failure(file, (error as Error).message);
    }
  }
}
