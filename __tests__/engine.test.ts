/**
 * The engine's promises: a refused, failed or dirty run writes nothing; the dry run writes
 * nothing; the commit is all or nothing even when the disk fails half way.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeCommitFs, type CommitFs } from "../src/commit/commit";
import { CommitError } from "../src/commit/commit";
import { DirtyTreeError } from "../src/commit/git";
import { run } from "../src/engine/run";
import { RULES } from "../src/plan/rules";
import { RuleRefusal } from "../transforms/lib/refusal";
import { copyTree, hashTree } from "./helpers/files";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const configFile = path.join(EXAMPLE, "auth0.config.json");
const AUTH_MODULE = "apps/shop-server/src/auth/auth.module.ts";

function exampleCopy(): string {
  return copyTree(path.join(EXAMPLE, "input"));
}

/**
 * The setEnv verb (both env-auth0 rows use it), mocked once for the file: the real edit, unless
 * a test sets a fault (`edit` in place of the verb's edit on the files `only` picks), reset after
 * each test.
 */
const mockSetEnvFault: {
  only?: (file: string) => boolean;
  edit?: (source: string | undefined) => string;
} = {};

jest.mock("../transforms/verbs/set-env", () => {
  const actual = jest.requireActual(
    "../transforms/verbs/set-env",
  ) as typeof import("../transforms/verbs/set-env");
  return {
    ...actual,
    setEnv: (settings: Parameters<typeof actual.setEnv>[0]) => ({
      kind: "edit",
      load: () => {
        const real = actual.setEnvEdit(settings);
        return (
          source: string | undefined,
          context: Parameters<typeof real>[1],
          file: string,
        ) =>
          mockSetEnvFault.only?.(file)
            ? mockSetEnvFault.edit!(source)
            : real(source, context, file);
      },
    }),
  };
});

afterEach(() => {
  delete mockSetEnvFault.only;
  delete mockSetEnvFault.edit;
});

/** Makes dir a git repository with everything in it committed, as a user's repository is. */
function commitEverything(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", "-A");
  git(
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.com",
    "commit",
    "-qm",
    "generated",
  );
}

/** A user's edit that server/auth-module-passport-jwt refuses: PassportModule leaves AuthModule. */
function removePassportModule(dir: string): void {
  const file = path.join(dir, AUTH_MODULE);
  fs.writeFileSync(
    file,
    fs.readFileSync(file, "utf8").replace(/^\s*PassportModule,\n/m, ""),
  );
}

describe("engine", () => {
  it("refuses a file a user changed and writes nothing at all", async () => {
    const dir = exampleCopy();
    removePassportModule(dir);
    const hash = hashTree(dir);
    const attempt = run({ root: dir, configFile, command: "apply" });
    await expect(attempt).rejects.toBeInstanceOf(RuleRefusal);
    await expect(attempt).rejects.toThrow(
      `${AUTH_MODULE}: rule server/auth-module-passport-jwt refused`,
    );
    expect(hashTree(dir)).toBe(hash);
  });

  it("writes nothing when the last rule fails on its last file", async () => {
    const dir = exampleCopy();
    const hash = hashTree(dir);
    mockSetEnvFault.only = (file) => file === "apps/shop-admin/.env";
    mockSetEnvFault.edit = () => {
      throw new Error("forced failure of the last rule");
    };
    expect(RULES[RULES.length - 1].id).toBe("admin/env-auth0");
    await expect(
      run({ root: dir, configFile, command: "apply" }),
    ).rejects.toThrow("forced failure");
    expect(hashTree(dir)).toBe(hash);
  });

  it("puts every file back when the disk fails while swapping files in", async () => {
    const dir = exampleCopy();
    const hash = hashTree(dir);
    let renames = 0;
    const failingFs: CommitFs = {
      ...nodeCommitFs,
      renameSync: (from, to) => {
        renames += 1;
        if (renames === 3) throw new Error("EIO: simulated disk failure");
        fs.renameSync(from, to);
      },
    };
    const attempt = run({
      root: dir,
      configFile,
      command: "apply",
      commitFs: failingFs,
    });
    await expect(attempt).rejects.toBeInstanceOf(CommitError);
    await expect(attempt).rejects.toThrow("every file was left as it was");
    expect(renames).toBeGreaterThanOrEqual(3);
    expect(hashTree(dir)).toBe(hash);
  });

  it("refuses uncommitted work in the folders it converts unless --allow-dirty", async () => {
    const dir = exampleCopy();
    commitEverything(dir);
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/src/main.ts"),
      "// work in progress\n",
    );
    const hash = hashTree(dir);
    await expect(
      run({ root: dir, configFile, command: "apply" }),
    ).rejects.toBeInstanceOf(DirtyTreeError);
    expect(hashTree(dir)).toBe(hash);
    const result = await run({
      root: dir,
      configFile,
      command: "apply",
      allowDirty: true,
    });
    expect(result.written).toBe(true);
  });

  // Found on a trial: "commit them first" for an untracked .env would put its secrets in git.
  it("an uncommitted .env: the refusal says to ignore a .env git does not track, not to commit it; another file: no such word", async () => {
    const dir = exampleCopy();
    fs.renameSync(
      path.join(dir, "apps/shop-server/.env"),
      path.join(dir, "env.keep"),
    );
    commitEverything(dir);
    fs.renameSync(
      path.join(dir, "env.keep"),
      path.join(dir, "apps/shop-server/.env"),
    );
    const attempt = run({ root: dir, configFile, command: "apply" });
    await expect(attempt).rejects.toBeInstanceOf(DirtyTreeError);
    await expect(attempt).rejects.toThrow(
      "a .env that git does not track yet holds secrets: add it to .gitignore rather than commit it",
    );
    fs.appendFileSync(path.join(dir, ".gitignore"), "apps/shop-server/.env\n");
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/src/main.ts"),
      "// wip\n",
    );
    commitEverything(dir);
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/src/main.ts"),
      "// more\n",
    );
    const other = run({ root: dir, configFile, command: "apply" });
    await expect(other).rejects.toBeInstanceOf(DirtyTreeError);
    await expect(other).rejects.not.toThrow(".gitignore");
  });

  it("reports uncommitted work before a refusal (git runs while the rules do)", async () => {
    const dir = exampleCopy();
    commitEverything(dir);
    // An uncommitted edit that also makes a rule refuse its file.
    removePassportModule(dir);
    const hash = hashTree(dir);
    const attempt = run({ root: dir, configFile, command: "apply" });
    await expect(attempt).rejects.toBeInstanceOf(DirtyTreeError);
    await expect(attempt).rejects.toThrow(AUTH_MODULE);
    expect(hashTree(dir)).toBe(hash);
    await expect(
      run({ root: dir, configFile, command: "apply", allowDirty: true }),
    ).rejects.toBeInstanceOf(RuleRefusal);
  });

  it("fails, naming the rule, when a second pass would change the result again", async () => {
    const dir = exampleCopy();
    const hash = hashTree(dir);
    mockSetEnvFault.only = (file) => file === "apps/shop-server/.env";
    mockSetEnvFault.edit = (source) => `${source ?? ""}# touched again\n`;
    await expect(
      run({ root: dir, configFile, command: "apply" }),
    ).rejects.toThrow(
      /not idempotent[\s\S]*apps\/shop-server\/\.env: rule server\/env-auth0/,
    );
    expect(hashTree(dir)).toBe(hash);
  });

  it("formats rewritten files with the app's own Prettier config", async () => {
    const dir = exampleCopy();
    fs.writeFileSync(
      path.join(dir, "apps/shop-server/.prettierrc"),
      JSON.stringify({ singleQuote: true }),
    );
    await run({ root: dir, configFile, command: "apply", allowDirty: true });
    const authModule = fs.readFileSync(path.join(dir, AUTH_MODULE), "utf8");
    expect(authModule).toContain(
      "PassportModule.register({ defaultStrategy: 'jwt' })",
    );
    expect(authModule).toContain("from '@nestjs/common'");
  });

  it("reports services it cannot convert and leaves them untouched", async () => {
    const dir = exampleCopy();
    fs.cpSync(
      path.resolve(__dirname, "../fixtures/detect/no-auth/apps/catalog-server"),
      path.join(dir, "apps/catalog-server"),
      {
        recursive: true,
      },
    );
    const result = await run({ root: dir, configFile, command: "apply" });
    const catalog = result.services.find((s) => s.name === "catalog");
    expect(catalog?.unsupported).toMatch(/no authentication/);
    expect(result.changes.every((c) => c.file.startsWith("apps/shop-"))).toBe(
      true,
    );
    expect(result.changes.length).toBeGreaterThan(0);
  });

  // The sources are listed and read ahead on a worker (DiskTree.prefetch); the importer checks
  // must still see every user file that imports a file before it goes.
  it("keeps a file that a user file imports with `import type` by a relative path (server: refused)", async () => {
    const dir = exampleCopy();
    const user = "apps/shop-server/src/custom/deep/uses-token.ts";
    fs.mkdirSync(path.dirname(path.join(dir, user)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, user),
      'import type { ITokenService } from "../../auth/ITokenService";\nexport type T = ITokenService;\n',
    );
    const hash = hashTree(dir);
    const attempt = run({ root: dir, configFile, command: "apply" });
    await expect(attempt).rejects.toBeInstanceOf(RuleRefusal);
    await expect(attempt).rejects.toThrow(
      `apps/shop-server/src/auth/ITokenService.ts: rule server/remove-local-login refused`,
    );
    await expect(attempt).rejects.toThrow(user);
    expect(hashTree(dir)).toBe(hash);
  });

  it("keeps an admin file that a user file imports by a relative path, and what it imports", async () => {
    const dir = exampleCopy();
    const admin = "apps/shop-admin/src";
    const user = `${admin}/custom/deep/session.ts`;
    fs.mkdirSync(path.dirname(path.join(dir, user)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, user),
      'import { jwtAuthProvider } from "../../auth-provider/ra-auth-jwt";\nexport const legacy = jwtAuthProvider;\n',
    );
    const result = await run({ root: dir, configFile, command: "apply" });
    const deleted = result.changes
      .filter((change) => change.after === undefined)
      .map((change) => change.file);
    expect(deleted).not.toContain(`${admin}/auth-provider/ra-auth-jwt.ts`);
    expect(deleted).not.toContain(`${admin}/types.ts`);
    expect(deleted).toContain(`${admin}/auth-provider/ra-auth-http.ts`);
    expect(
      fs.existsSync(path.join(dir, admin, "auth-provider/ra-auth-jwt.ts")),
    ).toBe(true);
  });
});
