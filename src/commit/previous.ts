/**
 * What git cannot give back. apply's promise is that a conversion can be reviewed and undone
 * with git, and its guard protects uncommitted work; but a file git does not track (a `.env` the
 * user listed in .gitignore) is neither protected nor restorable once rewritten. So before a
 * commit, the content of each such file that the run changes or deletes is kept in the git
 * folder (never in the work tree: it may hold secrets), with the file's mode, for the last
 * KEPT_RUNS runs that needed it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CommitError, type FileChange } from "./commit";
import { gitTopLevel } from "./git";
import { WorkTrees } from "./work-trees";
import {
  PREVIOUS_FOLDER,
  previousRunFolder,
  toolFolder,
  writeSynced,
} from "./journal";
export const KEPT_RUNS = 5;

/**
 * Copies the files of `changes` that exist and that git does not track into
 * `<git folder>/amplication-auth0/previous/<time>/<path>`; returns one note per file saying
 * where. Nothing outside a git work tree (apply warns there that git cannot undo anything).
 */
export function keepUntrackedOriginals(
  root: string,
  changes: readonly FileChange[],
  now: Date = new Date(),
  known: {
    /** The root's git top folder (null: none), when the caller knows it (one git call less). */
    top?: string | null;
    workTrees?: WorkTrees;
  } = {},
): string[] {
  const existing = changes.filter((change) => change.before !== undefined);
  if (existing.length === 0) return [];
  const top = known.top === undefined ? gitTopLevel(root) : known.top;
  // Each file is asked of the work tree that holds it: from the root, git tracks none of a
  // submodule's files. The root's own group is outside git when the root is.
  const inGit = (known.workTrees ?? new WorkTrees(root))
    .group(existing.map((change) => change.file))
    .filter((group) => group.prefix !== "" || top);
  if (inGit.length === 0) return [];
  const untracked = inGit.flatMap(({ cwd, prefix, paths }) => {
    const tracked = trackedFiles(cwd, paths);
    return paths
      .filter((file) => !tracked.has(file))
      .map((file) => prefix + file);
  });
  if (untracked.length === 0) return [];

  // With the journal, in the root's git folder; in the nested one's where the root has none.
  const folder = toolFolder(top ?? inGit[0]!.cwd);
  const previous = path.join(folder, PREVIOUS_FOLDER);
  try {
    return keep(root, untracked, previousRunFolder(folder, process.pid, now));
  } catch (error) {
    throw new CommitError(
      `could not keep a copy of ${untracked.join(", ")} (not tracked by git) in ${path.relative(root, previous)}: ${(error as Error).message}; nothing was written`,
    );
  }
}

function keep(root: string, untracked: string[], run: string): string[] {
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  const notes: string[] = [];
  for (const file of untracked) {
    const source = path.join(root, file);
    const kept = path.join(run, file);
    fs.mkdirSync(path.dirname(kept), { recursive: true, mode: 0o700 });
    // Created with the file's mode from the start: a 0600 .env is never readable by others.
    writeSynced(
      kept,
      fs.readFileSync(source),
      fs.statSync(source).mode & 0o777,
    );
    notes.push(
      `${file} is not tracked by git, so git cannot give it back: its content before this run is kept in ${path.relative(root, kept)}`,
    );
  }
  prune(path.dirname(run));
  return notes;
}

/** The given files (relative to cwd, in git's work tree there) that git tracks. */
function trackedFiles(cwd: string, files: string[]): Set<string> {
  const output = execFileSync(
    "git",
    ["--literal-pathspecs", "ls-files", "-z", "--", ...files],
    {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  return new Set(output.split("\0").filter((file) => file !== ""));
}

/** Keeps the newest KEPT_RUNS runs' copies (their folder names sort by time). */
function prune(previous: string): void {
  const runs = fs
    .readdirSync(previous, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const old of runs.slice(0, -KEPT_RUNS))
    fs.rmSync(path.join(previous, old), { recursive: true, force: true });
}
