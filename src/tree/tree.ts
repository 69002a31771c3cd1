/**
 * File trees the engine works on. Paths are POSIX and relative to the repository root.
 *
 * DiskTree reads the real files; StagedTree records every write and delete in memory on top of
 * another tree, so a run can be formatted, verified and diffed before anything touches disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeText, isPlain, PLAIN, type TextStyle } from "./encoding";
import { FileRefusal, fsRefusal, realInside } from "./file-error";
import { Prefetch, type Prefetched } from "./prefetch";

export interface ReadTree {
  /** File content, or undefined when there is no such file. */
  read(file: string): string | undefined;
  isDirectory(dir: string): boolean;
  /** Names of the entries directly inside dir (files and folders), sorted. */
  list(dir: string): string[];
  /**
   * A number that changes whenever anything the tree returns may have changed, so that what is
   * derived from its content (see transforms/lib/source-files.ts) can be kept until then.
   * Undefined when the tree cannot tell: nothing derived from it may be kept.
   */
  readonly revision?: number;
  /**
   * Called before listing and reading whole folders (all of them when undefined): waits for
   * reads started ahead (DiskTree.prefetch), so that they are not made twice. Changes no
   * answer.
   */
  settle?(dirs?: string[]): void;
  /**
   * The files of `files` whose content contains `needle`, in the given order: the answer of
   * reading each and testing `includes`, which a tree may find faster (DiskTree searches the
   * bytes its worker read without decoding them). A missing file contains nothing.
   */
  mentioning?(files: readonly string[], needle: string): string[];
}

/** What mentioning answers for a tree without a faster way: read and test every file. */
export function mentioningByReading(
  tree: ReadTree,
  files: readonly string[],
  needle: string,
): string[] {
  return files.filter((file) => tree.read(file)?.includes(needle) === true);
}

export interface DiskTreeOptions {
  /**
   * Keep every read, listing and directory test for the life of the tree: the tree is then a
   * snapshot of the disk as first seen, for a run that writes nothing until it is done.
   */
  cache?: boolean;
}

export class DiskTree implements ReadTree {
  private readonly reads?: Map<string, string | undefined>;
  private readonly listings?: Map<string, string[]>;
  private readonly directories?: Map<string, boolean>;

  constructor(
    readonly root: string,
    options: DiskTreeOptions = {},
  ) {
    if (options.cache) {
      this.reads = new Map();
      this.listings = new Map();
      this.directories = new Map();
    }
  }

  /** Reads started ahead on a worker, until settle() has taken them all. */
  private pending?: Prefetch;
  /**
   * Files the worker read first (before the tree itself did): their chunk (the worker's answer
   * for a folder) and where their bytes are in it. Kept after decoding, for searching them (see
   * mentioning).
   */
  private readonly located = new Map<
    string,
    { chunk: Chunk; start: number; end: number }
  >();

  /** 0 for a caching tree (a snapshot never changes); undefined when every call reads the disk. */
  get revision(): number | undefined {
    return this.reads ? 0 : undefined;
  }

  /**
   * A caching tree starts walking `dirs` and reading their .ts/.tsx files on a worker thread
   * (src/tree/prefetch.ts), in that order, for a run that will read whole folders later.
   * Changes no answer: what the main thread reads before settle() it reads itself, and
   * settle() adds only what the tree has not seen yet. Nothing happens on a tree that does
   * not cache.
   */
  prefetch(dirs: string[]): void {
    if (!this.reads || this.pending || dirs.length === 0) return;
    this.pending = new Prefetch(this.root, dirs);
  }

  /**
   * Waits for the worker's answers about `dirs` (every folder it was given when undefined)
   * and keeps them, where the tree has not seen the path yet.
   */
  settle(dirs?: string[]): void {
    const pending = this.pending;
    if (!pending) return;
    for (const found of pending.take(dirs)) this.keep(found);
    if (pending.done) this.pending = undefined;
  }

  private keep(found: Prefetched): void {
    for (const { dir, names, kinds } of found.listings) {
      if (this.listings!.has(dir)) continue;
      this.listings!.set(dir, names);
      names.forEach((name, i) => {
        const child = `${dir}/${name}`;
        if (kinds[i] !== 0 && !this.directories!.has(child))
          this.directories!.set(child, kinds[i] === 1);
      });
    }
    const { bytes, offsets } = found;
    const chunk: Chunk = {
      dir: found.dir,
      bytes,
      offsets,
      files: [],
      searched: new Map(),
    };
    chunk.files = found.files.map((file, i) => {
      if (this.reads!.has(file) || this.located.has(file)) return undefined;
      const end = i + 1 < offsets.length ? offsets[i + 1] : bytes.length;
      this.located.set(file, { chunk, start: offsets[i], end });
      return file;
    });
  }

  absolute(file: string): string {
    return path.join(this.root, file); // join turns the "/" of file into the platform's separator
  }

  /** The styles of the files read that are not plain UTF-8 with "\n" line ends. */
  private readonly styles = new Map<string, TextStyle>();

  /** How a file read by this tree is stored on disk (BOM, line ends, invalid bytes). */
  styleOf(file: string): TextStyle {
    return this.styles.get(file) ?? PLAIN;
  }

  private decode(file: string, bytes: Buffer): string {
    const { text, style } = decodeText(bytes);
    if (!isPlain(style)) this.styles.set(file, style);
    return text;
  }

  /** The repository root with its links resolved, and each folder checked so far. */
  private realRootCache?: string;
  private readonly checkedDirs = new Set<string>();

  private get realRoot(): string {
    if (this.realRootCache === undefined) {
      try {
        this.realRootCache = fs.realpathSync(this.root);
      } catch {
        this.realRootCache = path.resolve(this.root);
      }
    }
    return this.realRootCache;
  }

  /**
   * Refuses a folder that is, or is reached through a link to, a place outside the repository.
   * Once per folder: the files in it are then checked only when they are links themselves.
   */
  private confine(dir: string): void {
    if (this.checkedDirs.has(dir)) return;
    realInside(this.realRoot, this.root, dir === "" ? "." : dir);
    this.checkedDirs.add(dir);
  }

  read(file: string): string | undefined {
    if (this.reads?.has(file)) return this.reads.get(file);
    const prefetched = this.located.get(file);
    if (prefetched) {
      const { chunk, start, end } = prefetched;
      const content = this.decode(file, chunk.bytes.subarray(start, end));
      this.reads!.set(file, content);
      return content;
    }
    const content = this.readFromDisk(file);
    this.reads?.set(file, content);
    return content;
  }

  private readFromDisk(file: string): string | undefined {
    this.confine(path.posix.dirname(file));
    const absolute = this.absolute(file);
    try {
      const stat = fs.lstatSync(absolute);
      // A link to a file inside the repository is read (and written) through; one leading out is refused.
      if (stat.isSymbolicLink() && !realInside(this.realRoot, this.root, file))
        return undefined;
      return this.decode(file, fs.readFileSync(absolute));
    } catch (error) {
      if (isMissing(error)) return undefined;
      if (error instanceof FileRefusal) throw error;
      throw fsRefusal(file, error);
    }
  }

  /**
   * The strings the run's rules will search for in the sources under `root` (Rule.searches):
   * the first search of one of them in a folder the worker read there finds them all, in one
   * pass over its bytes.
   */
  expectSearches(root: string, needles: readonly string[]): void {
    const kept = this.expected.get(root) ?? [];
    this.expected.set(root, [
      ...new Set([...kept, ...needles.filter(isAscii)]),
    ]);
  }

  private readonly expected = new Map<string, readonly string[]>();

  /** What is expected to be searched for in a chunk's folder. */
  private expectedIn(chunk: Chunk): readonly string[] {
    const needles: string[] = [];
    for (const [root, expected] of this.expected) {
      if (
        root === "" ||
        root === "." ||
        chunk.dir === root ||
        chunk.dir.startsWith(`${root}/`)
      )
        needles.push(...expected);
    }
    return [...new Set(needles)];
  }

  /**
   * Located files are searched in their bytes, where an ASCII needle is found exactly when it
   * is in the decoded text (UTF-8 never uses ASCII bytes inside a multi-byte character, and a
   * malformed sequence decodes to U+FFFD without taking the ASCII byte after it): each chunk
   * the files are in, once per needle. The rest, and other needles, are read and tested.
   */
  mentioning(files: readonly string[], needle: string): string[] {
    if (this.located.size === 0 || !isAscii(needle))
      return mentioningByReading(this, files, needle);
    const { chunks, unlocated, position } = this.partition(files);
    const found = unlocated.filter(
      (file) => this.read(file)?.includes(needle) === true,
    );
    for (const chunk of chunks) {
      for (const file of search(chunk, needle, this.expectedIn(chunk)))
        if (position.has(file)) found.push(file);
    }
    return found.sort((a, b) => position.get(a)! - position.get(b)!);
  }

  /** Per list of files asked about (a source-file list is asked about again and again). */
  private readonly partitions = new WeakMap<
    readonly string[],
    {
      chunks: Set<Chunk>;
      unlocated: string[];
      position: Map<string, number>;
    }
  >();

  /** The chunks holding the located files of a list, the others, and where each file is in it. */
  private partition(files: readonly string[]) {
    let kept = this.partitions.get(files);
    if (!kept) {
      kept = { chunks: new Set(), unlocated: [], position: new Map() };
      for (const [i, file] of files.entries()) {
        kept.position.set(file, i);
        const where = this.located.get(file);
        if (where) kept.chunks.add(where.chunk);
        else kept.unlocated.push(file);
      }
      this.partitions.set(files, kept);
    }
    return kept;
  }

  isDirectory(dir: string): boolean {
    const known = this.directories?.get(dir);
    if (known !== undefined) return known;
    let isDir: boolean;
    try {
      isDir = fs.statSync(this.absolute(dir)).isDirectory();
    } catch (error) {
      if (!isMissing(error)) throw fsRefusal(dir, error);
      isDir = false;
    }
    this.directories?.set(dir, isDir);
    return isDir;
  }

  list(dir: string): string[] {
    const known = this.listings?.get(dir);
    if (known) return [...known];
    this.confine(dir);
    if (!this.listings) {
      try {
        return fs.readdirSync(this.absolute(dir)).sort();
      } catch (error) {
        if (isMissing(error)) return [];
        throw fsRefusal(dir, error);
      }
    }
    let names: string[];
    try {
      const entries = fs.readdirSync(this.absolute(dir), {
        withFileTypes: true,
      });
      names = entries.map((entry) => entry.name).sort();
      // The entries' types answer isDirectory for them without a stat; links are still
      // followed by a stat, as without the cache.
      const prefix = dir === "" || dir === "." ? "" : `${dir}/`;
      for (const entry of entries) {
        if (entry.isDirectory() || entry.isFile())
          this.directories!.set(`${prefix}${entry.name}`, entry.isDirectory());
      }
    } catch (error) {
      if (!isMissing(error)) throw fsRefusal(dir, error);
      names = [];
    }
    this.listings.set(dir, names);
    return [...names];
  }
}

/** One folder the worker read: its files' bytes end to end, and what was searched in them. */
interface Chunk {
  /** The folder the worker read (repository-relative). */
  dir: string;
  bytes: Buffer;
  /** Where each file starts in bytes; the last one ends at bytes.length. */
  offsets: number[];
  /** Per offset, the file; undefined where the tree had read it itself first. */
  files: Array<string | undefined>;
  /** Needle → the files whose bytes contain it. */
  searched: Map<string, Set<string>>;
}

/**
 * Non-empty and ASCII only, without line ends: such a string is in a file's bytes where it is
 * in its text (a "\n" of the text may be "\r\n" in the bytes, see DiskTree.styleOf).
 */
function isAscii(needle: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x01-\x09\x0b\x0c\x0e-\x7f]+$/.test(needle);
}

/**
 * The files of a chunk whose bytes contain an ASCII needle. A needle the run expects is found
 * with all the others it expects, in one pass; another one by itself (within the files a
 * needle it contains was found in, when one was searched before).
 */
function search(
  chunk: Chunk,
  needle: string,
  expected: readonly string[],
): Set<string> {
  const kept = chunk.searched.get(needle);
  if (kept) return kept;
  if (expected.includes(needle)) {
    searchTogether(chunk, expected);
    return chunk.searched.get(needle)!;
  }
  const { bytes, files } = chunk;
  const pattern = Buffer.from(needle, "latin1");
  const hits = new Set<string>();
  let within: Set<string> | undefined;
  for (const [other, found] of chunk.searched) {
    if (needle.includes(other) && (!within || found.size < within.size))
      within = found;
  }
  if (within) {
    const index = new Map(files.map((file, i) => [file, i]));
    for (const file of within) {
      const i = index.get(file)!;
      const [start, end] = span(chunk, i);
      if (bytes.subarray(start, end).includes(pattern)) hits.add(file);
    }
  } else {
    let at = bytes.indexOf(pattern);
    while (at !== -1) {
      const i = fileAt(chunk, at);
      const end = span(chunk, i)[1];
      if (at + pattern.length <= end) {
        if (files[i] !== undefined) hits.add(files[i]);
        at = bytes.indexOf(pattern, end);
      } else {
        at = bytes.indexOf(pattern, at + 1);
      }
    }
  }
  chunk.searched.set(needle, hits);
  return hits;
}

/**
 * Every needle in one pass: a regular expression of them all finds each position where one
 * starts (the bytes read as Latin-1, one character per byte), then each is tested there.
 */
function searchTogether(chunk: Chunk, needles: readonly string[]): void {
  const hits = new Map(needles.map((needle) => [needle, new Set<string>()]));
  const text = chunk.bytes.toString("latin1");
  const any = new RegExp(
    needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "g",
  );
  for (let match = any.exec(text); match; match = any.exec(text)) {
    const at = match.index;
    const i = fileAt(chunk, at);
    const file = chunk.files[i];
    const end = span(chunk, i)[1];
    for (const needle of needles) {
      if (
        file !== undefined &&
        at + needle.length <= end &&
        text.startsWith(needle, at)
      )
        hits.get(needle)!.add(file);
    }
    any.lastIndex = at + 1; // needles may overlap
  }
  for (const [needle, files] of hits) chunk.searched.set(needle, files);
}

/** The index of the file whose bytes hold position `at`: the last one starting at or before it. */
function fileAt({ offsets }: Chunk, at: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (offsets[middle] <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Where the i-th file of a chunk starts and ends in its bytes. */
function span({ offsets, bytes }: Chunk, i: number): [number, number] {
  return [offsets[i], i + 1 < offsets.length ? offsets[i + 1] : bytes.length];
}

/** Bumped by every change of every StagedTree, so that revisions never repeat. */
let clock = 0;

/** A change staged for commit: new content, or null for a deletion. */
export type StagedChange = string | null;

export class StagedTree implements ReadTree {
  readonly changes = new Map<string, StagedChange>();

  private stamp = 0;

  constructor(readonly base: ReadTree) {}

  /** Changes with every write and delete here and with every change of the base. */
  get revision(): number | undefined {
    const base = this.base.revision;
    return base === undefined ? undefined : Math.max(base, this.stamp);
  }

  read(file: string): string | undefined {
    if (this.changes.has(file)) return this.changes.get(file) ?? undefined;
    return this.base.read(file);
  }

  settle(dirs?: string[]): void {
    this.base.settle?.(dirs);
  }

  write(file: string, content: string): void {
    this.stamp = ++clock;
    if (this.base.read(file) === content) this.changes.delete(file);
    else this.changes.set(file, content);
  }

  delete(file: string): void {
    this.stamp = ++clock;
    if (this.base.read(file) === undefined) this.changes.delete(file);
    else this.changes.set(file, null);
  }

  isDirectory(dir: string): boolean {
    if (this.base.isDirectory(dir)) return true;
    const prefix = `${dir}/`;
    return [...this.changes].some(
      ([file, content]) => content !== null && file.startsWith(prefix),
    );
  }

  list(dir: string): string[] {
    const names = new Set(this.base.list(dir));
    const prefix = dir === "" || dir === "." ? "" : `${dir}/`;
    for (const [file, content] of this.changes) {
      if (!file.startsWith(prefix)) continue;
      const name = file.slice(prefix.length).split("/")[0];
      if (content !== null) names.add(name);
      else if (!file.slice(prefix.length).includes("/")) names.delete(name);
    }
    return [...names].sort();
  }

  /** Changed files in path order, with their content before and after. */
  diff(): Array<{
    file: string;
    before: string | undefined;
    after: string | undefined;
  }> {
    return [...this.changes.keys()].sort().map((file) => ({
      file,
      before: this.base.read(file),
      after: this.changes.get(file) ?? undefined,
    }));
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
