/**
 * `apply --summary-file <path>`: a Markdown account of the run appended to a file, such as the
 * job summary of GitHub Actions ($GITHUB_STEP_SUMMARY), so a failed check says why.
 */
import * as fs from "node:fs";
import { RuleRefusal, RuleRefusals } from "../../transforms/lib/refusal";
import { GitCommitError } from "./git";

export function appendSummary(file: string, markdown: string): void {
  fs.appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}

export function successMarkdown({
  version,
  services,
  files,
  commit,
  ignored = [],
}: {
  version: string;
  services: string[];
  files: number;
  /** The new commit, or undefined when nothing changed. */
  commit: string | undefined;
  /** Files written but left out of the commit, as git ignores them. */
  ignored?: string[];
}): string {
  const heading = `## amplication-auth0 ${version}`;
  const left =
    ignored.length === 0
      ? ""
      : `Written but not committed, as git ignores ${ignored.length === 1 ? "it" : "them"}: ${ignored.map(code).join(", ")}.\n`;
  if (commit === undefined)
    return ignored.length === 0
      ? `${heading}\n\nNothing to convert: this build is already converted to Auth0. No commit.\n`
      : `${heading}\n\nNo commit. ${left}`;
  return (
    `${heading}\n\nConverted ${services.map(code).join(", ")} to Auth0: ` +
    `${files} file${files === 1 ? "" : "s"} in commit ${code(commit.slice(0, 12))}.\n` +
    left
  );
}

/** Why the run failed; for each refusal, the file, the rule, the reason and the fix. */
export function failureMarkdown(version: string, error: unknown): string {
  const heading = `## amplication-auth0 ${version}: this build was not converted`;
  const nothing = "Nothing was written or committed; the branch is as pushed.";
  const refusals =
    error instanceof RuleRefusal
      ? [error]
      : error instanceof RuleRefusals
        ? error.refusals
        : undefined;
  if (refusals)
    return [
      heading,
      "",
      refusals.length === 1
        ? "A rule refused a file that does not have the shape it converts:"
        : `Rules refused ${refusals.length} files that do not have the shape they convert:`,
      ...refusals.flatMap((refusal) => [
        "",
        `- **File:** ${code(refusal.file)}`,
        `- **Rule:** ${code(refusal.rule)}`,
        `- **Reason:** ${refusal.reason}`,
        `- **Fix:** ${refusal.fix}`,
      ]),
      "",
      nothing,
      "",
    ].join("\n");
  const message = (error as Error)?.message ?? String(error);
  // Only a failed git commit comes after the write; its message says what is on disk.
  const after = error instanceof GitCommitError ? "" : `\n\n${nothing}`;
  return `${heading}\n\n${fence(message)}${after}\n`;
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
