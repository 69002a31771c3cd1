/**
 * An app's own source files and who imports whom, read from the staged tree with string
 * checks first (most files never mention the module in question, so few are examined).
 */
import * as path from "node:path";
import type { ReadTree } from "../../src/tree/tree";

/** Every .ts/.tsx file under <root>/src and <root>/scripts, repository-relative. */
export function sourceFiles(tree: ReadTree, root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of tree.list(dir)) {
      if (name === "node_modules") continue;
      const child = `${dir}/${name}`;
      if (/\.tsx?$/.test(name)) files.push(child);
      else if (!name.includes(".") && tree.isDirectory(child)) walk(child);
    }
  };
  walk(`${root}/src`);
  walk(`${root}/scripts`);
  return files;
}

/** The server's sources (the same walk; servers have no .tsx). */
export const serverSourceFiles = sourceFiles;

export interface ImportUse {
  importer: string;
  /** Names imported from the module (default imports as "default"). */
  names: string[];
}

const IMPORT = /import\s+(type\s+)?([^'";]*?)\s*from\s*["']([^"']+)["']/g;

/**
 * Files (other than those in `except`) that import `target` (a repository-relative .ts/.tsx path),
 * by relative specifier or by the `src/...` form that relies on tsconfig baseUrl.
 */
export function importersOf(
  tree: ReadTree,
  serverRoot: string,
  target: string,
  except: ReadonlySet<string> = new Set(),
): ImportUse[] {
  const stem = target.replace(/\.tsx?$/, "");
  const base = path.posix.basename(stem);
  const uses: ImportUse[] = [];
  for (const file of sourceFiles(tree, serverRoot)) {
    if (file === target || except.has(file)) continue;
    const source = tree.read(file);
    if (!source || !source.includes(base)) continue;
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[3];
      const resolved = specifier.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
        : specifier.startsWith("src/")
          ? `${serverRoot}/${specifier}`
          : undefined;
      if (resolved !== stem && resolved !== `${stem}/index`) continue;
      uses.push({ importer: file, names: importedNames(match[2]) });
    }
  }
  return uses;
}

function importedNames(clause: string): string[] {
  const names: string[] = [];
  const named = /\{([^}]*)\}/.exec(clause);
  if (named) {
    for (const part of named[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  }
  const outside = clause.replace(/\{[^}]*\}/, "").replace(/,/g, " ").trim();
  if (outside.startsWith("* as")) names.push("*");
  else if (outside) names.push("default");
  return names;
}
