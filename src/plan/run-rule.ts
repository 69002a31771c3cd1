/**
 * Runs one rule on one file's content. The engine, the jscodeshift router and the fixture tests
 * all go through here, so they cannot disagree about what a rule does.
 */
import type { API, Transform } from "jscodeshift";
import type { Rule, RuleContext } from "./rule";

type JSCodeshift = typeof import("jscodeshift");
let jscodeshift: JSCodeshift | undefined;

export function transformApi(): API {
  jscodeshift ??= require("jscodeshift") as JSCodeshift;
  return {
    jscodeshift,
    j: jscodeshift,
    stats: () => undefined,
    report: () => undefined,
  };
}

/** New content, `null` for a deletion, or `undefined` when the rule leaves the file as it is. */
export function runRule(
  rule: Rule,
  file: string,
  source: string | undefined,
  context: RuleContext,
): string | null | undefined {
  if (rule.operation.kind === "edit")
    return rule.operation.load()(source, context, file);
  if (source === undefined) return undefined; // transforms only rewrite files that exist
  const transform: Transform = rule.operation.load();
  const output = transform({ path: file, source }, transformApi(), { context });
  if (typeof output !== "string" || output === "" || output === source)
    return undefined;
  return output;
}
