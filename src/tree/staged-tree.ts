/**
 * A tree that records every write and delete in memory on top of another tree, so a run can be
 * formatted, verified and diffed before anything touches disk.
 */
import type { FileRefusal } from "./file-error";
import type { SearchableTree } from "./read-tree";

/**
 * Counts the changes of a stack of StagedTrees (each shares its base's), so that no two
 * changes of trees stacked on one another get the same revision.
 */
class Clock {
  private now = 0;
  tick(): number {
    return ++this.now;
  }
}

/** A change staged for commit: new content, or null for a deletion. */
export type StagedChange = string | null;

export class StagedTree implements SearchableTree {
  private readonly staged = new Map<string, StagedChange>();
  /** Writes whose content is still being made (Prettier's thread): file → what takes it. */
  private readonly later = new Map<string, () => string>();

  /** The changes: every write and delete, each write's content made. */
  get changes(): ReadonlyMap<string, StagedChange> {
    for (const file of [...this.later.keys()]) this.make(file);
    return this.staged;
  }

  private stamp = 0;
  private readonly clock: Clock;

  constructor(readonly base: SearchableTree) {
    this.clock = base instanceof StagedTree ? base.clock : new Clock();
  }

  /** Changes with every write and delete here and with every change of the base. */
  get revision(): number | undefined {
    const base = this.base.revision;
    return base === undefined ? undefined : Math.max(base, this.stamp);
  }

  read(file: string): string | undefined {
    this.make(file);
    if (this.staged.has(file)) return this.staged.get(file) ?? undefined;
    return this.base.read(file);
  }

  settle(dirs?: string[]): void {
    this.base.settle?.(dirs);
  }

  outsideLink(path: string): FileRefusal | undefined {
    return this.base.outsideLink?.(path);
  }

  loops(path: string): boolean {
    return this.base.loops?.(path) ?? false;
  }

  write(file: string, content: string): void {
    this.stamp = this.clock.tick();
    this.later.delete(file);
    this.stage(file, content);
  }

  /**
   * A write whose content `content()` makes when first asked for: when the file is read, or
   * the changes are. The tree holds that content from now on (its revision changes now), so
   * what is read is what a write of it now would give; only the work moves.
   */
  writeLater(file: string, content: () => string): void {
    this.stamp = this.clock.tick();
    this.staged.delete(file);
    this.later.set(file, content);
  }

  /** Makes a later write's content, and stages it. */
  private make(file: string): void {
    const content = this.later.get(file);
    if (!content) return;
    this.later.delete(file);
    this.stage(file, content());
  }

  private stage(file: string, content: string): void {
    if (this.base.read(file) === content) this.staged.delete(file);
    else this.staged.set(file, content);
  }

  delete(file: string): void {
    this.stamp = this.clock.tick();
    this.later.delete(file);
    if (this.base.read(file) === undefined) this.staged.delete(file);
    else this.staged.set(file, null);
  }

  /** The files written or deleted: each written one's content may not be made yet. */
  private touched(): Array<[string, "written" | "deleted"]> {
    return [
      ...[...this.staged].map(
        ([file, content]): [string, "written" | "deleted"] => [
          file,
          content === null ? "deleted" : "written",
        ],
      ),
      ...[...this.later.keys()].map((file): [string, "written"] => [
        file,
        "written",
      ]),
    ];
  }

  isDirectory(dir: string): boolean {
    if (this.base.isDirectory(dir)) return true;
    const prefix = `${dir}/`;
    return this.touched().some(
      ([file, how]) => how === "written" && file.startsWith(prefix),
    );
  }

  list(dir: string): string[] {
    const names = new Set(this.base.list(dir));
    const prefix = dir === "" || dir === "." ? "" : `${dir}/`;
    for (const [file, how] of this.touched()) {
      if (!file.startsWith(prefix)) continue;
      const name = file.slice(prefix.length).split("/")[0];
      if (how === "written") names.add(name);
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
