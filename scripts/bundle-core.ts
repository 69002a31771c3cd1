/**
 * Build step after tsc: replaces dist/transforms/lib/jscodeshift-core.js (which requires the
 * jscodeshift devDependency) with one bundle of jscodeshift's core, recast and Babel's parser,
 * so that the package needs none of jscodeshift's own dependencies (see
 * transforms/lib/jscodeshift-core.ts). The licences of the bundled packages go beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(__dirname, "../..");
const ENTRY = path.join(ROOT, "transforms/lib/jscodeshift-core.ts");
const OUT = path.join(ROOT, "dist/transforms/lib/jscodeshift-core.js");

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
  const result = await build({
    entryPoints: [ENTRY],
    outfile: OUT,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // jscodeshift's flow parser: only loaded when asked for by name, which the rules never do.
    external: ["flow-parser"],
    metafile: true,
    logLevel: "warning",
    absWorkingDir: ROOT,
  });
  fs.writeFileSync(
    path.join(path.dirname(OUT), "jscodeshift-core.LICENSES.txt"),
    licences(Object.keys(result.metafile.inputs)),
  );
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
