/**
 * Every react-admin UI of every whole-app fixture (fixtures/apps/<name>/{input,expected}/) passes
 * `tsc --noEmit` with its own tsconfig against real dependencies: react-admin 3 (Create React App)
 * admins against scripts/typecheck/admin-ra3, react-admin 5 (Vite) admins against
 * scripts/typecheck/admin-ra5, each installed once per lock file into .tmp/ (see
 * scripts/typecheck/typecheck-admins.ts). Vite admins of expected/ trees must also `vite build`,
 * and the Auth0 settings of a converted admin must reach the bundle from its .env through
 * import.meta.env.
 *
 * Controls prove the harness can fail: a deliberate type error fails, a tsconfig that compiles
 * nothing fails, and a Vite build with a broken import fails.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  adminKind,
  buildViteAdmin,
  disposeViteBuild,
  ensureAdminWorkspace,
  findAdmins,
  readBundle,
  typecheckAdmin,
  typecheckAdminAsync,
  type AdminKind,
  type TypecheckResult,
  type ViteBuildResult,
} from "../scripts/typecheck/typecheck-admins";
import { readDotenv } from "../scripts/typecheck/workspace";

// The first run installs the workspaces (react-admin 5 + Vite about 35 s, react-admin 3 about
// 10-20 s, longer on a cold npm cache); a Vite build takes about 15 s.
jest.setTimeout(10 * 60 * 1000);

const APPS = path.resolve(__dirname, "../fixtures/apps");
const TREES = ["input", "expected"] as const;
const AUTH0_PREFIX = "VITE_REACT_APP_AUTH0_";
const SERVER_URL = "VITE_REACT_APP_SERVER_URL";
const NO_CONVERTED_ADMIN =
  "no converted Vite admin has VITE_REACT_APP_AUTH0_* in .env yet";

const apps = fs.existsSync(APPS)
  ? fs
      .readdirSync(APPS)
      .filter((name) => fs.existsSync(path.join(APPS, name, "input")))
      .sort()
  : [];

interface Admin {
  app: string;
  tree: (typeof TREES)[number];
  /** Relative to the tree, e.g. "apps/shop-admin". */
  rel: string;
  dir: string;
  kind: AdminKind;
}

const admins: Admin[] = apps.flatMap((app) =>
  TREES.flatMap((tree) => {
    const root = path.join(APPS, app, tree);
    return findAdmins(root).map((dir) => ({
      app,
      tree,
      rel: path.relative(root, dir),
      dir,
      kind: adminKind(dir),
    }));
  }),
);
const label = (admin: Admin) => `${admin.app}/${admin.tree}/${admin.rel}`;
const kindsInUse = [...new Set(admins.map((admin) => admin.kind))].sort();
const viteAdmins = admins.filter((admin) => admin.kind === "ra5");

/** The .env variables of an admin whose names start with `prefix`. */
function envVars(admin: Admin, prefix: string): Array<[string, string]> {
  return Object.entries(readDotenv(path.join(admin.dir, ".env"))).filter(
    ([name]) => name.startsWith(prefix),
  );
}

/** Hash of every file of an admin (what a build depends on), to build identical trees once. */
function contentKey(dir: string): string {
  const hash = createHash("sha256");
  const walk = (sub: string) => {
    const entries = fs
      .readdirSync(path.join(dir, sub), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        if (!["node_modules", "dist", "build"].includes(entry.name)) walk(rel);
      } else if (entry.isFile()) {
        hash.update(`${rel}\0`);
        hash.update(fs.readFileSync(path.join(dir, rel)));
        hash.update("\0");
      }
    }
  };
  walk("");
  return hash.digest("hex");
}

const builds = new Map<string, ViteBuildResult>();

/** Builds an admin once per distinct content; the output stays until afterAll. */
function build(admin: Admin): ViteBuildResult {
  const key = contentKey(admin.dir);
  let result = builds.get(key);
  if (!result) {
    result = buildViteAdmin(admin.dir);
    builds.set(key, result);
  }
  return result;
}

function expectBuildOk(admin: Admin): string {
  const result = build(admin);
  if (!result.ok) {
    throw new Error(`vite build failed for ${label(admin)}:\n${result.output}`);
  }
  const bundle = readBundle(result.outDir);
  expect(bundle.length).toBeGreaterThan(0);
  return bundle;
}

/** Does the bundle hold `value`, as written or as escaped inside a JS string literal? */
function bundleHas(bundle: string, value: string): boolean {
  return (
    bundle.includes(value) ||
    bundle.includes(JSON.stringify(value).slice(1, -1))
  );
}

/** Every file below `dir`/src (relative path and text). */
function sourceFiles(dir: string): Array<[string, string]> {
  const files: Array<[string, string]> = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), {
      withFileTypes: true,
    })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile())
        files.push([rel, fs.readFileSync(path.join(dir, rel), "utf8")]);
    }
  };
  if (fs.existsSync(path.join(dir, "src"))) walk("src");
  return files;
}

/** Error lines of tsc's output (`file(line,col): error TSxxxx: ...`). */
function errorLines(output: string): string[] {
  return output.split("\n").filter((line) => /error TS\d+/.test(line));
}

/** Runs at most `concurrency` tasks at once, in the order they were scheduled. */
function limiter(concurrency: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < concurrency) start();
      else waiting.push(start);
    });
}

// tsc is mostly single-threaded: check several admins at once (two on the 2-core CI machine).
// The first type-check test starts them all; each test awaits its own admin's result.
const TSC_CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism()));
const typechecks = new Map<string, Promise<TypecheckResult>>();

function typecheckOf(admin: Admin): Promise<TypecheckResult> {
  if (typechecks.size === 0) {
    const schedule = limiter(TSC_CONCURRENCY);
    for (const each of admins) {
      typechecks.set(
        each.dir,
        schedule(() => typecheckAdminAsync(each.dir)),
      );
    }
  }
  return typechecks.get(admin.dir)!;
}

beforeAll(() => {
  for (const kind of kindsInUse) ensureAdminWorkspace(kind);
});

afterAll(async () => {
  await Promise.all(typechecks.values());
  for (const result of builds.values()) disposeViteBuild(result);
});

test("there is at least one whole-app fixture with an admin", () => {
  expect(apps.length).toBeGreaterThan(0);
  expect(admins.length).toBeGreaterThan(0);
});

describe.each(apps.length > 0 ? apps : ["(none)"])("app fixture %s", (app) => {
  const inputAdmins = admins
    .filter((admin) => admin.app === app && admin.tree === "input")
    .map((admin) => admin.rel);
  const expectedAdmins = admins
    .filter((admin) => admin.app === app && admin.tree === "expected")
    .map((admin) => admin.rel);

  if (fs.existsSync(path.join(APPS, app, "expected"))) {
    it("expected/ has the same admins as input/", () => {
      expect(expectedAdmins).toEqual(inputAdmins);
    });
  }

  for (const admin of admins.filter((a) => a.app === app)) {
    it(`${admin.tree}/${admin.rel} [${admin.kind}] passes tsc --noEmit`, async () => {
      const result = await typecheckOf(admin);
      if (!result.ok) {
        throw new Error(
          `tsc --noEmit failed for ${label(admin)}:\n${result.output}`,
        );
      }
      expect(result.ok).toBe(true);
    });
  }
  // What a Create React App admin's own lock file installs: TypeScript 4.3, which cannot parse
  // the typings of @auth0/auth0-spa-js 2.4 and later (their `import { type X }`).
  for (const admin of admins.filter(
    (a) => a.app === app && a.tree === "expected" && a.kind === "ra3",
  )) {
    it(`${admin.tree}/${admin.rel} [ra3] passes tsc --noEmit with TypeScript 4.3.5, where its package.json starts`, () => {
      const result = typecheckAdmin(admin.dir, "typescript-4.3");
      if (!result.ok) {
        throw new Error(
          `TypeScript 4.3 tsc --noEmit failed for ${label(admin)}:\n${result.output}`,
        );
      }
      expect(result.ok).toBe(true);
    });
  }
});

describe("Vite admins build", () => {
  const expectedVite = viteAdmins.filter((admin) => admin.tree === "expected");
  const inputWithServerUrl = viteAdmins.filter(
    (admin) => admin.tree === "input" && envVars(admin, SERVER_URL).length > 0,
  );

  for (const admin of expectedVite) {
    it(`${label(admin)} builds with vite build`, () => {
      expectBuildOk(admin);
    });
  }

  it("there is an input Vite admin with VITE_REACT_APP_SERVER_URL in .env", () => {
    expect(inputWithServerUrl.map(label)).toContain(
      "shop-2025/input/apps/shop-admin",
    );
  });

  // The build path works today: the server URL reaches the bundle from .env.
  for (const admin of inputWithServerUrl) {
    it(`${label(admin)} builds and its bundle holds the ${SERVER_URL} value from .env`, () => {
      const bundle = expectBuildOk(admin);
      for (const [name, value] of envVars(admin, SERVER_URL)) {
        expect(value).not.toBe("");
        if (!bundleHas(bundle, value)) {
          throw new Error(
            `${label(admin)}: the bundle does not contain ${name}=${value} from .env`,
          );
        }
      }
    });
  }
});

describe("converted Vite admins take their Auth0 settings from .env", () => {
  const converted = viteAdmins.filter(
    (admin) =>
      admin.tree === "expected" && envVars(admin, AUTH0_PREFIX).length > 0,
  );

  it("at least one converted (expected/) Vite admin has VITE_REACT_APP_AUTH0_* in .env", () => {
    if (converted.length === 0) throw new Error(NO_CONVERTED_ADMIN);
    expect(converted.length).toBeGreaterThan(0);
  });

  for (const admin of converted) {
    const vars = envVars(admin, AUTH0_PREFIX);

    it(`${label(admin)}: every ${AUTH0_PREFIX}* value of .env is in the built bundle`, () => {
      const bundle = expectBuildOk(admin);
      const missing: string[] = [];
      for (const [name, value] of vars) {
        if (value === "") missing.push(`${name} is empty in .env`);
        else if (!bundleHas(bundle, value))
          missing.push(`${name}=${value} is not in the bundle`);
      }
      expect(missing).toEqual([]);
    });

    it(`${label(admin)}: src/ reads the ${AUTH0_PREFIX}* variables and hard-codes none of their values`, () => {
      const sources = sourceFiles(admin.dir);
      const problems: string[] = [];
      for (const [name, value] of vars) {
        if (!sources.some(([, text]) => text.includes(name)))
          problems.push(`${name} is not read anywhere in src/`);
        for (const [rel, text] of sources) {
          if (value !== "" && text.includes(value))
            problems.push(`${rel} hard-codes the value of ${name} (${value})`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("harness controls", () => {
  const scratch: string[] = [];

  /** A copy of `admin` in a fresh temp folder, edited by `edit`. */
  function editedCopy(admin: Admin, edit: (copy: string) => void): string {
    const tmp = fs.mkdtempSync(
      path.join(os.tmpdir(), "typecheck-admin-control-"),
    );
    scratch.push(tmp);
    const copy = path.join(tmp, path.basename(admin.dir));
    fs.cpSync(admin.dir, copy, { recursive: true });
    edit(copy);
    return copy;
  }

  afterAll(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has a Vite admin to use", () => {
    expect(viteAdmins.length).toBeGreaterThan(0);
  });

  // One control per admin generation that the fixtures use (describe.each rejects an empty table;
  // with no admin at all, the first test of this file fails instead).
  describe.each(kindsInUse.length > 0 ? kindsInUse : ["none"])("%s", (kind) => {
    const admin =
      admins.find((a) => a.kind === kind && a.tree === "input") ??
      admins.find((a) => a.kind === kind);
    if (!admin) return;
    const CONTROL_FILE = path.join("src", "typecheck-control.ts");

    it("fails on a deliberate type error", () => {
      const copy = editedCopy(admin, (dir) => {
        fs.writeFileSync(
          path.join(dir, CONTROL_FILE),
          'export const typecheckNegativeControl: number = "a";\n',
        );
      });
      const result = typecheckAdmin(copy);
      expect(result.ok).toBe(false);
      const errors = errorLines(result.output);
      expect(errors.length).toBe(1);
      expect(errors[0]).toContain(CONTROL_FILE);
      expect(errors[0]).toContain("TS2322");
    });

    if (kind === "ra3") {
      it("with TypeScript 4.3, fails on `import { type X }` (TypeScript 4.5 syntax) in a declaration file", () => {
        const copy = editedCopy(admin, (dir) => {
          fs.writeFileSync(
            path.join(dir, "src", "typecheck-control-a.d.ts"),
            "export interface A {}\n",
          );
          fs.writeFileSync(
            path.join(dir, "src", "typecheck-control-b.d.ts"),
            'import { type A } from "./typecheck-control-a";\nexport type B = A;\n',
          );
        });
        expect(typecheckAdmin(copy).ok).toBe(true);
        const old = typecheckAdmin(copy, "typescript-4.3");
        expect(old.ok).toBe(false);
        expect(errorLines(old.output)[0]).toContain("typecheck-control-b.d.ts");
      });
    }

    it("fails when the tsconfig compiles none of the admin's files", () => {
      const copy = editedCopy(admin, (dir) => {
        const tsconfig = path.join(dir, "tsconfig.json");
        fs.renameSync(tsconfig, path.join(dir, "tsconfig.app.json"));
        // A solution-style tsconfig (as newer Vite templates write): `tsc -p`, unlike `tsc -b`,
        // exits 0 with it without compiling anything.
        fs.writeFileSync(
          tsconfig,
          JSON.stringify(
            { files: [], references: [{ path: "./tsconfig.app.json" }] },
            null,
            2,
          ),
        );
      });
      const result = typecheckAdmin(copy);
      expect(result.ok).toBe(false);
      expect(result.output).toContain("compiled none of the admin's own files");
    });
  });

  it("a Vite build with a broken import fails", () => {
    const admin = viteAdmins.find((a) => a.tree === "input") ?? viteAdmins[0];
    if (!admin) throw new Error("no Vite admin in the fixtures");
    const copy = editedCopy(admin, (dir) => {
      const main = ["src/index.tsx", "src/main.tsx", "src/App.tsx"]
        .map((rel) => path.join(dir, rel))
        .find((file) => fs.existsSync(file))!;
      fs.appendFileSync(
        main,
        '\nimport "./typecheck-control-missing-module";\n',
      );
    });
    const result = buildViteAdmin(copy);
    try {
      expect(result.ok).toBe(false);
      expect(result.output).toContain("typecheck-control-missing-module");
    } finally {
      disposeViteBuild(result);
    }
  });
});
