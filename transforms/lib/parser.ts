import type { ASTNode } from "jscodeshift";
import { type TextError, UnreadableText } from "./refusal";

/** jscodeshift parser per file: `tsx` cannot parse `<T>x` casts and `ts` cannot parse JSX. */
export function pickParser(file: string): "ts" | "tsx" {
  return file.endsWith(".tsx") ? "tsx" : "ts";
}

/** Babel and its options per parser name: set up once, never changed. */
const setups = new Map<"ts" | "tsx", ReturnType<typeof babelSetup>>();

/**
 * The parser `api.jscodeshift.withParser(pickParser(file))` hands to recast: Babel, from
 * jscodeshift's own dependency, with jscodeshift's options for the extension (its
 * parser/ts.js and parser/tsx.js), except `tokens` and `attachComment`: the token list and the
 * comments attached to nodes are for recast's reprinting, and leaving them out changes neither
 * the nodes nor what parses (the file's `comments` list stays). Without recast around it, the
 * same tree comes back minus what recast adds for reprinting (token copies, attached comments;
 * recast also expands leading tabs before parsing, which changes no node type or name): the
 * readers of this tree skip every comment key. Leaving the comments unattached takes 40% off
 * parsing the 400 KB App.tsx of a 1,000-entity app (70 ms to 40 ms, warm). Throws on a syntax
 * error, as recast does.
 *
 * One per run (RuleContext.parser): it remembers the latest texts it parsed without error.
 * Babel is a pure function of the text and the options, so a check that only needs to know
 * whether a text parses (src/verify/verify.ts) takes the answer from here instead of parsing
 * 400 KB again; bounded, so a long run does not keep every text it parsed.
 */
export class SourceParser {
  private readonly fine = new Map<"ts" | "tsx", string[]>();

  /** Parses `source` as the rules parse `file`. */
  parse(file: string, source: string): ASTNode {
    const name = pickParser(file);
    let setup = setups.get(name);
    if (!setup) setups.set(name, (setup = babelSetup(name)));
    const ast = setup.babel.parse(source, setup.options);
    let fine = this.fine.get(name);
    if (!fine) this.fine.set(name, (fine = []));
    if (!fine.includes(source)) {
      fine.push(source);
      if (fine.length > PARSED_KEPT) fine.shift();
    }
    return ast;
  }

  /**
   * parse(file, source) for a caller that only reads the tree: the latest such tree is kept,
   * so two rules reading the same text (App.tsx's two rules in the second pass, 400 KB at
   * 1,000 entities) parse it once. A caller that changes the tree must call parse instead.
   */
  readTree(file: string, source: string): ASTNode {
    const kept = this.lastRead;
    if (kept && kept.source === source && kept.parser === pickParser(file))
      return kept.ast;
    const ast = this.parse(file, source);
    this.lastRead = { parser: pickParser(file), source, ast };
    return ast;
  }

  private lastRead?: { parser: "ts" | "tsx"; source: string; ast: ASTNode };

  /** Whether parse(file, text) has just succeeded for this very text. */
  parsedWithoutError(file: string, text: string): boolean {
    return this.fine.get(pickParser(file))?.includes(text) ?? false;
  }

  /**
   * Why `source` does not parse as the rules parse `file`, or undefined when it parses. For a
   * transform that threw: a syntax error of the file itself is the user's to fix (a refusal
   * with the line and column), while one in a text the rule built is ours.
   */
  syntaxErrorOf(file: string, source: string): UnreadableText | undefined {
    try {
      this.parse(file, source);
      return undefined;
    } catch (error) {
      const first = textError(error);
      if (!first) throw error;
      const more = this.errorsAfter(file, source, first);
      return new UnreadableText(
        file.endsWith(".tsx") ? "TypeScript (TSX)" : "TypeScript",
        first.line,
        first.column,
        first.problem,
        undefined,
        more,
      ).explainedBy(source);
    }
  }

  /**
   * The syntax errors after `first`, so that a file with several is corrected in one go: Babel
   * with errorRecovery goes on past those it can (a name declared twice, say), and stops at
   * the first it cannot, which is then the last one named.
   */
  private errorsAfter(
    file: string,
    source: string,
    first: TextError,
  ): TextError[] {
    const setup = setups.get(pickParser(file))!;
    const found: TextError[] = [];
    try {
      const ast = setup.babel.parse(source, {
        ...setup.options,
        errorRecovery: true,
      }) as { errors?: unknown[] };
      for (const error of ast.errors ?? []) {
        const located = textError(error);
        if (located) found.push(located);
      }
    } catch (error) {
      const located = textError(error);
      if (located) found.push(located);
    }
    const after = (error: TextError) =>
      error.line > first.line ||
      (error.line === first.line && error.column > first.column);
    return found
      .filter(after)
      .filter(
        (error, i, all) =>
          i === 0 ||
          error.line !== all[i - 1].line ||
          error.column !== all[i - 1].column,
      );
  }
}

/** A Babel syntax error's place (1-based, as editors count) and message; undefined for another error. */
function textError(error: unknown): TextError | undefined {
  const { loc, message } = error as {
    loc?: { line: number; column: number };
    message?: string;
  };
  if (!loc || typeof message !== "string") return undefined;
  return {
    line: loc.line,
    column: loc.column + 1, // Babel counts columns from 0
    problem: message.replace(/\s*\(\d+:\d+\)$/, ""),
  };
}

const PARSED_KEPT = 8;

/**
 * The run's parser, for a transform: the one in options.context (the engine's), else one of
 * its own (a transform called by itself, as in the tests).
 */
export function transformParser(options: unknown): SourceParser {
  return (
    (options as { context?: { parser?: SourceParser } } | undefined)?.context
      ?.parser ?? new SourceParser()
  );
}

/** What SourceParser parses with: jscodeshift's Babel and its options for the extension. */
function babelSetup(name: "ts" | "tsx"): {
  babel: { parse(source: string, options: object): ASTNode };
  options: { plugins: unknown[]; [option: string]: unknown };
} {
  const { babelParser, babelTsOptions } =
    require("./jscodeshift-core") as typeof import("./jscodeshift-core");
  return {
    babel: babelParser as { parse(source: string, options: object): ASTNode },
    options: {
      ...babelTsOptions,
      tokens: false,
      attachComment: false,
      plugins:
        name === "tsx"
          ? ["jsx", ...babelTsOptions.plugins]
          : [...babelTsOptions.plugins],
    },
  };
}
