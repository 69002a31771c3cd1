/**
 * File trees the engine works on. Paths are POSIX and relative to the repository root.
 *
 * DiskTree reads the real files; StagedTree records every write and delete in memory on top of
 * another tree, so a run can be formatted, verified and diffed before anything touches disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ReadTree {
  /** File content, or undefined when there is no such file. */
  read(file: string): string | undefined;
  isDirectory(dir: string): boolean;
  /** Names of the entries directly inside dir (files and folders), sorted. */
  list(dir: string): string[];
}

export class DiskTree implements ReadTree {
  constructor(readonly root: string) {}

  absolute(file: string): string {
    return path.join(this.root, ...file.split("/"));
  }

  read(file: string): string | undefined {
    try {
      return fs.readFileSync(this.absolute(file), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  isDirectory(dir: string): boolean {
    try {
      return fs.statSync(this.absolute(dir)).isDirectory();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(this.absolute(dir)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}

/** A change staged for commit: new content, or null for a deletion. */
export type StagedChange = string | null;

export class StagedTree implements ReadTree {
  readonly changes = new Map<string, StagedChange>();

  constructor(readonly base: ReadTree) {}

  read(file: string): string | undefined {
    if (this.changes.has(file)) return this.changes.get(file) ?? undefined;
    return this.base.read(file);
  }

  write(file: string, content: string): void {
    if (this.base.read(file) === content) this.changes.delete(file);
    else this.changes.set(file, content);
  }

  delete(file: string): void {
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
