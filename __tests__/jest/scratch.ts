/**
 * One scratch folder per test run, for everything the tests put under os.tmpdir(): the global
 * setup points TMPDIR at it (jest's workers, and the CLIs, npm and git the tests spawn, inherit
 * it) and the global teardown removes it. A run that was killed leaves its folder behind; the
 * next run removes the folders of runs whose process is gone. Without this, every run left a few
 * thousand folders (several GB) in the system's temporary folder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAlive } from "../../transforms/lib/run-once";

const PREFIX = "aa0-test-run-";
/** Set by setup in jest's own process, read by teardown there. */
const ENV = "AA0_TEST_SCRATCH";

export function setup(): void {
  const parent = os.tmpdir();
  removeAbandoned(parent);
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
