/**
 * The whole conversion under the standard jscodeshift CLI:
 *
 *   npx jscodeshift --no-babel -t node_modules/amplication-auth0-codemod/transforms \
 *     --extensions=ts,tsx --ignore-pattern='**\/node_modules/**' \
 *     apps/shop-server/src apps/shop-admin/src
 *
 * The first file of a repository that the run sees makes one worker convert the whole
 * repository in memory with the engine, as a dry `apply` (src/engine/run.ts), before anything
 * is written; every worker of the run uses that result (transforms/lib/run-once.ts): the same
 * rules, Prettier, verification and refusals as `apply`. Each file then gets its converted text
 * from that result, and jscodeshift writes it. What jscodeshift cannot do (create files, edit
 * package.json, .env, docker-compose.yml, or files it does not visit) is written, all or
 * nothing, by the one worker that gets the side's anchor file (the server's
 * src/auth/jwt/base/jwt.strategy.base.ts, the admin's src/App.tsx): whichever process that
 * is, exactly one does it. A file the conversion deletes is deleted by the worker that visits
 * it, so no worker can find it gone or write it back. A refusal, or a side left out, is said
 * once per run (firstInRun), not for each file jscodeshift hands a worker.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { API, FileInfo, Options } from "jscodeshift";
import { commit, type FileChange } from "../src/commit/commit";
import {
  ignoreToolFolder,
  openRepository,
  toolFolder,
} from "../src/commit/journal";
import { keepUntrackedOriginals } from "../src/commit/previous";
import { DEFAULT_CONFIG_FILE } from "../src/config/load";
import {
  isProblem,
  run,
  type RunOptions,
  type RunResult,
} from "../src/engine/run";
import {
  exitCodeOf,
  failingMessage,
  listsServices,
  nextStepLines,
  notConvertedLine,
  warningLine,
  type NextStep,
} from "../src/report/report";
import {
  decodeText,
  encodeText,
  PLAIN,
  type TextStyle,
} from "../src/tree/encoding";
import { isInside as isInsideFolder } from "../src/tree/file-error";
import { exclusive, firstInRun, once } from "./lib/run-once";
import { inService, isUnder } from "../src/config/service-path";

/** How long a worker waits for another worker's commit to the same repository. */
const LOCK_WAIT_MS = 120_000;

const ANCHORS = {
  server: "src/auth/jwt/base/jwt.strategy.base.ts",
  admin: "src/App.tsx",
} as const;

type SideName = keyof typeof ANCHORS;

interface Side {
  service: Service;
  name: SideName;
  /** Repository-relative folder of the server or admin. */
  root: string;
}

/** A repository's conversion, as plain data: the worker processes of a run share it. */
interface Conversion {
  root: string;
  /** Why the repository cannot be converted (a refusal, a dirty tree, a bad config). */
  error?: string;
  services: Service[];
  changes: FileChange[];
  /** Why a service fails the whole run (src/report/report.ts failingMessage): no file is converted. */
  failing?: string;
  /** Whether `apply` would exit 1 on the services it leaves alone (none can be converted). */
  nothingConvertible: boolean;
  /** With --dry: the uncommitted files for which a run without it would refuse. */
  uncommitted: string[];
  /** What to do after the conversion (none for --dry): see nextStepLines. */
  nextSteps: NextStep[];
  /**
   * What `apply` says besides the files, one line each: the services it leaves alone and why,
   * the security warnings, and the run's warnings (root files that still pass the local
   * login's settings, an admin paired with no server, ...).
   */
  notes: string[];
}

interface Service {
  name: string;
  server: string;
  admin?: string;
  /** Why it is not converted; refused: the run fails on it (else it is left as it is). */
  unsupported?: string;
  refused: boolean;
}

export default async function router(
  file: FileInfo,
  api: API,
  options: Options,
): Promise<string | undefined> {
  const absolute = path.resolve(file.path);
  const root = repositoryRoot(absolute);
  if (!root) return undefined; // not in a repository: nothing of ours
  try {
    return await convertFile(file, api, options, absolute, root);
  } catch (error) {
    // A refusal fails the run (an error fails jscodeshift's exit code): the first file to meet
    // it, in whichever worker process, fails with it; the others are skipped, not converted,
    // rather than repeat it for every file.
    if (
      error instanceof Error &&
      !firstInRun(runsFolder(root), `error\0${error.message}`)
    )
      return undefined;
    throw error;
  }
}

async function convertFile(
  file: FileInfo,
  api: API,
  options: Options,
  absolute: string,
  root: string,
): Promise<string | undefined> {
  const conversion = await convertOnce(root, options);
  if (conversion.error !== undefined) throw quiet(conversion.error);

  const relative = toPosix(path.relative(root, absolute));
  const side = sideOf(conversion.services, relative);
  if (!side) return file.source; // not in a server or admin: nothing to change
  // A service apply refuses fails the run; so does one it leaves alone where nothing else can
  // be converted (apply exits 1 then too).
  if (
    side.service.refused ||
    (side.service.unsupported && conversion.nothingConvertible)
  )
    throw quiet(
      `${side.service.name} is not converted: ${side.service.unsupported}`,
    );
  // ...and it fails the other services' files too: `apply` then writes nothing at all.
  if (conversion.failing !== undefined)
    throw quiet(`nothing converted: ${conversion.failing}`);
  if (side.service.unsupported) return file.source; // e.g. no login: left as it is
  // A side is converted only by a run that visits all of its src/ and its anchor: else a part of
  // it would be, and the app would not build.
  const notVisited = whyNotVisited(conversion, side, options);
  if (notVisited !== undefined) {
    if (!otherSideConverted(conversion, side, options))
      reportOnce(
        api,
        conversion,
        `${describe(side)} is not converted: ${notVisited}`,
      );
    return file.source;
  }

  const dry = Boolean(options.dry);
  if (isAnchor(side, relative)) {
    // said once per run, by whichever worker visits an anchor first
    for (const note of conversion.notes) reportOnce(api, conversion, note);
    if (dry && conversion.uncommitted.length > 0)
      reportOnce(
        api,
        conversion,
        `without --dry, this run would refuse: the folders to convert hold uncommitted changes (such as ${conversion.uncommitted[0]}): commit them first, or pass --allow-dirty=true`,
      );
    await writeSideEffects(conversion, side, api, options);
    // the steps about this folder, and those about the whole run once
    for (const step of conversion.nextSteps)
      if (step.folder === undefined || step.folder === side.root)
        reportOnce(
          api,
          conversion,
          `${step.remark ? "note" : "next step"}: ${step.text}`,
        );
  }

  const change = conversion.changes.find((change) => change.file === relative);
  if (!change) return file.source; // examined, nothing to change
  // A file outside the side's src/ (scripts/seed.ts) is the anchor's to write, whether or not
  // this run was given it: were jscodeshift to write it too, the two writes would race.
  if (!writtenByJscodeshift(change, side, options)) return undefined;
  if (change.after === undefined) {
    // jscodeshift cannot delete: the worker that visits the file does, so none finds it gone.
    if (!dry) await commitLocked(root, [change]);
    api.stats("deleted");
    api.report(dry ? "would be deleted" : "deleted");
    return undefined;
  }
  // Stored as apply stores it: the file's BOM and line ends kept (src/tree/encoding.ts).
  const style = styleOnDisk(absolute);
  if (style.invalidAt !== undefined) {
    throw quiet(
      `${relative} is not valid UTF-8 (byte ${style.invalidAt}), so it is not rewritten: save it as UTF-8 and run again`,
    );
  }
  return encodeText(change.after, style).toString("utf8");
}

function styleOnDisk(file: string): TextStyle {
  return fs.existsSync(file) ? decodeText(fs.readFileSync(file)).style : PLAIN;
}

/** styleOnDisk by repository path, as commit() asks. */
function stylesOnDisk(root: string): (file: string) => TextStyle {
  return (file) => styleOnDisk(path.join(root, file));
}

/**
 * commit() as apply commits: under the repository's lock (src/commit/journal.ts), with each
 * file's BOM and line ends kept. The workers of a run take turns through a lock of their own
 * first: the repository's lock is made to refuse a second run, not to queue one run's
 * processes.
 */
function commitLocked(root: string, changes: FileChange[]): Promise<void> {
  return exclusive(runsFolder(root), "commit", LOCK_WAIT_MS, () => {
    const release = openRepository(root, (line) =>
      process.stderr.write(`${line}\n`),
    );
    try {
      for (const note of keepUntrackedOriginals(root, changes))
        process.stderr.write(`${note}\n`);
      commit(root, changes, { styleOf: stylesOnDisk(root) });
    } finally {
      release();
    }
  });
}

/**
 * Where the run's worker processes share the conversion and take turns (transforms/lib/run-once.ts):
 * in the repository, beside the commit's journal.
 */
function runsFolder(root: string): string {
  return path.join(toolFolder(root), "jscodeshift");
}

/** Folder → its repository root, for the thousands of files of one folder tree. */
const roots = new Map<string, string | undefined>();

/** The nearest folder above the file holding auth0.config.json or .git, as `apply` is run from. */
function repositoryRoot(file: string): string | undefined {
  const dir = path.dirname(file);
  if (roots.has(dir)) return roots.get(dir);
  let root: string | undefined;
  if (
    fs.existsSync(path.join(dir, DEFAULT_CONFIG_FILE)) ||
    fs.existsSync(path.join(dir, ".git"))
  )
    root = dir;
  else if (dir !== path.dirname(dir)) root = repositoryRoot(dir);
  roots.set(dir, root);
  return root;
}

/**
 * The repository converted in memory as a dry `apply`, once per jscodeshift run (see
 * transforms/lib/run-once.ts), before this run has written anything.
 */
function convertOnce(root: string, options: Options): Promise<Conversion> {
  const configFile = configOption(options);
  const allowDirty = allowDirtyOption(options);
  const dry = Boolean(options.dry);
  const key = JSON.stringify([configFile, allowDirty, dry]);
  return once(runsFolder(root), key, () => {
    // The runs' files hold the files' texts (a .env's among them): git must never take them.
    ignoreToolFolder(root);
    // run() refuses a file the commit could not write (apply --dry-run does too), so that
    // jscodeshift gets no file's result before every file has passed those checks
    return run({
      root,
      configFile: configFile && path.resolve(configFile),
      command: "apply",
      dryRun: true, // the writes are jscodeshift's and the anchors'
      guardDryRun: !dry,
      allowDirty,
    }).then(
      (result): Conversion => {
        const configLists = listsServices(result);
        return {
          root,
          services: result.services.map((profile) => ({
            name: profile.name,
            server: profile.server.root,
            admin: profile.admin?.root,
            unsupported: profile.unsupported,
            // The states that fail `apply`; any other is only reported, and left as it is.
            refused: isProblem(profile, configLists),
          })),
          changes: result.changes,
          failing: failingMessage(result),
          nothingConvertible: exitCodeOf(result) === 1,
          uncommitted: result.uncommitted,
          nextSteps:
            dry || result.changes.length === 0
              ? []
              : nextStepLines(
                  result,
                  path.relative(process.cwd(), root) || ".",
                ),
          notes: [
            ...result.services
              .filter((p) => p.unsupported && !isProblem(p, configLists))
              .map((p) => notConvertedLine(p, configLists)),
            ...result.security.warnings.map(warningLine),
            ...result.notes.map((note) => `warning: ${note}`),
          ],
        };
      },
      (error: Error): Conversion => ({
        root,
        error: inJscodeshiftTerms(error.message),
        services: [],
        changes: [],
        nothingConvertible: false,
        uncommitted: [],
        nextSteps: [],
        notes: [],
      }),
    );
  });
}

/** `--config=<file>` as for `apply` (`--auth-config` is its earlier name); default <root>/auth0.config.json. */
function configOption(options: Options): string | undefined {
  const value = options.config ?? options["auth-config"] ?? options.authConfig;
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "")
    throw quiet("--config needs a file: pass it as --config=auth0.config.json");
  return value;
}

/**
 * `--allow-dirty=true`. jscodeshift gives an option it does not know the next argument as its
 * value, so a bare `--allow-dirty` before a path swallows the path: say so rather than guess.
 */
function allowDirtyOption(options: Options): boolean {
  const value = options["allow-dirty"] ?? options.allowDirty ?? false;
  if (typeof value === "boolean") return value;
  throw quiet(
    `--allow-dirty took "${String(value)}" as its value: write --allow-dirty=true (jscodeshift gives an option it does not know the next argument)`,
  );
}

/** The server or admin folder the file is in (the deepest, should one hold the other). */
function sideOf(services: Service[], file: string): Side | undefined {
  let found: Side | undefined;
  for (const service of services) {
    const sides: Side[] = [{ service, name: "server", root: service.server }];
    if (service.admin !== undefined)
      sides.push({ service, name: "admin", root: service.admin });
    for (const side of sides) {
      if (
        isUnder(file, side.root) &&
        (!found || side.root.length > found.root.length)
      )
        found = side;
    }
  }
  return found;
}

function isAnchor(side: Side, file: string): boolean {
  return file === inService(side.root, ANCHORS[side.name]);
}

/**
 * The side's changes jscodeshift does not write itself: files it does not visit (outside src/,
 * or not of the extensions it was given) and files to create. Written in one all-or-nothing
 * commit by the worker that got the anchor file.
 */
async function writeSideEffects(
  conversion: Conversion,
  side: Side,
  api: API,
  options: Options,
): Promise<void> {
  const sideEffects = conversion.changes.filter(
    (change) =>
      sideOf(conversion.services, change.file)?.root === side.root &&
      !writtenByJscodeshift(change, side, options),
  );
  const what = describe(side);
  if (sideEffects.length > 0) {
    if (!options.dry) await commitLocked(conversion.root, sideEffects);
    for (const change of sideEffects) api.stats(kindOf(change));
    api.report(
      `${options.dry ? "would write" : "wrote"} the files of ${what} jscodeshift does not visit: ` +
        sideEffects.map((change) => change.file).join(", "),
    );
  }
  const other = otherSide(side);
  const notVisited =
    other && pendingUnder(conversion, other.root)
      ? whyNotVisited(conversion, other, options)
      : undefined;
  if (other && notVisited !== undefined)
    api.report(
      `converted ${what}; its ${other.name} (${other.root}) is not: ${notVisited}`,
    );
}

/** "shop's server (apps/shop-server)"; "the server (server)" for a service named after it. */
function describe(side: Side): string {
  return side.service.name === side.name
    ? `the ${side.name} (${side.root})`
    : `${side.service.name}'s ${side.name} (${side.root})`;
}

function otherSide(side: Side): Side | undefined {
  const name = side.name === "server" ? "admin" : "server";
  const root =
    side.name === "server" ? side.service.admin : side.service.server;
  return root === undefined ? undefined : { service: side.service, name, root };
}

/** Whether the other side of the service is converted by this run (its anchor then says why this one is not). */
function otherSideConverted(
  conversion: Conversion,
  side: Side,
  options: Options,
): boolean {
  const other = otherSide(side);
  return (
    other !== undefined &&
    pendingUnder(conversion, other.root) &&
    whyNotVisited(conversion, other, options) === undefined
  );
}

/** A side left out is said once per run, not once per file or worker process. */
function reportOnce(api: API, conversion: Conversion, message: string): void {
  if (firstInRun(runsFolder(conversion.root), `report\0${message}`))
    api.report(message);
}

/**
 * Why this jscodeshift run does not visit all of the side's src/ and its anchor file (README: give
 * each side's src folder, or a folder holding it, with --extensions=ts,tsx), or undefined when it
 * does, or when its command line cannot be read (then it converts what it is given, as before).
 */
function whyNotVisited(
  conversion: Conversion,
  side: Side,
  options: Options,
): string | undefined {
  // Asked for every file of the run: answered once per conversion and side.
  const key = side.root;
  const answers =
    notVisited.get(conversion) ?? new Map<string, string | undefined>();
  notVisited.set(conversion, answers);
  if (!answers.has(key))
    answers.set(key, whyNotVisitedNow(conversion, side, options));
  return answers.get(key);
}

/** whyNotVisited's answers, by conversion (one per run and repository) and side. */
const notVisited = new WeakMap<Conversion, Map<string, string | undefined>>();

function whyNotVisitedNow(
  conversion: Conversion,
  side: Side,
  options: Options,
): string | undefined {
  const src = inService(side.root, "src");
  const anchor = inService(side.root, ANCHORS[side.name]);
  const given = givenToThisRun(path.join(conversion.root, src));
  if (given === false)
    return `this run was not given ${src} (or a folder holding it)`;
  if (!visitsExtensionOf(anchor, options))
    return `this run does not visit ${path.extname(anchor)} files such as ${anchor}: pass --extensions=ts,tsx`;
  // The anchor, and every file of the side the conversion rewrites or deletes in src/: an ignored
  // one would stay as it is, next to the files converted around it.
  for (const file of [
    anchor,
    ...conversion.changes
      .filter(
        (change) =>
          sideOf(conversion.services, change.file)?.root === side.root,
      )
      .filter((change) => writtenByJscodeshift(change, side, options))
      .map((change) => change.file),
  ]) {
    const pattern = ignoringPattern(path.join(conversion.root, file), options);
    if (pattern !== undefined)
      return `this run ignores ${file} (--ignore-pattern=${pattern}), which the conversion changes`;
  }
  return undefined;
}

/**
 * The --ignore-pattern that makes jscodeshift skip `file`, if one does: each pattern as
 * jscodeshift widens it (a name without a slash matches in any folder; one ending in / matches
 * what is under it), matched with *, ** and ? against the path from the working folder and the
 * absolute one. Braces and other extended globs are taken as plain text.
 */
function ignoringPattern(file: string, options: Options): string | undefined {
  const given = ([] as unknown[]).concat(options.ignorePattern ?? []);
  const candidates = [
    toPosix(path.relative(process.cwd(), file)),
    toPosix(file),
  ];
  for (const pattern of given) {
    if (
      typeof pattern !== "string" ||
      pattern === "" ||
      pattern.startsWith("#")
    )
      continue;
    const widened = !pattern.includes("/")
      ? [`**/${pattern}`, pattern]
      : pattern.endsWith("/")
        ? [`**/${pattern}**`, `${pattern}**`, pattern]
        : [pattern];
    const matchers = widened.map(globRegExp);
    if (matchers.some((glob) => candidates.some((file) => glob.test(file))))
      return pattern;
  }
  return undefined;
}

function globRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i += 1) {
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (glob[i] === "*") source += "[^/]*";
    else if (glob[i] === "?") source += "[^/]";
    else source += glob[i].replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether the jscodeshift command line names `folder` or a folder holding it; undefined when this
 * process cannot read it. jscodeshift tells a transform nothing of the paths it was given: they
 * are this process's arguments (--run-in-band), or its parent's for a worker process, read
 * through /proc (Linux; elsewhere a worker cannot tell).
 */
function givenToThisRun(folder: string): boolean | undefined {
  let args: string[];
  if (typeof process.send !== "function") args = process.argv.slice(2);
  else {
    try {
      args = fs
        .readFileSync(`/proc/${process.ppid}/cmdline`, "utf8")
        .split("\0");
    } catch {
      return undefined; // not Linux, or not allowed
    }
  }
  return args.some(
    (arg) =>
      arg !== "" &&
      !arg.startsWith("-") &&
      isInsideFolder(folder, path.resolve(arg)),
  );
}

/** An error's hints as jscodeshift takes them: its options need `=` (see allowDirtyOption). */
function inJscodeshiftTerms(message: string): string {
  return message
    .replace(/--allow-dirty\b(?!=)/g, "--allow-dirty=true")
    .replace(/--config <file>/g, "--config=<file>");
}

/**
 * Whether jscodeshift writes (or the visiting worker deletes) the change: an existing file of
 * the given extensions under the side's src/, the folder the README has users pass. Every other
 * change of the side is the anchor's, so each file has exactly one writer.
 */
function writtenByJscodeshift(
  change: FileChange,
  side: Side,
  options: Options,
): boolean {
  return (
    change.before !== undefined &&
    isUnder(change.file, inService(side.root, "src")) &&
    visitsExtensionOf(change.file, options)
  );
}

/** Whether the file's extension is one of the run's --extensions (jscodeshift visits no other). */
function visitsExtensionOf(file: string, options: Options): boolean {
  return String(options.extensions ?? "")
    .split(",")
    .map((extension) => extension.trim().replace(/^\./, ""))
    .includes(path.extname(file).slice(1));
}

function kindOf(change: FileChange): string {
  if (change.before === undefined) return "created";
  return change.after === undefined
    ? "deleted"
    : "rewritten outside jscodeshift";
}

function pendingUnder(conversion: Conversion, folder: string): boolean {
  return conversion.changes.some((change) => isUnder(change.file, folder));
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}

/** jscodeshift prints an error's stack under its message; ours say all in the message. */
function quiet(message: string): Error {
  const error = new Error(message);
  error.stack = "";
  return error;
}
