/**
 * One scratch folder per test run, for everything the tests put under os.tmpdir(): the global
 * setup points TMPDIR at it (jest's workers, and the CLIs, npm and git the tests spawn, inherit
 * it) and the global teardown removes it. A run that was killed leaves its folder behind; the
 * next run removes the folders of runs whose process is gone. Without this, every run left a few
 * thousand folders (several GB) in the system's temporary folder.
 *
 * The folder goes in memory (/dev/shm) when the machine has room there and TMPDIR does not name
 * a place: the tests copy, write, fsync and delete tens of thousands of small files, and on a
 * disk the file system's journal and the kernel's write-back of them take CPU time from the
 * tests (bad-input and apps: about 20 % faster in memory, in band).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAlive } from "../../transforms/lib/run-once";

const PREFIX = "aa0-test-run-";
/** Set by setup in jest's own process, read by teardown there. */
const ENV = "AA0_TEST_SCRATCH";

/** A memory file system needs this much room to take the run's scratch. */
const MEMORY_ROOM = 4 * 2 ** 30;

export function setup(): void {
  const memory = inMemory();
  removeAbandoned(os.tmpdir());
  if (memory && memory !== os.tmpdir()) removeAbandoned(memory);
  const parent = process.env.TMPDIR || !memory ? os.tmpdir() : memory;
  const scratch = fs.mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`));
  // The runtime tests hand a folder in here to the postgres user (initdb must not run as root):
  // others may pass through, not list.
  fs.chmodSync(scratch, 0o711);
  process.env[ENV] = scratch;
  process.env.TMPDIR = scratch;
}

export function teardown(): void {
  const scratch = process.env[ENV];
  if (scratch) removeTree(scratch);
}

/** /dev/shm, when it is a writable folder with room for the run. */
function inMemory(): string | undefined {
  const shm = "/dev/shm";
  try {
    fs.accessSync(shm, fs.constants.W_OK | fs.constants.X_OK);
    const space = fs.statfsSync(shm);
    return space.bavail * space.bsize >= MEMORY_ROOM ? shm : undefined;
  } catch {
    return undefined;
  }
}

/** Folders of earlier runs whose jest process no longer runs. */
function removeAbandoned(parent: string): void {
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split("-")[0]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    removeTree(path.join(parent, name));
  }
}

function removeTree(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    console.warn(`could not remove the test scratch ${dir}: ${String(error)}`);
  }
}
