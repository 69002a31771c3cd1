/**
 * Writes a staged change set all or nothing. New contents go to temporary files next to their
 * targets first; only when every one is written are they renamed into place. If anything fails,
 * the files already replaced get their old content back and the temporaries are removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface FileChange {
  file: string;
  before: string | undefined;
  /** undefined: delete the file. */
  after: string | undefined;
}

/** The file-system calls commit makes; tests pass one that fails on purpose. */
export interface CommitFs {
  writeFileSync(file: string, content: string): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  mkdirSync(dir: string, options: { recursive: true }): void;
  existsSync(file: string): boolean;
}

export class CommitError extends Error {}

const nodeFs: CommitFs = {
  writeFileSync: (file, content) => fs.writeFileSync(file, content),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (file) => fs.unlinkSync(file),
  mkdirSync: (dir, options) => void fs.mkdirSync(dir, options),
  existsSync: (file) => fs.existsSync(file),
};

export function commit(
  root: string,
  changes: FileChange[],
  io: CommitFs = nodeFs,
): void {
  const suffix = `.amplication-auth0-${process.pid}`;
  const absolute = (file: string) => path.join(root, ...file.split("/"));
  const temporaries: string[] = [];
  const createdDirs: string[] = [];
  const done: FileChange[] = [];
  const backups: Array<{ file: string; backup: string }> = [];

  const cleanTemporaries = () => {
    for (const temp of temporaries)
      if (io.existsSync(temp)) safely(() => io.unlinkSync(temp));
  };

  try {
    // 1. Stage every new content beside its target.
    for (const change of changes) {
      if (change.after === undefined) continue;
      const dir = path.dirname(absolute(change.file));
      if (!io.existsSync(dir)) {
        let topmost = dir;
        while (!io.existsSync(path.dirname(topmost)))
          topmost = path.dirname(topmost);
        io.mkdirSync(dir, { recursive: true });
        createdDirs.push(topmost);
      }
      const temp = absolute(change.file) + suffix;
      temporaries.push(temp);
      io.writeFileSync(temp, change.after);
    }
    // 2. Swap them in; deletions move the old file aside until the end.
    for (const change of changes) {
      const target = absolute(change.file);
      if (change.after === undefined) {
        const backup = target + suffix + ".deleted";
        io.renameSync(target, backup);
        backups.push({ file: target, backup });
      } else {
        io.renameSync(target + suffix, target);
      }
      done.push(change);
    }
  } catch (error) {
    const failures: string[] = [];
    for (const change of done.reverse()) {
      const target = absolute(change.file);
      try {
        if (change.after === undefined) {
          const entry = backups.find((b) => b.file === target)!;
          io.renameSync(entry.backup, target);
        } else if (change.before === undefined) {
          io.unlinkSync(target);
        } else {
          io.writeFileSync(target, change.before);
        }
      } catch {
        failures.push(change.file);
      }
    }
    cleanTemporaries();
    // folders this run created hold nothing but its own (now removed) files
    for (const dir of createdDirs.reverse())
      safely(() => fs.rmSync(dir, { recursive: true, force: true }));
    const restored =
      failures.length === 0
        ? "every file was left as it was"
        : `could not restore ${failures.join(", ")}: check them with git`;
    throw new CommitError(
      `writing the changes failed (${(error as Error).message}); ${restored}`,
    );
  }
  for (const { backup } of backups) safely(() => io.unlinkSync(backup));
  removeEmptiedFolders(root, changes);
}

/**
 * The folders the deletions left empty go too (git does not track empty folders, so a
 * converted tree would otherwise differ from its clone). Only the parents of deleted files are
 * looked at, up to the root, so a folder that was empty before the run stays.
 */
function removeEmptiedFolders(root: string, changes: FileChange[]): void {
  const top = path.resolve(root);
  for (const change of changes) {
    if (change.after !== undefined) continue;
    let dir = path.dirname(path.join(top, ...change.file.split("/")));
    while (dir.startsWith(top + path.sep) && isEmptyFolder(dir)) {
      safely(() => fs.rmdirSync(dir));
      dir = path.dirname(dir);
    }
  }
}

function isEmptyFolder(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch {
    return false; // already gone, or not readable: leave it
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // best effort clean-up; the caller already reports the real error
  }
}
