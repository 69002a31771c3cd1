/**
 * V8's code cache for the modules the command loads on its main thread. Compiling them (the
 * 1.3 MB bundle of jscodeshift and Babel, zod, yaml, the rules) and the functions a run calls
 * takes about 0.1 s of every run. `npm run build` runs the command once on the bundled example
 * app and keeps what V8 compiled in one file, dist/code-cache.bin (scripts/build-code-cache.ts);
 * later runs hand each module's entry to V8 instead of compiling its source again.
 *
 * Nothing is written at run time. An entry is used only when the file's text hashes to what was
 * cached (V8 itself compares no more than the length) and V8 takes it (same V8 version and
 * flags); any other module, and every module on another Node version, compiles as before, so
 * a stale or missing cache costs only the time it would have saved.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { Module } from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

/** dist/code-cache.bin, from dist/src/cli/code-cache.js. */
export const CODE_CACHE_FILE = path.resolve(__dirname, "../../code-cache.bin");

/** Where the cache is and the folder its paths are relative to: the package's own by default. */
export interface CodeCacheFile {
  file?: string;
  root?: string;
}

const PACKAGE_ROOT = path.resolve(__dirname, "../../..");

/** The file's layout: a 4-byte length, that many bytes of this JSON, then the entries' bytes. */
interface CacheIndex {
  /** process.versions.v8 of the run that made it: another V8 rejects every entry. */
  v8: string;
  /** By module (keyOf: its path in the package, or in node_modules for a dependency). */
  entries: Record<string, { sha1: string; offset: number; length: number }>;
}

type Compile = (
  this: Module,
  content: string,
  filename: string,
  format?: string,
) => unknown;

interface ModuleInternals {
  prototype: { _compile: Compile };
  wrap(content: string): string;
  _resolveFilename(
    request: string,
    parent: Module,
    isMain: boolean,
    options?: unknown,
  ): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

const Modules = Module as unknown as ModuleInternals;
/** The command's own module: what `require.main` is in every module. */
const MAIN = require.main;
/** Marks the compile function this file installed, so that it is installed once. */
const INSTALLED = Symbol.for("amplication-auth0-codemod.code-cache");

/** How the modules loaded since useCodeCache were compiled: counts that grow as they load. */
export interface CodeCacheUse {
  /** From the cache's entry. */
  fromCache: number;
  /** Compiled from their source (no entry, one for another text, or one V8 did not take). */
  fromSource: string[];
}

/**
 * Loads the modules required from now on from dist/code-cache.bin where it holds them. Does
 * nothing, and returns undefined, when the file is missing or unreadable, or made by another V8.
 */
export function useCodeCache({
  file = CODE_CACHE_FILE,
  root = PACKAGE_ROOT,
}: CodeCacheFile = {}): CodeCacheUse | undefined {
  if (isInstalled()) return undefined;
  let cache: { index: CacheIndex; bytes: Buffer };
  try {
    cache = readCache(fs.readFileSync(file));
  } catch {
    return undefined; // no cache (a build without it, a copy of src): compile as Node does
  }
  if (cache.index.v8 !== process.versions.v8) return undefined;
  const use: CodeCacheUse = { fromCache: 0, fromSource: [] };
  install(
    (content, filename) => {
      const key = keyOf(root, filename);
      const entry = key === undefined ? undefined : cache.index.entries[key];
      if (!entry || entry.sha1 !== sha1(content)) return undefined;
      return cache.bytes.subarray(entry.offset, entry.offset + entry.length);
    },
    (filename, _content, script, cachedData) => {
      if (cachedData && !script.cachedDataRejected) use.fromCache++;
      else use.fromSource.push(keyOf(root, filename) ?? filename);
    },
  );
  return use;
}

/**
 * For the build: compiles the modules required from now on through V8 and, when the process
 * exits, writes what V8 compiled for those of the package and its dependencies to `file`.
 */
export function recordCodeCache({
  file = CODE_CACHE_FILE,
  root = PACKAGE_ROOT,
}: CodeCacheFile = {}): void {
  if (isInstalled()) throw new Error("a code cache is in use already");
  const scripts = new Map<string, { sha1: string; script: vm.Script }>();
  install(
    () => undefined,
    (filename, content, script) => {
      const key = keyOf(root, filename);
      if (key !== undefined) scripts.set(key, { sha1: sha1(content), script });
    },
  );
  process.on("exit", () => {
    const index: CacheIndex = { v8: process.versions.v8, entries: {} };
    const parts: Buffer[] = [];
    let offset = 0;
    for (const [key, { sha1, script }] of [...scripts].sort()) {
      const data = script.createCachedData();
      index.entries[key] = { sha1, offset, length: data.length };
      parts.push(data);
      offset += data.length;
    }
    const json = Buffer.from(JSON.stringify(index));
    const head = Buffer.alloc(4);
    head.writeUInt32LE(json.length);
    // Renamed into place whole: a command started meanwhile reads the old file or the new one.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.concat([head, json, ...parts]));
    fs.renameSync(partial, file);
  });
}

function readCache(bytes: Buffer): { index: CacheIndex; bytes: Buffer } {
  const length = bytes.readUInt32LE(0);
  const index = JSON.parse(
    bytes.subarray(4, 4 + length).toString("utf8"),
  ) as CacheIndex;
  return { index, bytes: bytes.subarray(4 + length) };
}

function isInstalled(): boolean {
  return INSTALLED in Modules.prototype._compile;
}

/**
 * Replaces Module.prototype._compile for CommonJS files that start with no `#!` line: the
 * source is wrapped and compiled as Node does (Module.wrap, then run in this context), with
 * `cachedData` when `cached` has an entry, and called with the `require` Node would make.
 * Every other file goes to Node's own _compile.
 */
function install(
  cached: (content: string, filename: string) => Buffer | undefined,
  compiled: (
    filename: string,
    content: string,
    script: vm.Script,
    cachedData: Buffer | undefined,
  ) => void,
): void {
  const nodeCompile = Modules.prototype._compile;
  const compile: Compile = function (this: Module, content, filename, format) {
    if (
      (format !== undefined && format !== "commonjs") ||
      content.startsWith("#!") ||
      !filename.endsWith(".js")
    )
      return nodeCompile.call(this, content, filename, format);
    const cachedData = cached(content, filename);
    const script = new vm.Script(Modules.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    compiled(filename, content, script, cachedData);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (
      ...args: unknown[]
    ) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireFor(this),
      this,
      filename,
      path.dirname(filename),
    );
  };
  Object.defineProperty(compile, INSTALLED, { value: true });
  Modules.prototype._compile = compile;
}

/** The `require` Node hands a CommonJS module. */
function requireFor(module: Module): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    Modules._resolveFilename(
      request,
      module,
      false,
      options,
    )) as NodeJS.RequireResolve;
  resolve.paths = (request: string) =>
    Modules._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = MAIN;
  require.extensions = Modules._extensions as NodeJS.Require["extensions"];
  require.cache = Modules._cache as NodeJS.Require["cache"];
  return require;
}

/**
 * A module's key in the cache: its path relative to `root`, or for a dependency its path from
 * the last node_modules/ on (a dependency is in the package's own node_modules when built, and
 * may be beside the package when installed). Undefined for any other file.
 */
function keyOf(root: string, filename: string): string | undefined {
  const relative = path.relative(root, filename).split(path.sep).join("/");
  const inDependency = `/${relative}`.lastIndexOf("/node_modules/");
  if (!relative.startsWith("../") && inDependency < 0) return relative;
  const posix = filename.split(path.sep).join("/");
  const at = posix.lastIndexOf("/node_modules/");
  return at >= 0 ? posix.slice(at + 1) : undefined;
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
