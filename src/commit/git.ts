/**
 * The uncommitted-work guard: apply refuses to rewrite files that hold uncommitted changes,
 * so the user can always review and revert the conversion with git.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { WorkTrees } from "./work-trees";

export class DirtyTreeError extends Error {}

/** The folder is in a git repository, but git cannot tell what is uncommitted there. */
export class GitUnavailableError extends Error {}

/**
 * The `.git` (folder, or a worktree's file) of the repository that holds `dir`, found on the file
 * system alone: where git itself cannot run, it still says that there is work to protect.
 */
export function dotGitAbove(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const candidate = path.join(at, ".git");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(at) === at) return undefined;
  }
}

/** Enough for hundreds of thousands of paths; past it, what was read already shows the tree dirty. */
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Uncommitted paths under the given folders (relative to root), or [] when they are in no git
 * work tree. A folder in a submodule is asked of the submodule (see WorkTrees): from the root,
 * git shows at most the submodule itself as changed. Any failure of git rejects with
 * GitUnavailableError, git missing from PATH in a repository too: the guard never passes by
 * accident. Git runs while the caller goes on: on a large app `git status` takes a tenth of a
 * second or more.
 */
export async function uncommittedPaths(
  root: string,
  folders: string[],
  {
    maxOutput = MAX_OUTPUT,
    workTrees = new WorkTrees(root),
  }: { maxOutput?: number; workTrees?: WorkTrees } = {},
): Promise<string[]> {
  const answers = await Promise.all(
    workTrees
      .group(folders)
      .map(async ({ cwd, prefix, paths }) =>
        (await statusIn(cwd, paths, maxOutput)).map((file) => prefix + file),
      ),
  );
  return answers.flat();
}

/** Uncommitted paths under folders (relative to root), as git status names them. */
function statusIn(
  root: string,
  folders: string[],
  maxOutput: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ...folders,
      ],
      { cwd: root, encoding: "utf8", maxBuffer: maxOutput },
      (error, output, stderr) => {
        // -z: paths as they are (not quoted, no octal escapes); a rename's old path follows it,
        // and is uncommitted too (gone from where it was); a copy's is not
        const paths = () => {
          const entries = output.split("\0");
          const found: string[] = [];
          for (let i = 0; i < entries.length; i++) {
            if (entries[i].length < 4) continue;
            found.push(entries[i].slice(3));
            if (/^R/.test(entries[i]) && entries[i + 1])
              found.push(entries[i + 1]);
            if (/^[RC]/.test(entries[i])) i++;
          }
          return found;
        };
        if (!error) return resolve(paths());
        const code = (error as NodeJS.ErrnoException).code;
        const dotGit = dotGitAbove(root);
        // Nothing to protect with git.
        if (
          !dotGit &&
          (code === "ENOENT" || /not a git repository/i.test(stderr))
        ) {
          return resolve([]);
        }
        if (code === "ENOENT") {
          return reject(
            new GitUnavailableError(
              `${root} is in a git repository (${dotGit}), but git cannot be run (it is not installed, or not on PATH), so uncommitted changes cannot be ruled out.\n` +
                "  fix: install git or put it on PATH, or pass --allow-dirty to convert without this check",
            ),
          );
        }
        // More paths than the buffer holds: those read are enough to refuse.
        if (
          code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER" &&
          paths().length > 0
        ) {
          return resolve(paths());
        }
        const said = stderr.trim() || error.message;
        reject(
          new GitUnavailableError(
            `git status failed in ${root}, so uncommitted changes cannot be ruled out: ${said}\n` +
              `  fix: ${/dubious ownership/i.test(said) ? "run the git config command git suggests above (the repository belongs to another user)" : "fix what git says"}, or pass --allow-dirty to convert without this check`,
          ),
        );
      },
    );
  });
}

/**
 * The top folder of the git work tree of which `dir` is a sub-folder, or undefined when `dir` is
 * that top folder itself or in no work tree: the commands that work on a whole repository
 * (init, apply, check, ci github) say where to run them instead.
 */
export function repositoryAbove(dir: string): string | undefined {
  const top = gitTopLevel(dir);
  return top && fs.realpathSync(top) !== fs.realpathSync(dir) ? top : undefined;
}

/**
 * What a command run in a sub-folder of the git repository `top` (see repositoryAbove) says:
 * why it runs at the top, and the command to run there, the folder as seen from here.
 */
export function inSubFolderMessage(
  root: string,
  top: string,
  command: string,
  why: string,
): string {
  return `${root} is a sub-folder of the git repository ${top}; ${why}: amplication-auth0 ${command} ${path.relative(process.cwd(), top) || "."}`;
}

/**
 * The branches Amplication delivers its builds to (`amplication`, or `amplication-<service>`
 * with a branch per service), local or fetched, but not the one checked out: where a repository
 * shows no service, its first build may wait there, in a pull request not yet merged. Empty
 * outside git, or when git fails.
 */
export function amplicationBranches(root: string): string[] {
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  try {
    const current = git("branch", "--show-current").trim();
    return git(
      "for-each-ref",
      "--format=%(refname:short)",
      "refs/heads/amplication",
      "refs/heads/amplication-*",
      "refs/remotes/*/amplication",
      "refs/remotes/*/amplication-*",
    )
      .split("\n")
      .filter(
        (branch) =>
          branch !== "" &&
          (current === "" ||
            (branch !== current && !branch.endsWith(`/${current}`))),
      );
  } catch {
    return [];
  }
}

/**
 * The top folder of the git work tree that holds dir, or undefined when dir is in none (or git
 * is not installed).
 */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Amplication's own commit authors (a build, and its re-application of a user's commits). */
const AMPLICATION_AUTHOR = /^amplication\[(bot|branch whisperer)\]$/;

/** How far back the history is read for the edits of deleted files. */
const HISTORY_DEPTH = 1000;

/**
 * The files of `files` (relative to root) that someone changed after Amplication generated them:
 * in git's history, the last commit that touched the file is not Amplication's, an earlier one
 * is its bot's, and the file differs between the two in more than its white space. For each, that
 * last commit, its author and the git command (run from root) that shows every change made
 * since Amplication's last commit of it (the user's may span several commits). Empty where git
 * shows no commit of Amplication's (an app pushed by hand: every commit is the user's), outside
 * git, or when git fails: a note, never a reason to stop.
 */
export function editedAfterGeneration(
  root: string,
  files: readonly string[],
  workTrees: WorkTrees = new WorkTrees(root),
): Array<{ file: string; commit: string; author: string; show: string }> {
  if (files.length === 0) return [];
  const last = new Map<string, { commit: string; author: string }>();
  /** Per file: the latest commit of Amplication's that touched it, and where git runs for it. */
  const generated = new Map<
    string,
    { commit: string; cwd: string; name: string; prefix: string }
  >();
  // Each work tree's history holds its own files (a submodule's are not in the root's).
  for (const { cwd, prefix, paths } of workTrees.group(files)) {
    let log: string;
    try {
      log = execFileSync(
        "git",
        [
          "log",
          `--max-count=${HISTORY_DEPTH}`,
          "--format=%x01%h%x09%an",
          "--name-only",
          "--relative",
          "--no-renames",
          "--",
          ...paths,
        ],
        {
          cwd,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
          maxBuffer: 16 * 1024 * 1024,
          env: { ...process.env, GIT_LITERAL_PATHSPECS: "1" },
        },
      );
    } catch {
      continue;
    }
    for (const entry of log.split("\x01").slice(1)) {
      const [head, ...names] = entry.split("\n");
      const [commit, author] = head.split("\t");
      for (const name of names.filter(Boolean)) {
        const file = prefix + name;
        if (!last.has(file)) last.set(file, { commit, author });
        if (AMPLICATION_AUTHOR.test(author) && !generated.has(file))
          generated.set(file, { commit, cwd, name, prefix });
      }
    }
  }
  return files.flatMap((file) => {
    const latest = last.get(file);
    const amplication = generated.get(file);
    if (
      !latest ||
      !amplication ||
      AMPLICATION_AUTHOR.test(latest.author) ||
      sameButWhiteSpace(amplication, latest.commit)
    )
      return [];
    // Run from the root: a submodule's history is read in the submodule.
    const { prefix, name } = amplication;
    const show = `git ${prefix && `-C ${prefix.slice(0, -1)} `}diff ${amplication.commit} ${latest.commit} -- ${name}`;
    return [{ file, ...latest, show }];
  });
}

/**
 * Whether the file is the same at Amplication's commit and at `latest` but for its white space
 * (line ends saved as "\r\n" by a Windows editor, indentation redone, lines wrapped anew by a
 * formatter): no change of the user's code then. A failing git counts as a change.
 */
function sameButWhiteSpace(
  generated: { commit: string; cwd: string; name: string },
  latest: string,
): boolean {
  const at = (commit: string) =>
    execFileSync("git", ["show", `${commit}:./${generated.name}`], {
      cwd: generated.cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 16 * 1024 * 1024,
    }).replace(/\s+/g, "");
  try {
    return at(generated.commit) === at(latest);
  } catch {
    return false;
  }
}
