/**
 * Writes a staged change set all or nothing, and so that a crash at any moment loses nothing.
 *
 * 1. Every target is checked first, all problems reported at once: it must lie inside the
 *    repository (links resolved), still hold what the run read (a file edited meanwhile aborts
 *    the run), be writable, and be valid UTF-8 if it is rewritten.
 * 2. The journal (src/commit/journal.ts) lists every file to write, its temporary file and its
 *    backup; it is flushed to disk before anything else changes.
 * 3. New contents go to temporary files beside their targets, with the target's mode and owner;
 *    the old contents get a second name (a hard link, or a copy) beside them.
 * 4. The temporary files are renamed over their targets and deleted files unlinked.
 * 5. The journal says "committed"; the backups and the journal are removed.
 * A failure undoes the commit from the journal; a crash leaves it for the next run to undo.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  decodeText,
  encodeText,
  PLAIN,
  type TextStyle,
} from "../tree/encoding";
import {
  FileRefusal,
  fsRefusal,
  isInside,
  outside,
  throwAll,
  TURN_OFF_ITS_RULE,
} from "../tree/file-error";
import { pauseBeforeCommit, Steps } from "./faults";
import {
  ignoreTemporaries,
  partial,
  recover,
  sha256,
  syncFolder,
  temporarySuffix,
  tidy,
  withoutTemporarySuffix,
  toolFolder,
  writeJournal,
  writeSynced,
  type Journal,
  type JournalEntry,
} from "./journal";

export interface FileChange {
  file: string;
  before: string | undefined;
  /** undefined: delete the file. */
  after: string | undefined;
  /**
   * A new file is written with "\r\n" line ends (as most files of its service are); a file that
   * exists keeps its own (see CommitOptions.styleOf).
   */
  crlf?: boolean;
}

/** The file-system calls that change the disk; tests pass one that fails on purpose. */
export interface CommitFs {
  /** Creates `file` (it must not exist) with `content` and `mode`, flushed to disk. */
  writeFileSync(file: string, content: Buffer, mode?: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
  linkSync(existing: string, link: string): void;
  mkdirSync(dir: string): void;
}

export const nodeCommitFs: CommitFs = {
  writeFileSync: (file, content, mode) => writeSynced(file, content, mode),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (file) => fs.unlinkSync(file),
  linkSync: (existing, link) => fs.linkSync(existing, link),
  mkdirSync: (dir) => fs.mkdirSync(dir),
};

export class CommitError extends Error {}

export interface CommitOptions {
  /** How each file is stored (BOM, line ends, see DiskTree.styleOf); default plain UTF-8. */
  styleOf?: (file: string) => TextStyle;
  io?: CommitFs;
  steps?: Steps;
}

/** One change, checked, with where and how it is written. */
interface Planned {
  entry: JournalEntry;
  /** Absolute paths. */
  target: string;
  temp?: string;
  backup?: string;
  content?: Buffer;
  /** The old file's bytes as the checks read them, for the look at its backup after the swap. */
  old?: Buffer;
  mode?: number;
  owner?: { uid: number; gid: number };
}

export function commit(
  root: string,
  changes: FileChange[],
  options: CommitOptions = {},
): void {
  const io = options.io ?? nodeCommitFs;
  const steps = options.steps ?? new Steps();
  pauseBeforeCommit();
  const realRoot = fs.realpathSync(root);
  const { planned, createdDirs } = plan(
    root,
    realRoot,
    changes,
    options.styleOf ?? (() => PLAIN),
  );
  const relative = (absolute: string) => path.relative(realRoot, absolute);
  const folder = toolFolder(realRoot);
  const journal: Journal = {
    pid: process.pid,
    state: "pending",
    entries: planned.map((p) => p.entry),
    createdDirs: createdDirs.map(relative),
  };
  const quiet = () => undefined;
  ignoreTemporaries(realRoot);
  try {
    fs.mkdirSync(folder, { recursive: true });
    writeJournal(folder, journal, steps);
    for (const dir of createdDirs) steps.take("mkdir", () => io.mkdirSync(dir));
    for (const p of planned) {
      if (!p.temp) continue;
      steps.take("write", () => io.writeFileSync(p.temp!, p.content!, p.mode));
      if (p.owner) keepOwner(p.temp, p.owner);
    }
    for (const p of planned)
      if (p.backup) keepOldContent(p.target, p.backup, io, steps);
    for (const p of planned) {
      if (p.temp) steps.take("swap", () => io.renameSync(p.temp!, p.target));
      else steps.take("swap", () => io.unlinkSync(p.target));
    }
    for (const dir of new Set(planned.map((p) => path.dirname(p.target))))
      syncFolder(dir);
    // An edit made while the files were being written went into the old file, which the
    // backup's hard link still holds: everything goes back rather than that edit being lost.
    for (const p of planned)
      if (p.backup && p.old && !fs.readFileSync(p.backup).equals(p.old))
        throw new Error(
          `${path.relative(realRoot, p.target)} was changed while the tool was writing, so the run would have overwritten that change; run the command again`,
        );
    writeJournal(folder, { ...journal, state: "committed" }, steps);
  } catch (error) {
    const why = whatFailed(error, realRoot);
    try {
      recover(realRoot, folder, quiet, steps);
    } catch (undo) {
      throw new CommitError(
        `writing the changes: ${why}, and putting the old files back failed too ` +
          `(${whatFailed(undo, realRoot)}); the next amplication-auth0 command finishes restoring them`,
      );
    }
    tidy(folder);
    throw new CommitError(
      `writing the changes: ${why}; every file was left as it was`,
    );
  }
  recover(realRoot, folder, quiet, steps); // the commit is complete: drops backups and journal
  tidy(folder);
  steps.report("commit");
}

/**
 * The checks commit() makes before it writes (step 1), and nothing else: throws the refusals
 * commit() would throw. For a caller that hands some of the changes to another writer first
 * (the jscodeshift router: jscodeshift writes the files it visits).
 */
export function checkChanges(
  root: string,
  changes: FileChange[],
  styleOf: (file: string) => TextStyle = () => PLAIN,
): void {
  check(root, fs.realpathSync(root), changes, styleOf);
}

/** A change whose target passed the checks, and where it is. */
interface Checked {
  change: FileChange;
  target: string;
  stat?: fs.Stats;
  missingDirs: string[];
  /** The bytes the checks read (a file that exists). */
  old?: Buffer;
}

/**
 * A failure while writing, in the repository's terms: a file-system error names the file it
 * was writing (a temporary name beside it stands for the file) by its repository path.
 */
function whatFailed(error: unknown, realRoot: string): string {
  const failed = error as NodeJS.ErrnoException;
  if (!failed?.code || typeof failed.path !== "string")
    return String(failed?.message ?? error);
  const file = withoutTemporarySuffix(path.relative(realRoot, failed.path))
    .split(path.sep)
    .join("/");
  const { reason, fix } = fsRefusal(file, error);
  return `${file}: ${reason} (${fix})`;
}

/** Every target checked, every problem found (see the file comment, step 1). */
function check(
  root: string,
  realRoot: string,
  changes: FileChange[],
  styleOf: (file: string) => TextStyle,
): Checked[] {
  const refusals: FileRefusal[] = [];
  const checked: Checked[] = [];
  for (const change of changes) {
    try {
      const located = locate(root, realRoot, change);
      const old = checkUnchanged(
        change,
        located.target,
        located.stat,
        styleOf(change.file),
      );
      checked.push({ change, ...located, old });
    } catch (error) {
      if (!(error instanceof FileRefusal)) throw error;
      refusals.push(error);
    }
  }
  throwAll(refusals);
  return checked;
}

/** Every target checked, then where and how each is written. */
function plan(
  root: string,
  realRoot: string,
  changes: FileChange[],
  styleOf: (file: string) => TextStyle,
): { planned: Planned[]; createdDirs: string[] } {
  const suffix = temporarySuffix(process.pid);
  const planned: Planned[] = [];
  const createdDirs = new Set<string>();
  for (const { change, target, stat, missingDirs, old } of check(
    root,
    realRoot,
    changes,
    styleOf,
  )) {
    const entry: JournalEntry = { target: path.relative(realRoot, target) };
    const p: Planned = { entry, target };
    if (change.after !== undefined) {
      p.temp = target + suffix;
      entry.temp = path.relative(realRoot, p.temp);
      p.content = encodeText(
        change.after,
        stat ? styleOf(change.file) : { bom: false, crlf: !!change.crlf },
      );
      const model = stat ?? secretBeside(target);
      if (model) {
        p.mode = model.mode & 0o7777;
        p.owner = { uid: model.uid, gid: model.gid };
      }
      if (stat) entry.writtenHash = sha256(p.content);
      else entry.createdHash = sha256(p.content);
    }
    if (stat) {
      p.backup = `${target}${suffix}.old`;
      entry.backup = path.relative(realRoot, p.backup);
      p.old = old;
    }
    missingDirs.forEach((dir) => createdDirs.add(dir));
    planned.push(p);
  }
  return { planned, createdDirs: [...createdDirs] };
}

/**
 * Where a change is written: its folder resolved (it must be inside the repository), and a link
 * to a file inside the repository followed (the link stays; a deletion removes the link).
 */
function locate(
  root: string,
  realRoot: string,
  change: FileChange,
): { target: string; stat?: fs.Stats; missingDirs: string[] } {
  const named = path.join(root, change.file);
  let dir = path.dirname(named);
  const missingDirs: string[] = [];
  while (!fs.existsSync(dir)) {
    missingDirs.unshift(dir);
    dir = path.dirname(dir);
  }
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
  } catch (error) {
    throw fsRefusal(path.relative(root, dir) || ".", error);
  }
  if (!isInside(realDir, realRoot))
    throw outside(root, path.relative(root, dir), realDir);
  const rest = path.relative(dir, named);
  let target = path.join(realDir, rest);
  const realMissing = missingDirs.map((missing) =>
    path.join(realDir, path.relative(dir, missing)),
  );
  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(target);
    if (stat.isSymbolicLink() && change.after !== undefined) {
      const real = fs.realpathSync(target);
      if (!isInside(real, realRoot)) throw outside(root, change.file, real);
      target = real;
      stat = fs.lstatSync(target);
    }
  } catch (error) {
    if (error instanceof FileRefusal) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw fsRefusal(change.file, error);
    stat = undefined;
  }
  if (stat?.isDirectory())
    throw fsRefusal(
      change.file,
      Object.assign(new Error(), { code: "EISDIR" }),
    );
  return { target, stat, missingDirs: realMissing };
}

/** The file on disk is still what the run read, and may be replaced (see step 1). */
function checkUnchanged(
  change: FileChange,
  target: string,
  stat: fs.Stats | undefined,
  style: TextStyle,
): Buffer | undefined {
  const again = "run the command again (nothing was written)";
  if (change.before === undefined) {
    if (stat)
      throw new FileRefusal(
        change.file,
        "was created while the tool was running",
        again,
      );
    return undefined;
  }
  if (!stat)
    throw new FileRefusal(
      change.file,
      "was deleted while the tool was running",
      again,
    );
  if ((stat.mode & 0o200) === 0)
    throw new FileRefusal(
      change.file,
      `is read-only (mode ${(stat.mode & 0o777).toString(8).padStart(4, "0")}), so it is not replaced`,
      `make it writable (chmod u+w) and run again, or ${TURN_OFF_ITS_RULE}`,
    );
  if (change.after !== undefined && style.invalidAt !== undefined)
    throw new FileRefusal(
      change.file,
      `is not valid UTF-8 (the first bad byte is at offset ${style.invalidAt}); rewriting it would replace those bytes`,
      "convert the file to UTF-8 (for example with iconv) and run again",
    );
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(target);
  } catch (error) {
    throw fsRefusal(change.file, error);
  }
  const now = decodeText(bytes);
  if (
    now.text !== change.before ||
    now.style.bom !== style.bom ||
    now.style.crlf !== style.crlf ||
    now.style.invalidAt !== style.invalidAt
  )
    throw new FileRefusal(
      change.file,
      "was changed while the tool was running (after it was read), so the run would overwrite that change",
      again,
    );
  return bytes;
}

/**
 * A new file beside a `.env` whose name also starts with `.env` (an example or a local
 * variant) is as secret: it gets the `.env`'s mode and owner.
 */
function secretBeside(target: string): fs.Stats | undefined {
  if (!path.basename(target).startsWith(".env")) return undefined;
  try {
    return fs.statSync(path.join(path.dirname(target), ".env"));
  } catch {
    return undefined;
  }
}

/** Ownership where the process may give it (root may; others get EPERM and keep their own). */
function keepOwner(file: string, owner: { uid: number; gid: number }): void {
  try {
    fs.chownSync(file, owner.uid, owner.gid);
  } catch {
    // not permitted: the file belongs to the user running the tool
  }
}

/** A second name for the old content: a hard link, or where links fail, a copy renamed into place. */
function keepOldContent(
  target: string,
  backup: string,
  io: CommitFs,
  steps: Steps,
): void {
  try {
    steps.take("backup", () => io.linkSync(target, backup));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      !["EPERM", "EXDEV", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(
        code ?? "",
      )
    )
      throw error;
    steps.take("backup", () =>
      fs.copyFileSync(target, partial(backup), fs.constants.COPYFILE_EXCL),
    );
    steps.take("backup", () => io.renameSync(partial(backup), backup));
  }
}
