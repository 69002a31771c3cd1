/**
 * `apply --commit`: one commit of exactly the files a run created, changed and deleted, by a
 * fixed author, so a CI job can push it and skip its own commit on the next push.
 */
import { execFileSync } from "node:child_process";
import type { FileChange } from "../commit/commit";
import { WorkTrees } from "../commit/work-trees";
import type { AppProfile } from "../detect/detect";

export interface Author {
  name: string;
  email: string;
}

export const DEFAULT_AUTHOR: Author = {
  name: "amplication-auth0[bot]",
  email: "amplication-auth0[bot]@users.noreply.github.com",
};

/** The trailer every commit of the tool ends with, even under --message: the CI job skips on it. */
export const TRAILER_KEY = "Converted-by";

/** A usage problem with --commit or --author: found before anything is written. */
export class CommitUsageError extends Error {}

/** The conversion was written but git refused the commit (a hook, for example). */
export class GitCommitError extends Error {}

export function formatAuthor(author: Author): string {
  return `${author.name} <${author.email}>`;
}

export function parseAuthor(text: string): Author {
  const match = /^\s*([^<>]*[^<>\s])\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (!match)
    throw new CommitUsageError(
      `--author "${text}": expected "Name <email>", e.g. "${formatAuthor(DEFAULT_AUTHOR)}"`,
    );
  return { name: match[1], email: match[2] };
}

/** The services whose files the run changed, by name. */
export function convertedServices(
  profiles: AppProfile[],
  changes: FileChange[],
): string[] {
  const under = (file: string, dir: string | undefined) =>
    dir !== undefined && (dir === "." || file.startsWith(`${dir}/`));
  return profiles
    .filter((profile) =>
      changes.some(
        (change) =>
          under(change.file, profile.server.root) ||
          under(change.file, profile.admin?.root),
      ),
    )
    .map((profile) => profile.name);
}

export function commitMessage({
  version,
  services,
  files,
  message,
}: {
  version: string;
  services: string[];
  files: number;
  message?: string;
}): string {
  const body =
    message?.trim() ||
    `amplication-auth0 ${version}: convert ${services.join(", ") || "the app"} to Auth0\n\n` +
      `amplication-auth0 apply created, changed or deleted ${files} file${files === 1 ? "" : "s"}.`;
  return `${body}\n\n${TRAILER_KEY}: amplication-auth0 ${version}\n`;
}

/** Throws CommitUsageError unless root is inside a git work tree (checked before any write). */
export function assertGitWorkTree(root: string): void {
  try {
    const inside = git(root, ["rev-parse", "--is-inside-work-tree"]).trim();
    if (inside === "true") return;
  } catch {
    // not a repository, or no git: the message below says what to do
  }
  throw new CommitUsageError(
    `--commit: ${root} is not inside a git work tree (or git is not installed); run git init, or apply without --commit`,
  );
}

/**
 * Throws CommitUsageError when a change lies in a git repository inside root (a submodule): its
 * commit would be that repository's, which the CI job neither makes nor pushes with root's, and
 * root's commit cannot hold the files. Called by the run before it writes anything.
 */
export function assertCommittableHere(
  root: string,
  changes: readonly FileChange[],
  workTrees: WorkTrees = new WorkTrees(root),
): void {
  const nested = workTrees.nested(changes.map((change) => change.file));
  if (nested.length === 0) return;
  const [first] = nested;
  const kind =
    nested.length === 1
      ? "the git submodule (or nested repository)"
      : "the git submodules (or nested repositories)";
  throw new CommitUsageError(
    `--commit: the files to convert are in ${kind} ${nested.join(" and ")}, and a commit in ${root} cannot hold them; nothing was written.\n` +
      `  fix: run apply --commit in ${first} (with a config there whose services are relative to it), or apply without --commit here and commit in ${first} yourself`,
  );
}

/**
 * Commits exactly the changed files: they are staged (deletions too), then committed with
 * `--only`, which leaves whatever else the index held staged and out of the commit. Returns the
 * new commit's id, or undefined when there was nothing to commit.
 */
export function commitChanges(
  root: string,
  changes: FileChange[],
  { author, message }: { author: Author; message: string },
): string | undefined {
  if (changes.length === 0) return undefined;
  const pathspec = ["--pathspec-from-file=-", "--pathspec-file-nul"];
  const nul = (files: string[]) => files.map((file) => `${file}\0`).join("");
  const env = {
    ...process.env,
    GIT_LITERAL_PATHSPECS: "1",
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  try {
    // A deleted file git never tracked (with --allow-dirty) has nothing to commit.
    const deleted = changes.filter((change) => change.after === undefined);
    const tracked = new Set(
      deleted.length === 0
        ? []
        : git(
            root,
            ["ls-files", "-z", "--", ...deleted.map((change) => change.file)],
            { env },
          ).split("\0"),
    );
    const files = changes
      .filter(
        (change) => change.after !== undefined || tracked.has(change.file),
      )
      .map((change) => change.file);
    if (files.length === 0) return undefined;
    git(root, ["add", "--all", ...pathspec], { input: nul(files), env });
    // Written back as HEAD has them (a dirty file converted to what was committed): no commit.
    if (hasHead(root) && !stagedDiffers(root, files)) return undefined;
    git(
      root,
      ["commit", "--only", "--quiet", "--message", message, ...pathspec],
      { input: nul(files), env },
    );
    return git(root, ["rev-parse", "HEAD"]).trim();
  } catch (error) {
    throw notCommitted(error);
  }
}

/**
 * The files of `changes` that git ignores (a .gitignore lists them and they are not tracked):
 * written in the working tree, they stay out of the commit, as `git add` would leave them. A
 * server whose .gitignore lists .env is one: a CI checkout has none, and the run writes one.
 */
export function ignoredByGit(root: string, changes: FileChange[]): string[] {
  try {
    return ignoredFiles(
      root,
      changes
        .filter((change) => change.after !== undefined)
        .map((change) => change.file),
    );
  } catch (error) {
    throw notCommitted(error);
  }
}

/**
 * The files of `files` (relative to root) that git ignores and does not track (`git
 * check-ignore`, which passes over tracked files). Throws when git fails (outside a work tree).
 */
export function ignoredFiles(root: string, files: string[]): string[] {
  if (files.length === 0) return [];
  try {
    return git(root, ["check-ignore", "-z", "--stdin"], {
      input: files.map((file) => `${file}\0`).join(""),
    })
      .split("\0")
      .filter(Boolean);
  } catch (error) {
    if ((error as { status?: number }).status === 1) return []; // none is ignored
    throw error;
  }
}

function notCommitted(error: unknown): GitCommitError {
  const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
  return new GitCommitError(
    `--commit: the conversion was written but git did not commit it: ${stderr || (error as Error).message}\n` +
      "  fix: review the changed files with git status, then commit them yourself",
  );
}

function hasHead(root: string): boolean {
  try {
    git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]);
    return true;
  } catch {
    return false; // a repository without a commit yet
  }
}

/** Whether any of files, as staged, differs from HEAD. */
function stagedDiffers(root: string, files: string[]): boolean {
  const staged = git(root, [
    "diff",
    "--cached",
    "--name-only",
    "--relative", // paths as the run names them, from its root
    "-z",
    "--no-renames",
    "HEAD",
  ])
    .split("\0")
    .filter(Boolean);
  const mine = new Set(files);
  return staged.some((file) => mine.has(file));
}

function git(
  cwd: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}
