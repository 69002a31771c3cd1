/**
 * The parts of jscodeshift the rules run on: its core (the `j` API over recast), the Babel
 * parser it parses TypeScript with, and its options for that parser.
 *
 * In the package, the build replaces this file's output with one bundle of the three
 * (scripts/bundle-core.ts), and jscodeshift is not a dependency: what jscodeshift itself
 * depends on (Babel's compiler, presets and register, flow-parser, browserslist) serves its
 * command line, not its core, and was over half of the tool's install (issue 18). From the
 * sources (the tests) this file loads the devDependency.
 */
import type { JSCodeshift } from "jscodeshift";

interface BabelParser {
  parse(source: string, options: object): unknown;
}

export const jscodeshift = require("jscodeshift") as JSCodeshift;

/** jscodeshift's Babel (its parser/ts.js and parser/tsx.js require this very module). */
export const babelParser = require("@babel/parser") as BabelParser;

/** The options jscodeshift's `ts` and `tsx` parsers give Babel. */
export const babelTsOptions =
  require("jscodeshift/parser/tsOptions") as Readonly<{
    plugins: readonly unknown[];
    [option: string]: unknown;
  }>;
