import type { ASTNode } from "jscodeshift";
import { UnreadableText } from "./refusal";

/** jscodeshift parser per file: `tsx` cannot parse `<T>x` casts and `ts` cannot parse JSX. */
export function pickParser(file: string): "ts" | "tsx" {
  return file.endsWith(".tsx") ? "tsx" : "ts";
}

interface Parser {
  /** A Babel `File` node; every node has offsets (`start`, `end`) into the parsed text. */
  parse(source: string): ASTNode;
}

const parsers = new Map<string, Parser>();

/**
 * The latest texts each parser parsed without error. Babel is a pure function of the text and
 * the options, so a check that only needs to know whether a text parses (src/verify/verify.ts)
 * takes the answer from here instead of parsing 400 KB again; bounded, so a long-lived process
 * (the tests) does not keep every text it ever parsed.
 */
const parsedFine = new Map<string, string[]>();
const PARSED_KEPT = 8;

/** Whether babelParserFor(file).parse(text) has just succeeded for this very text. */
export function parsedWithoutError(file: string, text: string): boolean {
  return parsedFine.get(pickParser(file))?.includes(text) ?? false;
}

/**
 * The parser `api.jscodeshift.withParser(pickParser(file))` hands to recast: Babel, from
 * jscodeshift's own dependency, with jscodeshift's options for the extension (its
 * parser/ts.js and parser/tsx.js), except `tokens`: the token list is for recast's
 * reprinting, and collecting it changes neither the tree nor what parses. Without recast
 * around it, the same tree comes back minus what recast adds for reprinting (token copies,
 * attached comments; recast also expands leading tabs before parsing, which changes no node
 * type or name). Throws on a syntax error, as recast does.
 */
export function babelParserFor(file: string): Parser {
  const name = pickParser(file);
  let parser = parsers.get(name);
  if (!parser) {
    const { babel, options } = babelSetup(name);
    const fine: string[] = [];
    parsedFine.set(name, fine);
    parsers.set(
      name,
      (parser = {
        parse: (source) => {
          const ast = babel.parse(source, options);
          if (!fine.includes(source)) {
            fine.push(source);
            if (fine.length > PARSED_KEPT) fine.shift();
          }
          return ast;
        },
      }),
    );
  }
  return parser;
}

/**
 * Why `source` does not parse as the rules parse `file`, or undefined when it parses. For a
 * transform that threw: a syntax error of the file itself is the user's to fix (a refusal with
 * the line and column), while one in a text the rule built is ours.
 */
export function syntaxErrorOf(
  file: string,
  source: string,
): UnreadableText | undefined {
  try {
    babelParserFor(file).parse(source);
    return undefined;
  } catch (error) {
    const { loc, message } = error as {
      loc?: { line: number; column: number };
      message: string;
    };
    if (!loc) throw error;
    return new UnreadableText(
      file.endsWith(".tsx") ? "TypeScript (TSX)" : "TypeScript",
      loc.line,
      loc.column + 1, // Babel counts columns from 0
      message.replace(/\s*\(\d+:\d+\)$/, ""),
    );
  }
}

/** What babelParserFor parses with: jscodeshift's Babel and its options for the extension. */
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
      plugins:
        name === "tsx"
          ? ["jsx", ...babelTsOptions.plugins]
          : [...babelTsOptions.plugins],
    },
  };
}
