/**
 * The contract of a rule. The ruleset itself is data: see rules.ts.
 */
import type { Transform } from "jscodeshift";
import type { Config } from "../config/schema";
import type { ResolvedAuth0 } from "../config/resolve";
import type { AppProfile } from "../detect/detect";
import type { ReadTree } from "../tree/read-tree";
import type { SourceParser } from "../../transforms/lib/parser";
import type { SourceSearch } from "../../transforms/lib/source-files";

export type RuleTarget = "server" | "admin";

/** What every rule gets besides the file: the validated config and the service it works on. */
export interface RuleContext {
  config: Config;
  auth0: ResolvedAuth0;
  profile: AppProfile;
  /**
   * The repository as the run has changed it so far (profile roots are relative to it), for
   * rules that must look at other files, e.g. who still imports a file before deleting it.
   */
  tree: ReadTree;
  /** The run's TypeScript parser (remembers what parsed fine, for the parse check). */
  parser: SourceParser;
  /** The sources of `tree`, searched (transforms/lib/source-files.ts) with the run's kept views. */
  sources: SourceSearch;
}

/**
 * A whole-file edit for files that are not TypeScript (package.json, .env) or that are created
 * or deleted. Returns the new content, `null` to delete the file, or `undefined` for no change.
 */
export type FileEdit = (
  source: string | undefined,
  context: RuleContext,
  file: string,
) => string | null | undefined;

export type RuleOperation =
  /** A jscodeshift transform `(file, api, options)`; options.context carries the RuleContext. */
  | { kind: "transform"; load: () => Transform }
  | { kind: "edit"; load: () => FileEdit };

export interface Rule {
  id: string;
  target: RuleTarget;
  description: string;
  /** Files relative to the target's root. */
  files: readonly string[];
  /**
   * Strings the rule looks for in every source file of its target, through
   * transforms/lib/source-files.ts (sourcesMentioning, and importersOf, which looks for the
   * module's name): the engine has them all searched in one pass over each folder.
   */
  searches?: readonly string[];
  /**
   * Rules whose work this one's output relies on: when one of them is turned off, so is this
   * one (AuthModule must keep providing AuthService while auth.service.ts stays).
   */
  needs?: readonly string[];
  operation: RuleOperation;
}
