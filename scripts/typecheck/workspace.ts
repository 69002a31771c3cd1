/**
 * What the server and admin type-check harnesses share: installing a workspace once per lock
 * file into .tmp/ (staged, then published with a rename so concurrent runs are safe), the
 * environment for nested npm runs, and the list of fixture trees.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../src/package-info";
import { parseEnv } from "../../transforms/lib/dotenv";

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
