/**
 * `npm pack` of this repository installed into a scratch project, as a user installs it: from
 * the npm registry (or its local cache). The slowest step of the tests that use it; each test
 * file that needs it does it once.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tempDir, writeFiles } from "./files";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The scratch project's folder, with the packed package in its node_modules, and the tarball's
 * name. `alongside`: more packages the project installs with it (from the cache, as npm ci put
 * them there).
 */
export function packAndInstall(alongside: string[] = []): {
  scratch: string;
  tarballName: string;
} {
  const packDir = tempDir("aa0-pack-");
  const output = alone(() =>
    execFileSync("npm", ["pack", "--pack-destination", packDir, "--json"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const tarballName: string = JSON.parse(output.slice(output.indexOf("[")))[0]
    .filename;
  const tarball = path.join(packDir, tarballName);
  const scratch = tempDir("aa0-scratch-");
  writeFiles(scratch, {
    "package.json": JSON.stringify({ name: "scratch", private: true }),
  });
  execFileSync(
    "npm",
    [
      "install",
      "--save-dev",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      ...alongside,
    ],
    { cwd: scratch, stdio: "pipe" },
  );
  return { scratch, tarballName };
}

/**
 * Runs `pack` while no other test file of this run packs: npm pack builds into this checkout's
 * dist/, and two builds at once race (one prunes what the other just wrote). The lock is a
 * folder in the run's scratch folder (TMPDIR, shared by the workers, removed with the run).
 */
function alone<T>(pack: () => T): T {
  const lock = path.join(os.tmpdir(), "aa0-npm-pack.lock");
  const waitMs = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      Atomics.wait(waitMs, 0, 0, 200);
    }
  }
  try {
    return pack();
  } finally {
    fs.rmdirSync(lock);
  }
}
