/**
 * The repository on disk, read (never written: src/commit/ writes) with every path confined to
 * it. A run's tree caches what it reads, and has its sources read ahead on a worker thread
 * (src/tree/prefetch.ts) and searched as bytes (byte-search.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ByteSearch } from "./byte-search";
import { decodeText, isPlain, PLAIN, type TextStyle } from "./encoding";
import {
  FileRefusal,
  fsRefusal,
  isInside,
  outside,
  realInside,
} from "./file-error";
import { Prefetch, type Needles, type Prefetched } from "./prefetch";
import type { SearchableTree } from "./read-tree";

export interface DiskTreeOptions {
  /**
   * Keep every read, listing and directory test for the life of the tree: the tree is then a
   * snapshot of the disk as first seen, for a run that writes nothing until it is done.
   */
  cache?: boolean;
}

export class DiskTree implements SearchableTree {
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
  /** The bytes the worker read, searched without decoding them (see mentioning). */
  private readonly search = new ByteSearch();

  /** 0 for a caching tree (a snapshot never changes); undefined when every call reads the disk. */
  get revision(): number | undefined {
    return this.reads ? 0 : undefined;
  }

  /**
   * A caching tree starts walking `dirs` and reading their .ts/.tsx files on a worker thread
   * (src/tree/prefetch.ts), in that order, for a run that will read whole folders later.
   * Changes no answer: what the main thread reads before settle() it reads itself, and
   * settle() adds only what the tree has not seen yet. Nothing happens on a tree that does
   * not cache. `slabBytes`: the size of the worker's buffers (src/tree/prefetch.ts).
   */
  prefetch(dirs: string[], slabBytes?: number): void {
    if (!this.reads || this.pending || dirs.length === 0) return;
    this.pending = new Prefetch(
      this.root,
      dirs,
      slabBytes,
      this.needlesFor(dirs),
    );
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
    this.search.keep(found, (file) => this.reads!.has(file));
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

  /** Every file decoded so far, for the line ends most files have (see mostlyCrlf). */
  private readonly decoded = new Set<string>();

  private decode(file: string, bytes: Buffer): string {
    const { text, style } = decodeText(bytes);
    if (!isPlain(style)) this.styles.set(file, style);
    this.decoded.add(file);
    return text;
  }

  /**
   * Whether most of the files this tree has read under `dir` ("" for all) end their lines with
   * "\r\n": a new file there is written the same way. A tie is "\n", as Amplication writes.
   */
  mostlyCrlf(dir: string): boolean {
    let crlf = 0;
    let lf = 0;
    for (const file of this.decoded) {
      if (dir !== "" && !file.startsWith(`${dir}/`)) continue;
      if (this.styleOf(file).crlf) crlf++;
      else lf++;
    }
    return crlf > lf;
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
    const prefetched = this.search.bytesOf(file);
    if (prefetched) {
      const content = this.decode(file, prefetched);
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

  /** See ReadTree.outsideLink. */
  outsideLink(file: string): FileRefusal | undefined {
    let real: string;
    try {
      real = fs.realpathSync(this.absolute(file));
    } catch {
      return undefined; // missing, or an error that reading it reports
    }
    return isInside(real, this.realRoot)
      ? undefined
      : outside(this.root, file, real);
  }

  /** See ReadTree.loops. */
  loops(path: string): boolean {
    try {
      fs.realpathSync(this.absolute(path));
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ELOOP";
    }
  }

  /** See ByteSearch.expect. */
  expectSearches(root: string, needles: readonly string[]): void {
    this.search.expect(root, needles);
    this.pending?.expect(this.needlesFor(this.pending.dirs));
  }

  /** What the worker is to look for in each of its folders (see Prefetch.expect). */
  private needlesFor(dirs: readonly string[]): Needles {
    return Object.fromEntries(
      dirs.map((dir) => [dir, this.search.expectedIn(dir)]),
    );
  }

  /** See SearchableTree.mentioning and ByteSearch.mentioning. */
  mentioning(files: readonly string[], needle: string): string[] {
    return this.search.mentioning(files, needle, (file) => this.read(file));
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

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
