/**
 * Dependencies point one way (issue 15): the config and the rule ids at the bottom; the rule
 * contract, detection, the tree and the shared verbs of transforms/lib above them; the rules
 * above those; the registry, the engine and the commands above the rules; the CLI, the package
 * entry and the jscodeshift entry on top. Checked on the sources' import graph, type-only
 * imports included (helpers/import-graph.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "./helpers/files";
import {
  importCycles,
  importGraph,
  type ImportGraph,
} from "./helpers/import-graph";

const ROOT = path.resolve(__dirname, "..");
const graph = importGraph(ROOT, ["src", "transforms", "scripts"]);

/** The imports of files matching `from` that land on files matching none of `allowed`. */
function importsOutside(
  graph: ImportGraph,
  from: RegExp,
  allowed: RegExp[],
): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph)
    if (from.test(file))
      for (const target of targets)
        if (!allowed.some((pattern) => pattern.test(target)))
          found.push(`${file} -> ${target}`);
  return found;
}

it("the graph is the project's: it holds the layers this file checks", () => {
  for (const file of [
    "src/config/schema.ts",
    "src/plan/rules.ts",
    "transforms/server/jwt-strategy-base.ts",
    "src/cli/main.ts",
  ])
    expect(graph.has(file)).toBe(true);
  expect(graph.get("src/plan/rules.ts")).toContain(
    "transforms/server/jwt-strategy-base.ts",
  );
});

it("no import cycle in src/, transforms/ or scripts/", () => {
  expect(importCycles(graph)).toEqual([]);
});

it("finds a cycle planted in the real graph (the schema importing the rule table, as it once did)", () => {
  const planted: ImportGraph = new Map(graph);
  planted.set("src/config/schema.ts", [
    ...graph.get("src/config/schema.ts")!,
    "src/plan/rules.ts",
  ]);
  const cycles = importCycles(planted);
  expect(cycles).toHaveLength(1);
  expect(cycles[0]).toEqual(
    expect.arrayContaining([
      "src/config/schema.ts",
      "src/plan/rules.ts",
      "transforms/server/jwt-strategy-base.ts",
    ]),
  );
});

it("finds a type-only cycle in files on disk", () => {
  const dir = tempDir("aa0-cycle-");
  fs.mkdirSync(path.join(dir, "src"));
  fs.writeFileSync(
    path.join(dir, "src/a.ts"),
    'import type { B } from "./b";\nexport type A = { b?: B };\n',
  );
  fs.writeFileSync(
    path.join(dir, "src/b.ts"),
    'export const b = () => require("./a");\nexport type B = 1;\n',
  );
  fs.writeFileSync(path.join(dir, "src/c.ts"), 'import "./a";\n');
  expect(importCycles(importGraph(dir, ["src"]))).toEqual([
    ["src/a.ts", "src/b.ts"],
  ]);
});

it("the config imports only the config: it gets the rule ids as an argument", () => {
  expect(importsOutside(graph, /^src\/config\//, [/^src\/config\//])).toEqual(
    [],
  );
});

it("a rule reaches only the contract, detection, the tree, the config and transforms/lib, never the registry, the engine or a command", () => {
  expect(
    importsOutside(graph, /^transforms\/(server|admin)\//, [
      /^transforms\/(lib|server|admin)\//,
      /^src\/plan\/rule\.ts$/,
      /^src\/(config|detect|tree)\//,
    ]),
  ).toEqual([]);
});

it("the shared verbs of transforms/lib import no rule", () => {
  expect(
    importsOutside(graph, /^transforms\/lib\//, [
      /^transforms\/lib\//,
      /^src\/plan\/rule\.ts$/,
      /^src\/(config|detect|tree)\//,
    ]),
  ).toEqual([]);
});

it("the verbs of transforms/verbs import no rule, only the contract and transforms/lib", () => {
  expect(
    importsOutside(graph, /^transforms\/verbs\//, [
      /^transforms\/(lib|verbs)\//,
      /^src\/plan\/rule\.ts$/,
      /^src\/(config|detect|tree)\//,
    ]),
  ).toEqual([]);
});

it("tree/ is split by job: the byte search is the disk tree's alone, and a rule sees the tree only as read-tree's interfaces", () => {
  expect(
    [...graph]
      .filter(([, targets]) => targets.includes("src/tree/byte-search.ts"))
      .map(([file]) => file),
  ).toEqual(["src/tree/disk-tree.ts"]);
  expect(
    importsOutside(graph, /^transforms\/(server|admin)\//, [
      /^(?!src\/tree\/)/,
      /^src\/tree\/read-tree\.ts$/,
    ]),
  ).toEqual([]);
  for (const file of ["src/tree/read-tree.ts", "src/tree/byte-search.ts"])
    expect(
      (graph.get(file) ?? []).filter((target) =>
        /^src\/tree\/(disk|staged)-tree\.ts$/.test(target),
      ),
    ).toEqual([]);
});

/**
 * Module-level state that may stay: each a cache of a pure function of its key, or a module
 * loaded once, or the jscodeshift workers' per-process sharing (not a stage of a run).
 */
const KEPT_MODULE_STATE = [
  "src/format/format.ts: let prettier", // the module, loaded on first use
  "src/format/format.ts: const formatted", // Prettier output by file name, options and text
  "src/plan/run-rule.ts: let jscodeshift", // the module, loaded on first use
  "src/tree/prefetch.ts: let realRoot", // the worker thread's own
  "src/tree/prefetch.ts: let needles", // likewise
  "transforms/lib/parser.ts: const setups", // Babel and its options per parser name
  "transforms/lib/prisma-model.ts: const parsedPieces", // Prisma blocks by their text
  "transforms/lib/prisma-model.ts: let getSchema", // the parser, loaded on first use
  "transforms/lib/prisma-model.ts: let lastDeclarations", // the last schema's declarations
  "transforms/lib/grants.ts: let last", // the last grants.json's roles
  "transforms/lib/run-once.ts: const inProcess", // one conversion per jscodeshift process
  "transforms/lib/run-once.ts: const queues",
  "transforms/router.ts: const roots", // folder to repository root, in a jscodeshift worker
  "transforms/router.ts: const notVisited", // per conversion and side, in a jscodeshift worker
  "transforms/admin/auth-provider-auth0.ts: let redirect", // a line of the file it generates
  "transforms/server/jwt-strategy-base.ts: let loggedMissingRolesClaim", // likewise
];

it("stages pass state as values: no module keeps a mutable map or variable but the kept caches", () => {
  const found: string[] = [];
  for (const file of graph.keys()) {
    if (!/^(src|transforms)\/.*\.ts$/.test(file)) continue;
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    for (const match of text.matchAll(
      /^(?:export )?(let \w+|const \w+)(?::[^=\n]+)? = new (?:Map|WeakMap)\b|^(?:export )?(let \w+)/gm,
    ))
      found.push(`${file}: ${match[1] ?? match[2]}`);
  }
  expect(found.sort()).toEqual([...KEPT_MODULE_STATE].sort());
});

it("nothing but the top imports the CLI, the package entry or the jscodeshift entry", () => {
  const top = /^(src\/cli\/|src\/index\.ts$|transforms\/router\.ts$|scripts\/)/;
  const found: string[] = [];
  for (const [file, targets] of graph)
    if (!top.test(file))
      for (const target of targets)
        if (top.test(target)) found.push(`${file} -> ${target}`);
  expect(found).toEqual([]);
});
