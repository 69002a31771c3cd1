/**
 * The uncommitted-changes guard (src/commit/git.ts) against real git repositories: it passes only
 * when git says the folders are clean, or when there is no git repository at all. Folders in a
 * git submodule are asked of the submodule.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { editedAfterGeneration, uncommittedPaths } from "../src/commit/git";
import { runCli } from "./helpers/cli";
import { hashTree, tempDir } from "./helpers/files";
import {
  committedCopy,
  git as gitAs,
  superprojectWith,
} from "./helpers/submodule";

const SHOP = path.resolve(__dirname, "../fixtures/apps/shop-2025");

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

test("paths as they are: a name with spaces and non-ASCII letters, and a rename, neither quoted nor escaped", async () => {
  repoWithCommit();
  fs.writeFileSync(path.join(dir, "server", "sërver x.ts"), "export {};\n");
  git("mv", "server/a.ts", "server/renamed.ts");
  expect((await uncommittedPaths(dir, ["server"])).sort()).toEqual([
    "server/a.ts",
    "server/renamed.ts",
    "server/sërver x.ts",
  ]);
});

test("a rename out of a folder names the folder's path too: the file is gone from there", async () => {
  repoWithCommit();
  fs.mkdirSync(path.join(dir, "admin"));
  git("mv", "server/a.ts", "admin/a.ts");
  const paths = await uncommittedPaths(dir, ["server", "admin"]);
  expect(paths.sort()).toEqual(["admin/a.ts", "server/a.ts"]);
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

describe("an app in a repository inside the root (a git submodule): git is asked there, where its files are", () => {
  const BOT = {
    GIT_AUTHOR_NAME: "amplication[bot]",
    GIT_AUTHOR_EMAIL: "bot@example.test",
  };

  function appInSubmodule(): string {
    const app = tempDir("aa0-app-");
    fs.mkdirSync(path.join(app, "server"));
    fs.writeFileSync(path.join(app, "server", "a.ts"), "export {};\n");
    return superprojectWith(committedCopy(app, BOT));
  }

  test("a changed and a new file inside the submodule are reported, from the superproject", async () => {
    const top = appInSubmodule();
    expect(await uncommittedPaths(top, ["app/server"])).toEqual([]);
    fs.writeFileSync(
      path.join(top, "app/server/a.ts"),
      "export const a = 1;\n",
    );
    fs.writeFileSync(path.join(top, "app/server/b.ts"), "export {};\n");
    expect((await uncommittedPaths(top, ["app/server"])).sort()).toEqual([
      "app/server/a.ts",
      "app/server/b.ts",
    ]);
    // The submodule as a whole is a folder to convert too.
    expect((await uncommittedPaths(top, ["app"])).sort()).toEqual([
      "app/server/a.ts",
      "app/server/b.ts",
    ]);
  });

  test("a repository inside a folder git does not track is asked too: the folder's having no repository does not pass the guard", async () => {
    const app = tempDir("aa0-app-");
    fs.mkdirSync(path.join(app, "server"));
    fs.writeFileSync(path.join(app, "server", "a.ts"), "export {};\n");
    const outside = tempDir("aa0-plain-");
    fs.renameSync(committedCopy(app), path.join(outside, "app"));
    fs.mkdirSync(path.join(outside, "other"));
    expect(await uncommittedPaths(outside, ["app/server", "other"])).toEqual(
      [],
    );
    fs.writeFileSync(path.join(outside, "app/server/a.ts"), "export let a;\n");
    expect(await uncommittedPaths(outside, ["app/server", "other"])).toEqual([
      "app/server/a.ts",
    ]);
  });

  test("a .git that git does not take for a repository leaves its folder to the repository around it", async () => {
    repoWithCommit();
    fs.mkdirSync(path.join(dir, "server", ".git"));
    fs.writeFileSync(path.join(dir, "server", "a.ts"), "export let a;\n");
    expect(await uncommittedPaths(dir, ["server"])).toEqual(["server/a.ts"]);
  });

  test("a file edited after Amplication generated it is found in the submodule's history, with the command that shows the edit from the superproject", () => {
    const top = appInSubmodule();
    fs.writeFileSync(
      path.join(top, "app/server/a.ts"),
      "export const a = 1;\n",
    );
    const generated = submoduleGit(top, [
      "rev-parse",
      "--short",
      "HEAD",
    ]).trim();
    submoduleGit(top, ["commit", "--quiet", "--all", "--message", "mine"]);
    const commit = submoduleGit(top, ["rev-parse", "--short", "HEAD"]).trim();
    expect(editedAfterGeneration(top, ["app/server/a.ts"])).toEqual([
      {
        file: "app/server/a.ts",
        commit,
        author: "Dana",
        show: `git -C app diff ${generated} ${commit} -- server/a.ts`,
      },
    ]);
  });

  test("apply refuses the uncommitted file inside the submodule (exit 2) and writes nothing", async () => {
    const top = superprojectWith(committedCopy(path.join(SHOP, "input")), {
      files: {
        "auth0.config.json": JSON.stringify({
          ...JSON.parse(
            fs.readFileSync(path.join(SHOP, "auth0.config.json"), "utf8"),
          ),
          services: [
            { server: "app/apps/shop-server", admin: "app/apps/shop-admin" },
          ],
        }),
      },
    });
    // A file the conversion deletes, with the user's edit not yet committed.
    const edited = "app/apps/shop-server/src/auth/token.service.ts";
    fs.appendFileSync(path.join(top, edited), "// not committed yet\n");
    const before = hashTree(top);

    const result = await runCli(["apply", top]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `uncommitted changes in the folders to convert (${edited}); commit them first, in app for the files under it (a git repository of its own)`,
    );
    expect(hashTree(top)).toBe(before);
  });
});

function submoduleGit(top: string, args: string[]): string {
  return gitAs(path.join(top, "app"), args);
}

test("apply with nothing to write neither waits on nor trips over a git status that fails", async () => {
  // The guard starts with the conversion and is read only when there is something to write.
  const rejections: unknown[] = [];
  const listen = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", listen);
  try {
    const repo = committedCopy(path.join(SHOP, "input"));
    fs.copyFileSync(
      path.join(SHOP, "auth0.config.json"),
      path.join(repo, "auth0.config.json"),
    );
    expect((await runCli(["apply", repo])).code).toBe(0);
    gitAs(repo, ["add", "--all"]);
    gitAs(repo, ["commit", "--quiet", "--message", "converted"]);
    // A corrupt index makes git status fail inside a real repository.
    fs.writeFileSync(path.join(repo, ".git", "index"), "not an index");
    const again = await runCli(["apply", repo]);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // git has failed by then
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
    expect(rejections).toEqual([]);
  } finally {
    process.off("unhandledRejection", listen);
  }
});
