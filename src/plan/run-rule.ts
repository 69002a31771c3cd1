/**
 * Runs one rule on one file's content. The engine, the jscodeshift router and the fixture tests
 * all go through here, so they cannot disagree about what a rule does.
 */
import type { API, Transform } from "jscodeshift";
import { Refusal, UnreadableText } from "../../transforms/lib/refusal";
import type { Splice } from "../../transforms/lib/splice";
import type { Rule, RuleContext } from "./rule";

/** What a rule made of a file: its output, and the splice that made it, if one did. */
export interface RuleResult {
  /** New content, `null` for a deletion, or `undefined` when the rule leaves the file as it is. */
  output: string | null | undefined;
  /** Set when a transform wrote `output` as a text splice (transforms/lib/splice.ts). */
  splice?: Splice;
}

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
 * What the rule makes of one file (see RuleResult). A rule's Refusal comes out as a
 * RuleRefusal with the rule's id and the file; a file the rule cannot parse is the rule's
 * refusal, with the line and column.
 */
export function runRule(
  rule: Rule,
  file: string,
  source: string | undefined,
  context: RuleContext,
): RuleResult {
  try {
    return runOperation(rule, file, source, context);
  } catch (error) {
    if (error instanceof UnreadableText) throw error.refusal(rule.id, file);
    // jscodeshift's parser throws a bare SyntaxError with neither file nor rule, and a text
    // edit's shape check fails (refuses) on a file that does not parse: either way, the syntax
    // error is what to fix first.
    const unparsable =
      source !== undefined && /\.tsx?$/.test(file)
        ? context.parser.syntaxErrorOf(file, source)
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
): RuleResult {
  if (rule.operation.kind === "edit") {
    const output = rule.operation.load()(source, context, file);
    // A text edit of TypeScript must not carry a user's syntax error into the result (an edit
    // that changed nothing carries nothing: the second pass gives back every file unchanged).
    if (
      typeof output === "string" &&
      source !== undefined &&
      output !== source &&
      /\.tsx?$/.test(file)
    ) {
      const unparsable = context.parser.syntaxErrorOf(file, source);
      if (unparsable) throw unparsable;
    }
    return { output };
  }
  // transforms only rewrite files that exist
  if (source === undefined) return { output: undefined };
  const transform: Transform = rule.operation.load();
  let splice: Splice | undefined;
  const output = transform({ path: file, source }, transformApi(), {
    context,
    recordSplice: (made: Splice) => (splice = made),
  });
  if (typeof output !== "string" || output === "" || output === source)
    return { output: undefined };
  // the splice counts only if it made what the transform returned
  return splice?.output === output ? { output, splice } : { output };
}
