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
  readonly changes = new Map<string, StagedChange>();

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
    if (this.changes.has(file)) return this.changes.get(file) ?? undefined;
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
    if (this.base.read(file) === content) this.changes.delete(file);
    else this.changes.set(file, content);
  }

  delete(file: string): void {
    this.stamp = this.clock.tick();
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
