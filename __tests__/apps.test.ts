/**
 * Whole-app fixtures: fixtures/apps/<name>/{input,expected}/ with <name>/auth0.config.json.
 * Each is converted on a temporary copy and compared byte for byte with expected/, then
 * converted again (nothing may change), and `check` must say 1 before and 0 after. The folders
 * are compared too: git keeps no empty folder, so expected/ cannot hold one that a run left.
 * UPDATE_FIXTURES=1 rewrites expected/ instead; review that diff line by line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../src/engine/run";
import { PrettierThread } from "../src/format/prettier-thread";
import type { Rule } from "../src/plan/rule";
import { RULES } from "../src/plan/rules";
import { DiskTree } from "../src/tree/disk-tree";
import { exitCodeOf } from "../src/report/report";
import { RuleRefusal } from "../transforms/lib/refusal";
import { copyTree, hashTree, readFolders, readTree } from "./helpers/files";

const APPS = path.resolve(__dirname, "../fixtures/apps");
const update = process.env.UPDATE_FIXTURES === "1";

const apps = fs.existsSync(APPS)
  ? fs
      .readdirSync(APPS)
      .filter((name) => fs.existsSync(path.join(APPS, name, "input")))
  : [];

test("there is at least one whole-app fixture", () => {
  expect(apps.length).toBeGreaterThan(0);
});

/**
 * What the rules search every source for, as they run on the fixtures: each string must be
 * declared in the rule table (Rule.searches), which is what the engine searches together.
 */
const mentioning = jest.spyOn(DiskTree.prototype, "mentioning");
afterAll(() => {
  const searched = new Set(mentioning.mock.calls.map(([, needle]) => needle));
  const declared = new Set(
    (RULES as readonly Rule[]).flatMap((rule) => rule.searches ?? []),
  );
  expect([...searched].filter((needle) => !declared.has(needle))).toEqual([]);
  expect(searched.size).toBeGreaterThanOrEqual(10);
  mentioning.mockRestore();
});

const converted = apps.filter(
  (name) => !fs.existsSync(path.join(APPS, name, "expected-refusal.txt")),
);
const refused = apps.filter((name) =>
  fs.existsSync(path.join(APPS, name, "expected-refusal.txt")),
);

describe.each(refused)("app fixture %s (must be refused)", (name) => {
  const fixture = path.join(APPS, name);
  it("is refused with the file named, and nothing is written", async () => {
    const dir = copyTree(path.join(fixture, "input"));
    const hash = hashTree(dir);
    const expected = fs
      .readFileSync(path.join(fixture, "expected-refusal.txt"), "utf8")
      .trim();
    const attempt = run({
      root: dir,
      configFile: path.join(fixture, "auth0.config.json"),
      command: "apply",
    });
    await expect(attempt).rejects.toBeInstanceOf(RuleRefusal);
    await expect(attempt).rejects.toThrow(expected);
    expect(hashTree(dir)).toBe(hash);
  });
});

/** Same files with the same bytes, and the same folders: none left empty by the run. */
function expectSameTree(dir: string, expectedDir: string): void {
  const actual = readTree(dir);
  const expected = readTree(expectedDir);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, content] of expected)
    expect({ file, content: actual.get(file) }).toEqual({ file, content });
  const empty = readFolders(dir).filter(
    (folder) => fs.readdirSync(path.join(dir, folder)).length === 0,
  );
  expect(empty).toEqual([]);
  expect(readFolders(dir)).toEqual(readFolders(expectedDir));
}

describe.each(converted)("app fixture %s", (name) => {
  const fixture = path.join(APPS, name);
  const configFile = path.join(fixture, "auth0.config.json");
  const expectedDir = path.join(fixture, "expected");

  it("converts to expected/ byte for byte, and a second apply changes nothing", async () => {
    const dir = copyTree(path.join(fixture, "input"));
    const before = await run({ root: dir, configFile, command: "check" });
    const result = await run({ root: dir, configFile, command: "apply" });
    expect(result.written).toBe(true);
    if (update) {
      fs.rmSync(expectedDir, { recursive: true, force: true });
      copyTree(dir, expectedDir);
    }
    expectSameTree(dir, expectedDir);

    const second = await run({ root: dir, configFile, command: "apply" });
    expect(second.changes).toEqual([]);
    expect(exitCodeOf(before)).toBe(1);
    expect(
      exitCodeOf(await run({ root: dir, configFile, command: "check" })),
    ).toBe(0);
  });

  it("with Prettier on its own thread, as the command runs it, converts to the same bytes and records", async () => {
    const thread = new PrettierThread();
    try {
      const dir = copyTree(path.join(fixture, "input"));
      const here = copyTree(path.join(fixture, "input"));
      const result = await run({
        root: dir,
        configFile,
        command: "apply",
        prettierThread: thread,
      });
      expectSameTree(dir, expectedDir);
      // the same outcome per rule and file as formatting in this thread, "unchanged" included
      const inProcess = await run({ root: here, configFile, command: "apply" });
      expect(result.records).toEqual(inProcess.records);
      expect(result.records.map((record) => record.status)).toContain(
        "changed",
      );
      const second = await run({
        root: dir,
        configFile,
        command: "apply",
        prettierThread: thread,
      });
      expect(second.changes).toEqual([]);
      // there, the texts rules write whole come back from Prettier as they were: "unchanged"
      const secondInProcess = await run({
        root: here,
        configFile,
        command: "apply",
      });
      expect(second.records).toEqual(secondInProcess.records);
    } finally {
      thread.close();
    }
  });

  it("after a re-generation over the converted app, apply converts it again to expected/", async () => {
    // Amplication rewrites the files it generates (and brings back the ones we deleted) but
    // leaves files it does not know, such as ra-auth-auth0.ts: copy input/ over expected/.
    const dir = copyTree(expectedDir);
    fs.cpSync(path.join(fixture, "input"), dir, { recursive: true });
    const pending = await run({ root: dir, configFile, command: "check" });
    expect(exitCodeOf(pending)).toBe(1);
    await run({ root: dir, configFile, command: "apply" });
    expectSameTree(dir, expectedDir);
  });

  it("a dry run prints the changes and leaves every file byte-identical", async () => {
    const dir = copyTree(path.join(fixture, "input"));
    const hash = hashTree(dir);
    const result = await run({
      root: dir,
      configFile,
      command: "apply",
      dryRun: true,
    });
    expect(result.changes.length).toBeGreaterThan(0);
    expect(result.written).toBe(false);
    expect(hashTree(dir)).toBe(hash);
  });
});
