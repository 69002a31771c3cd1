/**
 * The uncommitted-work guard: apply refuses to rewrite files that hold uncommitted changes,
 * so the user can always review and revert the conversion with git.
 */
import { execFileSync } from "node:child_process";

export class DirtyTreeError extends Error {}

/** Uncommitted paths under the given folders, or [] when root is not a git work tree. */
export function uncommittedPaths(root: string, folders: string[]): string[] {
  let output: string;
  try {
    output = execFileSync(
      "git",
      ["status", "--porcelain", "--untracked-files=all", "--", ...folders],
      {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
  } catch {
    return []; // not a git work tree, or git is not installed: nothing to protect with it
  }
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.slice(3));
}
