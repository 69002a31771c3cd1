/**
 * The CI jobs that re-apply the conversion after every Amplication build: Amplication pushes
 * each build to a branch `amplication` (or `amplication-<service>`), and has no post-build hook,
 * so a job on push to those branches runs `apply --commit` and pushes the result back.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_AUTHOR,
  TRAILER_KEY,
  formatAuthor,
  ignoredFiles,
  type Author,
} from "./git";
import { syncFolder, writeSynced } from "../commit/journal";
import { decodeText, encodeText } from "../tree/encoding";
import { isInside } from "../tree/file-error";

export const PACKAGE_NAME = "amplication-auth0-codemod";
export const GITHUB_WORKFLOW_FILE = ".github/workflows/amplication-auth0.yml";

export interface WorkflowOptions {
  /** The version of this tool that writes the workflow; the job installs that one. */
  version: string;
  author?: Author;
}

/** The `apply` line of both jobs; `--author` only when it is not the default. */
function applyCommand(author: Author, summaryFile?: string): string {
  const custom =
    formatAuthor(author) === formatAuthor(DEFAULT_AUTHOR)
      ? ""
      : ` --author ${shellQuote(formatAuthor(author))}`;
  const summary = summaryFile ? ` --summary-file "${summaryFile}"` : "";
  return `amplication-auth0 apply --commit${custom}${summary}`;
}

/**
 * The version to install: the repository's own pin of this package in its root package.json
 * (dependencies or devDependencies), else the version that wrote the job.
 */
function installCommand(): string {
  const pin =
    "try { const p = require('./package.json'); " +
    `process.stdout.write((p.devDependencies || {})['${PACKAGE_NAME}'] || (p.dependencies || {})['${PACKAGE_NAME}'] || '') } catch {}`;
  return [
    `pinned="$(node -e "${pin}")"`,
    `npm install --global --no-audit --no-fund "${PACKAGE_NAME}@\${pinned:-$AMPLICATION_AUTH0_VERSION}"`,
  ].join("\n");
}

/** Whether git ignores `file` (relative to root) and does not track it; false outside git. */
function ignoredByGit(root: string, file: string): boolean {
  try {
    return ignoredFiles(root, [file]).length > 0;
  } catch {
    return false; // not a git work tree: nothing is ignored
  }
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** The repository's pin of this package cannot be installed by the CI job. */
export class WorkflowPinError extends Error {}

/**
 * The repository's pin of this package in its root package.json (as installCommand reads it),
 * or undefined when there is none. Throws WorkflowPinError for a pin the job cannot install: a
 * `file:` path outside the repository (a tarball or clone next to it, which a CI checkout does
 * not have) or not there.
 */
export function repositoryPin(root: string): string | undefined {
  let manifest: {
    dependencies?: Record<string, unknown>;
    devDependencies?: Record<string, unknown>;
  };
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return undefined; // no such folder: writing the workflow says so
  }
  const leadsOutside = (file: string) => {
    try {
      return !isInside(fs.realpathSync(file), realRoot);
    } catch {
      return false; // not there: nothing is read
    }
  };
  if (leadsOutside(path.join(root, "package.json")))
    throw new WorkflowLinkError(
      "package.json is a symbolic link that leads outside the repository; the CI job reads the pin from the repository's own.\n" +
        "  fix: replace the link with the file itself, then run this command again",
    );
  try {
    manifest = JSON.parse(
      fs.readFileSync(path.join(root, "package.json"), "utf8"),
    );
  } catch {
    return undefined; // none, or not JSON: the job's own reading finds no pin either
  }
  const pin =
    manifest.devDependencies?.[PACKAGE_NAME] ||
    manifest.dependencies?.[PACKAGE_NAME];
  if (typeof pin !== "string" || pin === "") return undefined;
  if (!pin.startsWith("file:")) return pin;
  const target = path.resolve(root, pin.slice("file:".length));
  const relative = path.relative(root, target);
  const inside =
    relative !== "" &&
    !relative.startsWith("..") &&
    !path.isAbsolute(relative) &&
    !leadsOutside(target); // a vendor/ link to a folder outside is outside
  if (inside && fs.existsSync(target)) {
    if (ignoredByGit(root, relative))
      throw new WorkflowPinError(
        `package.json installs ${PACKAGE_NAME} from ${pin.slice("file:".length)}, which git ignores (.gitignore): ` +
          "a checkout of the repository would not have it.\n" +
          `  fix: add it anyway (git add -f ${toPosix(relative)}) and commit it, then run this command again`,
      );
    return pin;
  }
  throw new WorkflowPinError(
    `package.json installs ${PACKAGE_NAME} from ${pin.slice("file:".length)}, ` +
      `${inside ? "which is not there" : "outside the repository"}: the CI job installs what ` +
      "package.json pins, from a checkout of the repository alone.\n" +
      "  fix: copy the tarball into the repository and install it from there " +
      `(mkdir -p vendor && cp <the .tgz> vendor/ && npm install --save-dev ./vendor/<the .tgz>), ` +
      "commit both, then run this command again",
  );
}

export function githubWorkflow({
  version,
  author = DEFAULT_AUTHOR,
}: WorkflowOptions): string {
  const indent = (text: string, spaces: number) =>
    text
      .split("\n")
      .map((line) => " ".repeat(spaces) + line)
      .join("\n");
  return `# Written by ${PACKAGE_NAME} ${version} (amplication-auth0 ci github).
# After every Amplication build pushed to the amplication or amplication-<service> branch, it
# converts the build to Auth0 again and pushes one commit on top, so the pull request shows the
# converted code, or a failed check whose summary names the file, the rule and the fix.
name: amplication-auth0

on:
  push:
    branches:
      - amplication
      - "amplication-*"

permissions:
  contents: write

# One job per branch at a time: a build pushed while one runs waits for it.
concurrency:
  group: amplication-auth0-\${{ github.ref }}
  cancel-in-progress: false

jobs:
  convert:
    # Not on this job's own commit (its author, or the ${TRAILER_KEY} trailer of its message),
    # nor on a deleted branch.
    if: >-
      !github.event.deleted &&
      github.event.head_commit.author.name != '${author.name.replace(/'/g, "''")}' &&
      !contains(github.event.head_commit.message, '${TRAILER_KEY}: amplication-auth0')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.ref }}
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install amplication-auth0
        env:
          AMPLICATION_AUTH0_VERSION: ${version}
        run: |
${indent(installCommand(), 10)}
      - name: Convert to Auth0 and commit
        run: ${scalar(applyCommand(author, "$GITHUB_STEP_SUMMARY"))}
      - name: Push the conversion
        run: git push origin "HEAD:$GITHUB_REF_NAME"
`;
}

/**
 * A job to merge into an existing .gitlab-ci.yml. The job token cannot push, so it pushes with a
 * project access token (write_repository) kept in the CI/CD variable AMPLICATION_AUTH0_PUSH_TOKEN;
 * `ci.skip` keeps that push from starting another pipeline.
 */
export function gitlabJob({
  version,
  author = DEFAULT_AUTHOR,
}: WorkflowOptions): string {
  const escapedName = author.name.replace(/[[\]().*+?^$|\\/]/g, "\\$&");
  return `# Written by ${PACKAGE_NAME} ${version} (amplication-auth0 ci gitlab): merge into .gitlab-ci.yml.
# Needs a CI/CD variable AMPLICATION_AUTH0_PUSH_TOKEN: a project access token with write_repository.
amplication-auth0:
  image: node:20
  rules:
    - if: ${scalar(`$CI_COMMIT_BRANCH =~ /^amplication(-.+)?$/ && $CI_COMMIT_AUTHOR !~ /^${escapedName} </`)}
  variables:
    GIT_DEPTH: "0"
    AMPLICATION_AUTH0_VERSION: "${version}"
  script:
    - |
${installCommand()
  .split("\n")
  .map((line) => `      ${line}`)
  .join("\n")}
    - git checkout -B "$CI_COMMIT_BRANCH"
    - ${scalar(applyCommand(author))}
    - git push -o ci.skip "https://oauth2:\${AMPLICATION_AUTH0_PUSH_TOKEN}@\${CI_SERVER_HOST}/\${CI_PROJECT_PATH}.git" "HEAD:$CI_COMMIT_BRANCH"
`;
}

export type WriteOutcome = "written" | "unchanged" | "replaced";

export class WorkflowExistsError extends Error {}

/**
 * `ci github` given a folder it cannot write the workflow under: not there, or a sub-folder of a
 * git repository (GitHub reads workflows at the root only).
 */
export class WorkflowFolderError extends Error {}

/** The workflow's path goes through a link: out of the repository, or in the file's place. */
export class WorkflowLinkError extends Error {}

/**
 * Writes the workflow file under root. An identical file (its line ends aside) is left alone; a
 * different one is replaced only with force, and keeps its line ends. It never reads or writes
 * outside root (see workflowPath), and writes the file whole or not at all: a temporary file
 * beside it, renamed over it.
 */
export function writeWorkflow(
  root: string,
  content: string,
  { force = false }: { force?: boolean } = {},
): WriteOutcome {
  const { folder, file } = workflowPath(root);
  // Compared as text: a checkout with CRLF line ends (core.autocrlf) holds the same workflow.
  const existing = fs.existsSync(file)
    ? decodeText(fs.readFileSync(file))
    : undefined;
  if (existing?.text === content) return "unchanged";
  if (existing !== undefined && !force)
    throw new WorkflowExistsError(
      `${GITHUB_WORKFLOW_FILE} exists and differs from the workflow this version writes; ` +
        "compare it with `amplication-auth0 ci github --dry-run`, then rerun with --force to replace it",
    );
  fs.mkdirSync(folder, { recursive: true });
  const temp = `${file}.amplication-auth0-${process.pid}`;
  fs.rmSync(temp, { force: true }); // left by a crashed run of the same pid
  try {
    writeSynced(
      temp,
      existing === undefined ? content : encodeText(content, existing.style),
      existing === undefined ? undefined : fileMode(file),
    );
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(folder);
  return existing === undefined ? "written" : "replaced";
}

function fileMode(file: string): number {
  return fs.statSync(file).mode & 0o7777;
}

/**
 * Where the workflow file really is: every link on the way resolved, and each must lead inside
 * root (a link inside the repository is followed). The file itself must not be a link: reading
 * it would read what the link points to, and writing it would replace the link.
 */
function workflowPath(root: string): { folder: string; file: string } {
  const realRoot = realFolder(root);
  let real = realRoot;
  const parts = GITHUB_WORKFLOW_FILE.split("/");
  for (const [index, part] of parts.entries()) {
    const entry = path.join(real, part);
    const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
    if (!stat) {
      // What is missing is created under `real`, a folder known to be inside.
      const file = path.join(real, ...parts.slice(index));
      return { folder: path.dirname(file), file };
    }
    const named = parts.slice(0, index + 1).join("/");
    const isFile = index === parts.length - 1;
    real = stat.isSymbolicLink()
      ? followLink(entry, named, { realRoot, isFile })
      : entry;
    if (fs.statSync(real).isDirectory() === isFile)
      throw new WorkflowFolderError(
        `${named} is a ${isFile ? "folder where the workflow file" : "file where a folder"} goes.\n` +
          "  fix: rename or remove it, then run this command again",
      );
  }
  return { folder: path.dirname(real), file: real };
}

function realFolder(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    if (fs.statSync(real).isDirectory()) return real;
  } catch {
    // not there, or not reachable: the same answer
  }
  throw new WorkflowFolderError(`${dir}: no such folder`);
}

/** Where a link on the workflow's path leads, or why ci github does not go there. */
function followLink(
  link: string,
  named: string,
  { realRoot, isFile }: { realRoot: string; isFile: boolean },
): string {
  const replace = `  fix: replace the link with ${isFile ? "the file itself" : "a folder"}`;
  let target: string;
  try {
    target = fs.realpathSync(link);
  } catch {
    // a broken link: where it points, for the message only
    target = path.resolve(path.dirname(link), fs.readlinkSync(link));
    if (isInside(target, realRoot))
      throw new WorkflowLinkError(
        `${named} is a symbolic link to ${toPosix(path.relative(realRoot, target))}, which does not exist.\n` +
          `${replace}, then run this command again`,
      );
  }
  if (!isInside(target, realRoot))
    throw new WorkflowLinkError(
      `${named} is a symbolic link that leads outside the repository (to ${target}); ` +
        "ci github reads and writes only inside the repository.\n" +
        `${replace}, then run this command again`,
    );
  if (isFile)
    throw new WorkflowLinkError(
      `${named} is a symbolic link (to ${toPosix(path.relative(realRoot, target))}); ` +
        "ci github writes the workflow file itself, which would replace the link.\n" +
        `${replace}, then run this command again`,
    );
  return target;
}

/** A YAML scalar for one line of text: plain when that reads the same, quoted otherwise. */
function scalar(text: string): string {
  // yaml is loaded here, on first use: apply and check load this module but never write a
  // workflow, and loading yaml took about 0.02 s before their prefetch worker could start.
  const { stringify } = require("yaml") as typeof import("yaml");
  return stringify(text, { lineWidth: 0 }).trimEnd();
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
