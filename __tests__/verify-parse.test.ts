/**
 * The parse check (reparseChanged): every changed .ts/.tsx/.json file parses, else the first
 * failure in path order, with the parser's own message; a text the same parser has just parsed
 * without error is not parsed again (the second pass parses the converted App.tsx).
 */
import * as os from "node:os";
import { reparseChanged, VerificationError } from "../src/verify/verify";
import { DiskTree } from "../src/tree/disk-tree";
import { StagedTree } from "../src/tree/staged-tree";
import { SourceParser } from "../transforms/lib/parser";

function staged(files: Record<string, string | null>): StagedTree {
  const tree = new StagedTree(new DiskTree(os.tmpdir(), { cache: true }));
  for (const [file, text] of Object.entries(files)) {
    if (text === null) tree.delete(file);
    else tree.write(file, text);
  }
  return tree;
}

function outcome(tree: StagedTree, parser = new SourceParser()): string {
  try {
    reparseChanged(tree, parser);
    return "parses";
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

const GOOD_TS = "export const a: number = 1;\n";
const GOOD_TSX = "export const A = () => <div>{1}</div>;\n";
const REDECLARED = "export const sub = 1;\nexport const sub = 2;\n";

describe("reparseChanged", () => {
  it("passes when every changed file parses (deleted files and other files aside)", () => {
    const tree = staged({
      "x/a.ts": GOOD_TS,
      "x/b.tsx": GOOD_TSX,
      "x/c.json": '{ "a": 1 }\n',
      "x/.env": "NOT = json or ts",
      "x/gone.ts": null,
    });
    expect(outcome(tree)).toBe("parses");
  });

  it.each([
    [
      "a redeclaration",
      { "x/a.ts": REDECLARED, "x/b.tsx": GOOD_TSX },
      "x/a.ts",
      /Identifier 'sub' has already been declared/,
    ],
    ["JSX in a .ts file", { "x/a.ts": "const a = <div />;\n" }, "x/a.ts", /./],
    [
      "a cast in a .tsx file",
      { "x/a.tsx": "const a = <string>b;\n" },
      "x/a.tsx",
      /./,
    ],
    ["broken JSON", { "x/a.json": "{ a: 1 }" }, "x/a.json", /JSON/],
    [
      "several failures (the first in path order counts)",
      {
        "x/z.ts": REDECLARED,
        "x/m.json": "[",
        "x/b.tsx": "const = ;",
        "x/a.ts": GOOD_TS,
      },
      "x/b.tsx",
      /Unexpected token/,
    ],
  ])("fails on %s, naming the file", (_name, files, file, message) => {
    const answer = outcome(staged(files));
    expect(answer).toMatch(
      new RegExp(
        `^VerificationError: ${file.replace(".", "\\.")}: the converted file does not parse \\(`,
      ),
    );
    expect(answer).toMatch(message);
  });

  it("throws the engine's VerificationError class", () => {
    expect(() =>
      reparseChanged(staged({ "x/a.ts": REDECLARED }), new SourceParser()),
    ).toThrow(VerificationError);
  });

  it("takes the answer for a text the run's parser has just parsed without error, and only for that text", () => {
    const parser = new SourceParser();
    const text = "export const justParsed = <div />;\n";
    expect(parser.parsedWithoutError("x/a.tsx", text)).toBe(false);
    parser.parse("y/other.tsx", text);
    expect(parser.parsedWithoutError("x/a.tsx", text)).toBe(true);
    // The same text under the other parser, and another text, were not parsed.
    expect(parser.parsedWithoutError("x/a.ts", text)).toBe(false);
    expect(parser.parsedWithoutError("x/a.tsx", `${text} `)).toBe(false);
    // Another run's parser knows nothing of it: no state outside the run.
    expect(new SourceParser().parsedWithoutError("x/a.tsx", text)).toBe(false);
    // A text that failed is never taken as parsed.
    expect(() => parser.parse("x/a.ts", REDECLARED)).toThrow();
    expect(parser.parsedWithoutError("x/a.ts", REDECLARED)).toBe(false);
    expect(outcome(staged({ "x/a.ts": REDECLARED }), parser)).toMatch(
      /^VerificationError: x\/a\.ts/,
    );
  });

  it("parses the texts it has no answer for", () => {
    const parser = new SourceParser();
    const known = "export const known = 1;\n";
    parser.parse("x/k.ts", known);
    const parse = jest.spyOn(parser, "parse");
    reparseChanged(staged({ "x/a.ts": GOOD_TS, "x/k.ts": known }), parser);
    expect(parse.mock.calls.map(([file]) => file)).toEqual(["x/a.ts"]);
  });
});
