/**
 * Type-checks (and, for Vite admins, builds) the react-admin UIs of the whole-app fixtures against
 * real dependencies. The same design as typecheck-servers.ts:
 *
 * - Two shared workspaces, one per admin generation:
 *   - `ra3`: react-admin 3 + Create React App (`scripts/typecheck/admin-ra3`);
 *   - `ra5`: react-admin 5 + Vite (`scripts/typecheck/admin-ra5`).
 *   `ensureAdminWorkspace(kind)` installs one with `npm ci` into
 *   `<repo>/.tmp/workspaces/admin-<kind>/<hash>/`, where the hash covers package.json,
 *   package-lock.json and every local folder that package.json names as a `file:` dependency (the
 *   stand-ins below), and reuses that folder while they stay the same.
 * - `typecheckAdmin(dir)` copies one admin folder to a temp dir, gives the copy a node_modules made
 *   of symlinks into the shared workspace, and runs the workspace's `tsc --noEmit -p` on the
 *   admin's own tsconfig.json, unchanged. The run also lists the files it compiled, and fails if
 *   none of the admin's own files was among them (a solution-style tsconfig with `"files": []`
 *   would otherwise pass without checking anything).
 * - `buildViteAdmin(dir)` does the same copy and runs the workspace's `vite build` with the admin's
 *   own vite.config.ts and .env files, into a fresh output folder.
 *
 * Stand-ins (each has a README saying why):
 * - admin-ra3/.stand-ins/react-scripts: only CRA's `lib/react-app.d.ts`, which
 *   `src/react-app-env.d.ts` (`/// <reference types="react-scripts" />`) needs; the real package
 *   costs ~1,400 packages and peers TypeScript 4. (A dot folder, so that the codemod's own
 *   tsconfig, which includes scripts/, does not compile that global declaration file.)
 * - admin-ra5/stand-ins/ra-data-graphql-amplication: version 1.0.2, which the Vite-era admins pin,
 *   is not on the reachable registry (only the react-admin 3 releases 0.0.x are).
 *
 * Offline notes:
 * - `npm ci --ignore-scripts`: nothing needs an install script. esbuild and rollup load their
 *   native binaries from their platform packages (optional dependencies), so `vite build` works
 *   without esbuild's postinstall check; the other scripts (@parcel/watcher, browser-tabs-lock)
 *   are not needed.
 * - `vite build` runs with a minimal environment (PATH, HOME, temp dir, locale): Vite reads
 *   `VITE_*` variables from the process environment before the .env files, so inherited variables
 *   could shadow the admin's .env, and Amplication's vite.config.ts defines `process.env` from the
 *   build environment.
 *
 * CLI: `node dist/scripts/typecheck/typecheck-admins.js [dir...]` type-checks every admin found
 * under the given folders (default: every tree under fixtures/apps).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackageJson } from "../../transforms/lib/package-json";
import {
  checkAllCli,
  dependencyRange,
  findPackages,
  installWorkspace,
  MAX_BUFFER,
  prepareCopy,
  readPackageJson,
  removeCopy,
  type TypecheckResult,
} from "./workspace";

export type AdminKind = "ra3" | "ra5";
export type { TypecheckResult };

export interface ViteBuildResult {
  ok: boolean;
  output: string;
  /** The build output folder; remove it with `disposeViteBuild`. */
  outDir: string;
}

const ADMIN_KINDS: readonly AdminKind[] = ["ra3", "ra5"];
const workspaceSource = (kind: AdminKind) =>
  path.join("scripts", "typecheck", `admin-${kind}`);
/** Files each workspace must have after `npm ci`, relative to its node_modules. */
const REQUIRED: Record<AdminKind, string[]> = {
  ra3: [
    "typescript/bin/tsc",
    "typescript-4.3/bin/tsc",
    "react-admin/package.json",
    "react-scripts/lib/react-app.d.ts",
  ],
  ra5: [
    "typescript/bin/tsc",
    "react-admin/package.json",
    "vite/bin/vite.js",
    "ra-data-graphql-amplication/index.js",
  ],
};
/** Top-level folders of an admin that are never copied (build output, installed packages). */
const SKIPPED_TOP_LEVEL = new Set([
  "node_modules",
  "dist",
  "build",
  "coverage",
]);
/** Entries of the workspace node_modules that are not linked into an admin copy. */
const UNLINKED_ENTRIES = new Set([
  ".bin",
  ".package-lock.json",
  ".cache",
  ".vite",
]);
const VITE_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The local folders that a workspace's package.json names as `file:` dependencies, relative to
 * the workspace source (e.g. "stand-ins/ra-data-graphql-amplication").
 */
function localDependencies(source: string, manifest: Buffer): string[] {
  const pkg = JSON.parse(manifest.toString("utf8")) as PackageJson;
  const folders = Object.values({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((spec) => spec.startsWith("file:"))
    .map((spec) => path.normalize(spec.slice("file:".length)));
  for (const folder of folders) {
    if (
      path.isAbsolute(folder) ||
      folder.split(path.sep).includes("..") ||
      !fs
        .statSync(path.join(source, folder), { throwIfNoEntry: false })
        ?.isDirectory()
    ) {
      throw new Error(
        `${source}/package.json: file:${folder} must be a folder inside the workspace source`,
      );
    }
  }
  return folders.sort();
}

/** Every file below `dir` as [relative path, contents], sorted by path. */
function filesBelow(dir: string): Array<[string, Buffer]> {
  const files: Array<[string, Buffer]> = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), {
      withFileTypes: true,
    })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(rel);
      } else if (entry.isFile()) {
        files.push([rel, fs.readFileSync(path.join(dir, rel))]);
      }
    }
  };
  if (fs.existsSync(dir)) walk("");
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The environment for `vite build`: only what a build needs to run. Vite gives variables from
 * the process environment precedence over the .env files, and Amplication's vite.config.ts puts
 * `process.env` into the bundle, so nothing else from the caller's environment may get in.
 */
function viteEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of [
    "PATH",
    "HOME",
    "TMPDIR",
    "TMP",
    "TEMP",
    "LANG",
    "LC_ALL",
  ]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * Installs the shared dependencies of one admin generation (once per package.json + lock +
 * stand-ins) and returns the folder whose node_modules holds them.
 */
export function ensureAdminWorkspace(kind: AdminKind): string {
  if (!ADMIN_KINDS.includes(kind))
    throw new Error(`unknown admin kind ${kind}`);
  return installWorkspace({
    name: `admin-${kind}`,
    source: workspaceSource(kind),
    extraFiles: (source, manifest) =>
      localDependencies(source, manifest).flatMap((folder) =>
        filesBelow(path.join(source, folder)).map(
          ([rel, body]) => [path.join(folder, rel), body] as [string, Buffer],
        ),
      ),
    required: REQUIRED[kind],
  });
}

/** An admin is a folder whose package.json depends on react-admin. */
export function isAdminDir(dir: string): boolean {
  return dependencyRange(readPackageJson(dir), "react-admin") !== undefined;
}

/**
 * The admin's generation: `ra5` (Vite era) when its react-admin range starts at major 4 or more,
 * or when it depends on vite; otherwise `ra3` (Create React App era).
 */
export function adminKind(adminDir: string): AdminKind {
  const pkg = readPackageJson(adminDir);
  const range = dependencyRange(pkg, "react-admin");
  if (range === undefined) {
    throw new Error(`${adminDir}: package.json does not depend on react-admin`);
  }
  if (dependencyRange(pkg, "vite") !== undefined) return "ra5";
  const major = /(\d+)/.exec(range.replace(/^npm:react-admin@/, ""))?.[1];
  if (major === undefined) {
    throw new Error(
      `${adminDir}: cannot tell the react-admin major version from "${range}"`,
    );
  }
  return Number(major) >= 4 ? "ra5" : "ra3";
}

/** Every admin folder under `root` (sorted; node_modules, build output and dot folders are skipped). */
export function findAdmins(root: string): string[] {
  return findPackages(root, isAdminDir, SKIPPED_TOP_LEVEL);
}

/**
 * Copies `adminDir` into `<new temp folder>/<its name>` and links its node_modules to the
 * workspace of its kind. Returns the copy; `removeCopy` removes it.
 */
export function prepareAdminCopy(
  adminDir: string,
  kind: AdminKind = adminKind(adminDir),
): string {
  return prepareCopy(adminDir, {
    prefix: "typecheck-admin-",
    skipped: SKIPPED_TOP_LEVEL,
    shared: path.join(ensureAdminWorkspace(kind), "node_modules"),
    unlinked: UNLINKED_ENTRIES,
  });
}

/**
 * The workspace packages that hold a TypeScript compiler: the current one, and for react-admin 3
 * admins the one their generated package.json starts at ("typescript": "^4.3.5"), which is what
 * a lock file of that era installs: a dependency whose typings it cannot parse breaks the app.
 */
export type Compiler = "typescript" | "typescript-4.3";

/** The workspace's tsc command line for a prepared copy (its own tsconfig.json, unchanged). */
function tscArgs(
  copy: string,
  kind: AdminKind,
  compiler: Compiler = "typescript",
): string[] {
  return [
    path.join(
      ensureAdminWorkspace(kind),
      "node_modules",
      compiler,
      "bin",
      "tsc",
    ),
    "--noEmit",
    "--pretty",
    "false",
    "--listFiles",
    "-p",
    path.join(copy, "tsconfig.json"),
  ];
}

/**
 * Turns a finished `tsc --listFiles` run into a result. The listed files are taken out of the
 * output, and the run fails if none of them is a file of the admin itself.
 */
function tscResult(
  copy: string,
  text: string,
  status: number | null,
  error: Error | undefined,
): TypecheckResult {
  const listed: string[] = [];
  const diagnostics: string[] = [];
  for (const line of text.split("\n")) {
    if (path.isAbsolute(line) && fs.existsSync(line)) listed.push(line);
    else if (line.trim() !== "") diagnostics.push(line);
  }
  if (error) diagnostics.push(error.message);
  const modules = path.join(copy, "node_modules") + path.sep;
  const own = listed.filter(
    (file) => file.startsWith(copy + path.sep) && !file.startsWith(modules),
  );
  const ok = !error && status === 0;
  if (ok && own.length === 0) {
    return {
      ok: false,
      output:
        `tsc -p tsconfig.json compiled none of the admin's own files (${listed.length} files, all ` +
        "from node_modules or lib); a tsconfig with an empty file list would pass vacuously",
    };
  }
  return { ok, output: diagnostics.join("\n").trim() };
}

/** Runs the workspace's TypeScript on an already prepared copy (see prepareAdminCopy). */
export function runAdminTsc(
  copy: string,
  kind: AdminKind,
  compiler?: Compiler,
): TypecheckResult {
  const result = spawnSync(process.execPath, tscArgs(copy, kind, compiler), {
    cwd: copy,
    encoding: "utf8",
    maxBuffer: MAX_BUFFER,
  });
  return tscResult(
    copy,
    `${result.stdout ?? ""}${result.stderr ?? ""}`,
    result.status,
    result.error,
  );
}

function noTsconfig(adminDir: string): TypecheckResult | undefined {
  return fs.existsSync(path.join(adminDir, "tsconfig.json"))
    ? undefined
    : { ok: false, output: `${adminDir}: no tsconfig.json` };
}

/** Type-checks one admin folder (left untouched) with `tsc --noEmit` against its workspace. */
export function typecheckAdmin(
  adminDir: string,
  compiler?: Compiler,
): TypecheckResult {
  const missing = noTsconfig(adminDir);
  if (missing) return missing;
  const kind = adminKind(adminDir);
  const copy = prepareAdminCopy(adminDir, kind);
  try {
    return runAdminTsc(copy, kind, compiler);
  } finally {
    removeCopy(copy);
  }
}

/**
 * Like `typecheckAdmin`, but tsc runs in a child process without blocking, so that several
 * admins can be checked at once (the workspace must already be installed, or is installed
 * synchronously first). Never rejects: failures to prepare the copy become a failed result.
 */
export function typecheckAdminAsync(
  adminDir: string,
): Promise<TypecheckResult> {
  let copy: string;
  let kind: AdminKind;
  try {
    const missing = noTsconfig(adminDir);
    if (missing) return Promise.resolve(missing);
    kind = adminKind(adminDir);
    copy = prepareAdminCopy(adminDir, kind);
  } catch (error) {
    return Promise.resolve({ ok: false, output: String(error) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (status: number | null, error?: Error) => {
      if (settled) return;
      settled = true;
      try {
        resolve(
          tscResult(
            copy,
            Buffer.concat(chunks).toString("utf8"),
            status,
            error,
          ),
        );
      } catch (failure) {
        resolve({ ok: false, output: String(failure) });
      } finally {
        removeCopy(copy);
      }
    };
    const child = spawn(process.execPath, tscArgs(copy, kind), {
      cwd: copy,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => finish(null, error));
    child.on("close", (status) => finish(status));
  });
}

/**
 * Builds one Vite admin (left untouched) with the ra5 workspace's `vite build`, using the admin's
 * own vite.config.* and .env files, into a fresh folder (`outDir`), which the caller removes with
 * `disposeViteBuild`. Nothing is fetched: every plugin and native binary comes from the workspace.
 */
export function buildViteAdmin(adminDir: string): ViteBuildResult {
  const kind = adminKind(adminDir);
  if (kind !== "ra5") {
    throw new Error(
      `${adminDir} is a react-admin 3 (Create React App) admin; only Vite admins are built`,
    );
  }
  const vite = path.join(
    ensureAdminWorkspace(kind),
    "node_modules",
    "vite",
    "bin",
    "vite.js",
  );
  const copy = prepareAdminCopy(adminDir, kind);
  // A sibling of the copy, so removing the copy keeps the output.
  const outDir = path.join(path.dirname(copy), "vite-build-output");
  const result = spawnSync(
    process.execPath,
    [vite, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"],
    {
      cwd: copy,
      encoding: "utf8",
      maxBuffer: MAX_BUFFER,
      env: viteEnv(),
      timeout: VITE_TIMEOUT_MS,
    },
  );
  if (!process.env.TYPECHECK_KEEP_COPIES)
    fs.rmSync(copy, { recursive: true, force: true });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}`;
  return {
    ok: !result.error && result.status === 0 && fs.existsSync(outDir),
    output: output.trim(),
    outDir,
  };
}

/** Removes the output (and temp folder) of `buildViteAdmin`. */
export function disposeViteBuild(build: ViteBuildResult): void {
  fs.rmSync(path.dirname(build.outDir), { recursive: true, force: true });
}

/** The text of every JavaScript file a build emitted, concatenated. */
export function readBundle(outDir: string): string {
  return filesBelow(outDir)
    .filter(([rel]) => /\.(m?js)$/.test(rel))
    .map(([, body]) => body.toString("utf8"))
    .join("\n");
}

if (require.main === module) {
  process.exitCode = checkAllCli(
    process.argv.slice(2),
    "react-admin admin",
    findAdmins,
    typecheckAdmin,
    (admin) => ` [${adminKind(admin)}]`,
  );
}
