/**
 * A run's refusals of both kinds in one error: the files it cannot read or write safely
 * (FileRefusal) and the files a rule refused (RuleRefusal). A run reports every problem at
 * once, so that one run shows what the next would have.
 */
import { distinct, FileRefusal, throwAll } from "../tree/file-error";
import {
  describeRefusals,
  refusedCount,
  RuleRefusal,
  throwRefusals,
  unparsableFirst,
} from "../../transforms/lib/refusal";

export class RunRefusals extends Error {
  constructor(
    /** The files the run cannot read or write, first. */
    readonly files: FileRefusal[],
    /** Then the rules' refusals, those of files that do not parse first. */
    readonly rules: RuleRefusal[],
  ) {
    super(
      `${refusedCount([...files, ...rules])}\n` +
        "(the files the run cannot read or write come first: a rule's refusal after them may follow from a file it could not read)\n" +
        [...files.map((refusal) => refusal.message), describeRefusals(rules)]
          .filter((text) => text !== "")
          .join("\n"),
    );
    this.name = "RunRefusals";
  }
}

/**
 * Throws what a run refused: nothing; the files alone (FileRefusal, FileRefusals) or the rules'
 * refusals alone (RuleRefusal, RuleRefusals), as before a run had both; or both (RunRefusals).
 */
export function throwRunRefusals(
  files: FileRefusal[],
  rules: RuleRefusal[],
): void {
  if (rules.length === 0) return throwAll(files);
  if (files.length === 0) return throwRefusals(rules);
  throw new RunRefusals(distinct(files), unparsableFirst(rules));
}
