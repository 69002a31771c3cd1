/**
 * The project's own import graph, from the sources: every relative `import`, `import type`,
 * `export ... from` and `require("./...")` of each .ts/.tsx file, resolved to a file. Type-only
 * edges count: they are the shape a reader follows, and a value import that closes a loop of
 * them becomes a load-order bug.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export type ImportGraph = Map<string, string[]>;

/** Files relative to `root`, with "/" separators. */
export function importGraph(root: string, folders: string[]): ImportGraph {
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), {
      withFileTypes: true,
    })) {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(file);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
        files.add(file);
    }
  };
  for (const folder of folders)
    if (fs.existsSync(path.join(root, folder))) walk(folder);

  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const specifiers = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((imported) => imported.fileName);
    for (const match of text.matchAll(/require\(\s*["'](\.[^"']+)["']\s*\)/g))
      specifiers.push(match[1]!);
    const edges = new Set<string>();
    for (const specifier of specifiers) {
      if (!specifier.startsWith(".")) continue;
      const base = path.posix.normalize(
        path.posix.join(path.posix.dirname(file), specifier),
      );
      const target = [
        `${base}.ts`,
        `${base}.tsx`,
        `${base}/index.ts`,
        base.replace(/\.js$/, ".ts"),
      ].find((candidate) => files.has(candidate));
      if (target) edges.add(target);
    }
    graph.set(file, [...edges].sort());
  }
  return graph;
}

/** Each group of files that import each other in a loop (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      if (group.length > 1 || graph.get(file)?.includes(file))
        cycles.push(group.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
