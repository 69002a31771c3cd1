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
 * The parser `api.jscodeshift.withParser(pickParser(file))` hands to recast (Babel, with
 * jscodeshift's options), without recast around it: the same syntax is accepted and the same
 * tree comes back, minus what recast adds for reprinting (token copies, attached comments;
 * recast also expands leading tabs before parsing, which changes no node type or name).
 * Throws on a syntax error, as recast does.
 */
export function babelParserFor(file: string): Parser {
  const name = pickParser(file);
  let parser = parsers.get(name);
  if (!parser) {
    const make = require(`jscodeshift/parser/${name}`) as () => Parser;
    parsers.set(name, (parser = make()));
  }
  return parser;
}
