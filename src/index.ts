/**
 * The programmatic API (the package's `main`): what the `apply` and `check` commands do, for
 * scripts and other tools. Both resolve to the run's result and reject with the errors below
 * (a refused file, a bad config, ...); nothing is written unless `apply` resolves.
 */
import { run, type RunResult } from "./engine/run";

export interface CheckOptions {
  /** Repository root. */
  root: string;
  /** Config file; default <root>/auth0.config.json. */
  configFile?: string;
}

export interface ApplyOptions extends CheckOptions {
  /** Compute the changes (RunResult.changes) and write nothing. */
  dryRun?: boolean;
  /** Write even when the folders to convert have uncommitted changes. */
  allowDirty?: boolean;
}

/** Converts every service of the repository: writes every change or none. */
export function apply(options: ApplyOptions): Promise<RunResult> {
  const { root, configFile, dryRun, allowDirty } = options;
  return run({ root, configFile, dryRun, allowDirty, command: "apply" });
}

/** What `apply` would change, written nowhere: `changes` is empty when nothing is pending. */
export function check(options: CheckOptions): Promise<RunResult> {
  return run({
    root: options.root,
    configFile: options.configFile,
    command: "check",
  });
}

export type { RunResult };
export type { FileChange } from "./commit/commit";
export type { RuleRecord, RuleStatus } from "./engine/convert";
export type { AppProfile } from "./detect/detect";
export type { Config, ConfigInput } from "./config/schema";
export type { Rule, RuleTarget } from "./plan/rule";
export { RULES, type RuleId } from "./plan/rules";
export { exitCodeOf } from "./report/report";
export {
  ConfigError,
  DEFAULT_CONFIG_FILE,
  type ConfigProblem,
} from "./config/load";
export { DetectionError } from "./detect/detect";
export { DirtyTreeError } from "./commit/git";
export { CommitError } from "./commit/commit";
export { BusyError } from "./commit/journal";
export { FileRefusal } from "./tree/file-error";
export { VerificationError } from "./verify/verify";
export { RuleRefusal } from "../transforms/lib/refusal";
export { RunRefusals } from "./engine/refusals";
