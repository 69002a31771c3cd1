/**
 * One conversion pass over a staged tree: every rule of the plan on every file it targets, then
 * Prettier on what transforms rewrote. The engine runs it twice; the second pass must be empty.
 * A refused file does not stop the pass: the other rules (and services) still run, and the pass
 * returns every refusal with its records, so one run reports them all. So does a file a rule
 * could not read (a link that leads outside the repository, say).
 */
import * as path from "node:path";
import type { Config } from "../config/schema";
import type { ResolvedAuth0 } from "../config/resolve";
import type { AppProfile } from "../detect/detect";
import { Formatter, isFormatted, keepsFormat } from "../format/format";
import { planService, type PlanStep } from "../plan/plan";
import { runRule, type RuleResult } from "../plan/run-rule";
import { FileRefusal, refusalsOf } from "../tree/file-error";
import type { StagedTree } from "../tree/staged-tree";
import type { SourceParser } from "../../transforms/lib/parser";
import {
  SourceSearch,
  type SourceViews,
} from "../../transforms/lib/source-files";
import { RuleRefusal } from "../../transforms/lib/refusal";

export type RuleStatus = "changed" | "unchanged" | "skipped" | "off";

export interface RuleRecord {
  service: string;
  rule: string;
  /** Repository-relative path; empty when the rule did not get as far as a file. */
  file: string;
  status: RuleStatus;
  reason?: string;
}

/** What the passes of a run share. */
export interface RunTools {
  config: Config;
  auth0: ResolvedAuth0;
  /** The repository on disk: where each file's Prettier config is looked up. */
  root: string;
  formatter: Formatter;
  parser: SourceParser;
  /** What the source search learned of each tree, for the rules after (both passes). */
  views: SourceViews;
}

/** What a pass made: a record per rule and file, and what it refused. */
export interface Pass {
  records: RuleRecord[];
  /** The files a rule could not read (a link that leads outside the repository, say). */
  unreadable: FileRefusal[];
  /** The rules' refusals: a file without the shape its rule expects. */
  refusals: RuleRefusal[];
}

export async function convert(
  tree: StagedTree,
  profiles: AppProfile[],
  { config, auth0, root: diskRoot, formatter, parser, views }: RunTools,
): Promise<Pass> {
  const pass: Pass = { records: [], unreadable: [], refusals: [] };
  const sources = new SourceSearch(tree, views);
  /** Writes whose Prettier output is still being made: their record says so once it is. */
  const later: Array<{
    record: RuleRecord;
    before?: string;
    after: () => string;
  }> = [];
  for (const profile of profiles) {
    if (profile.unsupported) continue;
    const context = { config, auth0, profile, tree, parser, sources };
    const steps = planService(profile, config);
    // Each step's own part of the pass, so that they come out in the table's order whatever
    // the order the steps ran in.
    const outcomes = steps.map((): Pass => ({
      records: [],
      unreadable: [],
      refusals: [],
    }));
    for (const index of runOrder(steps)) {
      const step = steps[index];
      const { records, refusals, unreadable } = outcomes[index];
      if (step.status !== "run") {
        records.push({
          service: profile.name,
          rule: step.rule.id,
          file: "",
          status: step.status,
          reason: step.reason,
        });
        continue;
      }
      for (const file of step.files) {
        let before: string | undefined;
        let result: RuleResult;
        try {
          before = tree.read(file);
          result = runRule(step.rule, file, before, context);
        } catch (error) {
          if (error instanceof RuleRefusal) refusals.push(error);
          else if (error instanceof FileRefusal)
            unreadable.push(...refusalsOf(error));
          else throw error;
          continue;
        }
        let after = result.output;
        if (typeof after === "string" && isFormatted(file)) {
          const absolute = path.join(diskRoot, file);
          // A splice into the file (transforms/lib/splice.ts) left every other byte as it was.
          const splice = result.splice;
          if (!splice || !(await keepsFormat(splice, absolute, diskRoot))) {
            // On Prettier's thread, the next rules run while it formats (StagedTree.writeLater).
            const formatted = await formatter.formatLater(after, absolute);
            if (formatted) {
              tree.writeLater(file, formatted);
              const record: RuleRecord = {
                service: profile.name,
                rule: step.rule.id,
                file,
                status: "changed",
              };
              records.push(record);
              later.push({ record, before, after: formatted });
              continue;
            }
            after = await formatter.format(after, absolute);
          }
        }
        if (before === undefined && (after === undefined || after === null)) {
          records.push({
            service: profile.name,
            rule: step.rule.id,
            file,
            status: "skipped",
            reason: "no such file",
          });
          continue;
        }
        if (after === undefined || after === before) {
          records.push({
            service: profile.name,
            rule: step.rule.id,
            file,
            status: "unchanged",
          });
          continue;
        }
        if (after === null) tree.delete(file);
        else tree.write(file, after);
        records.push({
          service: profile.name,
          rule: step.rule.id,
          file,
          status: "changed",
        });
      }
    }
    for (const outcome of outcomes) {
      pass.records.push(...outcome.records);
      pass.unreadable.push(...outcome.unreadable);
      pass.refusals.push(...outcome.refusals);
    }
  }
  // As written at once: unchanged where Prettier gave back the text the rule was given.
  for (const { record, before, after } of later)
    if (after() === before) record.status = "unchanged";
  return pass;
}

/**
 * The order a service's steps run in: the table's, except that the rules that search the
 * app's sources (Rule.searches: deletions, unused dependencies and variables) run after all the
 * others. A search reads the files the rules before it wrote, whose Prettier output may still
 * be in the making on Prettier's thread: the rules that do not search (the admin's, with its
 * 400 KB App.tsx at 1,000 entities) run meanwhile instead of waiting for it. The table keeps
 * the two apart (src/plan/rules.ts), so every output is the table order's; the whole-app
 * fixtures hold it to that too.
 */
export function runOrder(steps: readonly PlanStep[]): number[] {
  const indexes = steps.map((_, index) => index);
  const searches = (index: number) => Boolean(steps[index].rule.searches);
  return [
    ...indexes.filter((index) => !searches(index)),
    ...indexes.filter(searches),
  ];
}
