/**
 * A file git does not track (a .env the user listed in .gitignore) cannot be given back by git
 * once apply rewrites it: apply keeps its content before the run in the git folder, with its
 * mode, and says where (src/commit/previous.ts). Real git repositories, copies of the
 * billing-2025-server whole-app fixture.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { keepUntrackedOriginals, KEPT_RUNS } from "../src/commit/previous";
import { run } from "../src/engine/run";
import { SOURCE_CLI } from "./helpers/source-cli";
import { copyTree, tempDir } from "./helpers/files";
import { committedCopy, superprojectWith } from "./helpers/submodule";

const FIXTURE = path.resolve(__dirname, "../fixtures/apps/billing-2025-server");
const SERVER = "apps/billing-server";
const ENV = `${SERVER}/.env`;
const configFile = path.join(FIXTURE, "auth0.config.json");

function git(dir: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=t", "-c", "user.email=t@example.test", ...args],
    { cwd: dir, encoding: "utf8" },
  );
}

/** The fixture in a git repository whose server .env git ignores, at mode 0600. */
function repositoryIgnoringEnv(): string {
  const repo = copyTree(path.join(FIXTURE, "input"), tempDir("untracked-"));
  fs.appendFileSync(path.join(repo, SERVER, ".gitignore"), ".env\n");
  git(repo, "init", "-q");
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "generated");
  expect(git(repo, "ls-files", ENV)).toBe("");
  fs.chmodSync(path.join(repo, ENV), 0o600);
  return repo;
}

/** The kept copies: path inside the run's folder → content. */
function keptCopies(repo: string): Array<{ file: string; full: string }> {
  const previous = path.join(repo, ".git/amplication-auth0/previous");
  if (!fs.existsSync(previous)) return [];
  return fs
    .readdirSync(previous, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return {
        file: path.relative(previous, full).split(path.sep).slice(1).join("/"),
        full,
      };
    });
}

it("apply keeps an ignored .env as it was, with its mode, in the git folder, and says where; tracked files get no copy", async () => {
  const repo = repositoryIgnoringEnv();
  const before = fs.readFileSync(path.join(repo, ENV));

  const result = await run({ root: repo, configFile, command: "apply" });

  expect(result.written).toBe(true);
  expect(fs.readFileSync(path.join(repo, ENV))).not.toEqual(before);
  const kept = keptCopies(repo);
  // Only the ignored file: every other file the run changed is in git.
  expect(kept.map((copy) => copy.file)).toEqual([ENV]);
  expect(fs.readFileSync(kept[0]!.full)).toEqual(before);
  expect(fs.statSync(kept[0]!.full).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.join(repo, ENV)).mode & 0o777).toBe(0o600);
  expect(result.notes).toEqual(
    expect.arrayContaining([
      `${ENV} is not tracked by git, so git cannot give it back: its content before this run is kept in ${path.relative(repo, kept[0]!.full)}`,
    ]),
  );
  // Not in the work tree: git sees nothing new.
  expect(git(repo, "status", "--porcelain", "--ignored=no")).not.toContain(
    "amplication-auth0",
  );

  // Nothing to change the second time: no second copy.
  const again = await run({ root: repo, configFile, command: "apply" });
  expect(again.written).toBe(false);
  expect(keptCopies(repo)).toHaveLength(1);
});

it("the CLI prints where the copy is", () => {
  const repo = repositoryIgnoringEnv();
  const result = spawnSync(
    process.execPath,
    [...SOURCE_CLI, "apply", "--config", configFile, repo],
    {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  expect(result.status).toBe(0);
  expect(result.stdout + result.stderr).toContain(
    `${ENV} is not tracked by git, so git cannot give it back: its content before this run is kept in .git/amplication-auth0/previous/`,
  );
});

it("a run the commit's checks refuse keeps no copy, so refused runs never push out the copy of an earlier one", async () => {
  const repo = repositoryIgnoringEnv();
  const own = "MY_OWN_SECRET=only-here\n";
  fs.appendFileSync(path.join(repo, ENV), own);
  expect(
    (await run({ root: repo, configFile, command: "apply" })).written,
  ).toBe(true);
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", "converted");
  expect(keptCopies(repo)).toHaveLength(1);
  const first = keptCopies(repo)[0]!;
  expect(fs.readFileSync(first.full, "utf8")).toContain(own);
  // The .env needs converting again, and cannot be written: every run is refused.
  fs.appendFileSync(path.join(repo, ENV), "JWT_SECRET_KEY=again\n");
  fs.chmodSync(path.join(repo, ENV), 0o400);
  for (let i = 0; i < KEPT_RUNS + 1; i++)
    await expect(
      run({ root: repo, configFile, command: "apply", allowDirty: true }),
    ).rejects.toThrow(/read-only/);
  expect(keptCopies(repo)).toEqual([first]);
});

it(`keeps the copies of the last ${KEPT_RUNS} runs`, () => {
  const repo = repositoryIgnoringEnv();
  const change = {
    file: ENV,
    before: fs.readFileSync(path.join(repo, ENV), "utf8"),
    after: "X=1\n",
  };
  for (let minute = 0; minute < KEPT_RUNS + 2; minute++) {
    keepUntrackedOriginals(
      repo,
      [change],
      new Date(Date.UTC(2026, 0, 1, 0, minute)),
    );
  }
  const runs = fs
    .readdirSync(path.join(repo, ".git/amplication-auth0/previous"))
    .sort();
  expect(runs).toHaveLength(KEPT_RUNS);
  expect(runs[0]).toMatch(/^2026-01-01T00-02-00-000Z-/);
});

it("outside a git repository nothing is kept (apply warns that git cannot undo it)", async () => {
  const dir = copyTree(path.join(FIXTURE, "input"), tempDir("no-git-"));
  const result = await run({ root: dir, configFile, command: "apply" });
  expect(result.written).toBe(true);
  expect(fs.existsSync(path.join(dir, ".amplication-auth0"))).toBe(false);
  expect(result.notes.join("\n")).toContain("cannot be undone with git");
});

it("an app in a git submodule: the files the submodule tracks get no copy, only its ignored .env", async () => {
  const app = copyTree(path.join(FIXTURE, "input"), tempDir("submodule-app-"));
  fs.appendFileSync(path.join(app, SERVER, ".gitignore"), ".env\n");
  const top = superprojectWith(committedCopy(app));
  // The clone has no ignored .env: the user's own, as after a checkout.
  fs.copyFileSync(path.join(app, ENV), path.join(top, "app", ENV));
  const config = path.join(tempDir("submodule-config-"), "auth0.config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...JSON.parse(fs.readFileSync(configFile, "utf8")),
      services: [{ server: `app/${SERVER}` }],
    }),
  );

  const result = await run({ root: top, configFile: config, command: "apply" });

  expect(result.written).toBe(true);
  expect(keptCopies(top).map((copy) => copy.file)).toEqual([`app/${ENV}`]);
  expect(
    result.notes.filter((note) => /not tracked by git/.test(note)),
  ).toEqual([
    `app/${ENV} is not tracked by git, so git cannot give it back: its content before this run is kept in ${path.relative(top, keptCopies(top)[0]!.full)}`,
  ]);
});

it("an app in a repository inside a folder git does not track: the copy goes to the app's git folder, and no note says git cannot undo the run", async () => {
  const app = repositoryIgnoringEnv();
  const outside = tempDir("plain-");
  fs.renameSync(app, path.join(outside, "app"));
  const config = path.join(outside, "auth0.config.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...JSON.parse(fs.readFileSync(configFile, "utf8")),
      services: [{ server: `app/${SERVER}` }],
    }),
  );

  const result = await run({
    root: outside,
    configFile: config,
    command: "apply",
  });

  expect(result.written).toBe(true);
  expect(
    keptCopies(path.join(outside, "app")).map((copy) => copy.file),
  ).toEqual([`app/${ENV}`]);
  expect(result.notes.join("\n")).not.toContain("cannot be undone with git");
});
