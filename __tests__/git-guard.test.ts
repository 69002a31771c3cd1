/**
 * The uncommitted-changes guard (src/commit/git.ts) against real git repositories: it passes only
 * when git says the folders are clean, or when there is no git repository at all.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { uncommittedPaths } from "../src/commit/git";

let dir: string;
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: dir, stdio: "pipe" });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "git-guard-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function repoWithCommit(): void {
  git("init", "-q");
  git("config", "user.email", "test@example.test");
  git("config", "user.name", "test");
  fs.mkdirSync(path.join(dir, "server"));
  fs.writeFileSync(path.join(dir, "server", "a.ts"), "export {};\n");
  git("add", ".");
  git("commit", "-qm", "init");
}

test("not a git repository: nothing to protect", async () => {
  fs.mkdirSync(path.join(dir, "server"));
  expect(await uncommittedPaths(dir, ["server"])).toEqual([]);
});

test("a clean work tree passes; a changed and a new file are reported", async () => {
  repoWithCommit();
  expect(await uncommittedPaths(dir, ["server"])).toEqual([]);
  fs.writeFileSync(path.join(dir, "server", "a.ts"), "export const a = 1;\n");
  fs.writeFileSync(path.join(dir, "server", "b.ts"), "export {};\n");
  expect((await uncommittedPaths(dir, ["server"])).sort()).toEqual([
    "server/a.ts",
    "server/b.ts",
  ]);
});

test("more output than the buffer holds still reports the tree dirty", async () => {
  repoWithCommit();
  for (let i = 0; i < 50; i++) {
    fs.writeFileSync(path.join(dir, "server", `new-${i}.ts`), "export {};\n");
  }
  const paths = await uncommittedPaths(dir, ["server"], { maxOutput: 100 });
  expect(paths.length).toBeGreaterThan(0);
});

test("any other git failure rejects instead of passing", async () => {
  repoWithCommit();
  // A corrupt index makes git status fail inside a real repository.
  fs.writeFileSync(path.join(dir, ".git", "index"), "not an index");
  await expect(uncommittedPaths(dir, ["server"])).rejects.toThrow(
    /git status failed .* uncommitted changes cannot be ruled out/,
  );
});
