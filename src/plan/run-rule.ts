/**
 * Runs one rule on one file's content. The engine, the jscodeshift router and the fixture tests
 * all go through here, so they cannot disagree about what a rule does.
 */
import type { API, Transform } from "jscodeshift";
import { syntaxErrorOf } from "../../transforms/lib/parser";
import { Refusal, UnreadableText } from "../../transforms/lib/refusal";
import type { Rule, RuleContext } from "./rule";

type JSCodeshift = typeof import("jscodeshift");
let jscodeshift: JSCodeshift | undefined;

export function transformApi(): API {
  jscodeshift ??= (
    require("../../transforms/lib/jscodeshift-core") as typeof import("../../transforms/lib/jscodeshift-core")
  ).jscodeshift;
  return {
    jscodeshift,
    j: jscodeshift,
    stats: () => undefined,
    report: () => undefined,
  };
}

/**
 * New content, `null` for a deletion, or `undefined` when the rule leaves the file as it is.
 * A rule's Refusal comes out as a RuleRefusal with the rule's id and the file; a file the rule
 * cannot parse is the rule's refusal, with the line and column.
 */
export function runRule(
  rule: Rule,
  file: string,
  source: string | undefined,
  context: RuleContext,
): string | null | undefined {
  try {
    return runOperation(rule, file, source, context);
  } catch (error) {
    if (error instanceof UnreadableText) throw error.refusal(rule.id, file);
    // jscodeshift's parser throws a bare SyntaxError with neither file nor rule, and a text
    // edit's shape check fails (refuses) on a file that does not parse: either way, the syntax
    // error is what to fix first.
    const unparsable =
      source !== undefined && /\.tsx?$/.test(file)
        ? syntaxErrorOf(file, source)
        : undefined;
    if (unparsable) throw unparsable.refusal(rule.id, file);
    if (error instanceof Refusal) throw error.of(rule.id, file);
    throw error;
  }
}

function runOperation(
  rule: Rule,
  file: string,
  source: string | undefined,
  context: RuleContext,
): string | null | undefined {
  if (rule.operation.kind === "edit") {
    const output = rule.operation.load()(source, context, file);
    // A text edit of TypeScript must not carry a user's syntax error into the result.
    if (
      typeof output === "string" &&
      source !== undefined &&
      /\.tsx?$/.test(file)
    ) {
      const unparsable = syntaxErrorOf(file, source);
      if (unparsable) throw unparsable;
    }
    return output;
  }
  if (source === undefined) return undefined; // transforms only rewrite files that exist
  const transform: Transform = rule.operation.load();
  const output = transform({ path: file, source }, transformApi(), { context });
  if (typeof output !== "string" || output === "" || output === source)
    return undefined;
  return output;
}
