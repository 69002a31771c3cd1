/**
 * Build step after tsc: replaces the compiled form of each module below (which requires a
 * devDependency) with one bundle of what it loads, so that the package depends on none of it:
 * - transforms/lib/jscodeshift-core.ts: jscodeshift's core, recast and Babel's parser, without
 *   what jscodeshift depends on for its command line;
 * - transforms/lib/prisma-parser.ts: @mrleebo/prisma-ast with chevrotain and lodash-es, ES
 *   modules of several hundred files that are slow to load one by one.
 * A module named in an entry's `stubs` is replaced by the source given there. The licences of
 * the bundled packages go beside each bundle (<name>.LICENSES.txt).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { build, type Plugin } from "esbuild";

const ROOT = path.resolve(__dirname, "../..");
const BUNDLED: Array<{
  name: string;
  external: string[];
  /** Modules replaced in the bundle by the given source. */
  stubs?: Record<string, string>;
}> = [
  // jscodeshift's flow parser: only loaded when asked for by name, which the rules never do.
  { name: "jscodeshift-core", external: ["flow-parser"] },
  {
    name: "prisma-parser",
    external: [],
    stubs: {
      // @mrleebo/prisma-ast looks for a config of its own with lilconfig as it loads, from the
      // working folder up to the file system's root: it would read files outside the
      // repository, and run a `prisma-ast.config.js` or `.prisma-astrc.js` found on the way.
      // Its defaults are what the rules are written for, so the search finds nothing here.
      lilconfig:
        "exports.lilconfigSync = () => ({ search: () => null, load: () => null });",
    },
  },
];

/** An esbuild plugin that gives each module named in `stubs` the source it maps to. */
function stubModules(stubs: Record<string, string>): Plugin {
  const names = Object.keys(stubs);
  return {
    name: "stub-modules",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) =>
        names.includes(args.path)
          ? { path: args.path, namespace: "stub" }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "stub" }, (args) => ({
        contents: stubs[args.path],
        loader: "js",
      }));
    },
  };
}

async function main(): Promise<void> {
  // The core's parsers and ours must be one Babel: the bundle would otherwise hold two.
  const jscodeshiftDir = path.dirname(
    require.resolve("jscodeshift/package.json", { paths: [ROOT] }),
  );
  const theirs = require.resolve("@babel/parser", { paths: [jscodeshiftDir] });
  const ours = require.resolve("@babel/parser", { paths: [ROOT] });
  if (theirs !== ours) {
    throw new Error(
      `jscodeshift has its own @babel/parser (${path.relative(ROOT, theirs)}): align the versions in package-lock.json`,
    );
  }
  for (const { name, external, stubs } of BUNDLED) {
    const out = path.join(ROOT, `dist/transforms/lib/${name}.js`);
    const result = await build({
      entryPoints: [path.join(ROOT, `transforms/lib/${name}.ts`)],
      outfile: out,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      external,
      plugins: stubs ? [stubModules(stubs)] : [],
      metafile: true,
      logLevel: "warning",
      absWorkingDir: ROOT,
    });
    fs.writeFileSync(
      path.join(path.dirname(out), `${name}.LICENSES.txt`),
      licences(Object.keys(result.metafile.inputs)),
    );
  }
}

/** The name, version and licence text of each package the bundle holds code of. */
function licences(inputs: string[]): string {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]!);
  }
  return [...packages]
    .sort()
    .map((dir) => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8"),
      ) as { name: string; version: string; license?: string };
      const file = fs
        .readdirSync(path.join(ROOT, dir))
        .find((name) => /^licen[cs]e/i.test(name));
      const text = file
        ? fs.readFileSync(path.join(ROOT, dir, file), "utf8").trim()
        : `License: ${manifest.license ?? "see the package"}`;
      return `${manifest.name}@${manifest.version}\n\n${text}\n`;
    })
    .join(`\n${"-".repeat(72)}\n\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
