/**
 * The commit under faults, with real processes: the built command line (built once per run,
 * helpers/build.ts) converts copies of fixtures/apps/billing-2025-server in a real git
 * repository and is killed (SIGKILL) at chosen steps of its write phase by the test-only hook
 * AMPLICATION_AUTH0_TEST_KILL_AT_STEP (src/commit/faults.ts). After each fault the next command
 * must say what it cleaned up and leave the tree fully old or fully new: same paths, bytes and
 * modes, no temporary or backup file, no journal or lock, nothing outside the repository
 * touched. Also: faults during that recovery, two runs at once, an edit during a run, a dead
 * run's lock, and a full disk (a small tmpfs; only where mounting one is allowed).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtPackage } from "./helpers/build";
import { tempDir } from "./helpers/files";

let CLI: string; // the built CLI, see beforeAll
const FIXTURE = path.resolve(__dirname, "../fixtures/apps/billing-2025-server");
const SERVER = "apps/billing-server";
const KILL = "AMPLICATION_AUTH0_TEST_KILL_AT_STEP";
const PAUSE = "AMPLICATION_AUTH0_TEST_PAUSE_BEFORE_COMMIT";

jest.setTimeout(600_000);

interface Outcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(
  repo: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Outcome {
  const { status, signal, stdout, stderr } = spawnSync(
    process.execPath,
    [CLI, ...args, repo],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } },
  );
  return { status, signal, stdout, stderr };
}

/** Every path under dir (but .git) with its kind, mode and content hash. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const name of fs.readdirSync(path.join(dir, relative))) {
      if (relative === "" && name === ".git") continue;
      const child = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(dir, child));
      const mode = (stat.mode & 0o7777).toString(8);
      if (stat.isDirectory()) {
        entries[child] = `dir ${mode}`;
        walk(child);
      } else {
        const hash = createHash("sha256")
          .update(fs.readFileSync(path.join(dir, child)))
          .digest("hex");
        entries[child] = `file ${mode} ${hash}`;
      }
    }
  };
  walk("");
  return entries;
}

/** What the tool keeps in .git/amplication-auth0 after a command: nothing. */
function toolFiles(repo: string): string[] {
  const folder = path.join(repo, ".git/amplication-auth0");
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

/** "commit took 75 steps: journal×2 mkdir×1 ..." → the step kinds, one per step. */
function stepsOf(stderr: string, what: string): string[] {
  const line = new RegExp(`test hook: ${what} took \\d+ steps: (.*)`).exec(
    stderr,
  );
  if (!line) throw new Error(`no step report for ${what} in:\n${stderr}`);
  return line[1]
    .split(" ")
    .filter(Boolean)
    .flatMap((run) => {
      const [kind, count] = run.split("×");
      return Array<string>(Number(count)).fill(kind);
    });
}

/**
 * The steps to kill at (1-based): the first and the last of each run of steps of one kind, so
 * every boundary between kinds, and the middle of the runs whose steps differ inside (swap:
 * renames, then unlinks; restore: files replaced or not yet). Some 15 runs rather than one per
 * step (each is a whole apply).
 */
function chosenSteps(kinds: string[]): number[] {
  const chosen = new Set<number>();
  let start = 0;
  kinds.forEach((kind, i) => {
    if (kinds[i + 1] === kind) return;
    chosen.add(start + 1);
    if (kind === "swap" || kind === "restore")
      chosen.add(Math.floor((start + i) / 2) + 1);
    chosen.add(i + 1);
    start = i + 1;
  });
  return [...chosen].sort((a, b) => a - b);
}

let base: string;
let template: string;
let outside: string;
let outsideBefore: Record<string, string>;
let before: Record<string, string>;
let after: Record<string, string>;
let commitSteps: string[];
let copies = 0;

function freshRepo(parent = base): string {
  const repo = path.join(parent, `repo-${++copies}`);
  fs.cpSync(template, repo, { recursive: true, preserveTimestamps: true });
  return repo;
}

const git = (repo: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: repo, stdio: "pipe" });

beforeAll(() => {
  CLI = path.join(builtPackage(), "dist/src/cli/main.js");
  base = tempDir("commit-faults-");
  outside = path.join(base, "outside");
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, "keep.txt"), "not the tool's\n");
  template = path.join(base, "template");
  fs.cpSync(path.join(FIXTURE, "input"), template, { recursive: true });
  fs.copyFileSync(
    path.join(FIXTURE, "auth0.config.json"),
    path.join(template, "auth0.config.json"),
  );
  // modes the commit must keep: a secret, an executable, a group-readable file it deletes
  fs.chmodSync(path.join(template, SERVER, ".env"), 0o600);
  fs.chmodSync(
    path.join(template, SERVER, "src/auth/jwt/jwt.strategy.ts"),
    0o755,
  );
  fs.chmodSync(path.join(template, SERVER, "src/auth/LoginArgs.ts"), 0o640);
  git(template, "init", "-q");
  git(template, "add", "-A");
  git(
    template,
    "-c",
    "user.email=t@example.com",
    "-c",
    "user.name=t",
    "commit",
    "-qm",
    "app",
  );
  before = snapshot(template);
  outsideBefore = snapshot(outside);

  const reference = freshRepo();
  const applied = cli(reference, ["apply"], { [KILL]: "1000000" });
  expect(applied.status).toBe(0);
  commitSteps = stepsOf(applied.stderr, "commit");
  after = snapshot(reference);
});

afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

/** The tree is fully old (1) or fully new (0), nothing of the tool is left, outside untouched. */
function expectOldOrNew(repo: string): "old" | "new" {
  const now = snapshot(repo);
  const state = JSON.stringify(now) === JSON.stringify(after) ? "new" : "old";
  expect(now).toEqual(state === "new" ? after : before);
  expect(toolFiles(repo)).toEqual([]);
  expect(snapshot(outside)).toEqual(outsideBefore);
  return state;
}

describe("commit under faults (built CLI, real processes)", () => {
  it("the reference run keeps the modes and changes the tree", () => {
    expect(after[`${SERVER}/.env`]).toMatch(/^file 600 /);
    expect(after[`${SERVER}/src/auth/jwt/jwt.strategy.ts`]).toMatch(
      /^file 755 /,
    );
    expect(after[`${SERVER}/src/auth/LoginArgs.ts`]).toBeUndefined(); // deleted
    expect(after).not.toEqual(before);
    // this fixture creates no folder (commit.test.ts fails a mkdir in process)
    expect(new Set(commitSteps)).toEqual(
      new Set(["journal", "write", "backup", "swap", "drop-backup"]),
    );
  });

  it("killed at any step of the write phase, the next command restores the old tree or finishes the new one, and says so", () => {
    const steps = chosenSteps(commitSteps);
    const outcomes: string[] = [];
    for (const step of steps) {
      const repo = freshRepo();
      const killed = cli(repo, ["apply"], { [KILL]: String(step) });
      // a run that ended on its own says how (exit code and its last words) in the failure
      expect({
        step,
        signal: killed.signal,
        ...(killed.signal
          ? {}
          : { status: killed.status, stderr: killed.stderr.slice(-2000) }),
      }).toEqual({ step, signal: "SIGKILL" });
      // init refuses an existing config, but only after finishing the interrupted commit
      const next = cli(repo, ["init"]);
      const state = expectOldOrNew(repo);
      const kind = commitSteps[step - 1];
      if (step > 2)
        expect(next.stderr).toMatch(
          /an earlier run \(pid \d+\) was interrupted/,
        );
      if (step === 2)
        expect(next.stderr).toMatch(/removed its unfinished journal/);
      outcomes.push(`${step} ${kind} ${state}`);
      fs.rmSync(repo, { recursive: true, force: true });
    }
    // old until the journal says committed, new from then on
    const committedAt =
      commitSteps.lastIndexOf("journal", commitSteps.indexOf("drop-backup")) +
      1;
    for (const outcome of outcomes) {
      const [step, , state] = outcome.split(" ");
      expect(`${step} ${state}`).toBe(
        `${step} ${Number(step) > committedAt ? "new" : "old"}`,
      );
    }
    expect(steps.length).toBeGreaterThanOrEqual(12);
  });

  it("a crash that leaves the tree half converted is seen by check only after recovery: check then says what is pending", () => {
    const middle = commitSteps.indexOf("swap") + 3;
    const repo = freshRepo();
    expect(cli(repo, ["apply"], { [KILL]: String(middle) }).signal).toBe(
      "SIGKILL",
    );
    // Its temporary files and backups (the .env's holds its secrets) are there until the next
    // command, and git ignores them meanwhile: a `git add -A` does not take them.
    const temporaries = Object.keys(snapshot(repo)).filter((file) =>
      file.includes(".amplication-auth0-"),
    );
    expect(temporaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.env\.amplication-auth0-\d+\.old$/),
      ]),
    );
    expect(
      git(repo, "status", "--porcelain", "--untracked-files=all").toString(),
    ).not.toContain(".amplication-auth0-");
    const check = cli(repo, ["check"]);
    expect(check.stderr).toMatch(/put back the old content of \d+ files/);
    expect(check.status).toBe(1);
    expect(expectOldOrNew(repo)).toBe("old");
    const apply = cli(repo, ["apply"]);
    expect(apply.status).toBe(0);
    expect(snapshot(repo)).toEqual(after);
  });

  it("a file the user changed after the crash is left as they made it; its old content goes to the git folder, the rest goes back", () => {
    const middle = commitSteps.indexOf("swap") + 3;
    const repo = freshRepo();
    expect(cli(repo, ["apply"], { [KILL]: String(middle) }).signal).toBe(
      "SIGKILL",
    );
    const crashed = snapshot(repo);
    // a file the run had already replaced (it holds the converted content)
    const replaced = Object.keys(before).filter(
      (file) => before[file] !== after[file] && crashed[file] === after[file],
    );
    expect(replaced.length).toBeGreaterThan(0);
    const edited = replaced[0]!;
    const mine = "// the user's own content, written after the crash\n";
    fs.writeFileSync(path.join(repo, edited), mine);
    const check = cli(repo, ["check"]);
    expect(check.stderr).toMatch(/put back the old content of \d+ files/);
    expect(check.stderr).toContain(
      `but for 1 file changed since, left as it is: ${edited} (its content before that run: .git/amplication-auth0/previous/`,
    );
    expect(fs.readFileSync(path.join(repo, edited), "utf8")).toBe(mine);
    const rest = snapshot(repo);
    delete rest[edited];
    const old = { ...before };
    delete old[edited];
    expect(rest).toEqual(old);
    const kept = /its content before that run: ([^)]+)\)/.exec(
      check.stderr,
    )![1]!;
    expect(fs.readFileSync(path.join(repo, kept))).toEqual(
      git(repo, "show", `HEAD:${edited}`),
    );
  });

  it("killed again while it restores, the command after that still ends with the old tree", () => {
    // one crashed run, copied for each case (journal and all: its paths are repository-relative)
    const crashed = freshRepo();
    const middle = commitSteps.indexOf("swap") + 3;
    expect(cli(crashed, ["apply"], { [KILL]: String(middle) }).signal).toBe(
      "SIGKILL",
    );
    const copyOfCrashed = () => {
      const repo = path.join(base, `repo-${++copies}`);
      fs.cpSync(crashed, repo, { recursive: true });
      return repo;
    };
    const recovery = stepsOf(
      cli(copyOfCrashed(), ["init"], { [KILL]: "1000000" }).stderr,
      "recovery",
    );
    expect(recovery).toEqual(
      expect.arrayContaining(["drop-temp", "restore", "journal"]),
    );
    for (const step of chosenSteps(recovery)) {
      const repo = copyOfCrashed();
      expect([
        step,
        cli(repo, ["init"], { [KILL]: String(step) }).signal,
      ]).toEqual([step, "SIGKILL"]);
      const next = cli(repo, ["init"]);
      if (step < recovery.length) expect(next.stderr).toMatch(/interrupted/);
      expect([step, expectOldOrNew(repo)]).toEqual([step, "old"]);
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("a second run while one is writing refuses, naming the first; the first finishes", async () => {
    const repo = freshRepo();
    const go = path.join(base, `go-${copies}`);
    const first = spawn(process.execPath, [CLI, "apply", repo], {
      env: { ...process.env, [PAUSE]: go },
    });
    let firstErr = "";
    first.stderr.on("data", (chunk) => (firstErr += String(chunk)));
    const exited = new Promise<number | null>((resolve) =>
      first.on("exit", resolve),
    );
    while (!firstErr.includes("paused before commit")) {
      if (first.exitCode !== null) throw new Error(firstErr);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const command of ["apply", "check"]) {
      const second = cli(repo, [command]);
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(
        `another amplication-auth0 run (pid ${first.pid}`,
      );
    }
    fs.writeFileSync(go, "");
    expect(await exited).toBe(0);
    expect(snapshot(repo)).toEqual(after);
    expect(toolFiles(repo)).toEqual([]);
  });

  it("an edit made during a run aborts it before anything is written, naming the file", async () => {
    const repo = freshRepo();
    const go = path.join(base, `go-${copies}`);
    const run = spawn(process.execPath, [CLI, "apply", repo], {
      env: { ...process.env, [PAUSE]: go },
    });
    let stderr = "";
    run.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) =>
      run.on("exit", resolve),
    );
    while (!stderr.includes("paused before commit")) {
      if (run.exitCode !== null) throw new Error(stderr);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const env = path.join(repo, SERVER, ".env");
    fs.appendFileSync(env, "ADDED_DURING_THE_RUN=1\n");
    const edited = snapshot(repo);
    fs.writeFileSync(go, "");
    expect(await exited).toBe(1);
    expect(stderr).toContain(
      `${SERVER}/.env: was changed while the tool was running`,
    );
    expect(snapshot(repo)).toEqual(edited);
    expect(fs.readFileSync(env, "utf8")).toContain("ADDED_DURING_THE_RUN=1");
    expect(toolFiles(repo)).toEqual([]);
  });

  it("takes over the lock of a run that is gone, and says so", () => {
    const repo = freshRepo();
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    fs.mkdirSync(path.join(repo, ".git/amplication-auth0"));
    fs.writeFileSync(
      path.join(repo, ".git/amplication-auth0/lock"),
      JSON.stringify({ pid: gone, host: os.hostname(), since: "earlier" }),
    );
    const apply = cli(repo, ["apply"]);
    expect(apply.stderr).toContain(
      `took over the lock of an earlier run that is gone (pid ${gone})`,
    );
    expect(apply.status).toBe(0);
    expect(snapshot(repo)).toEqual(after);
    expect(toolFiles(repo)).toEqual([]);
  });

  it("a full disk while writing leaves every file as it was (a small tmpfs)", () => {
    const mountPoint = path.join(base, "small-disk");
    fs.mkdirSync(mountPoint);
    const used = Number(
      execFileSync("du", ["-sk", template], { encoding: "utf8" }).split(
        "\t",
      )[0],
    );
    const mounted = spawnSync("mount", [
      "-t",
      "tmpfs",
      "-o",
      `size=${used + 512}k`,
      "tmpfs",
      mountPoint,
    ]);
    if (mounted.status !== 0) {
      // Not a skipped test: this case needs root (or CAP_SYS_ADMIN) to mount a tmpfs.
      console.log(
        `ENOSPC case not run: cannot mount a small tmpfs here (${String(mounted.stderr).trim() || `status ${mounted.status}`})`,
      );
      return;
    }
    try {
      const repo = freshRepo(mountPoint);
      const beforeOnDisk = snapshot(repo);
      // leave room for the journal and a few new contents, not for all of them
      const free = Number(
        execFileSync("df", ["-k", "--output=avail", mountPoint], {
          encoding: "utf8",
        })
          .trim()
          .split("\n")[1],
      );
      fs.writeFileSync(
        path.join(mountPoint, "filler"),
        Buffer.alloc(Math.max(0, free - 24) * 1024),
      );
      const apply = cli(repo, ["apply"]);
      expect(apply.status).toBe(1);
      expect(apply.stderr).toMatch(/ENOSPC|no space left/);
      expect(apply.stderr).toContain("every file was left as it was");
      expect(snapshot(repo)).toEqual(beforeOnDisk);
      expect(toolFiles(repo)).toEqual([]);
      // No room even for the lock: refused naming it, and no empty lock left to hold up the next run.
      const rest = Number(
        execFileSync("df", ["-k", "--output=avail", mountPoint], {
          encoding: "utf8",
        })
          .trim()
          .split("\n")[1],
      );
      try {
        fs.writeFileSync(
          path.join(mountPoint, "filler-2"),
          Buffer.alloc(rest * 1024),
        );
      } catch {
        // full before the end: as wanted
      }
      const full = cli(repo, ["apply"]);
      expect(full.status).toBe(1);
      expect(full.stderr).toMatch(
        /amplication-auth0\/lock: no space left on the device \(ENOSPC\)/,
      );
      expect(full.stderr).not.toContain("internal error");
      expect(toolFiles(repo)).not.toContain("lock");
      fs.rmSync(path.join(mountPoint, "filler-2"));
      fs.rmSync(path.join(mountPoint, "filler"));
      const again = cli(repo, ["apply"]);
      expect(again.status).toBe(0);
      expect(snapshot(repo)).toEqual(after);
    } finally {
      spawnSync("umount", [mountPoint]);
    }
  });
});
