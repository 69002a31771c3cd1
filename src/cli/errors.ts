/**
 * The one table of the failures the commands know. Each row says, for its error class, the
 * `kind` in --json reports, the exit code, the word the human report starts with, and what
 * else the two reports show of it; the human report and the --json report both read the row
 * (classify), so they cannot disagree. Anything not in the table is an internal error.
 */
import { CommanderError } from "commander";
import type pc from "picocolors";
import { CommitError } from "../commit/commit";
import { DirtyTreeError, GitUnavailableError } from "../commit/git";
import { BusyError } from "../commit/journal";
import { ConfigError } from "../config/load";
import { DetectionError } from "../detect/detect";
import { RunRefusals } from "../engine/refusals";
import {
  WorkflowExistsError,
  WorkflowFolderError,
  WorkflowLinkError,
  WorkflowPinError,
} from "../ci/workflow";
import { CommitUsageError, GitCommitError } from "../ci/git";
import { SummaryFileError, SummaryNotWrittenError } from "../ci/summary";
import { CredentialsError } from "../provision/credentials";
import { describeStep, ProvisionError } from "../provision/report";
import { SdkMissingError } from "../provision/sdk";
import { FileRefusal, FileRefusals } from "../tree/file-error";
import { VerificationError } from "../verify/verify";
import {
  followsFrom,
  RuleRefusal,
  RuleRefusals,
} from "../../transforms/lib/refusal";
import { InitError, NothingToConvertError } from "./init";

export const EXIT = { ok: 0, pending: 1, usage: 2 } as const;

type Colors = ReturnType<typeof pc.createColors>;

interface ErrorRow<E extends Error> {
  type: abstract new (...args: never[]) => E;
  kind: string;
  exit: number;
  /** Printed before the message; one that reads as a sentence of its own ends with ":". */
  label: "error" | "refused" | "failed" | "not converted:";
  /** Where it failed, for --json (beside kind and message). */
  details?: (error: E) => Record<string, unknown>;
  /** The human report's text after the label, when more than the message. */
  text?: (error: E, command?: string) => string;
  /**
   * Set where the run wrote before it failed (git refusing the commit of what it wrote), or says
   * whether it did (a summary file that failed after the run).
   */
  written?: true | ((error: E) => boolean);
}

/** A row, typed by its class (so `details` and `text` see the class's fields). */
function row<E extends Error>(entry: ErrorRow<E>): ErrorRow<Error> {
  return entry as unknown as ErrorRow<Error>;
}

const fileRefusals = (error: FileRefusal) =>
  refusalList(error instanceof FileRefusals ? error.refusals : [error]);

/**
 * Every refusal's file, rule (where known), reason and fix under refusals, and the first one's
 * beside them, as before there were several.
 */
function refusalList(refusals: Array<FileRefusal | RuleRefusal>) {
  const leaders = followsFrom(
    refusals.filter((refusal) => refusal instanceof RuleRefusal),
  );
  const described = refusals.map((refusal) => {
    const { file, rule, reason, fix } = refusal;
    const leader =
      refusal instanceof RuleRefusal ? leaders.get(refusal) : undefined;
    return {
      file,
      ...(rule ? { rule } : {}),
      reason,
      fix,
      // refused because that file, refused too, still uses it: fixing that one clears this one
      ...(leader ? { followsFrom: leader } : {}),
    };
  });
  return { ...described[0], refusals: described };
}

/** A refusal's text: apply (and a dry run) say that they wrote nothing; check never writes. */
const nothingWritten = (error: Error, command?: string) =>
  command === "check"
    ? error.message
    : `${error.message}\nnothing was written.`;

/**
 * Several refusals, after the label "refused": the message's count line "3 files refused:"
 * would say the word twice, so it reads "refused 3 files:".
 */
const countedRefusals = (error: Error, command?: string) =>
  nothingWritten(error, command).replace(/^(\d+ files) refused:/, "$1:");

/** The first row whose class the error is an instance of wins. */
const ERRORS: ReadonlyArray<ErrorRow<Error>> = [
  { type: InitError, kind: "init", exit: EXIT.usage, label: "error" },
  {
    type: NothingToConvertError,
    kind: "not-convertible",
    exit: EXIT.pending,
    label: "not converted:",
  },
  {
    type: CredentialsError,
    kind: "credentials",
    exit: EXIT.usage,
    label: "error",
  },
  { type: SdkMissingError, kind: "sdk", exit: EXIT.usage, label: "error" },
  row({
    type: ProvisionError,
    kind: "provision",
    exit: EXIT.pending,
    label: "failed",
    text: (error) => {
      const done = error.steps.map((step) => `  ${describeStep(step)}`);
      return (
        `${error.message}\n` +
        (done.length > 0
          ? `changed in Auth0 before this failure (kept; a new run finds them):\n${done.join("\n")}\n`
          : "nothing was changed in Auth0.\n") +
        "the config file was not written."
      );
    },
  }),
  row({
    type: RuleRefusal,
    kind: "refused",
    exit: EXIT.pending,
    label: "refused",
    details: (error) => refusalList([error]),
    text: nothingWritten,
  }),
  row({
    type: RuleRefusals,
    kind: "refused",
    exit: EXIT.pending,
    label: "refused",
    details: (error) => refusalList(error.refusals),
    text: countedRefusals,
  }),
  row({
    type: RunRefusals,
    kind: "refused",
    exit: EXIT.pending,
    label: "refused",
    details: (error) => refusalList([...error.files, ...error.rules]),
    text: countedRefusals,
  }),
  row({
    type: FileRefusal,
    kind: "refused",
    exit: EXIT.pending,
    label: "refused",
    details: fileRefusals,
    text: nothingWritten,
  }),
  { type: BusyError, kind: "busy", exit: EXIT.pending, label: "failed" },
  row({
    type: ConfigError,
    kind: "config",
    exit: EXIT.usage,
    label: "error",
    details: (error) => ({ file: error.file, problems: error.problems }),
  }),
  { type: DetectionError, kind: "detection", exit: EXIT.usage, label: "error" },
  { type: DirtyTreeError, kind: "dirty", exit: EXIT.usage, label: "error" },
  { type: GitUnavailableError, kind: "git", exit: EXIT.usage, label: "error" },
  {
    type: VerificationError,
    kind: "verification",
    exit: EXIT.pending,
    label: "failed",
  },
  { type: CommitError, kind: "commit", exit: EXIT.pending, label: "failed" },
  { type: CommitUsageError, kind: "commit", exit: EXIT.usage, label: "error" },
  {
    type: GitCommitError,
    kind: "commit",
    exit: EXIT.pending,
    label: "failed",
    written: true,
  },
  { type: WorkflowExistsError, kind: "ci", exit: EXIT.usage, label: "error" },
  { type: WorkflowPinError, kind: "ci", exit: EXIT.usage, label: "error" },
  { type: WorkflowFolderError, kind: "ci", exit: EXIT.usage, label: "error" },
  { type: WorkflowLinkError, kind: "ci", exit: EXIT.usage, label: "error" },
  row({
    type: SummaryFileError,
    kind: "summary-file",
    exit: EXIT.usage,
    label: "error",
    details: (error) => ({ file: error.file }),
  }),
  row({
    type: SummaryNotWrittenError,
    kind: "summary-file",
    exit: EXIT.pending,
    label: "failed",
    details: (error) => ({
      file: error.file,
      ...(error.run.commit ? { commit: error.run.commit } : {}),
    }),
    written: (error) => error.run.written,
  }),
];

/** What both reports say of a failure. */
interface Classified {
  kind: string;
  exit: number;
  /** The human report, without the trailing newline; undefined: already printed (commander). */
  text?: (colors: Colors) => string;
  details: Record<string, unknown>;
  written: boolean;
}

/** @param command the command that failed, when known: a few texts depend on it */
export function classify(error: unknown, command?: string): Classified {
  if (error instanceof CommanderError) {
    // help and version exit through here with code 0; commander printed its usage errors
    // itself, except ours
    return {
      kind: "usage",
      exit: error.exitCode === 0 ? EXIT.ok : EXIT.usage,
      text:
        error.code === "provision.usage"
          ? (colors) => `${colors.red("error")} ${error.message}`
          : undefined,
      details: {},
      written: false,
    };
  }
  const known = ERRORS.find(({ type }) => error instanceof type);
  if (!known || !(error instanceof Error))
    return {
      kind: "internal",
      exit: EXIT.pending,
      text: (colors) =>
        `${colors.red("internal error")} ${(error as Error)?.stack ?? String(error)}\nnothing was written; please report this.`,
      details: {},
      written: false,
    };
  return {
    kind: known.kind,
    exit: known.exit,
    text: (colors) =>
      `${colors.red(known.label)} ${known.text ? known.text(error, command) : error.message}`,
    details: known.details?.(error) ?? {},
    written:
      typeof known.written === "function"
        ? known.written(error)
        : (known.written ?? false),
  };
}

/** Prints the human report of a failure and returns its exit code. */
export function reportError(
  error: unknown,
  fail: (text: string) => void,
  colors: Colors,
  command?: string,
): number {
  const classified = classify(error, command);
  if (classified.text) fail(classified.text(colors));
  return classified.exit;
}

/** The --json report of a run that failed: what failed, where, and the exit code. */
export function errorJson(
  command: string | undefined,
  error: unknown,
  exitCode: number,
): string {
  const { kind, details, written } = classify(error);
  return JSON.stringify(
    {
      command: command ?? null,
      written,
      exitCode,
      error: {
        kind,
        message: (error as Error)?.message ?? String(error),
        ...details,
      },
    },
    null,
    2,
  );
}
