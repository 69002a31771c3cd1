/**
 * transforms/lib/parser.ts: the checks that parse without recast (the parse check of
 * src/verify, admin/app-auth-provider) must accept and refuse what the rules' parser does
 * (recast around jscodeshift's Babel parser) and see the same tree.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transformApi } from "../src/plan/run-rule";
import { pickParser, SourceParser } from "../transforms/lib/parser";

const ROOT = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** jscodeshift's parser for the file, with its own options (tokens included). */
function jscodeshiftBabel(file: string): { parse(source: string): unknown } {
  const make = require(`jscodeshift/parser/${pickParser(file)}`) as () => {
    parse(source: string): unknown;
  };
  return make();
}

function outcome(parse: () => unknown): string {
  try {
    parse();
    return "parses";
  } catch (error) {
    return `fails: ${(error as Error).message}`;
  }
}

/**
 * The tree as JSON, without the token list and the comments attached to nodes, which the
 * SourceParser leaves out (its readers skip every comment key); the file's list of comments
 * is compared.
 */
function shape(ast: unknown): string {
  return JSON.stringify(ast, (key, value) =>
    key === "tokens" ||
    key === "leadingComments" ||
    key === "trailingComments" ||
    key === "innerComments"
      ? undefined
      : value,
  );
}

const FILES = [
  ...sources(path.join(ROOT, "fixtures")),
  ...sources(path.join(ROOT, "__testfixtures__")),
];

/**
 * The files with a text and parser of their own, each with how many other files have the same
 * text and parser: the whole-app fixtures hold most sources several times (input, expected,
 * other apps of the same era), and the same text parses the same way wherever it lies.
 */
function distinctSources(files: string[]): Array<[string, number]> {
  const first = new Map<string, { file: string; copies: number }>();
  for (const file of files) {
    const key = `${pickParser(file)}\0${fs.readFileSync(file, "utf8")}`;
    const seen = first.get(key);
    if (seen) seen.copies += 1;
    else first.set(key, { file: path.relative(ROOT, file), copies: 0 });
  }
  return [...first.values()].map(({ file, copies }) => [file, copies]);
}

const BROKEN: Array<[string, string]> = [
  ["redeclared.ts", "export const sub = 1;\nexport const sub = 2;\n"],
  ["jsx-in-ts.ts", "const a = <div />;\n"],
  ["cast-in-tsx.tsx", "const a = <string>b;\n"],
  ["unclosed.tsx", "const a = () => {\n"],
  ["type-in-tsx.tsx", "const a: = 1;\n"],
];

describe("SourceParser", () => {
  const parser = new SourceParser();

  it("has files to compare", () => {
    expect(FILES.length).toBeGreaterThan(100);
  });

  it.each(distinctSources(FILES))(
    "%s (and %i identical files): parses as the rules' parser does, to the same tree",
    (relative) => {
      const source = fs.readFileSync(path.join(ROOT, relative), "utf8");
      const j = transformApi().jscodeshift.withParser(pickParser(relative));
      const mine = outcome(() => parser.parse(relative, source));
      expect(mine).toBe(outcome(() => j(source)));
      if (mine === "parses") {
        expect(shape(parser.parse(relative, source))).toBe(
          shape(jscodeshiftBabel(relative).parse(source)),
        );
      }
    },
  );

  it.each(BROKEN)(
    "%s: fails as the rules' parser does, with its message",
    (file, source) => {
      const j = transformApi().jscodeshift.withParser(pickParser(file));
      const mine = outcome(() => parser.parse(file, source));
      expect(mine).toMatch(/^fails: /);
      expect(mine).toBe(outcome(() => j(source)));
    },
  );
});
