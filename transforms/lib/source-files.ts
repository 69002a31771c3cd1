/**
 * An app's own source files, which of them mention a string, and who imports whom. Every
 * question starts with a plain string search (most files never mention the module or name in
 * question), so only the few files that do are decoded and examined; the engine's DiskTree
 * answers that search on the bytes its worker read (see SearchableTree.mentioning).
 *
 * On a tree that can tell when it changes (a `revision`: the engine's caching DiskTree and the
 * StagedTrees on top of it), the file list is walked once for the tree on disk and kept; a
 * StagedTree lays its own changes over it. Any other tree is walked again on every call. Both
 * ways give the same answers in the same order.
 */
import * as path from "node:path";
import {
  mentioningByReading,
  type ReadTree,
  type SearchableTree,
} from "../../src/tree/read-tree";
import { inService } from "../../src/config/service-path";
import { StagedTree } from "../../src/tree/staged-tree";

/**
 * An app's sources as a rule sees them (RuleContext.sources): the tree of the pass, and the
 * views the run keeps of its trees (SourceViews, one per run), so that what one rule's search
 * learned answers the next rule's while the tree has not changed.
 */
export class SourceSearch {
  constructor(
    readonly tree: SearchableTree,
    readonly views: SourceViews = new SourceViews(),
  ) {}
}

/** Every .ts/.tsx file under <root>/src and <root>/scripts, repository-relative. */
export function sourceFiles(
  { tree, views }: SourceSearch,
  root: string,
): string[] {
  const view = views.of(tree, root);
  return view ? [...view.files()] : walkSourceFiles(tree, root);
}

/** The source files (as sourceFiles lists them, in that order) whose text contains `needle`. */
export function sourcesMentioning(
  sources: SourceSearch,
  root: string,
  needle: string,
): string[] {
  const { tree, views } = sources;
  const view = views.of(tree, root);
  if (view) return [...view.mentioning(needle)];
  const files = walkSourceFiles(tree, root);
  return tree.mentioning
    ? tree.mentioning(files, needle)
    : mentioningByReading(tree, files, needle);
}

/** The string every importer of `file` contains: its module's name (`a/b/token.service.ts` → token.service). */
export function moduleName(file: string): string {
  return path.posix.basename(file.replace(/\.tsx?$/, ""));
}

export interface ImportUse {
  importer: string;
  /** Names imported from the module (default imports as "default"). */
  names: string[];
}

const IMPORT = /import\s+(type\s+)?([^'";]*?)\s*from\s*["']([^"']+)["']/g;

/**
 * Files (other than those in `except`) that import `target` (a repository-relative .ts/.tsx path),
 * by relative specifier or by the `src/...` form that relies on tsconfig baseUrl; in the order
 * of sourceFiles, then of the imports in the file. An importer's text contains the module's
 * name, so only files mentioning it are examined.
 */
export function importersOf(
  sources: SourceSearch,
  serverRoot: string,
  target: string,
  except: ReadonlySet<string> = new Set(),
): ImportUse[] {
  const stem = target.replace(/\.tsx?$/, "");
  const uses: ImportUse[] = [];
  for (const file of sourcesMentioning(
    sources,
    serverRoot,
    moduleName(target),
  )) {
    if (file === target || except.has(file)) continue;
    for (const match of (sources.tree.read(file) ?? "").matchAll(IMPORT)) {
      const resolved = resolveSpecifier(file, match[3], serverRoot);
      if (resolved !== stem && resolved !== `${stem}/index`) continue;
      uses.push({ importer: file, names: importedNames(match[2]) });
    }
  }
  return uses;
}

function walkSourceFiles(tree: ReadTree, root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of tree.list(dir)) {
      if (name === "node_modules") continue;
      const child = `${dir}/${name}`;
      if (/\.tsx?$/.test(name)) files.push(child);
      else if (!name.includes(".") && tree.isDirectory(child)) walk(child);
    }
  };
  walk(inService(root, "src"));
  walk(inService(root, "scripts"));
  return files;
}

/** The repository-relative module an import specifier names, or undefined for a package. */
function resolveSpecifier(
  file: string,
  specifier: string,
  root: string,
): string | undefined {
  return specifier.startsWith(".")
    ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
    : specifier.startsWith("src/")
      ? inService(root, specifier)
      : undefined;
}

function importedNames(clause: string): string[] {
  const names: string[] = [];
  const named = /\{([^}]*)\}/.exec(clause);
  if (named) {
    for (const part of named[1].split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]
        .replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  }
  const outside = clause
    .replace(/\{[^}]*\}/, "")
    .replace(/,/g, " ")
    .trim();
  if (outside.startsWith("* as")) names.push("*");
  else if (outside) names.push("default");
  return names;
}

// ---- The kept views ----

/** The source files of one root of a tree at one revision. */
interface SourceView {
  readonly revision: number;
  /** In walk order: <root>/src depth first, then <root>/scripts, names sorted. */
  files(): readonly string[];
  has(file: string): boolean;
  /** The files that contain needle, in walk order. */
  mentioning(needle: string): readonly string[];
}

/** The views a run keeps: per tree and root, while the tree's revision stays. */
export class SourceViews {
  private readonly byTree = new WeakMap<
    SearchableTree,
    Map<string, SourceView>
  >();

  /** The view of root in tree, kept while the tree's revision stays; undefined when it has none. */
  of(tree: SearchableTree, root: string): SourceView | undefined {
    const revision = tree.revision;
    if (revision === undefined) return undefined;
    let byRoot = this.byTree.get(tree);
    if (!byRoot) this.byTree.set(tree, (byRoot = new Map()));
    const kept = byRoot.get(root);
    if (kept && kept.revision === revision) return kept;
    let view: SourceView | undefined;
    if (tree instanceof StagedTree) {
      const lower = this.of(tree.base, root);
      if (!lower) return undefined;
      view = new OverlayView(tree, root, lower, revision);
    } else {
      view = new SnapshotView(tree, root, revision);
    }
    byRoot.set(root, view);
    return view;
  }
}

/** The walk of the tree itself, once. */
class SnapshotView implements SourceView {
  private list?: string[];
  private members?: Set<string>;
  private readonly found = new Map<string, readonly string[]>();

  constructor(
    private readonly tree: SearchableTree,
    private readonly root: string,
    readonly revision: number,
  ) {}

  files(): readonly string[] {
    if (!this.list) {
      // Every source file of the root is about to be listed and read.
      this.tree.settle?.([
        inService(this.root, "src"),
        inService(this.root, "scripts"),
      ]);
      this.list = walkSourceFiles(this.tree, this.root);
    }
    return this.list;
  }

  has(file: string): boolean {
    return (this.members ??= new Set(this.files())).has(file);
  }

  mentioning(needle: string): readonly string[] {
    let found = this.found.get(needle);
    if (!found) {
      const files = this.files();
      found = this.tree.mentioning
        ? this.tree.mentioning(files, needle)
        : mentioningByReading(this.tree, files, needle);
      this.found.set(needle, found);
    }
    return found;
  }
}

/** A StagedTree's own changes laid over the view of its base. */
class OverlayView implements SourceView {
  /** Changed files under <root>/src and <root>/scripts → whether they are source files now. */
  private readonly changed = new Map<string, boolean>();
  private list?: readonly string[];

  private readonly found = new Map<string, readonly string[]>();

  constructor(
    private readonly tree: StagedTree,
    private readonly root: string,
    private readonly lower: SourceView,
    readonly revision: number,
  ) {
    for (const [file, content] of tree.changes) {
      if (walkPath(file, root) === undefined) continue;
      this.changed.set(
        file,
        content !== null && (lower.has(file) || isWalked(file, root)),
      );
    }
  }

  files(): readonly string[] {
    if (this.list) return this.list;
    const lowerFiles = this.lower.files();
    const added = [...this.changed]
      .filter(([file, member]) => member && !this.lower.has(file))
      .map(([file]) => file);
    const removed = [...this.changed].some(
      ([file, member]) => !member && this.lower.has(file),
    );
    if (added.length === 0 && !removed) return (this.list = lowerFiles);
    const list = removed
      ? lowerFiles.filter((file) => this.changed.get(file) !== false)
      : [...lowerFiles];
    const order = walkOrder(this.root);
    for (const file of added.sort(order)) {
      let low = 0;
      let high = list.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (order(list[middle], file) < 0) low = middle + 1;
        else high = middle;
      }
      list.splice(low, 0, file);
    }
    return (this.list = list);
  }

  has(file: string): boolean {
    const member = this.changed.get(file);
    return member === undefined ? this.lower.has(file) : member;
  }

  /** The base's answer without the changed files, and the changed ones that match now. */
  mentioning(needle: string): readonly string[] {
    let found = this.found.get(needle);
    if (!found) {
      const own = [...this.changed]
        .filter(
          ([file, member]) => member && this.tree.read(file)!.includes(needle),
        )
        .map(([file]) => file);
      const kept = this.lower
        .mentioning(needle)
        .filter((file) => !this.changed.has(file));
      found =
        own.length === 0 ? kept : [...kept, ...own].sort(walkOrder(this.root));
      this.found.set(needle, found);
    }
    return found;
  }
}

/** 0 for <root>/src, 1 for <root>/scripts and the path below it; undefined outside both. */
function walkPath(
  file: string,
  root: string,
): { top: number; rest: string } | undefined {
  for (const [top, dir] of [
    [0, "src"],
    [1, "scripts"],
  ] as const) {
    const prefix = `${inService(root, dir)}/`;
    if (file.startsWith(prefix))
      return { top, rest: file.slice(prefix.length) };
  }
  return undefined;
}

/**
 * Whether the walk reaches a file that exists in a StagedTree: a .ts/.tsx name under folders
 * without a dot in their names and other than node_modules (a folder holding a staged file
 * always is a directory of that tree).
 */
function isWalked(file: string, root: string): boolean {
  const rest = walkPath(file, root)?.rest;
  if (rest === undefined) return false;
  const parts = rest.split("/");
  const name = parts.pop()!;
  return (
    name !== "node_modules" &&
    /\.tsx?$/.test(name) &&
    parts.every(
      (dir) => dir !== "" && dir !== "node_modules" && !dir.includes("."),
    )
  );
}

/** The walk's order of two files under root: src before scripts, then depth first by name. */
function walkOrder(root: string): (a: string, b: string) => number {
  return (a, b) => {
    if (a === b) return 0;
    const pa = walkPath(a, root);
    const pb = walkPath(b, root);
    const ta = pa?.top ?? 2;
    const tb = pb?.top ?? 2;
    if (ta !== tb) return ta - tb;
    const sa = (pa?.rest ?? a).split("/");
    const sb = (pb?.rest ?? b).split("/");
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
      if (sa[i] !== sb[i]) return sa[i] < sb[i] ? -1 : 1;
    }
    return sa.length - sb.length;
  };
}
