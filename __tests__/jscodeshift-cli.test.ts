/**
 * The standard jscodeshift CLI on the packed package, as the README shows it, gives the same app
 * as `apply`: every whole-app fixture's input/, in a git repository of its own with its config
 * as auth0.config.json, becomes expected/ byte for byte, with jscodeshift's worker processes and
 * with --run-in-band. The package is packed and installed once (the slowest step).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyTree, hashTree, readTree, tempDir } from "./helpers/files";
import { packAndInstall } from "./helpers/pack";

const APPS = path.resolve(__dirname, "../fixtures/apps");
const CONFIG = "auth0.config.json";
const TS = /\.tsx?$/;

const fixtures = fs
  .readdirSync(APPS)
  .filter((name) => fs.existsSync(path.join(APPS, name, "input")));
const refused = fixtures.filter((name) =>
  fs.existsSync(path.join(APPS, name, "expected-refusal.txt")),
);
const converted = fixtures.filter((name) => !refused.includes(name));

jest.setTimeout(600_000);

/**
 * The jscodeshift the project runs: not a dependency of the package (which bundles only its
 * core), so installed beside it, as `npx jscodeshift` fetches it for a user; the version this
 * repository tests with, which npm ci has put in the cache.
 */
const JSCODESHIFT = `jscodeshift@${
  (
    JSON.parse(
      fs.readFileSync(require.resolve("jscodeshift/package.json"), "utf8"),
    ) as { version: string }
  ).version
}`;

let scratch: string;
beforeAll(() => {
  ({ scratch } = packAndInstall([JSCODESHIFT]));
});

/** A fixture's input/ in a fresh git repository, with its config committed at the root. */
function repositoryOf(name: string): string {
  const dir = copyTree(path.join(APPS, name, "input"));
  fs.copyFileSync(path.join(APPS, name, CONFIG), path.join(dir, CONFIG));
  commitAll(dir);
  return dir;
}

function commitAll(dir: string): void {
  const git = (...args: string[]) =>
    spawnSync("git", args, { cwd: dir, stdio: "pipe" });
  if (!fs.existsSync(path.join(dir, ".git"))) git("init", "-q");
  git("add", "-A");
  git(
    "-c",
    "user.email=test@example.test",
    "-c",
    "user.name=test",
    "commit",
    "-qm",
    "snapshot",
  );
}

interface CliRun {
  status: number | null;
  output: string;
  counts: { error: number; unmodified: number; skipped: number; ok: number };
}

/** `npx jscodeshift -t node_modules/amplication-auth0-codemod/transforms ...` in the scratch project. */
function jscodeshift(...args: string[]): CliRun {
  return jscodeshiftWith({}, ...args);
}

function jscodeshiftWith(
  env: Record<string, string>,
  ...args: string[]
): CliRun {
  const result = spawnSync(
    "npx",
    [
      "--no-install",
      "jscodeshift",
      "--no-babel",
      "-t",
      "node_modules/amplication-auth0-codemod/transforms",
      "--extensions=ts,tsx",
      "--ignore-pattern=**/node_modules/**",
      "--fail-on-error",
      ...args,
    ],
    {
      cwd: scratch,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    },
  );
  const output = result.stdout + result.stderr;
  const count = (word: string) => {
    const match = new RegExp(`^(\\d+) ${word}$`, "m").exec(output);
    if (!match) throw new Error(`no "${word}" count in:\n${output}`);
    return Number(match[1]);
  };
  return {
    status: result.status,
    output,
    counts: {
      error: count("errors"),
      unmodified: count("unmodified"),
      skipped: count("skipped"),
      ok: count("ok"),
    },
  };
}

/** The tree without the config the test put at its root. */
function appTree(dir: string): Map<string, string> {
  const tree = readTree(dir);
  tree.delete(CONFIG);
  return tree;
}

function expectExpected(name: string, dir: string): void {
  const actual = appTree(dir);
  const expected = readTree(path.join(APPS, name, "expected"));
  expect({ name, files: [...actual.keys()] }).toEqual({
    name,
    files: [...expected.keys()],
  });
  for (const [file, content] of expected)
    expect({ name, file, content: actual.get(file) }).toEqual({
      name,
      file,
      content,
    });
}

/**
 * What jscodeshift's summary must say for input → expected: TypeScript files rewritten, deleted,
 * left. A changed file outside a src/ folder (scripts/seed.ts) is written by the side's anchor,
 * not by jscodeshift, so jscodeshift counts it skipped.
 */
function truthfulCounts(names: string[]): CliRun["counts"] {
  const counts = { error: 0, unmodified: 0, skipped: 0, ok: 0 };
  for (const name of names) {
    const input = readTree(path.join(APPS, name, "input"));
    const expected = readTree(path.join(APPS, name, "expected"));
    for (const [file, content] of input) {
      if (!TS.test(file)) continue;
      if (!expected.has(file))
        counts.skipped += 1; // deleted
      else if (expected.get(file) === content) counts.unmodified += 1;
      else if (/(^|\/)src\//.test(file)) counts.ok += 1;
      else counts.skipped += 1; // written by the anchor
    }
  }
  return counts;
}

/**
 * jscodeshift starts one worker process per core but one; on a two-core machine that is a
 * single worker. To run several here, the jscodeshift process is told of four cores (os.cpus,
 * patched by a --require'd file): the only stand-in in this test, for cores the machine lacks.
 */
function fourCores(): Record<string, string> {
  const preload = path.join(tempDir("aa0-cores-"), "four-cores.js");
  fs.writeFileSync(
    preload,
    `const os = require("node:os");
const cpus = os.cpus();
os.cpus = () => [0, 1, 2, 3].map((i) => cpus[i % cpus.length]);
`,
  );
  return { NODE_OPTIONS: `--require ${preload}` };
}

describe.each([
  ["jscodeshift's default worker processes", [], () => ({})],
  ["three worker processes (four cores)", [], fourCores],
  ["--run-in-band", ["--run-in-band"], () => ({})],
])("with %s", (mode, flags: string[], env: () => Record<string, string>) => {
  it("every fixture's input/ becomes expected/ byte for byte, with truthful counts; a second run changes nothing", () => {
    const dirs = converted.map(repositoryOf);
    const first = jscodeshiftWith(env(), ...flags, ...dirs);
    if (mode.startsWith("three"))
      expect(first.output).toContain("Spawning 3 workers");
    expect(first.counts).toEqual(truthfulCounts(converted));
    expect(first.status).toBe(0);
    converted.forEach((name, i) => expectExpected(name, dirs[i]));
    // Both sides were given (each repository's root): no word of a side left out.
    expect(first.output).not.toContain("is not converted");
    expect(first.output).not.toMatch(/; its (server|admin) .* is not: /);

    // The user commits the conversion; the next run finds nothing to do.
    dirs.forEach(commitAll);
    const hashes = dirs.map(hashTree);
    const second = jscodeshiftWith(env(), ...flags, ...dirs);
    expect(second.status).toBe(0);
    expect(second.counts.ok + second.counts.error).toBe(0);
    expect(dirs.map(hashTree)).toEqual(hashes);
  });
});

it("--dry and --dry --print leave every tree byte-identical and count what a run would do", () => {
  const dirs = converted.map(repositoryOf);
  const hashes = dirs.map(hashTree);
  const dry = jscodeshift("--dry", ...dirs);
  expect(dry.counts).toEqual(truthfulCounts(converted));
  expect(dry.output).toMatch(/^created: [1-9]\d*$/m);
  expect(dirs.map(hashTree)).toEqual(hashes);
  // One app is enough for --print, which prints every converted file.
  const shop = dirs[converted.indexOf("shop-2025")];
  const printed = jscodeshift("--dry", "--print", "--run-in-band", shop);
  expect(printed.output).toContain("Auth0Payload"); // the converted files, on stdout
  expect(dirs.map(hashTree)).toEqual(hashes);
});

/** jscodeshift's error lines: one per file whose transform threw. */
const errorLines = (run: CliRun) =>
  run.output.split("\n").filter((line) => line.startsWith(" ERR "));

describe.each(refused)("refusal fixture %s", (name) => {
  it.each([
    ["jscodeshift's default worker processes", () => ({})],
    ["three worker processes (four cores)", fourCores],
  ])(
    "with %s: stays byte-identical, fails the run, and says the refusal once (one file's error; the others skipped)",
    (mode, env) => {
      const dir = repositoryOf(name);
      const hash = hashTree(dir);
      const refusal = fs
        .readFileSync(path.join(APPS, name, "expected-refusal.txt"), "utf8")
        .trim();
      const result = jscodeshiftWith(env(), dir);
      if (mode.startsWith("three"))
        expect(result.output).toContain("Spawning 3 workers");
      expect(result.status).toBe(1);
      const files = [...readTree(dir).keys()].filter((file) => TS.test(file));
      expect(result.counts).toEqual({
        error: 1,
        ok: 0,
        unmodified: expect.any(Number),
        skipped: files.length - 1 - result.counts.unmodified,
      });
      // The error is the refusal: the file, the rule, why, and the fix; said nowhere else.
      const [error, ...others] = errorLines(result);
      expect(others).toEqual([]);
      const message = error!.slice(error!.indexOf("Transformation error ("));
      expect(message).toContain(refusal);
      expect(message).toMatch(/rule \S+ refused: .* fix: /);
      expect(result.output.split(refusal)).toHaveLength(2);
      expect(hashTree(dir)).toBe(hash);
    },
  );
});

describe("one repository (shop-2025)", () => {
  const name = "shop-2025";

  // Found on a trial: the route said none of what apply says besides the files.
  it("says the security warnings and the run's warnings once, as apply does", () => {
    const dir = repositoryOf(name);
    // a root .env that still passes the local login's secret: a warning of the run
    fs.writeFileSync(path.join(dir, ".env"), "JWT_SECRET_KEY=Change_ME!!!\n");
    commitAll(dir);
    const result = jscodeshiftWith(fourCores(), dir);
    expect(result.status).toBe(0);
    for (const said of [
      "! users are found by email (email)",
      "! user.admins is empty",
      "! apps/shop-admin/vite.config.ts: define:",
      "warning: .env at the repository's root still passes the local login's JWT_SECRET_KEY",
    ])
      expect(result.output.split(said)).toHaveLength(2);
  });

  // Found on a trial: apply ends with what to do next, the route said nothing of it.
  it("says apply's next steps once each, and none on a dry run", () => {
    const dir = repositoryOf(name);
    const dry = jscodeshiftWith(fourCores(), dir, "--dry");
    expect(dry.status).toBe(0);
    expect(dry.output).not.toContain("next step:");
    const result = jscodeshiftWith(fourCores(), dir);
    expect(result.status).toBe(0);
    // the repository as the user typed it: from the folder jscodeshift ran in
    const typed = path.relative(scratch, dir);
    for (const said of [
      `next step: cd ${typed}/apps/shop-server && npm install`,
      `next step: cd ${typed}/apps/shop-admin && npm install`,
      `next step: amplication-auth0 provision ${typed}   (`,
      "next step: set in each deployed environment: apps/shop-server: AUTH0_AUDIENCE, AUTH0_ISSUER_URL",
      "next step: set at the admin's build: apps/shop-admin: VITE_REACT_APP_AUTH0_DOMAIN",
      "note: the .env files hold this run's values for local development",
    ])
      expect(result.output.split(said)).toHaveLength(2);
  });

  it("refuses uncommitted changes unless --allow-dirty is given", () => {
    const dir = repositoryOf(name);
    const edited = path.join(dir, "apps/shop-server/src/app.module.ts");
    fs.appendFileSync(edited, "// work in progress\n");
    const hash = hashTree(dir);
    const refused = jscodeshift(dir);
    expect(refused.status).toBe(1);
    expect(refused.counts.ok).toBe(0);
    expect(refused.output).toContain("uncommitted changes");
    expect(refused.output).toContain("--allow-dirty");
    expect(hashTree(dir)).toBe(hash);

    const allowed = jscodeshift("--allow-dirty=true", dir);
    expect(allowed.status).toBe(0);
    expect(allowed.counts.ok).toBeGreaterThan(0);
    const expected = fs.readFileSync(
      path.join(APPS, name, "expected/apps/shop-server/package.json"),
      "utf8",
    );
    expect(
      fs.readFileSync(path.join(dir, "apps/shop-server/package.json"), "utf8"),
    ).toBe(expected);
  });

  it.each([
    ["server", "apps/shop-server", "apps/shop-admin"],
    ["admin", "apps/shop-admin", "apps/shop-server"],
  ])(
    "given only the %s's src, converts that side completely, leaves the other, and says so once",
    (_side, given, other) => {
      const dir = repositoryOf(name);
      const result = jscodeshift(path.join(dir, given, "src"));
      expect(result.status).toBe(0);
      const actual = appTree(dir);
      const expected = readTree(path.join(APPS, name, "expected"));
      const input = readTree(path.join(APPS, name, "input"));
      const under = (tree: Map<string, string>, folder: string) =>
        new Map([...tree].filter(([file]) => file.startsWith(folder + "/")));
      expect(under(actual, given)).toEqual(under(expected, given));
      expect(under(actual, other)).toEqual(under(input, other));
      const mentions = result.output
        .split("\n")
        .filter((line) =>
          line.includes(`is not: this run was not given ${other}/src`),
        );
      expect(mentions).toHaveLength(1);
    },
  );

  /** Every file under `folder` of the tree, as it is. */
  const under = (tree: Map<string, string>, folder: string) =>
    new Map([...tree].filter(([file]) => file.startsWith(folder + "/")));
  const SERVER = "apps/shop-server";
  const ADMIN = "apps/shop-admin";

  it.each([
    [
      "--extensions=ts (the admin's App.tsx not visited)",
      (dir: string) => ["--extensions=ts", dir],
      "this run does not visit .tsx files such as apps/shop-admin/src/App.tsx: pass --extensions=ts,tsx",
    ],
    [
      "a folder inside the admin's src",
      (dir: string) => [
        path.join(dir, SERVER, "src"),
        path.join(dir, ADMIN, "src/auth-provider"),
      ],
      "this run was not given apps/shop-admin/src (or a folder holding it)",
    ],
    [
      "--ignore-pattern naming the admin's App.tsx",
      (dir: string) => ["--ignore-pattern=App.tsx", dir],
      "this run ignores apps/shop-admin/src/App.tsx (--ignore-pattern=App.tsx), which the conversion changes",
    ],
  ])(
    "given %s: converts the server, leaves every file of the admin as it is, and says why",
    (_case, args, why) => {
      const dir = repositoryOf(name);
      const result = jscodeshift(...args(dir));
      expect(result.status).toBe(0);
      const actual = appTree(dir);
      const expected = readTree(path.join(APPS, name, "expected"));
      const input = readTree(path.join(APPS, name, "input"));
      expect(under(actual, SERVER)).toEqual(under(expected, SERVER));
      expect(under(actual, ADMIN)).toEqual(under(input, ADMIN));
      expect(result.output).toContain(
        `converted shop's server (${SERVER}); its admin (${ADMIN}) is not: ${why}`,
      );
    },
  );

  it("an --ignore-pattern matching a file the conversion deletes (a spec) leaves that side as it is, and says why", () => {
    const dir = repositoryOf(name);
    const result = jscodeshift("--ignore-pattern=*.spec.ts", dir);
    expect(result.status).toBe(0);
    const actual = appTree(dir);
    const expected = readTree(path.join(APPS, name, "expected"));
    const input = readTree(path.join(APPS, name, "input"));
    expect(under(actual, SERVER)).toEqual(under(input, SERVER));
    expect(under(actual, ADMIN)).toEqual(under(expected, ADMIN));
    expect(result.output).toMatch(
      /converted shop's admin \(apps\/shop-admin\); its server \(apps\/shop-server\) is not: this run ignores apps\/shop-server\/src\/\S+\.spec\.ts \(--ignore-pattern=\*\.spec\.ts\), which the conversion changes/,
    );
  });

  it("given only the two anchor files, converts nothing and says why for each side", () => {
    const dir = repositoryOf(name);
    const hash = hashTree(dir);
    const result = jscodeshift(
      path.join(dir, SERVER, "src/auth/jwt/base/jwt.strategy.base.ts"),
      path.join(dir, ADMIN, "src/App.tsx"),
    );
    expect(result.status).toBe(0);
    expect(hashTree(dir)).toBe(hash);
    for (const [side, folder] of [
      ["server", SERVER],
      ["admin", ADMIN],
    ])
      expect(result.output).toContain(
        `shop's ${side} (${folder}) is not converted: this run was not given ${folder}/src (or a folder holding it)`,
      );
  });

  it("names a side of a service named after it without repeating the name", () => {
    // server + admin-ui: the service is called "server", as its folder is.
    const dir = repositoryOf("server-2022");
    const result = jscodeshift(path.join(dir, "server/src"));
    expect(result.status).toBe(0);
    expect(result.output).toContain(
      "converted the server (server); its admin (admin-ui) is not: this run was not given admin-ui/src (or a folder holding it)",
    );
    expect(result.output).not.toContain("server's server");
  });

  it("fails the run on a service apply refuses to leave alone (nothing in the repository convertible), as apply exits 1, and says so once", () => {
    const dir = copyTree(path.join(APPS, name, "input"));
    fs.copyFileSync(path.join(APPS, name, CONFIG), path.join(dir, CONFIG));
    fs.rmSync(path.join(dir, SERVER, "src/auth/jwt"), { recursive: true });
    commitAll(dir);
    const hash = hashTree(dir);
    const result = jscodeshift(dir);
    expect(result.status).toBe(1);
    expect(result.counts.ok).toBe(0);
    expect(result.counts.error).toBe(1); // said once, not for every file
    expect(errorLines(result)).toEqual([
      expect.stringContaining(
        "shop is not converted: its authentication is incomplete",
      ),
    ]);
    expect(hashTree(dir)).toBe(hash);
  });

  // The checks apply's commit makes of each file before it writes (src/commit/commit.ts) run
  // with the conversion, before jscodeshift is handed any file's text: else jscodeshift writes
  // the TypeScript files and only the anchor's commit of the others is refused. Read-only is
  // told by the mode, as apply tells it (a test run as root may write the file anyway).
  it.each([
    [".env of the server", `${SERVER}/.env`, 0o400],
    ["App.tsx of the admin", `${ADMIN}/src/App.tsx`, 0o444],
  ])(
    "a read-only %s, which apply refuses, fails the run as apply's refusal does, said once, and nothing is written",
    (_case, file, mode) => {
      const dir = repositoryOf(name);
      fs.chmodSync(path.join(dir, file), mode);
      const hash = hashTree(dir);
      const result = jscodeshift(
        path.join(dir, SERVER, "src"),
        path.join(dir, ADMIN, "src"),
      );
      expect(result.status).toBe(1);
      expect(result.counts.ok).toBe(0);
      // one file fails with the refusal, the others are skipped
      const visited = [...readTree(dir).keys()].filter(
        (visited) =>
          TS.test(visited) &&
          [SERVER, ADMIN].some((side) => visited.startsWith(`${side}/src/`)),
      );
      expect(result.counts.error).toBe(1);
      expect(result.counts.skipped).toBe(visited.length - 1);
      const octal = mode.toString(8).padStart(4, "0");
      expect(errorLines(result)).toEqual([
        expect.stringContaining(
          `${file}: is read-only (mode ${octal}), so it is not replaced`,
        ),
      ]);
      expect(result.output).toContain(
        "fix: make it writable (chmod u+w) and run again",
      );
      expect(hashTree(dir)).toBe(hash);
      // --dry says so too, as apply --dry-run does
      const dry = jscodeshift(
        "--dry",
        path.join(dir, SERVER, "src"),
        path.join(dir, ADMIN, "src"),
      );
      expect(dry.counts.ok).toBe(0);
      expect(dry.output).toContain(
        `${file}: is read-only (mode ${octal}), so it is not replaced`,
      );
    },
  );

  it("--dry on uncommitted changes says the run without it would refuse, and how to pass the option", () => {
    const dir = repositoryOf(name);
    fs.appendFileSync(
      path.join(dir, SERVER, "src/app.module.ts"),
      "// work in progress\n",
    );
    // once, not per side, whichever worker processes get the two sides
    for (const dry of [
      jscodeshift("--dry", "--run-in-band", dir),
      jscodeshiftWith(fourCores(), "--dry", dir),
    ]) {
      expect(dry.status).toBe(0);
      expect(dry.output.split("this run would refuse")).toHaveLength(2);
      expect(dry.output).toContain(
        `without --dry, this run would refuse: the folders to convert hold uncommitted changes (such as ${SERVER}/src/app.module.ts): commit them first, or pass --allow-dirty=true`,
      );
    }
    const refused = jscodeshift(dir);
    expect(refused.status).toBe(1);
    expect(refused.counts.error).toBe(1); // said once, not for every file
    expect(refused.output).toContain("or pass --allow-dirty=true");
    expect(refused.output).not.toMatch(/--allow-dirty(?!=true)/);
  });

  // Found on a trial: outside git, the runs' files (the texts of the files, a .env's with its
  // secrets among them) sat in .amplication-auth0/, which a later `git add .` took.
  it("outside a git repository, what the worker processes share stays in .amplication-auth0, which git never takes", () => {
    const dir = copyTree(path.join(APPS, name, "input"));
    fs.copyFileSync(path.join(APPS, name, CONFIG), path.join(dir, CONFIG));
    expect(jscodeshift("--dry", dir).status).toBe(0);
    const store = path.join(dir, ".amplication-auth0");
    expect(
      fs.readdirSync(path.join(store, "jscodeshift")).length,
    ).toBeGreaterThan(0);
    const git = (...args: string[]) =>
      spawnSync("git", args, { cwd: dir, encoding: "utf8" }).stdout;
    git("init", "-q");
    git("add", "-A");
    const staged = git("diff", "--cached", "--name-only").split("\n");
    expect(staged).toContain(CONFIG);
    expect(
      staged.filter((file) => file.startsWith(".amplication-auth0")),
    ).toEqual([]);
  });

  it("keeps what its worker processes share in the repository (.git/amplication-auth0), readable by the user alone, and a later run removes it", () => {
    const dir = repositoryOf(name);
    const tmp = tempDir("aa0-tmpdir-");
    const store = path.join(dir, ".git/amplication-auth0/jscodeshift");
    const run = () =>
      jscodeshiftWith({ TMPDIR: tmp, TMP: tmp, TEMP: tmp }, "--dry", dir);
    expect(run().status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]); // nothing of the run outside the repository
    expect(fs.statSync(store).mode & 0o777).toBe(0o700);
    const first = fs.readdirSync(store);
    expect(first.some((entry) => entry.endsWith(".json"))).toBe(true);
    for (const entry of first)
      expect(fs.statSync(path.join(store, entry)).mode & 0o077).toBe(0);
    expect(run().status).toBe(0);
    // the first run's jscodeshift process is gone: its files went with the second run
    expect(
      fs.readdirSync(store).filter((entry) => first.includes(entry)),
    ).toEqual([]);
  });
});
