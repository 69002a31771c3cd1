/**
 * What a rule may ask of the repository: a file's content, whether a folder exists, what is in
 * it (Nx's Tree is the model). Paths are POSIX and relative to the repository root.
 */
import type { FileRefusal } from "./file-error";

export interface ReadTree {
  /** File content, or undefined when there is no such file. */
  read(file: string): string | undefined;
  isDirectory(dir: string): boolean;
  /** Names of the entries directly inside dir (files and folders), sorted. */
  list(dir: string): string[];
  /**
   * On a tree that can hold links (the tree on disk): the refusal that reading or listing
   * `path` gives because a symbolic link on it leads outside the repository, else undefined.
   * Resolves the links only: reads nothing outside. The walk for services skips such a path
   * rather than refusing it (src/detect/detect.ts).
   */
  outsideLink?(path: string): FileRefusal | undefined;
  /**
   * On a tree that can hold links: whether `path` is, or is reached through, a symbolic link
   * that loops (ELOOP: `docs/loop -> loop`). It leads nowhere, so the walk for services skips
   * it rather than refusing it.
   */
  loops?(path: string): boolean;
}

/**
 * What the source search (transforms/lib/source-files.ts) may use besides, where a tree offers
 * it (the engine's DiskTree and the StagedTrees on top of it); every member is optional, so any
 * ReadTree is one, answered the slow way.
 */
export interface SearchableTree extends ReadTree {
  /**
   * A number that changes whenever anything the tree returns may have changed, so that what is
   * derived from its content can be kept until then. Undefined when the tree cannot tell:
   * nothing derived from it may be kept.
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
