/**
 * Runs one rule on one file's content. The engine, the jscodeshift router and the fixture tests
 * all go through here, so they cannot disagree about what a rule does.
 */
import type { API, Transform } from "jscodeshift";
import type { Rule, RuleContext } from "./rule";

type JSCodeshift = typeof import("jscodeshift");
let jscodeshift: JSCodeshift | undefined;

/**
 * Sources that parsed without an error, by parser name, through `withParser(name)(source)` of
 * transformApi() while a log is open (see withParseLog). Each entry is a fact about the parser
 * and the text alone, so the verification can skip a text the second pass already parsed.
 */
export class ParseLog {
  private readonly parsed = new Map<string, Set<string>>();

  add(parser: string, source: string): void {
    let sources = this.parsed.get(parser);
    if (!sources) this.parsed.set(parser, (sources = new Set()));
    sources.add(source);
  }

  has(parser: string, source: string): boolean {
    return this.parsed.get(parser)?.has(source) ?? false;
  }
}

const openLogs = new Set<ParseLog>();

/** Runs body with log open: every successful `withParser(name)(source)` parse is added to it. */
export async function withParseLog<T>(
  log: ParseLog,
  body: () => Promise<T>,
): Promise<T> {
  openLogs.add(log);
  try {
    return await body();
  } finally {
    openLogs.delete(log);
  }
}

/**
 * jscodeshift as the rules get it: the same object, except that `withParser(name)` returns a
 * core that, when a log is open, notes the sources it parsed (the call itself is unchanged).
 */
let logging: JSCodeshift | undefined;

function loggingJscodeshift(j: JSCodeshift): JSCodeshift {
  const withParser = (parser: Parameters<JSCodeshift["withParser"]>[0]) => {
    const core = j.withParser(parser);
    if (typeof parser !== "string") return core;
    return new Proxy(core, {
      apply(target, thisArg, args: unknown[]) {
        const result = Reflect.apply(target, thisArg, args);
        if (
          openLogs.size > 0 &&
          args.length === 1 &&
          typeof args[0] === "string"
        ) {
          for (const log of openLogs) log.add(parser, args[0]);
        }
        return result;
      },
    });
  };
  return new Proxy(j, {
    get(target, property, receiver) {
      if (property === "withParser") return withParser;
      return Reflect.get(target, property, receiver);
    },
  });
}

export function transformApi(): API {
  jscodeshift ??= require("jscodeshift") as JSCodeshift;
  logging ??= loggingJscodeshift(jscodeshift);
  return {
    jscodeshift: logging,
    j: logging,
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
