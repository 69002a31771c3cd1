import * as path from "node:path";
import type { ASTNode } from "jscodeshift";

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
    const { module, options } = babelSetup(name);
    const babel = require(module) as {
      parse(source: string, options: object): ASTNode;
    };
    parsers.set(
      name,
      (parser = { parse: (source) => babel.parse(source, options) }),
    );
  }
  return parser;
}

/**
 * What babelParserFor parses with, as data (for a worker thread): the path of jscodeshift's
 * Babel and the options for the parser name.
 */
export function babelSetup(name: "ts" | "tsx"): {
  module: string;
  options: { plugins: unknown[]; [option: string]: unknown };
} {
  const jscodeshift = path.dirname(require.resolve("jscodeshift/package.json"));
  const shared = require("jscodeshift/parser/tsOptions") as {
    plugins: unknown[];
  };
  return {
    module: require.resolve("@babel/parser", { paths: [jscodeshift] }),
    options: {
      ...shared,
      tokens: false,
      plugins: name === "tsx" ? ["jsx", ...shared.plugins] : shared.plugins,
    },
  };
}
