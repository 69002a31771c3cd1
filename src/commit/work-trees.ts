/**
 * Which git work tree holds each path of a run. A folder to convert may lie in a git submodule
 * (or in another repository inside the run's root): git run at the root sees at most the
 * submodule as a whole, never the files in it, so each git question is asked of the work tree
 * that holds its paths.
 *
 * Found on the file system: a `.git` between the root and a path marks a nested work tree, so
 * the common case, one repository, costs no git call; each nested `.git` found is confirmed once
 * with `git rev-parse --show-toplevel`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Some paths of a run, and the work tree they belong to. */
export interface WorkTreePaths {
  /** Where git runs: the run's root, or the top folder of a work tree nested in it. */
  cwd: string;
  /**
   * From the run's root to cwd, "/"-separated and ending in "/"; "" for the root's own group
   * (which may also be in no git work tree at all).
   */
  prefix: string;
  /** The paths, relative to cwd. */
  paths: string[];
}

export class WorkTrees {
  /** For each folder seen (relative to root): the nested work tree holding it, "" for none. */
  private readonly owners = new Map<string, string>();

  constructor(readonly root: string) {}

  /**
   * Groups paths relative to root ("/"-separated; files or folders) by the work tree that holds
   * them: the root's own group first, then one per nested work tree, each path in one group.
   */
  group(paths: readonly string[]): WorkTreePaths[] {
    const groups = new Map<string, WorkTreePaths>([
      ["", { cwd: this.root, prefix: "", paths: [] }],
    ]);
    for (const file of paths) {
      const relative = normal(file);
      const owner = this.ownerOf(relative);
      let group = groups.get(owner);
      if (!group) {
        group = {
          cwd: path.join(this.root, owner),
          prefix: `${owner}/`,
          paths: [],
        };
        groups.set(owner, group);
      }
      group.paths.push(
        owner === "" ? file : relative.slice(owner.length + 1) || ".",
      );
    }
    return [...groups.values()].filter((group) => group.paths.length > 0);
  }

  /** The nested work trees (relative to root) that hold any of paths. */
  nested(paths: readonly string[]): string[] {
    return this.group(paths)
      .filter((group) => group.prefix !== "")
      .map((group) => group.prefix.slice(0, -1));
  }

  private ownerOf(relative: string): string {
    // The root's own, and anything outside it (which git answers for from the root, as before).
    if (relative === "" || relative === ".." || relative.startsWith("../"))
      return "";
    let owner = this.owners.get(relative);
    if (owner === undefined) {
      owner = this.isNestedTop(relative)
        ? relative
        : this.ownerOf(normal(path.posix.dirname(relative)));
      this.owners.set(relative, owner);
    }
    return owner;
  }

  private isNestedTop(relative: string): boolean {
    const dir = path.join(this.root, relative);
    if (!fs.existsSync(path.join(dir, ".git"))) return false;
    let top: string;
    try {
      top = execFileSync("git", ["rev-parse", "--show-toplevel"], {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      // Git cannot say (not installed, another user's repository): the `.git` is taken at its
      // word, so that the git questions asked there fail loudly rather than pass at the root.
      return true;
    }
    // A `.git` git does not take for a repository: the folder belongs to the one around it.
    return fs.realpathSync(top) === fs.realpathSync(dir);
  }
}

/** A path relative to root without "./", trailing "/" or "." for the root itself. */
function normal(file: string): string {
  const relative = path.posix.normalize(file.split(path.sep).join("/"));
  return relative === "." ? "" : relative.replace(/\/+$/, "");
}
