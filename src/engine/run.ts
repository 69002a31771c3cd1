/**
 * The whole pipeline behind `apply` and `check`:
 * config → detect → plan → transforms on a staged tree → format → verify → commit/diff → result.
 */
import * as path from "node:path";
import { ConfigError, configLoader, DEFAULT_CONFIG_FILE } from "../config/load";
import { resolveAuth0 } from "../config/resolve";
import type { Config } from "../config/schema";
import {
  adminLeftAlone,
  adminsLeftAlone,
  detectService,
  DetectionError,
  discoverServices,
  findServices,
  noServiceFound,
  type AppProfile,
  type FoundService,
} from "../detect/detect";
import {
  checkChanges,
  commit,
  type CommitFs,
  type FileChange,
} from "../commit/commit";
import {
  amplicationBranches,
  DirtyTreeError,
  editedAfterGeneration,
  dotGitAbove,
  GitUnavailableError,
  gitTopLevel,
  uncommittedPaths,
} from "../commit/git";
import { keepUntrackedOriginals } from "../commit/previous";
import { WorkTrees } from "../commit/work-trees";
import { openRepository, type Say } from "../commit/journal";
import { Formatter } from "../format/format";
import type { PrettierThread } from "../format/prettier-thread";
import { planService } from "../plan/plan";
import { RULE_IDS } from "../plan/rules";
import { DiskTree } from "../tree/disk-tree";
import { FileRefusal, namingRule, refusalsOf } from "../tree/file-error";
import { StagedTree } from "../tree/staged-tree";
import { reparseChanged, VerificationError } from "../verify/verify";
import { securityNotes, type SecurityNotes } from "../report/security";
import { nameEditsOfPluginOutput } from "../report/plugin-edits";
import { convert, type RuleRecord, type RunTools } from "./convert";
import { throwRunRefusals } from "./refusals";
import { SourceParser } from "../../transforms/lib/parser";
import type { ConfigMismatch, RuleRefusal } from "../../transforms/lib/refusal";
import { SourceViews } from "../../transforms/lib/source-files";
import { inService, isRepositoryRoot, isUnder } from "../config/service-path";
import type { ReadTree } from "../tree/read-tree";
import {
  JWT_VARIABLES,
  SERVER_ENV_NAMES,
} from "../../transforms/server/env-names";

export type Command = "apply" | "check";

export interface RunOptions {
  /** Repository root. */
  root: string;
  /** Config file; default <root>/auth0.config.json. */
  configFile?: string;
  command: Command;
  dryRun?: boolean;
  allowDirty?: boolean;
  /**
   * Run the uncommitted-changes guard on a dry run too: its caller writes the changes itself
   * (the jscodeshift transform, transforms/router.ts).
   */
  guardDryRun?: boolean;
  /**
   * Checks the changes before anything is written (apply --commit: that they can be committed
   * at root); what it throws ends the run with nothing written.
   */
  beforeWrite?: (changes: readonly FileChange[], workTrees: WorkTrees) => void;
  /** File-system seam for commit, used by tests to make a write fail. */
  commitFs?: CommitFs;
  /** Where to say what was done before the run (an interrupted run finished); default stderr. */
  say?: Say;
  /** Where Prettier runs (the CLI starts one early); in this thread when undefined. */
  prettierThread?: PrettierThread;
}

export interface RunResult {
  command: Command;
  dryRun: boolean;
  services: AppProfile[];
  records: RuleRecord[];
  changes: FileChange[];
  /** True when the files on disk were changed. */
  written: boolean;
  /** The security-relevant settings of this run, and warnings about weaker ones. */
  security: SecurityNotes;
  /**
   * check, and apply --dry-run: uncommitted paths in the folders with changes pending (apply
   * would refuse them).
   */
  uncommitted: string[];
  /** Warnings about the run as a whole, such as a repository apply cannot undo with git. */
  notes: string[];
}

/**
 * A service whose state fails the run: listed in the config but neither convertible nor
 * converted, or (when the config lists none) a JWT service this tool could not read. A service
 * found in another state (no auth, Basic, partial, another provider, the auth-auth0 plugin's),
 * or one the config does not list, is only reported. A run with such a service writes nothing.
 */
export function isProblem(profile: AppProfile, configLists: boolean): boolean {
  return (
    profile.unsupported !== undefined &&
    (profile.listed || (!configLists && profile.server.auth === "jwt"))
  );
}

/** The config lists its services (a service the walk finds besides them is only reported). */
export function listsAny(services: readonly AppProfile[]): boolean {
  return services.some((profile) => profile.listed);
}

export async function run(options: RunOptions): Promise<RunResult> {
  const root = path.resolve(options.root);
  // One run at a time per repository, and none before an interrupted commit is finished.
  const release = openRepository(
    root,
    options.say ?? ((line) => process.stderr.write(`${line}\n`)),
  );
  try {
    return await runOpened(options, root);
  } finally {
    release();
  }
}

async function runOpened(
  options: RunOptions,
  root: string,
): Promise<RunResult> {
  const configFile = options.configFile ?? path.join(root, DEFAULT_CONFIG_FILE);
  const config = configLoader(RULE_IDS).loadConfigFile(configFile);
  const auth0 = resolveAuth0(config);
  // A snapshot: nothing is written until the end, and the rules that look for importers read
  // the whole app, so each file is read from disk once per run.
  const disk = new DiskTree(root, { cache: true });

  const services = findServices(disk, config);
  if (services.length === 0) {
    throw new DetectionError(
      `${noServiceFound(disk, root, amplicationBranches(root))}; ` +
        `run in the repository's root folder, or list the services under "services" in the config`,
    );
  }
  // The rules that look for importers and readers list and read every source file of the
  // services (transforms/lib/source-files.ts): a worker starts on that now, while detection,
  // the git check and the first rules run here.
  disk.prefetch(
    services.flatMap((service) =>
      [service.server, ...(service.admin ? [service.admin] : [])].flatMap(
        (dir) => [inService(dir, "src"), inService(dir, "scripts")],
      ),
    ),
  );
  // A file the run cannot read (a link that leads outside, say) does not stop it at the first:
  // the other services are still detected and converted, and what was converted checked as
  // the commit checks it, so that one refusal after the conversion names every such file.
  const unreadable: FileRefusal[] = [];
  const profiles = services.flatMap((service) => {
    try {
      return [detectService(disk, service, config)];
    } catch (error) {
      if (!(error instanceof FileRefusal)) throw error;
      unreadable.push(...refusalsOf(error));
      return [];
    }
  });
  // Services the walk finds that the config does not list are reported, never converted.
  const unlisted = config.services
    ? discoverServices(disk)
        .filter((found) => !services.some((s) => s.server === found.server))
        .map((found) => {
          const profile = detectUnlisted(disk, found, config);
          profile.unsupported = `it is not listed under "services" in the config${profile.unsupported ? `, and ${profile.unsupported}` : `; list it there to convert it`}`;
          return profile;
        })
    : [];
  nameEditsOfPluginOutput(root, [...profiles, ...unlisted]);
  const convertible = profiles.filter((profile) => !profile.unsupported);
  assertClientIdIfNeeded(config, configFile, convertible);
  for (const profile of convertible) {
    for (const step of planService(profile, config)) {
      if (step.status !== "run" || !step.rule.searches) continue;
      const root =
        step.rule.target === "server"
          ? profile.server.root
          : profile.admin!.root;
      disk.expectSearches(root, step.rule.searches);
    }
  }

  // A service that fails the run (isProblem) fails it before anything is written: every change
  // or none, whatever the other services' state.
  const configLists = listsAny(profiles);
  const failing = [...profiles, ...unlisted].some((profile) =>
    isProblem(profile, configLists),
  );
  const writes = options.command === "apply" && !options.dryRun && !failing;
  // The uncommitted-changes guard: git runs while the rules and checks do (the conversion is in
  // memory; nothing is written before the guard has answered), and a dirty tree wins over any
  // other outcome, as when the guard ran first. It starts with the conversion, on every folder
  // to convert, and its answer is narrowed to the folders holding a change once they are known:
  // on a 25,000-file app git's stat of every file, started after the first pass, took longer
  // than the second pass and the checks, and the run waited for it.
  const folders = convertible.flatMap((p) => [
    p.server.root,
    ...(p.admin ? [p.admin.root] : []),
  ]);
  /**
   * The folders the guard looks at: those holding a file the run changes (uncommitted work in
   * a folder it does not touch is in no danger, and stays out of the way of a run that only
   * re-converts the admin, say); every folder to convert while no change is known (a refusal).
   */
  const guardedFolders = (changed: readonly string[]) => {
    const holding = folders.filter((folder) =>
      changed.some((file) => isUnder(file, folder)),
    );
    return holding.length > 0 ? holding : folders;
  };
  const changedFiles = () =>
    records
      .filter((record) => record.status === "changed")
      .map((record) => record.file);
  // Which git repository holds each folder and file (a submodule is one of its own).
  const workTrees = new WorkTrees(root);
  let guard: Promise<string[]> | undefined;
  const startGuard = () => {
    if (
      (writes || options.guardDryRun) &&
      !options.allowDirty &&
      convertible.length > 0
    )
      if (!guard) {
        guard = uncommittedPaths(root, folders, { workTrees });
        // Read only when there is something to write: a git that fails fails only such a run.
        guard.catch(() => undefined);
      }
  };
  const assertClean = async () => {
    startGuard();
    const guarded = guardedFolders(changedFiles());
    const dirty = ((await guard) ?? []).filter((file) =>
      guarded.some((folder) => file === folder || isUnder(file, folder)),
    );
    if (dirty.length > 0) {
      // git commit and git stash at the root leave a submodule's files as they are.
      const nested = workTrees.nested(dirty);
      const there =
        nested.length > 0
          ? `, in ${nested.join(" and ")} for the files under ${nested.length === 1 ? "it" : "them"} (a git repository of its own)`
          : "";
      // Committing a .env git does not track would put its secrets in the history.
      const secrets = dirty.some((file) =>
        /^\.env(\..+)?$/.test(path.posix.basename(file)),
      )
        ? "; a .env that git does not track yet holds secrets: add it to .gitignore rather than commit it (apply keeps a copy of an ignored .env before changing it)"
        : "";
      throw new DirtyTreeError(
        `uncommitted changes in the folders to convert (${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ", ..." : ""}); ` +
          `commit them first${there} (or stash them: git stash --include-untracked) so the conversion can be reviewed and reverted, or pass --allow-dirty${secrets}`,
      );
    }
  };

  const staged = new StagedTree(disk);
  // one of each per run: both passes and the parse check share them
  const tools: RunTools = {
    config,
    auth0,
    root,
    formatter: new Formatter(root, options.prettierThread),
    parser: new SourceParser(),
    views: new SourceViews(),
  };
  let records: RuleRecord[] = [];
  // A file refused names the rule that changes it, where one rule alone does.
  const naming = <T>(write: () => T): T => {
    try {
      return write();
    } catch (error) {
      throw error instanceof FileRefusal
        ? namingRule(error, ruleOf(records))
        : error;
    }
  };
  const styleOf = (file: string) => disk.styleOf(file);
  // apply, and its dry run, refuse a file the commit cannot write (see checkChanges below)
  const checksWrites = options.command === "apply" && !failing;
  /** What the commit's own checks refuse of the changes staged so far. */
  const refusedWrites = (): FileRefusal[] => {
    try {
      naming(() => checkChanges(root, staged.diff(), styleOf));
      return [];
    } catch (error) {
      if (!(error instanceof FileRefusal)) throw error;
      return refusalsOf(error);
    }
  };
  try {
    startGuard();
    const pass = await convert(staged, convertible, tools);
    records = pass.records;
    unreadable.push(...pass.unreadable);
    // Every refusal of the run at once: the files it cannot read, those the commit would refuse
    // of what was converted, and the rules' refusals.
    if (unreadable.length > 0 || pass.refusals.length > 0) {
      if (checksWrites) unreadable.push(...refusedWrites());
      throwConfigMismatches(configFile, unreadable, pass.refusals);
      throwRunRefusals(unreadable, pass.refusals);
    }
    await verify(records, staged, services, tools);
  } catch (error) {
    await assertClean();
    throw error;
  }
  // A new file gets the line ends most files of its service have ("\r\n" in a Windows checkout),
  // as each file that exists keeps its own: git then shows no line-end change.
  const changes: FileChange[] = staged
    .diff()
    .map((change) =>
      change.before === undefined &&
      change.after !== undefined &&
      disk.mostlyCrlf(serviceFolderOf(change.file, folders))
        ? { ...change, crlf: true }
        : change,
    );
  // The guard protects uncommitted work from being overwritten: with nothing to write there
  // is nothing to protect, and a converted app with an untracked file stays green.
  if (changes.length > 0) await assertClean();
  // A check, or a dry run of what apply would write, says whether apply would refuse the same
  // folders as dirty (a dry run whose caller runs the guard itself has run it).
  const previews =
    options.command === "check" ||
    (options.command === "apply" &&
      options.dryRun &&
      !options.guardDryRun &&
      !options.allowDirty);
  const notes: string[] = [];
  // A preview only: where git cannot run, say so and let apply refuse.
  const uncommitted =
    previews && changes.length > 0
      ? await uncommittedPaths(
          root,
          guardedFolders(changes.map((change) => change.file)),
          { workTrees },
        ).catch((error: unknown) => {
          if (!(error instanceof GitUnavailableError)) throw error;
          notes.push(
            `${error.message.split("\n")[0]}; apply would refuse until it can`,
          );
          return [];
        })
      : [];
  // What the report reads besides the conversion is read before the commit: a file it cannot
  // read (a link leading outside, say) refuses a run that has written nothing yet.
  const security = securityNotes(config, auth0, profiles, disk);
  notes.push(...adminsLeftAlone(disk, services).map(adminLeftAlone));
  const rootFiles =
    convertible.length > 0 ? rootFilesWithJwtSettings(disk, convertible) : [];
  if (writes && changes.length > 0) options.beforeWrite?.(changes, workTrees);
  // apply, and its dry run, refuse a file the commit cannot write (read-only, not valid UTF-8, a
  // link leading outside the repository), each named with its fix; before the copies of
  // untracked originals are kept, so that a refused run keeps none (each such copy pushed an
  // older one, perhaps the only one left of an untracked .env, out of previous/).
  if (checksWrites) naming(() => checkChanges(root, changes, styleOf));
  if (writes && changes.length > 0) {
    const top = gitTopLevel(root) ?? null;
    // Changes only in repositories inside a root that is in none: git undoes them there.
    const outsideGit =
      !top &&
      workTrees
        .group(changes.map((change) => change.file))
        .some((group) => group.prefix === "");
    if (outsideGit)
      notes.push(
        dotGitAbove(root)
          ? `${root} is in a git repository, but git cannot be run there: files git does not track (a .env) are not copied to its folder before they change, and the conversion can be undone with git only once git runs`
          : `${root} is not in a git repository: this conversion cannot be undone with git (keep a copy of the folders, or run git init and commit first)`,
      );
    notes.push(
      ...keepUntrackedOriginals(root, changes, new Date(), { top, workTrees }),
    );
    naming(() => commit(root, changes, { io: options.commitFs, styleOf }));
  }
  if (options.command === "apply")
    for (const { file, commit, author, show } of editedAfterGeneration(
      root,
      changes
        .filter((change) => change.after === undefined)
        .map((change) => change.file),
      workTrees,
    ))
      notes.push(
        `${file}${writes ? " was deleted" : " would be deleted"}; it holds changes made after Amplication generated it (${commit}, by ${author}): if they matter, carry them over by hand (${show})`,
      );
  for (const { file, variables } of rootFiles)
    notes.push(
      `${file} at the repository's root still passes the local login's ${variables.join(" and ")}: the conversion changes only the service folders, and the converted server reads ${Object.values(SERVER_ENV_NAMES).join(" and ")} instead`,
    );
  return {
    command: options.command,
    dryRun: Boolean(options.dryRun),
    services: [...profiles, ...unlisted],
    records,
    changes,
    written: writes && changes.length > 0,
    security,
    uncommitted,
    notes,
  };
}

/** The rule that changes a file, where one rule alone does: a refusal of the file names it. */
function ruleOf(records: RuleRecord[]): (file: string) => string | undefined {
  return (file) => {
    const rules = new Set(
      records
        .filter((r) => r.file === file && r.status === "changed")
        .map((r) => r.rule),
    );
    return rules.size === 1 ? [...rules][0] : undefined;
  };
}

/** The deepest of the service folders that holds `file` ("" for the repository's root). */
function serviceFolderOf(file: string, folders: readonly string[]): string {
  let found = "";
  for (const folder of folders) {
    if (isRepositoryRoot(folder)) continue;
    if (file.startsWith(`${folder}/`) && folder.length > found.length)
      found = folder;
  }
  return found;
}

/**
 * A service the config does not list, as the report shows it. It is never converted, so a file
 * of it the run cannot read (a link that leads outside the repository, say) is said, not
 * refused: it stops no run of the services the config lists.
 */
function detectUnlisted(
  disk: ReadTree,
  found: FoundService,
  config: Config,
): AppProfile {
  try {
    return detectService(disk, found, config);
  } catch (error) {
    if (!(error instanceof FileRefusal)) throw error;
    const problem = refusalsOf(error)
      .map((refusal) => `${refusal.file} ${refusal.reason}`)
      .join("; ");
    return {
      name: found.name,
      server: {
        root: found.server,
        auth: "unknown",
        findings: [problem],
        basicStrategyRegistered: false,
        secretsManager: false,
        converted: false,
      },
      listed: false,
      unsupported: problem,
    };
  }
}

/**
 * The docker-compose files and .env at the repository's root that still name the local login's
 * settings: written around the services by the user, or by Amplication in some 2021–2022 apps
 * (it now writes them in each server folder), they are left as they are, and a `docker compose
 * up` from there would start the converted server without its Auth0 settings. Only a warning:
 * a link that leads outside the repository is not read.
 */
function rootFilesWithJwtSettings(
  disk: ReadTree,
  services: AppProfile[],
): Array<{ file: string; variables: string[] }> {
  if (services.some((p) => isRepositoryRoot(p.server.root))) return []; // the rules' files
  return disk
    .list("")
    .filter(
      (name) =>
        /^(docker-compose[\w.-]*\.ya?ml|\.env)$/.test(name) &&
        !disk.outsideLink?.(name) &&
        !disk.loops?.(name), // a link that loops holds no settings
    )
    .map((file) => {
      const text = disk.read(file) ?? "";
      return {
        file,
        variables: JWT_VARIABLES.filter((variable) =>
          new RegExp(`\\b${variable}\\b`).test(text),
        ),
      };
    })
    .filter(({ variables }) => variables.length > 0);
}

/**
 * The checks on the result: every changed file parses, then a second pass changes nothing. The
 * parse check runs after the second pass (which parses some of the same texts, and the parse
 * check takes those answers, see reparseChanged), but its failure is reported first, as when
 * it ran first.
 */
async function verify(
  first: RuleRecord[],
  staged: StagedTree,
  services: ReturnType<typeof findServices>,
  tools: RunTools,
): Promise<void> {
  let second: RuleRecord[] = [];
  try {
    // Nothing changed, not even back and forth: the second pass would see the same files and
    // the same profiles as the first, and the rules are functions of those, so it would find
    // nothing.
    if (first.some((record) => record.status === "changed"))
      second = await secondPass(staged, services, tools);
  } finally {
    reparseChanged(staged, tools.parser); // its failure replaces the second pass's
  }
  assertSecondPassIsEmpty(second);
}

/** Idempotency at run time: detect again on the result and convert again. */
async function secondPass(
  staged: StagedTree,
  services: ReturnType<typeof findServices>,
  tools: RunTools,
): Promise<RuleRecord[]> {
  const again = new StagedTree(staged);
  const profiles = services
    .map((service) => detectService(staged, service, tools.config))
    .filter((p) => !p.unsupported);
  const pass = await convert(again, profiles, tools);
  throwRunRefusals(pass.unreadable, pass.refusals);
  return pass.records;
}

/** Nothing may change in the second pass. */
function assertSecondPassIsEmpty(records: RuleRecord[]): void {
  const unstable = records.filter((record) => record.status === "changed");
  if (unstable.length > 0) {
    throw new VerificationError(
      "a second conversion pass would change files again, so the rules are not idempotent on this app; nothing was written:\n" +
        unstable.map((r) => `  ${r.file}: rule ${r.rule}`).join("\n"),
    );
  }
}

/**
 * auth0.clientId may be left out of a config for servers alone; an admin the run converts
 * needs it (admin/env-auth0 writes it into its .env), which is a config problem, not a refusal.
 */
function assertClientIdIfNeeded(
  config: Config,
  configFile: string,
  convertible: readonly AppProfile[],
): void {
  if (config.auth0.clientId !== undefined) return;
  const admins = convertible.flatMap((profile) =>
    planService(profile, config).some(
      (step) => step.rule.id === "admin/env-auth0" && step.status === "run",
    )
      ? [profile.admin!.root]
      : [],
  );
  if (admins.length === 0) return;
  throw new ConfigError(configFile, [
    {
      path: "auth0.clientId",
      message: `required: the conversion writes it into the .env of ${admins.join(" and ")} (the Client ID of your Auth0 single-page application; \`amplication-auth0 provision\` creates one and fills it in)`,
    },
  ]);
}

/**
 * A run refused only for settings of the config that do not fit the app (RuleRefusal's
 * configProblems) fails as a bad config does: each setting with its JSON path, exit 2. With
 * any other refusal, they stay refusals among the others.
 */
function throwConfigMismatches(
  configFile: string,
  unreadable: readonly FileRefusal[],
  refusals: readonly RuleRefusal[],
): void {
  if (
    unreadable.length > 0 ||
    refusals.length === 0 ||
    refusals.some((refusal) => refusal.configProblems.length === 0)
  )
    return;
  const problems = new Map<string, ConfigMismatch>();
  for (const problem of refusals.flatMap((refusal) => refusal.configProblems))
    problems.set(`${problem.path}\n${problem.message}`, problem);
  throw new ConfigError(configFile, [...problems.values()]);
}
