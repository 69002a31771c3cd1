/**
 * Real git repositories for the tests of an app kept in a git submodule: git run in the
 * superproject sees at most the submodule as a whole, never the files in it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyTree, tempDir } from "./files";

/** Runs git in cwd as a fixed user, unless the environment names another. */
export function git(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Dana",
      GIT_AUTHOR_EMAIL: "dana@example.com",
      GIT_COMMITTER_NAME: "Dana",
      GIT_COMMITTER_EMAIL: "dana@example.com",
      ...env,
    },
  });
}

/** A copy of `files` as a new git repository with one commit of everything. */
export function committedCopy(
  files: string,
  env: NodeJS.ProcessEnv = {},
): string {
  const repo = copyTree(files, tempDir("aa0-sub-"));
  git(repo, ["init", "--quiet"]);
  git(repo, ["add", "--all"]);
  git(repo, ["commit", "--quiet", "--message", "generated"], env);
  return repo;
}

/**
 * A new superproject holding the repository `app` as a submodule at `at` (a clone, as `git
 * submodule add` makes it), and `files` (relative path → content) of its own, all committed.
 */
export function superprojectWith(
  app: string,
  {
    at = "app",
    files = {},
  }: { at?: string; files?: Record<string, string> } = {},
): string {
  const top = tempDir("aa0-super-");
  git(top, ["init", "--quiet"]);
  // Modern git clones from a local path only when the file protocol is allowed explicitly.
  git(top, [
    "-c",
    "protocol.file.allow=always",
    "submodule",
    "add",
    "--quiet",
    app,
    at,
  ]);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(top, file)), { recursive: true });
    fs.writeFileSync(path.join(top, file), content);
  }
  git(top, ["add", "--all"]);
  git(top, ["commit", "--quiet", "--message", "the app as a submodule"]);
  // What the rest of the tests rely on: the app's files are not the superproject's.
  const tracked = git(top, ["ls-files", "--", at]);
  if (tracked !== `${at}\n`)
    throw new Error(
      `${at} is not a submodule of ${top}: git tracks ${tracked}`,
    );
  return top;
}
