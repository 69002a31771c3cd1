/**
 * The commit's journal and the repository lock, both in the tool's folder: .git/amplication-auth0
 * in a git repository (git ignores it, and so does the uncommitted-changes guard), else
 * .amplication-auth0 at the repository root (removed again when a run ends).
 *
 * The journal is written and flushed before the commit changes anything. A run that finds one
 * left by a process that died finishes it before anything else (see recover): back to the old
 * tree while the commit was under way, forward (clean-up only) once every file was in place.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileRefusal, fsRefusal } from "../tree/file-error";
import { Steps } from "./faults";

export const TOOL_FOLDER = "amplication-auth0";
/** In the tool's folder: copies of content git cannot give back (see previous.ts, and recover). */
export const PREVIOUS_FOLDER = "previous";

/** One file of a commit, by repository-relative paths of the real files (links resolved). */
export interface JournalEntry {
  /** Where the new content goes (or the file to delete). */
  target: string;
  /** The new content, written beside the target first; absent for a deletion. */
  temp?: string;
  /** A second name for the old content (a hard link or a copy); absent for a new file. */
  backup?: string;
  /** For a new file: the SHA-256 of its content, so that only that file is removed again. */
  createdHash?: string;
  /**
   * For a changed file: the SHA-256 of its new content, so that a rollback puts the old content
   * back only where the file still holds what the run wrote (absent in earlier journals).
   */
  writtenHash?: string;
}

export interface Journal {
  pid: number;
  /** "pending" until every file is in place, then "committed". */
  state: "pending" | "committed";
  entries: JournalEntry[];
  /** Folders the commit creates, outermost first. */
  createdDirs: string[];
}

export function sha256(content: Buffer): string {
  return crypto.createHash("sha256").update(content).digest("hex");
}

/**
 * The names of a commit's temporary files beside their targets: the new content, and the
 * backup of the old (`<file>.amplication-auth0-<pid>[.old[.part]]`).
 */
export function temporarySuffix(pid: number): string {
  return `.${TOOL_FOLDER}-${pid}`;
}

/** The file a temporary name (see temporarySuffix) stands for; any other name as it is. */
export function withoutTemporarySuffix(file: string): string {
  return file.replace(
    new RegExp(`\\.${TOOL_FOLDER}-\\d+(\\.old(\\.part)?)?$`),
    "",
  );
}

/**
 * The folder, under previous/, of one run's kept copies: named by time, so that the names sort
 * by it (previous.ts keeps the newest), and by process, so two runs in one millisecond stay apart.
 */
export function previousRunFolder(
  toolFolder: string,
  pid: number,
  now: Date = new Date(),
  label = "",
): string {
  return path.join(
    toolFolder,
    PREVIOUS_FOLDER,
    `${now.toISOString().replace(/[:.]/g, "-")}-${pid}${label}`,
  );
}

/**
 * Has git ignore the commit's temporary files, in the repository's info/exclude (its own
 * ignore file, never committed): a crash leaves them beside their targets until the next run
 * puts things right, and a `git add -A` meanwhile must not take them (the backup of a .env
 * holds its secrets). Best effort: a git folder it cannot write changes nothing else.
 */
export function ignoreTemporaries(root: string): void {
  const gitFolder = path.dirname(toolFolder(root));
  if (gitFolder === root) return; // not a git repository: the tool folder is .amplication-auth0
  try {
    // a worktree's git folder names the repository's common one, where info/exclude lives
    let common = gitFolder;
    try {
      common = path.resolve(
        gitFolder,
        fs.readFileSync(path.join(gitFolder, "commondir"), "utf8").trim(),
      );
    } catch {
      // not a worktree
    }
    const exclude = path.join(common, "info", "exclude");
    const pattern = `*.${TOOL_FOLDER}-*`; // every temporarySuffix
    let text = "";
    try {
      text = fs.readFileSync(exclude, "utf8");
    } catch {
      // none yet
    }
    if (text.split(/\r?\n/).includes(pattern)) return;
    fs.mkdirSync(path.dirname(exclude), { recursive: true });
    fs.appendFileSync(
      exclude,
      `${text === "" || text.endsWith("\n") ? "" : "\n"}# ${TOOL_FOLDER}: a commit's temporary files, left only by a crash\n${pattern}\n`,
    );
  } catch {
    // a git folder it cannot write: the files are removed by the next run all the same
  }
}

/**
 * Outside a git repository, the tool folder is .amplication-auth0 at the root; what stays there
 * (the jscodeshift runs' files hold the files' texts, a .env's among them) must stay out of a
 * later `git init && git add .`: the folder ignores itself. Inside one it is in the git folder.
 */
export function ignoreToolFolder(root: string): void {
  const folder = toolFolder(root);
  if (path.dirname(folder) !== root) return; // in the git folder
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      path.join(folder, ".gitignore"),
      `# ${TOOL_FOLDER}'s own files: never committed\n*\n`,
      { flag: "wx" },
    );
  } catch {
    // there already, or a folder it cannot write (then nothing is written in it either)
  }
}

/** The tool's folder for a repository root (see the file comment). */
export function toolFolder(root: string): string {
  const dotGit = path.join(root, ".git");
  try {
    const stat = fs.statSync(dotGit);
    if (stat.isDirectory()) return path.join(dotGit, TOOL_FOLDER);
    // a worktree or submodule: .git is a file naming the real git folder
    const named = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, "utf8"));
    if (named) return path.join(path.resolve(root, named[1]), TOOL_FOLDER);
  } catch {
    // no git here
  }
  return path.join(root, `.${TOOL_FOLDER}`);
}

export class BusyError extends Error {}

/** What recovery and lock take-over did, said to the user before anything else. */
export type Say = (line: string) => void;

/**
 * Takes the repository's lock, then finishes any commit a crashed run left, before the command
 * does anything else. Returns the release, to call in a finally. A second run meanwhile refuses
 * with who holds the lock; a lock whose process is gone is taken over.
 */
export function openRepository(root: string, say: Say): () => void {
  const nothing = () => undefined;
  if (!isFolder(root)) return nothing; // the command reports the missing folder itself
  const folder = toolFolder(root);
  const lock = path.join(folder, "lock");
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    // A repository the user cannot write: nothing can be left to finish, and nothing written.
    if (!fs.existsSync(journalFile(folder)) && isReadOnly(error))
      return nothing;
    throw error;
  }
  const mine = JSON.stringify({
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
  });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, mine, { flag: "wx" });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && isReadOnly(error)) return nothing;
      if (code !== "EEXIST") {
        // Made but not written (a full disk, say): an empty lock would hold up the next run.
        if (isEmptyFile(lock)) fs.rmSync(lock, { force: true });
        throw fsRefusal(path.relative(root, lock) || lock, error);
      }
      if (attempt >= LOCK_ATTEMPTS)
        throw new BusyError(
          `another amplication-auth0 run is taking the lock of this repository (${path.relative(root, lock) || lock}); run again in a moment`,
        );
    }
    const holder = readLock(lock);
    if (holder && isAlive(holder.pid, holder.host)) {
      throw new BusyError(
        `another amplication-auth0 run (pid ${holder.pid}, since ${holder.since}) is working on this repository; ` +
          `wait for it to finish and run again (if no such process exists, delete ${path.relative(root, lock) || lock})`,
      );
    }
    // An empty lock may be one another run is writing this very moment: only an old one is
    // a dead run's. Another run may be taking the dead run's lock over too: one of them does.
    if ((!holder && ageMs(lock) < TORN_LOCK_MS) || !takeOver(lock, holder, say))
      sleep(LOCK_RETRY_MS);
  }
  try {
    const steps = new Steps();
    recover(root, folder, say, steps);
    steps.report("recovery");
  } catch (error) {
    fs.rmSync(lock, { force: true });
    throw error;
  }
  return () => {
    fs.rmSync(lock, { force: true });
    tidy(folder);
  };
}

/** The dot-folder at the root goes when it is empty; the one under .git may stay. */
export function tidy(folder: string): void {
  if (path.basename(folder) !== `.${TOOL_FOLDER}`) return;
  try {
    fs.rmdirSync(folder);
  } catch {
    // still holds something (a run's lock, or a journal to finish)
  }
}

function isEmptyFile(file: string): boolean {
  try {
    return fs.statSync(file).size === 0;
  } catch {
    return false;
  }
}

function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isReadOnly(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return ["EACCES", "EPERM", "EROFS"].includes(code);
}

/** How often a run tries for a lock that is being written or taken over, LOCK_RETRY_MS apart. */
const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 50;
/** A lock (or take-over mark) this old that says nothing is its dead writer's. */
const TORN_LOCK_MS = 5_000;

/**
 * Removes a dead run's lock, unless another run is taking it over meanwhile (false: try again).
 * Without the mark, two runs could both find the dead lock, and the slower one would remove the
 * lock the faster one had just made its own.
 */
function takeOver(
  lock: string,
  dead: ReturnType<typeof readLock>,
  say: Say,
): boolean {
  const mark = `${lock}.takeover`;
  try {
    fs.writeFileSync(mark, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // A take-over takes a moment: an old mark is a run that died taking over.
    if (ageMs(mark) >= TORN_LOCK_MS) fs.rmSync(mark, { force: true });
    return false;
  }
  try {
    // Still the dead run's lock, not one a faster run has made since (nor none: a run ended).
    if (
      fs.existsSync(lock) &&
      JSON.stringify(readLock(lock)) === JSON.stringify(dead)
    ) {
      say(
        `took over the lock of an earlier run that is gone (pid ${dead?.pid ?? "unknown"})`,
      );
      fs.rmSync(lock, { force: true });
    }
    return true;
  } finally {
    fs.rmSync(mark, { force: true });
  }
}

/** Milliseconds since the file was last written; Infinity when it is gone. */
function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readLock(
  lock: string,
): { pid: number; host?: string; since?: string } | undefined {
  try {
    const held = JSON.parse(fs.readFileSync(lock, "utf8"));
    return typeof held?.pid === "number" ? held : undefined;
  } catch {
    return undefined; // empty or torn: its writer died while writing it
  }
}

function isAlive(pid: number, host?: string): boolean {
  if (host !== undefined && host !== os.hostname()) return true; // cannot tell: assume so
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A process killed a moment ago is a zombie until its parent reaps it (Linux tells).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return (
      stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
    );
  } catch {
    return true; // no /proc: the signal said it exists
  }
}

/** Where a backup is copied before it is renamed to its name. */
export function partial(backup: string): string {
  return `${backup}.part`;
}

export function journalFile(folder: string): string {
  return path.join(folder, "journal.json");
}

/** Writes the journal whole (temp, flush, rename, flush the folder): it is there or it is not. */
export function writeJournal(
  folder: string,
  journal: Journal,
  steps: Steps,
): void {
  const file = journalFile(folder);
  const temp = `${file}.tmp`;
  steps.take("journal", () => writeSynced(temp, JSON.stringify(journal)));
  steps.take("journal", () => fs.renameSync(temp, file));
  syncFolder(folder);
}

/** Creates a file (never one that exists) with exactly `mode` when given, flushed to disk. */
export function writeSynced(
  file: string,
  content: string | Buffer,
  mode?: number,
): void {
  const fd = fs.openSync(file, "wx", mode ?? 0o666);
  try {
    if (mode !== undefined) fs.fchmodSync(fd, mode); // the umask narrowed it at open
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, "r");
    fs.fsyncSync(fd);
  } catch {
    // some file systems cannot flush a folder; the renames are still in order
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Finishes a commit that a dead process left: while "pending", every file goes back to its old
 * content (renaming the backup over it: never writing onto a file) and every new file and
 * folder is removed; once "committed", only the backups are removed. Either way no temporary
 * file is left. Why back: the crashed run never said it was done, the old tree is what git
 * holds, and a new apply makes the same change again.
 */
export function recover(
  root: string,
  folder: string,
  say: Say,
  steps: Steps,
): void {
  root = fs.realpathSync(root); // the journal's paths are relative to the real root
  const file = journalFile(folder);
  if (fs.existsSync(`${file}.tmp`)) {
    // a journal being written (the first: nothing was changed yet; or the "committed" one)
    steps.take("journal", () => fs.unlinkSync(`${file}.tmp`));
    if (!fs.existsSync(file))
      say(
        "an earlier run was interrupted before it changed any file; removed its unfinished journal",
      );
  }
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new FileRefusal(
      path.relative(root, file),
      `is the journal of an interrupted run and cannot be read (${(error as Error).message})`,
      "restore the files it lists with git, then delete it",
    );
  }
  const at = (relative: string) => path.join(root, relative);
  const exists = (relative: string) => {
    try {
      fs.lstatSync(at(relative));
      return true;
    } catch {
      return false;
    }
  };
  let restored = 0;
  let removed = 0;
  const cleaned: string[] = [];
  /** Files changed after the interruption: left as they are, their old content kept aside. */
  const keptAside: string[] = [];
  /**
   * Whether the target changed after the interruption (the user, say, edited a file the run had
   * already replaced): it holds neither the old file nor what the run wrote.
   */
  const changedSince = (entry: JournalEntry): boolean => {
    if (!exists(entry.target)) return false; // put back what was there
    const target = fs.statSync(at(entry.target));
    const backup = fs.statSync(at(entry.backup!));
    if (target.ino === backup.ino && target.dev === backup.dev) return false; // not swapped yet
    const content = fs.readFileSync(at(entry.target));
    if (content.equals(fs.readFileSync(at(entry.backup!)))) return false; // the old content still
    if (!entry.temp) return true; // a deleted file that is back, changed: someone put it there
    // an earlier journal (no hash): as it did then
    return (
      entry.writtenHash !== undefined && sha256(content) !== entry.writtenHash
    );
  };
  const forward = journal.state === "committed";
  for (const entry of [...journal.entries].reverse()) {
    // a backup being copied (where hard links are not possible) is only a backup once renamed
    if (entry.backup && exists(partial(entry.backup))) {
      steps.take("drop-temp", () => fs.unlinkSync(at(partial(entry.backup!))));
      cleaned.push(partial(entry.backup));
    }
    if (entry.temp && exists(entry.temp)) {
      steps.take("drop-temp", () => fs.unlinkSync(at(entry.temp!)));
      cleaned.push(entry.temp);
    }
    if (forward) {
      if (entry.backup && exists(entry.backup)) {
        steps.take("drop-backup", () => fs.unlinkSync(at(entry.backup!)));
        cleaned.push(entry.backup);
      }
      continue;
    }
    if (entry.backup && exists(entry.backup) && changedSince(entry)) {
      const kept = keepAside(
        folder,
        journal.pid,
        at(entry.backup),
        entry.target,
      );
      keptAside.push(
        `${entry.target} (its content before that run: ${path.relative(root, kept)})`,
      );
    } else if (entry.backup && exists(entry.backup)) {
      // When the target is still the same file, rename changes nothing: drop the second name.
      steps.take("restore", () =>
        fs.renameSync(at(entry.backup!), at(entry.target)),
      );
      if (exists(entry.backup))
        steps.take("restore", () => fs.unlinkSync(at(entry.backup!)));
      restored += 1;
    } else if (
      entry.createdHash &&
      exists(entry.target) &&
      sha256(fs.readFileSync(at(entry.target))) === entry.createdHash
    ) {
      steps.take("drop-new", () => fs.unlinkSync(at(entry.target)));
      removed += 1;
    }
  }
  if (forward) removeEmptiedFolders(root, journal.entries);
  else
    for (const dir of [...journal.createdDirs].reverse())
      try {
        fs.rmdirSync(at(dir));
      } catch {
        // not created after all, or holds something that is not the run's
      }
  steps.take("journal", () => fs.unlinkSync(file));
  const leftovers =
    cleaned.length > 0
      ? `removed ${cleaned.length} temporary file${cleaned.length === 1 ? "" : "s"} (${cleaned.slice(0, 3).join(", ")}${cleaned.length > 3 ? ", ..." : ""})`
      : "no temporary file was left";
  say(
    forward
      ? `an earlier run (pid ${journal.pid}) was interrupted after writing every change: finished it; ${leftovers}`
      : `an earlier run (pid ${journal.pid}) was interrupted while writing: put back the old content of ${restored} file${restored === 1 ? "" : "s"}, ` +
          `removed ${removed} new file${removed === 1 ? "" : "s"}; ${leftovers}; ` +
          (keptAside.length === 0
            ? "the tree is as it was before that run"
            : `the tree is as it was before that run, but for ${keptAside.length} file${keptAside.length === 1 ? "" : "s"} changed since, left as ${keptAside.length === 1 ? "it is" : "they are"}: ${keptAside.join(", ")}`),
  );
}

/**
 * Moves the old content of a file changed after an interrupted run into the tool's folder (never
 * the work tree: it may be a .env), under previous/, where the copies of untracked files go.
 */
function keepAside(
  folder: string,
  pid: number,
  backup: string,
  target: string,
): string {
  const into = path.join(
    previousRunFolder(folder, pid, new Date(), "-interrupted"),
    target,
  );
  fs.mkdirSync(path.dirname(into), { recursive: true, mode: 0o700 });
  try {
    fs.renameSync(backup, into); // the same file, mode and all
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    fs.copyFileSync(backup, into); // the git folder on another file system
    fs.chmodSync(into, fs.statSync(backup).mode & 0o777);
    fs.unlinkSync(backup);
  }
  return into;
}

/**
 * The folders a commit's deletions left empty go too (git does not track empty folders, so a
 * converted tree would otherwise differ from its clone). Only the parents of deleted files are
 * looked at, up to the root, so a folder that was empty before the run stays.
 */
function removeEmptiedFolders(root: string, entries: JournalEntry[]): void {
  for (const entry of entries) {
    if (entry.temp) continue; // not a deletion
    let dir = path.dirname(path.join(root, entry.target));
    while (dir.startsWith(root + path.sep) && isEmptyFolder(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not ours to insist on
      }
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
