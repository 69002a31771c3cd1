/**
 * The parse check on a worker thread (reparseChangedAside, which the engine runs alongside the
 * second pass) gives the answer of the check on the main thread (reparseChanged): the same
 * files parse, the same first failure in path order, with the parser's own message.
 */
import * as os from "node:os";
import {
  reparseChanged,
  reparseChangedAside,
  VerificationError,
} from "../src/verify/verify";
import { DiskTree, StagedTree } from "../src/tree/tree";

function staged(files: Record<string, string | null>): StagedTree {
  const tree = new StagedTree(new DiskTree(os.tmpdir(), { cache: true }));
  for (const [file, text] of Object.entries(files)) {
    if (text === null) tree.delete(file);
    else tree.write(file, text);
  }
  return tree;
}

async function both(
  tree: StagedTree,
): Promise<{ here: string; aside: string }> {
  const outcome = (error?: unknown) =>
    error === undefined
      ? "parses"
      : `${(error as Error).constructor.name}: ${(error as Error).message}`;
  let here: string;
  try {
    reparseChanged(tree);
    here = outcome();
  } catch (error) {
    here = outcome(error);
  }
  let aside: string;
  try {
    await reparseChangedAside(tree);
    aside = outcome();
  } catch (error) {
    aside = outcome(error);
  }
  return { here, aside };
}

const GOOD_TS = "export const a: number = 1;\n";
const GOOD_TSX = "export const A = () => <div>{1}</div>;\n";
const REDECLARED = "export const sub = 1;\nexport const sub = 2;\n";

describe("reparseChangedAside", () => {
  it("resolves when every changed file parses (deleted files and other files aside)", async () => {
    const tree = staged({
      "x/a.ts": GOOD_TS,
      "x/b.tsx": GOOD_TSX,
      "x/c.json": '{ "a": 1 }\n',
      "x/.env": "NOT = json or ts",
      "x/gone.ts": null,
    });
    expect(await both(tree)).toEqual({ here: "parses", aside: "parses" });
  });

  it.each([
    ["a redeclaration", { "x/a.ts": REDECLARED, "x/b.tsx": GOOD_TSX }],
    ["JSX in a .ts file", { "x/a.ts": "const a = <div />;\n" }],
    ["a cast in a .tsx file", { "x/a.tsx": "const a = <string>b;\n" }],
    ["broken JSON", { "x/a.json": "{ a: 1 }" }],
    [
      "several failures (the first in path order counts)",
      {
        "x/z.ts": REDECLARED,
        "x/m.json": "[",
        "x/b.tsx": "const = ;",
        "x/a.ts": GOOD_TS,
      },
    ],
  ])("fails as the main-thread check does: %s", async (_name, files) => {
    const { here, aside } = await both(staged(files));
    expect(here).toMatch(
      /^VerificationError: .* the converted file does not parse/,
    );
    expect(aside).toBe(here);
  });

  it("rejects with the engine's VerificationError class", async () => {
    await expect(
      reparseChangedAside(staged({ "x/a.ts": REDECLARED })),
    ).rejects.toBeInstanceOf(VerificationError);
  });

  it("parses on the worker, not on this thread", async () => {
    const calls: string[] = [];
    await jest.isolateModulesAsync(async () => {
      const actual = jest.requireActual("../transforms/lib/parser");
      jest.doMock("../transforms/lib/parser", () => ({
        ...actual,
        babelParserFor: (file: string) => {
          calls.push(file);
          return actual.babelParserFor(file);
        },
      }));
      const verify =
        require("../src/verify/verify") as typeof import("../src/verify/verify");
      await expect(
        verify.reparseChangedAside(
          staged({ "x/a.ts": GOOD_TS, "x/b.ts": REDECLARED }),
        ),
      ).rejects.toThrow(/x\/b\.ts: the converted file does not parse/);
      expect(calls).toEqual([]);
      verify.reparseChanged(staged({ "x/a.ts": GOOD_TS }));
      expect(calls).toEqual(["x/a.ts"]); // this thread's parses are seen
    });
    jest.dontMock("../transforms/lib/parser");
  });
});
