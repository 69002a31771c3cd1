/**
 * The uncommitted-work guard: apply refuses to rewrite files that hold uncommitted changes,
 * so the user can always review and revert the conversion with git.
 */
import { execFile, execFileSync } from "node:child_process";

export class DirtyTreeError extends Error {}

/** Enough for hundreds of thousands of paths; past it, what was read already shows the tree dirty. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Uncommitted paths under the given folders, or [] when root is not in a git work tree or git is
 * not installed. Any other failure of git rejects: the guard never passes by accident. Git runs
 * while the caller goes on: on a large app `git status` takes a tenth of a second or more.
 */
export function uncommittedPaths(
  root: string,
  folders: string[],
  { maxOutput = MAX_OUTPUT }: { maxOutput?: number } = {},
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["status", "--porcelain", "--untracked-files=all", "--", ...folders],
      { cwd: root, encoding: "utf8", maxBuffer: maxOutput },
      (error, output, stderr) => {
        const paths = () =>
          output
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => line.slice(3));
        if (!error) return resolve(paths());
        const code = (error as NodeJS.ErrnoException).code;
        // Nothing to protect with git.
        if (code === "ENOENT" || /not a git repository/i.test(stderr)) {
          return resolve([]);
        }
        // More paths than the buffer holds: those read are enough to refuse.
        if (
          code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER" &&
          paths().length > 0
        ) {
          return resolve(paths());
        }
        reject(
          new Error(
            `git status failed in ${root}, so uncommitted changes cannot be ruled out: ${stderr.trim() || error.message}`,
          ),
        );
      },
    );
  });
}

/**
 * The top folder of the git work tree that holds dir, or undefined when dir is in none (or git
 * is not installed).
 */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}
