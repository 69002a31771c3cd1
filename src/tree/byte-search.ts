/**
 * The byte search behind DiskTree.mentioning: the files the prefetch worker read stay as its
 * bytes, one chunk per folder, and a string is looked for in those bytes without decoding them
 * (most files never mention what the rules look for). Only DiskTree uses it.
 */
import { findTogether } from "./find-together";
import type { Prefetched } from "./prefetch";

export class ByteSearch {
  /**
   * Files the worker read first (before the tree itself did): their chunk (the worker's answer
   * for a folder) and where their bytes are in it. Kept after decoding, for searching them.
   */
  private readonly located = new Map<
    string,
    { chunk: Chunk; start: number; end: number }
  >();

  /** Keeps a folder the worker read: its files that `known` does not hold yet. */
  keep(found: Prefetched, known: (file: string) => boolean): void {
    const { bytes, offsets } = found;
    const chunk: Chunk = {
      dir: found.dir,
      bytes,
      offsets,
      files: [],
      searched: new Map(),
    };
    chunk.files = found.files.map((file, i) => {
      if (known(file) || this.located.has(file)) return undefined;
      const end = i + 1 < offsets.length ? offsets[i + 1] : bytes.length;
      this.located.set(file, { chunk, start: offsets[i], end });
      return file;
    });
    found.searched?.needles.forEach((needle, n) =>
      chunk.searched.set(needle, filesOf(chunk, found.searched!.hits[n])),
    );
  }

  /** The bytes of a file the worker read, if it did. */
  bytesOf(file: string): Buffer | undefined {
    const where = this.located.get(file);
    return where && where.chunk.bytes.subarray(where.start, where.end);
  }

  /**
   * The strings the run's rules will search for in the sources under `root` (Rule.searches):
   * the first search of one of them in a folder the worker read there finds them all, in one
   * pass over its bytes.
   */
  expect(root: string, needles: readonly string[]): void {
    const kept = this.expected.get(root) ?? [];
    this.expected.set(root, [
      ...new Set([...kept, ...needles.filter(isAscii)]),
    ]);
  }

  private readonly expected = new Map<string, readonly string[]>();

  /** What is expected to be searched for in a folder the worker reads (a chunk's). */
  expectedIn(dir: string): readonly string[] {
    const needles: string[] = [];
    for (const [root, expected] of this.expected) {
      if (
        root === "" ||
        root === "." ||
        dir === root ||
        dir.startsWith(`${root}/`)
      )
        needles.push(...expected);
    }
    return [...new Set(needles)];
  }

  /**
   * The files of `files` that contain `needle`, in the given order. Located files are searched
   * in their bytes, where an ASCII needle is found exactly when it is in the decoded text (UTF-8
   * never uses ASCII bytes inside a multi-byte character, and a malformed sequence decodes to
   * U+FFFD without taking the ASCII byte after it): each chunk the files are in, once per
   * needle. The rest, and other needles, are `read` and tested.
   */
  mentioning(
    files: readonly string[],
    needle: string,
    read: (file: string) => string | undefined,
  ): string[] {
    if (this.located.size === 0 || !isAscii(needle))
      return files.filter((file) => read(file)?.includes(needle) === true);
    const { chunks, unlocated, position } = this.partition(files);
    const found = unlocated.filter(
      (file) => read(file)?.includes(needle) === true,
    );
    for (const chunk of chunks) {
      for (const file of search(chunk, needle, this.expectedIn(chunk.dir)))
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
 * Every needle in one pass over a chunk, unless the worker already searched the chunk's bytes
 * for it as it read them (Prefetched.searched).
 */
function searchTogether(chunk: Chunk, needles: readonly string[]): void {
  const pending = needles.filter((needle) => !chunk.searched.has(needle));
  const hits = findTogether(
    chunk.bytes.toString("latin1"),
    chunk.offsets,
    pending,
  );
  pending.forEach((needle, n) =>
    chunk.searched.set(needle, filesOf(chunk, hits[n])),
  );
}

/** The files at these indexes of a chunk, without those the tree had read itself first. */
function filesOf(chunk: Chunk, indexes: readonly number[]): Set<string> {
  const found = new Set<string>();
  for (const i of indexes) {
    const file = chunk.files[i];
    if (file !== undefined) found.add(file);
  }
  return found;
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
