/**
 * Line ends as a Windows checkout has them: "\r\n" in every file (core.autocrlf, or
 * `* text eol=crlf`), or in one file an editor saved so. The conversion must not depend on
 * them: each file keeps its own, a new file takes those of its service, and a second apply
 * changes nothing. On copies of the whole-app fixtures (fixtures/apps/), compared with their
 * expected/ trees.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../src/engine/run";
import { exitCodeOf } from "../src/report/report";
import { copyTree, readTree } from "./helpers/files";
import { committedCopy, git } from "./helpers/submodule";

const APPS = path.resolve(__dirname, "../fixtures/apps");
const SHOP = path.join(APPS, "shop-2025");

const converted = fs
  .readdirSync(APPS)
  .filter(
    (name) =>
      fs.existsSync(path.join(APPS, name, "input")) &&
      !fs.existsSync(path.join(APPS, name, "expected-refusal.txt")),
  );

const crlf = (text: string) => text.replace(/\n/g, "\r\n");

/** Rewrites the files of `dir` (all of them when `files` is not given) with "\r\n" line ends. */
function saveAsCrlf(dir: string, files = [...readTree(dir).keys()]): void {
  for (const file of files) {
    const full = path.join(dir, file);
    fs.writeFileSync(full, crlf(fs.readFileSync(full, "utf8")));
  }
}

/** `dir` holds expected/, each file with the line ends `endsOf` gives it. */
function expectConverted(
  dir: string,
  expectedDir: string,
  endsOf: (file: string) => "crlf" | "lf",
): void {
  const actual = readTree(dir);
  const expected = readTree(expectedDir);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, content] of expected) {
    const want = endsOf(file) === "crlf" ? crlf(content) : content;
    expect({ file, content: actual.get(file) }).toEqual({
      file,
      content: want,
    });
  }
}

/** A second apply finds nothing to do, and check is green. */
async function expectDone(dir: string, configFile: string): Promise<void> {
  const again = await run({ root: dir, configFile, command: "apply" });
  expect(again.changes).toEqual([]);
  const check = await run({ root: dir, configFile, command: "check" });
  expect(exitCodeOf(check)).toBe(0);
}

describe.each(converted)("app fixture %s with CRLF line ends", (name) => {
  const fixture = path.join(APPS, name);
  const configFile = path.join(fixture, "auth0.config.json");

  it("converts to expected/ with CRLF line ends, new files too, and a second apply changes nothing", async () => {
    const dir = copyTree(path.join(fixture, "input"));
    saveAsCrlf(dir);
    const result = await run({ root: dir, configFile, command: "apply" });
    expect(result.written).toBe(true);
    expectConverted(dir, path.join(fixture, "expected"), () => "crlf");
    await expectDone(dir, configFile);
  });
});

describe("one file an editor saved with CRLF line ends, in an app with LF ones", () => {
  const configFile = path.join(SHOP, "auth0.config.json");
  const server = "apps/shop-server/src/auth";

  it.each([
    ["deleted", `${server}/auth.service.ts`],
    [
      "written whole from the config",
      `${server}/jwt/base/jwt.strategy.base.ts`,
    ],
    ["edited", "apps/shop-admin/src/App.tsx"],
  ])(
    "a generated file the conversion has %s (%s) is converted as generated, keeps its line ends, and is not said to hold the user's changes",
    async (_, file) => {
      // Amplication's build, then the user's commit of the file saved with CRLF.
      const dir = committedCopy(path.join(SHOP, "input"), {
        GIT_AUTHOR_NAME: "amplication[bot]",
      });
      saveAsCrlf(dir, [file]);
      git(dir, ["commit", "--quiet", "--all", "--message", "saved on Windows"]);

      const result = await run({ root: dir, configFile, command: "apply" });

      expect(result.notes.join("\n")).not.toContain(
        "holds changes made after Amplication generated it",
      );
      // The other files, the new ones among them, keep the app's LF.
      expectConverted(dir, path.join(SHOP, "expected"), (at) =>
        at === file ? "crlf" : "lf",
      );
      git(dir, ["add", "--all"]);
      git(dir, ["commit", "--quiet", "--message", "converted"]);
      await expectDone(dir, configFile);
    },
  );
});

describe("an app whose Prettier config sets endOfLine crlf", () => {
  const configFile = path.join(SHOP, "auth0.config.json");

  it.each(["crlf", "lf"] as const)(
    "with %s line ends: each converted file keeps them, and check is green after apply",
    async (ends) => {
      const dir = copyTree(path.join(SHOP, "input"));
      if (ends === "crlf") saveAsCrlf(dir);
      const prettierrc = path.join(dir, ".prettierrc");
      fs.writeFileSync(prettierrc, '{ "endOfLine": "crlf" }\n');

      await run({ root: dir, configFile, command: "apply" });

      fs.rmSync(prettierrc);
      expectConverted(dir, path.join(SHOP, "expected"), () => ends);
      fs.writeFileSync(prettierrc, '{ "endOfLine": "crlf" }\n');
      await expectDone(dir, configFile);
    },
  );
});
