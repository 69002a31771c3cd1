/**
 * `apply --summary-file <path>`: a Markdown account of the run appended to a file, such as the
 * job summary of GitHub Actions ($GITHUB_STEP_SUMMARY), so a failed check says why.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  followsFrom,
  RuleRefusal,
  RuleRefusals,
} from "../../transforms/lib/refusal";
import { FileRefusal, refusalsOf } from "../tree/file-error";
import { RunRefusals } from "../engine/refusals";
import type { RunResult } from "../engine/run";
import { exitCodeOf, failingMessage } from "../report/report";
import { GitCommitError } from "./git";

export function appendSummary(file: string, markdown: string): void {
  fs.appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}

/** `--summary-file` names a file apply could not append to: found before the run writes. */
export class SummaryFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `--summary-file ${file} cannot be written: ${reason}; nothing was converted.\n` +
        "  fix: name a file in a folder that exists and that you may write to, then run this command again",
    );
  }
}

/** What a run did before its summary failed. */
export interface RunOutcome {
  written: boolean;
  dryRun: boolean;
  /** Whether --commit asked for a commit. */
  committing: boolean;
  /** The new commit, or undefined when none was made. */
  commit?: string;
}

/**
 * The run ended, and what it wrote (and committed) stays, but its summary could not be appended:
 * the message says both, so that nobody takes the run for one that wrote nothing.
 */
export class SummaryNotWrittenError extends Error {
  constructor(
    readonly file: string,
    error: unknown,
    readonly run: RunOutcome,
  ) {
    super(
      `--summary-file ${file} could not be written (${(error as Error)?.message ?? String(error)}); ${describeOutcome(run)}.`,
    );
  }
}

function describeOutcome({
  written,
  dryRun,
  committing,
  commit,
}: RunOutcome): string {
  if (!written)
    return dryRun ? "this dry run wrote nothing" : "nothing was written";
  if (commit)
    return `the conversion was written and committed (${commit.slice(0, 12)})`;
  return committing
    ? "the conversion was written, with no commit"
    : "the conversion was written";
}

/**
 * Refuses (SummaryFileError) a summary file that cannot be appended to, before the run: opened
 * for appending when it exists (neither created nor changed), else its folder must be writable.
 */
export function assertSummaryWritable(file: string): void {
  try {
    fs.closeSync(
      fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND),
    );
    return;
  } catch (error) {
    if (errorCode(error) !== "ENOENT")
      throw new SummaryFileError(file, whyNotWritable(error));
  }
  const folder = path.dirname(file);
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (error) {
    throw new SummaryFileError(
      file,
      errorCode(error) === "ENOENT"
        ? `its folder ${folder} does not exist (ENOENT)`
        : `its folder ${folder}: ${whyNotWritable(error)}`,
    );
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function whyNotWritable(error: unknown): string {
  const code = errorCode(error);
  const reasons: Record<string, string> = {
    EISDIR: "it is a folder",
    ENOTDIR: "a part of its path is a file where a folder is expected",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "it is on a read-only file system",
  };
  const reason = code && reasons[code];
  return reason
    ? `${reason} (${code})`
    : ((error as Error)?.message ?? String(error));
}

/**
 * What a run that ended (without an error) did: what it converted, with the commit when
 * `--commit` asked for one, or, where apply exits 1 on its services (see exitCodeOf), which were
 * not converted and why.
 */
export function runMarkdown({
  version,
  result,
  services,
  files,
  committing,
  commit,
  ignored = [],
}: {
  version: string;
  result: RunResult;
  /** The services whose files the run wrote (or would write, in a dry run). */
  services: string[];
  files: number;
  /** Whether --commit asked for a commit. */
  committing: boolean;
  /** The new commit, or undefined when none was made. */
  commit?: string;
  /** Files written but left out of the commit, as git ignores them. */
  ignored?: string[];
}): string {
  const heading = `## amplication-auth0 ${version}`;
  if (exitCodeOf(result) !== 0) {
    const notConverted = result.services
      .filter((profile) => profile.unsupported)
      .map((profile) => `- ${code(profile.name)}: ${profile.unsupported}`);
    const failing = failingMessage(result);
    return [
      `${heading}: this build was not converted`,
      "",
      ...notConverted,
      ...(failing ? ["", failing] : []),
      "",
      "Nothing was written or committed; the branch is as pushed.",
      "",
    ].join("\n");
  }
  const left =
    ignored.length === 0
      ? ""
      : `Written but not committed, as git ignores ${ignored.length === 1 ? "it" : "them"}: ${ignored.map(code).join(", ")}.\n`;
  const what = `${services.map(code).join(", ")} to Auth0: ${files} file${files === 1 ? "" : "s"}`;
  if (result.dryRun)
    return files === 0
      ? `${heading}\n\nDry run: nothing to convert, this build is already converted to Auth0.\n`
      : `${heading}\n\nDry run: would convert ${what}; nothing written.\n`;
  if (!committing)
    return files === 0
      ? `${heading}\n\nNothing to convert: this build is already converted to Auth0.\n`
      : `${heading}\n\nConverted ${what} written.\n`;
  if (commit === undefined)
    return ignored.length === 0
      ? `${heading}\n\nNothing to convert: this build is already converted to Auth0. No commit.\n`
      : `${heading}\n\nNo commit. ${left}`;
  return (
    `${heading}\n\nConverted ${what} in commit ${code(commit.slice(0, 12))}.\n` +
    left
  );
}

/** Why the run failed; for each refusal, the file, the rule, the reason and the fix. */
export function failureMarkdown(version: string, error: unknown): string {
  // Only a failed git commit comes after the write; its message says what is on disk.
  if (error instanceof GitCommitError)
    return `## amplication-auth0 ${version}: this build was converted but not committed\n\n${fence((error as Error).message)}\n`;
  const heading = `## amplication-auth0 ${version}: this build was not converted`;
  const nothing = "Nothing was written or committed; the branch is as pushed.";
  const refusals = refusalsIn(error);
  if (refusals) {
    const leaders = followsFrom(
      refusals.filter((refusal) => refusal instanceof RuleRefusal),
    );
    return [
      heading,
      "",
      refusals.every((refusal) => refusal instanceof RuleRefusal)
        ? refusals.length === 1
          ? "A rule refused a file that does not have the shape it converts:"
          : `Rules refused ${refusals.length} files that do not have the shape they convert:`
        : `The run refused ${refusals.length === 1 ? "a file" : `${refusals.length} files`} (files it cannot read or write safely come first):`,
      ...refusals.flatMap((refusal) => [
        "",
        `- **File:** ${code(refusal.file)}`,
        ...(refusal.rule ? [`- **Rule:** ${code(refusal.rule)}`] : []),
        `- **Reason:** ${refusal.reason}`,
        `- **Fix:** ${refusal.fix}`,
        ...(refusal instanceof RuleRefusal && leaders.has(refusal)
          ? [
              `- **Follows from:** the refusal of ${code(leaders.get(refusal)!)}, which still uses it: it goes once that file is converted`,
            ]
          : []),
      ]),
      "",
      nothing,
      "",
    ].join("\n");
  }
  const message = (error as Error)?.message ?? String(error);
  return `${heading}\n\n${fence(message)}\n\n${nothing}\n`;
}

/** Each file a refusal of the run names (a rule's, or the run's own), or undefined for another error. */
function refusalsIn(
  error: unknown,
): Array<RuleRefusal | FileRefusal> | undefined {
  if (error instanceof RunRefusals) return [...error.files, ...error.rules];
  if (error instanceof RuleRefusals) return error.refusals;
  if (error instanceof RuleRefusal) return [error];
  if (error instanceof FileRefusal) return refusalsOf(error);
  return undefined;
}

/** An inline code span that holds any text, backticks included. */
function code(text: string): string {
  const longest = Math.max(
    0,
    ...(text.match(/`+/g) ?? []).map((s) => s.length),
  );
  const ticks = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function fence(text: string): string {
  const longest = Math.max(
    2,
    ...(text.match(/`+/g) ?? []).map((s) => s.length),
  );
  const ticks = "`".repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}
