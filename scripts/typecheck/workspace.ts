/**
 * What the server and admin type-check harnesses share: installing a workspace once per lock
 * file into .tmp/workspaces/ (staged, then published with a rename so concurrent runs are safe;
 * one install per workspace is kept, so the folder stays bounded), finding the packages of a
 * tree, copying one outside the repository with a node_modules of links into its workspace, the
 * environment for nested npm runs, the list of fixture trees, and the harnesses' command line.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../src/package-info";
import { parseEnv } from "../../transforms/lib/dotenv";
import type { PackageJson } from "../../transforms/lib/package-json";

export function sha256(...parts: Array<string | Buffer>): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    hash.update(part);
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** The repository root (this package's own folder). */
export function repoRoot(): string {
  return packageRoot();
}

/**
 * The environment for nested npm runs. Under `npm test`, npm has exported its own settings
 * (npm_config_prefix, npm_config_local_prefix, npm_package_*, ...); they must not leak into the
 * nested `npm ci`, which has to operate on its own folder only.
 */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = new Set([
    "npm_config_cache",
    "npm_config_cafile",
    "npm_config_registry",
    "npm_config_userconfig",
    "npm_config_globalconfig",
    "npm_config_update_notifier",
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) && !keep.has(name.toLowerCase())) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export function isMarked(dir: string, marker: string): boolean {
  return fs.existsSync(path.join(dir, marker));
}

/** Moves a finished staging folder into place; a concurrent run may have won the race. */
export function publish(stage: string, dir: string, marker: string): void {
  if (fs.existsSync(dir) && !isMarked(dir, marker))
    fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(stage, dir);
  } catch (error) {
    if (!isMarked(dir, marker)) throw error;
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Removes other versions' installs and staging folders left behind by crashed runs. */
export function removeStale(
  cacheBase: string,
  key: string,
  marker: string,
): void {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const entry of fs.readdirSync(cacheBase)) {
    if (entry === key) continue;
    const full = path.join(cacheBase, entry);
    const partial = entry.includes(".partial-");
    if (partial && fs.statSync(full).mtimeMs > hourAgo) continue; // maybe another run's install
    if (partial || isMarked(full, marker))
      fs.rmSync(full, { recursive: true, force: true });
  }
}

/** The input/ and expected/ trees of every whole-app fixture. */
export function fixtureTrees(root = repoRoot()): string[] {
  const apps = path.join(root, "fixtures", "apps");
  if (!fs.existsSync(apps)) return [];
  return fs
    .readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      ["input", "expected"].map((tree) => path.join(apps, entry.name, tree)),
    )
    .filter((tree) => fs.existsSync(tree))
    .sort();
}

/**
 * The variables of a dotenv file (KEY=VALUE lines; `export ` prefixes, comments and blank lines
 * ignored; one level of matching quotes removed). Returns {} when the file does not exist.
 */
export function readDotenv(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  // Later lines win here, as dotenv (the server) and Vite (the admin) do.
  return Object.fromEntries(
    parseEnv(fs.readFileSync(file, "utf8")).map((entry) => [
      entry.key,
      entry.value,
    ]),
  );
}

export interface TypecheckResult {
  ok: boolean;
  output: string;
}

export const MAX_BUFFER = 64 * 1024 * 1024;
const CACHE_DIR = path.join(".tmp", "workspaces");
const INSTALLED_MARKER = ".typecheck-installed.json";

export interface WorkspaceSpec {
  /** Its folder under .tmp/workspaces/, and its name in messages. */
  name: string;
  /** The folder (relative to the repository) holding its package.json and package-lock.json. */
  source: string;
  /** More files the install needs and whose change must re-install ([relative path, body]). */
  extraFiles?: (source: string, manifest: Buffer) => Array<[string, Buffer]>;
  /** Packages whose install scripts run after `npm ci --ignore-scripts`. */
  build?: readonly string[];
  /** Paths below node_modules that the install must have made. */
  required: readonly string[];
}

const installed = new Map<string, string>();

/**
 * Installs a workspace (once per package.json + lock + extra files) and returns the folder whose
 * node_modules holds it.
 */
export function installWorkspace(spec: WorkspaceSpec): string {
  const memo = installed.get(spec.name);
  if (memo && isMarked(memo, INSTALLED_MARKER)) return memo;
  const root = repoRoot();
  const source = path.join(root, spec.source);
  const lock = fs.readFileSync(path.join(source, "package-lock.json"));
  const manifest = fs.readFileSync(path.join(source, "package.json"));
  const extraFiles = spec.extraFiles?.(source, manifest) ?? [];
  const key = sha256(
    lock,
    manifest,
    ...extraFiles.flatMap(([rel, body]) => [
      rel.split(path.sep).join("/"),
      body,
    ]),
  ).slice(0, 16);
  const cacheBase = path.join(root, CACHE_DIR, spec.name);
  const dir = path.join(cacheBase, key);

  if (!isMarked(dir, INSTALLED_MARKER)) {
    fs.mkdirSync(cacheBase, { recursive: true });
    const stage = fs.mkdtempSync(path.join(cacheBase, `${key}.partial-`));
    try {
      fs.writeFileSync(path.join(stage, "package.json"), manifest);
      fs.writeFileSync(path.join(stage, "package-lock.json"), lock);
      // `file:` dependencies are installed as relative links to their folders, which therefore
      // live inside the workspace folder (and move with it when the stage is renamed).
      for (const [rel, body] of extraFiles) {
        const to = path.join(stage, rel);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, body);
      }
      const started = Date.now();
      runNpm(spec.name, stage, [
        "ci",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
      ]);
      if (spec.build?.length)
        runNpm(spec.name, stage, ["rebuild", ...spec.build]);
      for (const required of spec.required) {
        if (!fs.existsSync(path.join(stage, "node_modules", required))) {
          throw new Error(
            `npm ci finished but node_modules/${required} is missing in ${stage}`,
          );
        }
      }
      fs.writeFileSync(
        path.join(stage, INSTALLED_MARKER),
        JSON.stringify(
          {
            name: spec.name,
            key,
            seconds: (Date.now() - started) / 1000,
            node: process.version,
          },
          null,
          2,
        ) + "\n",
      );
      publish(stage, dir, INSTALLED_MARKER);
    } finally {
      if (fs.existsSync(stage))
        fs.rmSync(stage, { recursive: true, force: true });
    }
  }
  removeStale(cacheBase, key, INSTALLED_MARKER);
  installed.set(spec.name, dir);
  return dir;
}

function runNpm(name: string, cwd: string, args: string[]): void {
  const npm = spawnSync("npm", args, {
    cwd,
    env: npmEnv(),
    encoding: "utf8",
    maxBuffer: MAX_BUFFER,
  });
  if (npm.error || npm.status !== 0) {
    throw new Error(
      `npm ${args[0]} for the ${name} workspace failed (${npm.error?.message ?? `exit ${npm.status}`}):\n` +
        `${npm.stdout ?? ""}${npm.stderr ?? ""}`,
    );
  }
}

/** A folder's package.json, or undefined when it has none (or it does not parse). */
export function readPackageJson(dir: string): PackageJson | undefined {
  return readJson(path.join(dir, "package.json")) as PackageJson | undefined;
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** The range a package.json gives `name`, in dependencies or devDependencies. */
export function dependencyRange(
  pkg: PackageJson | undefined,
  name: string,
): string | undefined {
  return pkg?.dependencies?.[name] ?? pkg?.devDependencies?.[name];
}

/**
 * Every folder under `root` that `isPackage` accepts (sorted; node_modules, the skipped top-level
 * folders and dot folders are not entered).
 */
export function findPackages(
  root: string,
  isPackage: (dir: string) => boolean,
  skipped: ReadonlySet<string>,
): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (isPackage(dir)) found.push(dir);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (
        !entry.isDirectory() ||
        entry.name.startsWith(".") ||
        skipped.has(entry.name)
      )
        continue;
      walk(path.join(dir, entry.name));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return found.sort();
}

export interface CopyOptions {
  /** Prefix of the temporary folder. */
  prefix: string;
  /** Top-level folders of the package that are not copied (build output, installed packages). */
  skipped: ReadonlySet<string>;
  /** The workspace's node_modules. */
  shared: string;
  /** Entries of the workspace's node_modules that are not linked. */
  unlinked: ReadonlySet<string>;
  /** Links one entry of node_modules itself when it must differ; returns false to leave it. */
  linkEntry?: (entry: string, modules: string) => boolean;
}

/**
 * Copies `packageDir` into `<new temp folder>/<its name>` and gives the copy a node_modules of
 * links into the workspace. Returns the copy; `removeCopy` removes it. Outside the repository:
 * TypeScript collects node_modules/@types from every ancestor folder, and the codemod's own
 * node_modules (jest types, @types/node 20) must not take part.
 */
export function prepareCopy(packageDir: string, options: CopyOptions): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  const source = path.resolve(packageDir);
  const copy = path.join(tmp, path.basename(source));
  try {
    fs.cpSync(source, copy, {
      recursive: true,
      filter: (from) => {
        const parts = path.relative(source, from).split(path.sep);
        if (parts.includes("node_modules")) return false;
        return !(parts.length === 1 && options.skipped.has(parts[0]!));
      },
    });
    const modules = path.join(copy, "node_modules");
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(options.shared)) {
      if (options.unlinked.has(entry)) continue;
      if (options.linkEntry?.(entry, modules)) continue;
      fs.symlinkSync(
        path.join(options.shared, entry),
        path.join(modules, entry),
        "dir",
      );
    }
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return copy;
}

/** Removes a copy made by prepareCopy (kept when TYPECHECK_KEEP_COPIES is set, to look into). */
export function removeCopy(copy: string): void {
  if (!process.env.TYPECHECK_KEEP_COPIES)
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
}

/**
 * The harnesses' command line: checks every package `find` finds under the given folders
 * (default: every whole-app fixture tree), one line each, and a summary. Returns the exit code.
 */
export function checkAllCli(
  argv: string[],
  what: string,
  find: (root: string) => string[],
  check: (dir: string) => TypecheckResult,
  label: (dir: string) => string = () => "",
): number {
  const roots =
    argv.length > 0 ? argv.map((arg) => path.resolve(arg)) : fixtureTrees();
  const found = roots.flatMap((root) => find(root));
  if (found.length === 0) {
    console.error(`no ${what} found`);
    return 1;
  }
  let failed = 0;
  for (const dir of found) {
    const started = Date.now();
    const result = check(dir);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${result.ok ? "ok  " : "FAIL"} ${path.relative(process.cwd(), dir) || "."}${label(dir)} (${seconds} s)`,
    );
    if (!result.ok) {
      failed++;
      console.log(result.output);
    }
  }
  console.log(`${found.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
