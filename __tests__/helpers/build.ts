/**
 * This checkout's package as `npm run build` makes it, for the tests that run the built CLI or
 * pack it. The build happens in a copy of the package's sources in the run's scratch folder,
 * never in the checkout's dist/:
 * - `npm test` on a fresh clone needs no `npm run build` first;
 * - no test rebuilds a dist/ that another test's CLI is loading (a half-written file made the
 *   CLI of commit-faults.test exit 1 in CI while jscodeshift-cli.test's `npm pack` rebuilt).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tempDir } from "./files";

const ROOT = path.resolve(__dirname, "../..");

/** What the build and `npm pack` read (package.json `files`, and what the build compiles). */
const PACKAGE_SOURCES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "README.md",
  "schema",
  "scripts",
  "fixtures/apps/shop-2025", // the app scripts/build-code-cache.ts converts
  "src",
  "transforms",
];

/** A new copy of the package's sources, not built, sharing the checkout's node_modules. */
export function packageCopy(dir = tempDir("aa0-package-")): string {
  for (const name of PACKAGE_SOURCES)
    fs.cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  fs.symlinkSync(
    path.join(ROOT, "node_modules"),
    path.join(dir, "node_modules"),
    "dir",
  );
  return dir;
}

/** The copy built once per test run, shared by the test files that need it; do not write to it. */
export function builtPackage(): string {
  const dir = path.join(os.tmpdir(), "aa0-built-package");
  const done = path.join(dir, ".built");
  return exclusively("aa0-build", () => {
    if (fs.existsSync(done)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    packageCopy(dir);
    execFileSync("npm", ["run", "build"], { cwd: dir, stdio: "pipe" });
    fs.writeFileSync(done, "");
    return dir;
  });
}

/**
 * Runs `action` while no other test file of this run runs one under the same name. The lock is
 * a folder in the run's scratch folder (TMPDIR, shared by the workers, removed with the run).
 */
function exclusively<T>(name: string, action: () => T): T {
  const lock = path.join(os.tmpdir(), `${name}.lock`);
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
    return action();
  } finally {
    fs.rmdirSync(lock);
  }
}
