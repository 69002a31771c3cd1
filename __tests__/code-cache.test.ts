/**
 * src/cli/code-cache.ts with real V8 and Node's real module loading: each recording and each
 * use is its own node process, as a build and a later command are.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { builtPackage } from "./helpers/build";
import { tempDir } from "./helpers/files";

const built = builtPackage();
const CODE_CACHE = path.join(built, "dist/src/cli/code-cache.js");

/** Runs `script` in a new node process and returns what it printed. */
function node(script: string): string {
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}

/** A folder of modules: a.js, and b.js, which requires a.js. */
function modules(a: string): { root: string; file: string } {
  const root = tempDir("aa0-code-cache-");
  fs.writeFileSync(path.join(root, "a.js"), a);
  fs.writeFileSync(
    path.join(root, "b.js"),
    "exports.fromA = require('./a').value;\nexports.twice = (x) => x * 2;\n",
  );
  return { root, file: path.join(root, "cache.bin") };
}

function record(where: { root: string; file: string }): void {
  node(
    `require(${JSON.stringify(CODE_CACHE)}).recordCodeCache(${JSON.stringify(where)});` +
      `require(${JSON.stringify(path.join(where.root, "b.js"))});`,
  );
}

/** Requires b.js with the cache in use: what it exports, and how its modules were compiled. */
function load(where: { root: string; file: string }): {
  use: unknown;
  fromA: unknown;
  twice: unknown;
} {
  return JSON.parse(
    node(
      `const use = require(${JSON.stringify(CODE_CACHE)}).useCodeCache(${JSON.stringify(where)});` +
        `const b = require(${JSON.stringify(path.join(where.root, "b.js"))});` +
        `console.log(JSON.stringify({ use, fromA: b.fromA, twice: b.twice(3) }));`,
    ),
  );
}

it("the next process loads the recorded modules from the cache, and they work as before", () => {
  const where = modules("exports.value = 40 + 2;\n");
  record(where);
  expect(fs.existsSync(where.file)).toBe(true);
  expect(load(where)).toEqual({
    use: { fromCache: 2, fromSource: [] },
    fromA: 42,
    twice: 6,
  });
});

it("a module whose text changed since, even to one of the same length, runs its new text", () => {
  // V8 itself compares only the length of the source with the cache's.
  const where = modules("exports.value = 1;\n");
  record(where);
  fs.writeFileSync(path.join(where.root, "a.js"), "exports.value = 2;\n");
  expect(load(where)).toEqual({
    use: { fromCache: 1, fromSource: ["a.js"] },
    fromA: 2,
    twice: 6,
  });
});

it("a dependency installed beside the package, not in it, loads from the entry recorded in the package", () => {
  const build = tempDir("aa0-code-cache-build-");
  fs.mkdirSync(path.join(build, "node_modules/dep"), { recursive: true });
  fs.writeFileSync(
    path.join(build, "node_modules/dep/index.js"),
    "exports.value = 42;\n",
  );
  fs.writeFileSync(
    path.join(build, "b.js"),
    "exports.fromA = require('dep').value;\nexports.twice = (x) => x * 2;\n",
  );
  record({ root: build, file: path.join(build, "cache.bin") });
  const prefix = tempDir("aa0-code-cache-installed-");
  const installed = path.join(prefix, "node_modules/pkg");
  fs.mkdirSync(installed, { recursive: true });
  fs.cpSync(
    path.join(build, "node_modules/dep"),
    path.join(prefix, "node_modules/dep"),
    { recursive: true },
  );
  fs.copyFileSync(path.join(build, "b.js"), path.join(installed, "b.js"));
  fs.copyFileSync(
    path.join(build, "cache.bin"),
    path.join(installed, "cache.bin"),
  );
  expect(
    load({ root: installed, file: path.join(installed, "cache.bin") }),
  ).toEqual({
    use: { fromCache: 2, fromSource: [] },
    fromA: 42,
    twice: 6,
  });
});

it("a cache made by another V8, or one that cannot be read, is not used: the modules load as usual", () => {
  const where = modules("exports.value = 42;\n");
  record(where);
  const bytes = fs.readFileSync(where.file);
  const length = bytes.readUInt32LE(0);
  const index = JSON.parse(bytes.subarray(4, 4 + length).toString("utf8"));
  const otherV8 = Buffer.from(JSON.stringify({ ...index, v8: "0.0.0" }));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(otherV8.length);
  fs.writeFileSync(
    where.file,
    Buffer.concat([head, otherV8, bytes.subarray(4 + length)]),
  );
  expect(load(where)).toEqual({ fromA: 42, twice: 6 }); // use: undefined, left out by JSON
  fs.writeFileSync(where.file, bytes.subarray(0, 10));
  expect(load(where)).toEqual({ fromA: 42, twice: 6 });
});

it("the build's cache holds every module of dist/ that a conversion loads, and V8 takes each under the command's V8 flags", () => {
  const use = JSON.parse(
    node(
      // as main.ts does: V8 takes an entry only under the flags it was recorded with
      `require(${JSON.stringify(path.join(built, "dist/src/cli/v8-flags.js"))}).tuneV8ForShortRun();` +
        `const use = require(${JSON.stringify(CODE_CACHE)}).useCodeCache();` +
        ["dist/src/engine/run.js", "dist/transforms/lib/jscodeshift-core.js"]
          .map((file) => `require(${JSON.stringify(path.join(built, file))});`)
          .join("") +
        `console.log(JSON.stringify(use));`,
    ),
  ) as { fromCache: number; fromSource: string[] };
  expect(use.fromSource.filter((file) => file.startsWith("dist/"))).toEqual([]);
  expect(use.fromCache).toBeGreaterThan(40);
});
