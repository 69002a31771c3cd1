/**
 * One computation per jscodeshift run, shared by its worker processes. jscodeshift forks its
 * workers and hands them files in chunks as they come free, so a worker may see its first file
 * of a repository after another worker has already written some of it; were it to convert the
 * repository then, it would convert a half-converted tree. So the first worker of the run to
 * need a repository's conversion computes it and leaves it in a file; the others wait for that
 * file. With --run-in-band there is one process and a promise is enough.
 *
 * That file holds the repository's files (.env included), so it goes to a folder the caller
 * names in the repository (the router: the tool's folder, see src/commit/journal.ts), readable
 * by this user alone. No worker knows it is a run's last, so a run's files are removed by a later
 * run, once the jscodeshift process that made them is gone.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const POLL_MS = 50;
/** Results older than this are removed even if a process of their run's id runs (a reused id). */
const STALE_MS = 60 * 60 * 1000;

const inProcess = new Map<string, Promise<unknown>>();

/**
 * compute() once per key in this jscodeshift run; its result must survive JSON, and is kept in
 * the folder `store` while the run lasts.
 */
export function once<T>(
  store: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const id = JSON.stringify([store, key]);
  let result = inProcess.get(id) as Promise<T> | undefined;
  if (!result) {
    result =
      typeof process.send === "function" // a worker process jscodeshift forked
        ? shared(store, key, compute)
        : compute();
    inProcess.set(id, result);
  }
  return result;
}

async function shared<T>(
  folder: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const store = privateStore(folder);
  const file = path.join(store, `${nameInRun(key)}.json`);
  const lock = `${file}.lock`;
  let mine: number | undefined;
  try {
    mine = fs.openSync(lock, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if (mine !== undefined) {
    fs.writeSync(mine, String(process.pid));
    fs.closeSync(mine);
    removeStale(store);
    const result = await compute();
    fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(result), {
      mode: 0o600,
    });
    fs.renameSync(`${file}.${process.pid}`, file); // whole, or not there
    return result;
  }
  for (;;) {
    if (fs.existsSync(file))
      return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    const holder = Number(readOr(lock, ""));
    if (holder > 0 && !isAlive(holder) && !fs.existsSync(file)) {
      throw new Error(
        `the jscodeshift worker (process ${holder}) that was converting this repository stopped before it finished: run jscodeshift again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Whether this is the first call with `key` in this jscodeshift run, in any of its processes:
 * what is said once per run (jscodeshift calls the transform once per file). A worker process
 * marks it with a file in the folder `store`, created exclusively, removed by a later run.
 */
export function firstInRun(store: string, key: string): boolean {
  const id = JSON.stringify([store, key]);
  if (said.has(id)) return false;
  said.add(id);
  if (typeof process.send !== "function") return true; // --run-in-band: this process is the run
  const file = path.join(privateStore(store), `${nameInRun(key)}.said`);
  try {
    fs.closeSync(fs.openSync(file, "wx", 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** firstInRun's keys this process has met. */
const said = new Set<string>();

/** A worker's file for `key`: named by the run (the jscodeshift process), so that a later run can tell it is over. */
function nameInRun(key: string): string {
  return `${process.ppid}-${createHash("sha256")
    .update(`${runOf(process.ppid)}\0${key}`)
    .digest("hex")
    .slice(0, 32)}`;
}

/**
 * The jscodeshift run: its process id and start time (a process id alone may be reused by a
 * later run). The start time is read from /proc on Linux, from ps elsewhere.
 */
function runOf(pid: number): string {
  const stat = readOr(`/proc/${pid}/stat`, "");
  if (stat) {
    // Field 22, starttime; the fields after the parenthesized command start at field 3.
    return `${pid}:${stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]}`;
  }
  try {
    const started = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return `${pid}:${started.trim()}`;
  } catch {
    return String(pid);
  }
}

/**
 * The folder, made if need be: the results hold the app's files (.env included), so it is one
 * only this user can read, and one nobody else could have made for them to find.
 */
function privateStore(store: string): string {
  fs.mkdirSync(store, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(store);
  if (
    !stat.isDirectory() ||
    (process.getuid && stat.uid !== process.getuid()) ||
    (process.platform !== "win32" && (stat.mode & 0o077) !== 0)
  ) {
    throw new Error(
      `${store} is not a folder of this user's that only they can read: remove it, then run jscodeshift again`,
    );
  }
  return store;
}

/** Removes the files of runs that are over: their jscodeshift process is gone (or they are old). */
function removeStale(store: string): void {
  const now = Date.now();
  for (const entry of fs.readdirSync(store)) {
    const file = path.join(store, entry);
    const run = Number(/^(\d+)-/.exec(entry)?.[1]);
    try {
      if (
        (run > 0 && run !== process.ppid && !isAlive(run)) ||
        now - fs.statSync(file).mtimeMs > STALE_MS
      )
        fs.rmSync(file);
    } catch {
      // another run removed it first
    }
  }
}

/** Whether a process of this machine runs with that id (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/**
 * Runs action() while holding a lock named by key (in the folder `store`) that other processes of this user respect,
 * waiting for it up to waitMs. The lock file is created whole (linked from a file already
 * holding the pid), so a waiter never reads it half-written; a dead holder's lock is taken over.
 */
export function exclusive<T>(
  store: string,
  key: string,
  waitMs: number,
  action: () => T,
): Promise<T> {
  // One at a time in this process too: they share the process's lock file.
  const id = JSON.stringify([store, key]);
  const previous = queues.get(id) ?? Promise.resolve();
  const turn = previous.then(
    () => betweenProcesses(store, key, waitMs, action),
    () => betweenProcesses(store, key, waitMs, action),
  );
  queues.set(id, turn);
  return turn;
}

const queues = new Map<string, Promise<unknown>>();

async function betweenProcesses<T>(
  folder: string,
  key: string,
  waitMs: number,
  action: () => T,
): Promise<T> {
  const store = privateStore(folder);
  const name = createHash("sha256").update(key).digest("hex").slice(0, 32);
  const lock = path.join(store, `${name}.lock`);
  const mine = `${lock}.${process.pid}`;
  fs.writeFileSync(mine, String(process.pid), { mode: 0o600 });
  const started = Date.now();
  try {
    for (;;) {
      try {
        fs.linkSync(mine, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = Number(readOr(lock, "0"));
      if (holder > 0 && !isAlive(holder)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() - started > waitMs) {
        throw new Error(
          `process ${holder} kept this repository's files locked for ${waitMs / 1000} s: run jscodeshift again when it is done`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    try {
      return action();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
}
