/**
 * The uncommitted-work guard: apply refuses to rewrite files that hold uncommitted changes,
 * so the user can always review and revert the conversion with git.
 */
import { execFile } from "node:child_process";

export class DirtyTreeError extends Error {}

/**
 * Uncommitted paths under the given folders, or [] when root is not a git work tree. Git runs
 * while the caller goes on: on a large app `git status` takes a tenth of a second or more.
 */
export function uncommittedPaths(
  root: string,
  folders: string[],
): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["status", "--porcelain", "--untracked-files=all", "--", ...folders],
      { cwd: root, encoding: "utf8" },
      (error, output) => {
        // Not a git work tree, or git is not installed: nothing to protect with it.
        if (error) return resolve([]);
        resolve(
          output
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => line.slice(3)),
        );
      },
    );
  });
}
