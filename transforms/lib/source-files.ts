/**
 * An app's own source files and who imports whom, read from the staged tree with string
 * checks first (most files never mention the module in question, so few are examined).
 *
 * On a tree that can tell when it changes (a `revision`: the engine's caching DiskTree and the
 * StagedTrees on top of it), the file list and an index of every import are built once for the
 * tree on disk and kept; a StagedTree lays its own changes over them, so a question costs the
 * few changed files, not the whole app. Any other tree is walked and read again on every call.
 * Both ways give the same answers in the same order.
 */
import * as path from "node:path";
import { StagedTree, type ReadTree } from "../../src/tree/tree";

/** Every .ts/.tsx file under <root>/src and <root>/scripts, repository-relative. */
export function sourceFiles(tree: ReadTree, root: string): string[] {
  const view = viewOf(tree, root);
  return view ? [...view.files()] : walkSourceFiles(tree, root);
}

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
  const view = viewOf(tree, serverRoot);
  if (!view)
    return importersByWalk(tree, serverRoot, target, except, stem, base);
  const order = walkOrder(serverRoot);
  const keys = new Set([base, "index", AWKWARD]);
  return [...keys]
    .flatMap((key) => view.candidates(key))
    .filter((use) => {
      if (use.importer === target || except.has(use.importer)) return false;
      if (!use.source.includes(base)) return false;
      use.resolved ??=
        resolveSpecifier(use.importer, use.specifier, serverRoot) ?? null;
      return use.resolved === stem || use.resolved === `${stem}/index`;
    })
    .sort((a, b) => order(a.importer, b.importer) || a.ordinal - b.ordinal)
    .map((use) => ({
      importer: use.importer,
      names: importedNames(use.clause),
    }));
}

/** importersOf on a tree that cannot tell when it changes: walk and read every file. */
function importersByWalk(
  tree: ReadTree,
  serverRoot: string,
  target: string,
  except: ReadonlySet<string>,
  stem: string,
  base: string,
): ImportUse[] {
  const uses: ImportUse[] = [];
  for (const file of walkSourceFiles(tree, serverRoot)) {
    if (file === target || except.has(file)) continue;
    const source = tree.read(file);
    if (!source || !source.includes(base)) continue;
    for (const match of source.matchAll(IMPORT)) {
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
  walk(`${root}/src`);
  walk(`${root}/scripts`);
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
      ? `${root}/${specifier}`
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

/** One import statement of a source file, filed under the last segment of its specifier. */
interface Use {
  importer: string;
  /** Its position among the file's import matches. */
  ordinal: number;
  /** What stands between `import` and `from`. */
  clause: string;
  specifier: string;
  /** The importer's content. */
  source: string;
  /** The module it names, worked out when first asked; null for a package. */
  resolved?: string | null;
}

/**
 * The key of specifiers whose last segment is not the module's name ("..", ".", "./dir/"):
 * asked about on every question. A module's stem always ends with its name otherwise, so a
 * question about `.../token.service` only looks at the keys "token.service" and "index".
 */
const AWKWARD = "/";

/** The key an import is filed under, or undefined for a package (which never resolves). */
function specifierKey(specifier: string): string | undefined {
  if (!specifier.startsWith(".") && !specifier.startsWith("src/"))
    return undefined;
  const last = specifier.slice(specifier.lastIndexOf("/") + 1);
  return last === "" || last === "." || last === ".." ? AWKWARD : last;
}

/** The source files of one root of a tree at one revision, and their imports. */
interface SourceView {
  readonly revision: number;
  /** In walk order: <root>/src depth first, then <root>/scripts, names sorted. */
  files(): readonly string[];
  has(file: string): boolean;
  /** The imports filed under `key` (see specifierKey), in no particular order. */
  candidates(key: string): readonly Use[];
}

const views = new WeakMap<ReadTree, Map<string, SourceView>>();

/** The view of root in tree, kept while the tree's revision stays; undefined when it has none. */
function viewOf(tree: ReadTree, root: string): SourceView | undefined {
  const revision = tree.revision;
  if (revision === undefined) return undefined;
  let byRoot = views.get(tree);
  if (!byRoot) views.set(tree, (byRoot = new Map()));
  const kept = byRoot.get(root);
  if (kept && kept.revision === revision) return kept;
  let view: SourceView | undefined;
  if (tree instanceof StagedTree) {
    const lower = viewOf(tree.base, root);
    if (!lower) return undefined;
    view = new OverlayView(tree, root, lower, revision);
  } else {
    view = new SnapshotView(tree, root, revision);
  }
  byRoot.set(root, view);
  return view;
}

/** Everything from the tree itself, once: the walk, then every file read and indexed. */
class SnapshotView implements SourceView {
  private list?: string[];
  private members?: Set<string>;
  private index?: Map<string, Use[]>;

  constructor(
    private readonly tree: ReadTree,
    private readonly root: string,
    readonly revision: number,
  ) {}

  files(): readonly string[] {
    if (!this.list) {
      // Every source file of the root is about to be listed and read.
      this.tree.settle?.([`${this.root}/src`, `${this.root}/scripts`]);
      this.list = walkSourceFiles(this.tree, this.root);
    }
    return this.list;
  }

  has(file: string): boolean {
    return (this.members ??= new Set(this.files())).has(file);
  }

  candidates(key: string): readonly Use[] {
    if (!this.index) {
      this.index = new Map();
      for (const file of this.files()) {
        indexFile(this.index, file, this.tree.read(file));
      }
    }
    return this.index.get(key) ?? [];
  }
}

/** A StagedTree's own changes laid over the view of its base. */
class OverlayView implements SourceView {
  /** Changed files under <root>/src and <root>/scripts → whether they are source files now. */
  private readonly changed = new Map<string, boolean>();
  private list?: readonly string[];
  private index?: Map<string, Use[]>;

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

  candidates(key: string): readonly Use[] {
    if (!this.index) {
      this.index = new Map();
      for (const [file, member] of this.changed) {
        if (member) indexFile(this.index, file, this.tree.read(file));
      }
    }
    const lower = this.lower
      .candidates(key)
      .filter((use) => !this.changed.has(use.importer));
    const own = this.index.get(key);
    return own ? [...lower, ...own] : lower;
  }
}

function indexFile(
  index: Map<string, Use[]>,
  file: string,
  source: string | undefined,
): void {
  if (!source) return;
  let ordinal = 0;
  for (const match of source.matchAll(IMPORT)) {
    ordinal += 1;
    const key = specifierKey(match[3]);
    if (key === undefined) continue;
    let uses = index.get(key);
    if (!uses) index.set(key, (uses = []));
    uses.push({
      importer: file,
      ordinal,
      clause: match[2],
      specifier: match[3],
      source,
    });
  }
}

/** 0 for <root>/src, 1 for <root>/scripts and the path below it; undefined outside both. */
function walkPath(
  file: string,
  root: string,
): { top: number; rest: string } | undefined {
  if (file.startsWith(`${root}/src/`))
    return { top: 0, rest: file.slice(root.length + 5) };
  if (file.startsWith(`${root}/scripts/`))
    return { top: 1, rest: file.slice(root.length + 9) };
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
