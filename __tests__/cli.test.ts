/** The command line: help, exit codes, messages on stderr, init. */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { copyTree, hashTree, tempDir } from "./helpers/files";
import { runCli, type CliRun } from "./helpers/cli";
import { builtPackage } from "./helpers/build";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

function exampleWithConfig(): string {
  const dir = copyTree(path.join(EXAMPLE, "input"));
  fs.copyFileSync(
    path.join(EXAMPLE, "auth0.config.json"),
    path.join(dir, "auth0.config.json"),
  );
  return dir;
}

/** The example app with these lines added to its User model (after lastName). */
function exampleWithUserFields(lines: string): string {
  const dir = copyTree(path.join(EXAMPLE, "input"));
  const schema = path.join(dir, "apps/shop-server/prisma/schema.prisma");
  fs.writeFileSync(
    schema,
    fs
      .readFileSync(schema, "utf8")
      .replace("  lastName  String?\n", `  lastName  String?\n${lines}`),
  );
  return dir;
}

/** git in dir as the author `who`. */
function as(dir: string, who: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", `user.name=${who}`, "-c", "user.email=x@example.com", ...args],
    { cwd: dir, stdio: "pipe", encoding: "utf8" },
  );
}

function readConfig(dir: string) {
  return JSON.parse(
    fs.readFileSync(path.join(dir, "auth0.config.json"), "utf8"),
  );
}

/** What the user does after init: the tenant's three values in place of the placeholders. */
function fillInTenant(dir: string, config: { auth0: unknown }): void {
  config.auth0 = {
    domain: "shop-dev.eu.auth0.com",
    clientId: "Xb3kLq9ZP0aTn4Rv7sUw2YcE5fHg8JdM",
    audience: "https://api.shop.example",
  };
  fs.writeFileSync(path.join(dir, "auth0.config.json"), JSON.stringify(config));
}

describe("cli", () => {
  it("--help explains every command and the exit codes", async () => {
    const { code, out } = await cli("--help");
    expect(code).toBe(0);
    for (const word of [
      "init",
      "apply",
      "check",
      "rules",
      "Exit codes",
      "--allow-dirty",
    ])
      expect(out).toContain(word);
    // as init exits where nothing can be converted (tested below)
    expect(out).toMatch(
      /\n {2}1 {2}[^]*no service in\s+the repository convertible \(apply, check, init[^]*\n {2}2 {2}/,
    );
    const apply = await cli("apply", "--help");
    for (const flag of [
      "--config",
      "--dry-run",
      "--json",
      "--allow-dirty",
      "--no-color",
    ])
      expect(apply.out).toContain(flag);
  });

  it("exits 2 on an unknown command or option", async () => {
    expect((await cli("convert")).code).toBe(2);
    expect((await cli("apply", "--frobnicate")).code).toBe(2);
  });

  it("exits 2 on a bad config, names the file and the path, and writes nothing", async () => {
    const dir = exampleWithConfig();
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify({ auth0: { domain: "acme.eu.auth0.com", clientId: "x" } }),
    );
    const hash = hashTree(dir);
    const { code, err } = await cli("apply", dir, "--allow-dirty");
    expect(code).toBe(2);
    expect(err).toContain("auth0.config.json: invalid configuration");
    expect(err).toContain("auth0.audience: is required");
    expect(hashTree(dir)).toBe(hash);
  });

  it("check exits 1 before apply and 0 after; --json is machine-readable", async () => {
    const dir = exampleWithConfig();
    const before = await cli("check", dir, "--json");
    expect(before.code).toBe(1);
    const report = JSON.parse(before.out);
    expect(report.services[0]).toMatchObject({
      name: "shop",
      status: "pending",
      era: "G",
      entity: "User",
    });
    expect(report.services[0]).not.toHaveProperty("converted");
    expect(report.files.map((f: { file: string }) => f.file)).toContain(
      "apps/shop-server/.env",
    );
    expect(report.security.settings.audience).toBe("https://api.shop.example");
    expect(report.security.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^users are found by email/),
      }),
      expect.objectContaining({
        message: expect.stringMatching(/^user\.admins is empty/),
      }),
      expect.objectContaining({ file: "apps/shop-admin/vite.config.ts" }),
    ]);
    expect(report.nextSteps).toEqual([]); // nothing written
    // apply --json says the next steps the human report lists, from the repository's root
    const applied = await cli("apply", dir, "--json");
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.out).nextSteps).toEqual([
      {
        folder: "apps/shop-server",
        text: "cd apps/shop-server && npm install   (its dependencies changed; commit the lock file it updates)",
      },
      {
        folder: "apps/shop-admin",
        text: "cd apps/shop-admin && npm install   (its dependencies changed; commit the lock file it updates)",
      },
      {
        folder: null,
        text: "amplication-auth0 provision   (if your Auth0 tenant has no API, single-page application and email-claims Action yet)",
      },
      {
        folder: "apps/shop-server",
        text: 'update any other client of apps/shop-server (a mobile app, a script, an end-to-end test): its POST /api/login and GraphQL login mutation are gone; such a client signs in with Auth0 and sends the access token as "Authorization: Bearer <token>"',
      },
      {
        folder: "apps/shop-server",
        text: "set in each deployed environment: apps/shop-server: AUTH0_AUDIENCE, AUTH0_ISSUER_URL",
      },
      {
        folder: "apps/shop-admin",
        text: expect.stringMatching(
          /^set at the admin's build: apps\/shop-admin: VITE_REACT_APP_AUTH0_DOMAIN, /,
        ),
      },
    ]);
    expect((await cli("check", dir)).code).toBe(0);
    const after = JSON.parse((await cli("check", dir, "--json")).out);
    expect(after.services[0].status).toBe("converted");
  });

  it('roles from Auth0 in the "permissions" claim: check, apply and --json warn, naming user.roles.claim and the default claim', async () => {
    const dir = exampleWithConfig();
    const config = readConfig(dir);
    config.user = { roles: { source: "auth0", claim: "permissions" } };
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify(config),
    );
    const warning =
      /user\.roles\.claim is "permissions": Auth0 puts the API's permission names there/;
    const fix =
      /remove user\.roles\.claim: its default, "https:\/\/api\.shop\.example\/roles"/;
    const json = JSON.parse((await cli("check", dir, "--json")).out);
    expect(json.security.warnings).toContainEqual({
      message: expect.stringMatching(warning),
      fix: expect.stringMatching(fix),
    });
    const check = await cli("check", dir, "--no-color");
    expect(check.code).toBe(1); // a warning, not a refusal: the files are pending
    expect(check.out).toMatch(warning);
    const apply = await cli("apply", dir, "--no-color");
    expect(apply.code).toBe(0);
    expect(apply.out).toMatch(warning);
    expect(apply.out).toMatch(fix);
  });

  it("check prints one line per pending file or problem and one summary line; --verbose lists every rule", async () => {
    const dir = exampleWithConfig();
    const pending = await cli("check", dir, "--json");
    const files: string[] = JSON.parse(pending.out).files.map(
      (f: { action: string; file: string }) =>
        `  ${f.action.padEnd(6)} ${f.file}`,
    );
    const before = (await cli("check", dir)).out.trimEnd().split("\n");
    // the pending files, the email-mode, no-administrator and vite.config.ts warnings, a blank
    // line, the summary
    expect(before).toEqual([
      ...files,
      expect.stringMatching(/^! users are found by email \(email\)/),
      expect.stringContaining("! user.admins is empty"),
      expect.stringContaining("! apps/shop-admin/vite.config.ts: define:"),
      "",
      expect.stringMatching(
        /^\d+ files pending \(run `amplication-auth0 apply`/,
      ),
    ]);
    expect(files).toContain("  update apps/shop-server/.env");
    expect((await cli("apply", dir)).code).toBe(0);
    const { code, out } = await cli("check", dir);
    expect(code).toBe(0);
    expect(out.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^! users are found by email \(email\)/),
      expect.stringContaining("! user.admins is empty"),
      expect.stringContaining("! apps/shop-admin/vite.config.ts"),
      "",
      "nothing to change: already converted; 1 service(s) converted",
    ]);
    const verbose = await cli("check", dir, "--verbose");
    expect(verbose.out).toMatch(
      /· unchanged server\/jwt-strategy +apps\/shop-server/,
    );
    expect(verbose.out).toContain("Security settings:");
  });

  it("apply ends with the next steps: npm install where dependencies changed, provision, the env variables", async () => {
    const dir = exampleWithConfig();
    const { code, out } = await cli("apply", dir, "--allow-dirty");
    expect(code).toBe(0);
    const steps = out.slice(out.indexOf("Next steps:"));
    // from the working folder, with the repository as the command was given it
    expect(steps).toContain(`cd ${dir}/apps/shop-server && npm install`);
    expect(steps).toContain(`cd ${dir}/apps/shop-admin && npm install`);
    expect(steps).toContain(`amplication-auth0 provision ${dir} `);
    expect(steps).toContain(
      "apps/shop-server: AUTH0_AUDIENCE, AUTH0_ISSUER_URL",
    );
    expect(steps).toContain("apps/shop-admin: VITE_REACT_APP_AUTH0_DOMAIN");
    // the local login went: other clients of the server must sign in with Auth0
    expect(steps).toContain(
      "update any other client of apps/shop-server (a mobile app, a script, an end-to-end test): its POST /api/login and GraphQL login mutation are gone",
    );
    // nothing written, nothing to do next
    expect((await cli("apply", dir)).out).not.toContain("Next steps:");
  });

  it("the next steps name the repository as the command was given it, quoted where the shell would split it", async () => {
    const parent = tempDir();
    const dir = path.join(parent, "my app's repo");
    fs.cpSync(path.join(EXAMPLE, "input"), dir, { recursive: true });
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(dir, "auth0.config.json"),
    );
    const quoted = await cli("apply", dir, "--allow-dirty", "--no-color");
    expect(quoted.code).toBe(0);
    const quote = `'${dir.replace(/'/g, "'\\''")}`;
    expect(quoted.out).toContain(
      `cd ${quote}/apps/shop-server' && npm install`,
    );
    expect(quoted.out).toContain(`amplication-auth0 provision ${quote}' `);
  });

  it("--json for init, rules and usage errors; config problems as {path, message}", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const init = await cli("init", dir, "--json");
    expect(init.code).toBe(0);
    expect(JSON.parse(init.out)).toMatchObject({
      command: "init",
      written: true,
      file: path.join(dir, "auth0.config.json"),
      config: { services: [{ name: "shop" }], user: { entity: "User" } },
    });
    const again = await cli("init", dir, "--json");
    expect(again.code).toBe(2);
    expect(JSON.parse(again.out)).toMatchObject({
      command: "init",
      error: {
        kind: "init",
        message: expect.stringContaining("already exists"),
      },
    });

    const rules = await cli("rules", "--json");
    expect(rules.code).toBe(0);
    expect(JSON.parse(rules.out)).toContainEqual(
      expect.objectContaining({ id: "server/jwt-strategy", target: "server" }),
    );

    const usage = await cli("apply", "--frobnicate", "--json");
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)).toMatchObject({
      command: "apply",
      exitCode: 2,
      error: {
        kind: "usage",
        message: expect.stringContaining("--frobnicate"),
      },
    });

    const config = await cli("check", dir, "--json");
    expect(config.code).toBe(2);
    const problems = JSON.parse(config.out).error.problems;
    expect(problems).toContainEqual({
      path: "auth0.clientId",
      message: expect.stringContaining("REPLACE_ME"),
    });
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it("apply --dry-run prints a unified diff and the summary, and writes nothing", async () => {
    const dir = exampleWithConfig();
    const hash = hashTree(dir);
    const { code, out } = await cli("apply", dir, "--dry-run");
    expect(code).toBe(0);
    expect(out).toContain("--- a/apps/shop-server/.env");
    expect(out).toContain("+AUTH0_ISSUER_URL=");
    expect(out).toContain("dry run, nothing written");
    expect(out).toMatch(
      /Security settings:\n {2}issuer +https:\/\/shop-dev\.eu\.auth0\.com\//,
    );
    expect(out).toContain("! apps/shop-admin/vite.config.ts: define:");
    expect(hashTree(dir)).toBe(hash);
  });

  it("apply --dry-run says when apply would refuse uncommitted changes (a lock file npm install wrote), and apply then does", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    fs.writeFileSync(
      path.join(dir, "apps/shop-server/package-lock.json"),
      "{}\n",
    );
    const dry = await cli("apply", dir, "--dry-run", "--no-color");
    expect(dry.code).toBe(0);
    expect(dry.out.trimEnd().split("\n").pop()).toMatch(
      /would change \(dry run, nothing written\); apply would refuse: the folders to convert hold uncommitted changes \(such as apps\/shop-server\/package-lock\.json\): commit them first, or pass --allow-dirty;/,
    );
    const json = JSON.parse(
      (await cli("apply", dir, "--dry-run", "--json")).out,
    );
    expect(json.uncommitted).toEqual(["apps/shop-server/package-lock.json"]);
    expect((await cli("apply", dir)).code).toBe(2);
    const allowed = await cli("apply", dir, "--dry-run", "--allow-dirty");
    expect(allowed.out).not.toContain("apply would refuse");
  });

  // Noticed on a trial: a re-generation of the admin alone, while the user had server work in
  // progress, was refused for the server's files, which the run does not touch.
  it("apply guards only the folders it changes: uncommitted server work does not stop a run that re-converts the admin", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    expect((await cli("apply", dir)).code).toBe(0);
    commitEverything(dir);
    // Amplication's build brings the admin's generated files back
    const regenerateAdmin = () =>
      fs.cpSync(
        path.join(EXAMPLE, "input/apps/shop-admin"),
        path.join(dir, "apps/shop-admin"),
        { recursive: true },
      );
    regenerateAdmin();
    commitEverything(dir);
    // the user's work in progress in the server
    const mine = path.join(dir, "apps/shop-server/src/mine.ts");
    fs.writeFileSync(mine, "export const mine = 1;\n");
    const pending = await cli("check", dir, "--json");
    expect(pending.code).toBe(1);
    const files = (
      JSON.parse(pending.out) as { files: Array<{ file: string }> }
    ).files.map((change) => change.file);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((file) => file.startsWith("apps/shop-admin/"))).toBe(
      true,
    );
    expect(JSON.parse(pending.out).uncommitted).toEqual([]);
    const applied = await cli("apply", dir);
    expect(applied.code).toBe(0);
    expect(fs.readFileSync(mine, "utf8")).toBe("export const mine = 1;\n");
    expect((await cli("check", dir)).code).toBe(0);
    // work in progress in a folder the run changes still stops it
    commitEverything(dir);
    regenerateAdmin();
    const refused = await cli("apply", dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "uncommitted changes in the folders to convert (apps/shop-admin/",
    );
  });

  it("exits 1 and writes nothing when a rule refuses a file", async () => {
    const dir = exampleWithConfig();
    const envFile = path.join(dir, "apps/shop-server/.env");
    fs.appendFileSync(envFile, "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n");
    const hash = hashTree(dir);
    const { code, err } = await cli("apply", dir);
    expect(code).toBe(1);
    expect(err).toContain(
      "apps/shop-server/.env: rule server/env-auth0 refused",
    );
    expect(err).toContain("nothing was written");
    expect(hashTree(dir)).toBe(hash);
    // check never writes, so it does not say it
    const checked = await cli("check", dir);
    expect(checked.code).toBe(1);
    expect(checked.err).toContain(
      "apps/shop-server/.env: rule server/env-auth0 refused",
    );
    expect(checked.err).not.toContain("nothing was written");
  });

  it("reports every refused file of a run at once, in both services' folders, and writes nothing", async () => {
    const dir = exampleWithConfig();
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/.env"),
      "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n",
    );
    fs.appendFileSync(
      path.join(dir, "apps/shop-admin/.env"),
      "VITE_REACT_APP_AUTH0_DOMAIN=a\nVITE_REACT_APP_AUTH0_DOMAIN=b\n",
    );
    const hash = hashTree(dir);
    const { code, err } = await cli("apply", dir);
    expect(code).toBe(1);
    expect(err).toContain("refused 2 files:\n");
    expect(err).toContain(
      "apps/shop-server/.env: rule server/env-auth0 refused",
    );
    expect(err).toContain("apps/shop-admin/.env: rule admin/env-auth0 refused");
    expect(hashTree(dir)).toBe(hash);
    const json = JSON.parse((await cli("apply", dir, "--json")).out);
    expect(json.error.refusals).toEqual([
      expect.objectContaining({ rule: "server/env-auth0" }),
      expect.objectContaining({ rule: "admin/env-auth0" }),
    ]);
  });

  it("a file that does not parse comes first, once for the rules that refused it, before the refusals that may follow from it", async () => {
    const dir = exampleWithConfig();
    const module = "apps/shop-server/src/auth/auth.module.ts";
    fs.appendFileSync(path.join(dir, module), "export const broken = {;\n");
    const { code, err } = await cli(
      "apply",
      dir,
      "--allow-dirty",
      "--no-color",
    );
    expect(code).toBe(1);
    const lines = err.split("\n");
    expect(lines[0]).toMatch(/^refused (\d+) refusals in (\d+) files:$/);
    expect(lines[1]).toBe(
      "(the files that do not parse come first: fix them first, as the refusals after them may follow from them)",
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${module}: rules server/auth-module-\\S+, server/auth-module-\\S+ refused: it is not valid TypeScript at line \\d+, column \\d+`,
      ),
    );
    expect(err.split(`${module}:`)).toHaveLength(2); // named once
    // the files it still imports are refused on a line under it, as they follow from it
    expect(lines[4]).toMatch(
      /^ {2}and so: rule server\/remove-local-login refused \d+ files it still uses \(they go once it is converted\): .*apps\/shop-server\/src\/auth\/auth\.service\.ts/,
    );
    const json = JSON.parse(
      (await cli("apply", dir, "--allow-dirty", "--json")).out,
    );
    expect(json.error.file).toBe(module);
    expect(json.error.refusals[0].file).toBe(module);
  });

  // A file the run could not read or write hid the rules' refusals (and a rule's refusal hid
  // the commit's checks): each took a run of its own to see.
  it("files the run cannot read or write and the rules' refusals: one refusal names them all, exit 1, nothing written", async () => {
    const dir = exampleWithConfig();
    const outside = tempDir("cli-outside-");
    fs.renameSync(
      path.join(dir, "apps/shop-admin/.env"),
      path.join(outside, ".env"),
    );
    fs.symlinkSync(
      path.join(outside, ".env"),
      path.join(dir, "apps/shop-admin/.env"),
    );
    fs.chmodSync(path.join(dir, "apps/shop-admin/src/App.tsx"), 0o444);
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/.env"),
      "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n",
    );
    const hash = hashTree(dir);
    const { code, err } = await cli("apply", dir, "--no-color");
    expect(code).toBe(1);
    const lines = err.split("\n");
    expect(lines[0]).toBe("refused 3 files:");
    expect(lines[1]).toMatch(
      /^\(the files the run cannot read or write come first/,
    );
    expect(lines.filter((line) => !line.startsWith(" ")).slice(2)).toEqual([
      expect.stringMatching(
        /^apps\/shop-admin\/\.env: is a symbolic link that leads outside the repository/,
      ),
      "apps/shop-admin/src/App.tsx: is read-only (mode 0444), so it is not replaced",
      expect.stringMatching(
        /^apps\/shop-server\/\.env: rule server\/env-auth0 refused: AUTH0_AUDIENCE is defined more than once/,
      ),
      "nothing was written.",
      "",
    ]);
    const json = await cli("apply", dir, "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report).toMatchObject({
      written: false,
      exitCode: 1,
      error: { kind: "refused", file: "apps/shop-admin/.env" },
    });
    expect(report.error.refusals).toEqual([
      expect.objectContaining({ file: "apps/shop-admin/.env" }),
      expect.objectContaining({ file: "apps/shop-admin/src/App.tsx" }),
      expect.objectContaining({
        file: "apps/shop-server/.env",
        rule: "server/env-auth0",
      }),
    ]);
    // check makes none of the commit's checks: the link and the rule's refusal
    const checked = JSON.parse((await cli("check", dir, "--json")).out);
    expect(
      checked.error.refusals.map((refusal: { file: string }) => refusal.file),
    ).toEqual(["apps/shop-admin/.env", "apps/shop-server/.env"]);
    expect(hashTree(dir)).toBe(hash);
  });

  it("--json still prints a report on stdout when the run fails: the error, its kind and where", async () => {
    const dir = exampleWithConfig();
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/.env"),
      "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n",
    );
    const refused = await cli("apply", dir, "--json");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("rule server/env-auth0 refused");
    expect(JSON.parse(refused.out)).toMatchObject({
      command: "apply",
      written: false,
      exitCode: 1,
      error: {
        kind: "refused",
        file: "apps/shop-server/.env",
        rule: "server/env-auth0",
      },
    });
    fs.writeFileSync(path.join(dir, "auth0.config.json"), "{");
    const config = await cli("check", dir, "--json");
    expect(config.code).toBe(2);
    expect(JSON.parse(config.out)).toMatchObject({
      command: "check",
      exitCode: 2,
      error: { kind: "config" },
    });
  });

  it("a repository whose only service is on another identity provider: exit 1, and why", async () => {
    const dir = copyTree(
      path.resolve(__dirname, "../fixtures/detect/keycloak-plugin"),
    );
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(dir, "auth0.config.json"),
    );
    const hash = hashTree(dir);
    const { code, out } = await cli("apply", dir, "--no-color");
    expect(code).toBe(1);
    expect(out).toContain(
      "not converted: it does not sign in with the generated local JWT login (JwtStrategyBase validates Keycloak tokens",
    );
    expect(out).toContain(
      "nothing to change; 0 service(s) converted, 1 not converted",
    );
    expect(hashTree(dir)).toBe(hash);
  });

  it("init writes a config with what it detected and placeholders that apply rejects", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const first = await cli("init", dir);
    expect(first.code).toBe(0);
    const config = JSON.parse(
      fs.readFileSync(path.join(dir, "auth0.config.json"), "utf8"),
    );
    expect(config.$schema).toBe(
      "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
    );
    expect(config.services).toEqual([
      { name: "shop", server: "apps/shop-server", admin: "apps/shop-admin" },
    ]);
    expect(config.user).toEqual({ entity: "User" });
    const applied = await cli("apply", dir);
    expect(applied.code).toBe(2);
    expect(applied.err).toContain("still holds the placeholder");
    const again = await cli("init", dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain("already exists");
  });

  it("init chooses user.emailField username when the entity has no unique email (apps before 2024-03), says why, and the app goes to a green check", async () => {
    const old = copyTree(
      path.resolve(__dirname, "../fixtures/apps/server-2022/input"),
    );
    const { code, out } = await cli("init", old);
    expect(code).toBe(0);
    expect(out).toContain(
      'server: User has no unique String field "email" but a unique "username": wrote user.emailField "username"',
    );
    const config = readConfig(old);
    expect(config.user).toEqual({ entity: "User", emailField: "username" });
    fillInTenant(old, config);
    expect((await cli("apply", old)).code).toBe(0);
    expect((await cli("check", old)).code).toBe(0);
    const current = await cli("init", copyTree(path.join(EXAMPLE, "input")));
    expect(current.out).not.toContain("emailField");
    expect(current.out).not.toContain("no unique String field");
  });

  it("init names only where it wrote placeholders: user.claimMapping alone for a unique field alone", async () => {
    const dir = exampleWithUserFields("  handle String @unique\n");
    const init = await cli("init", dir);
    expect(init.code).toBe(0);
    expect(init.out).toContain(
      "wrote placeholders under user.claimMapping (a token claim, for unique fields): replace them",
    );
    expect(init.out).not.toContain("user.defaultValues");

    // A unique field that is not text: no placeholder can fill it (a claim is text), and init says so.
    const other = exampleWithUserFields("  employeeNo Int @unique\n");
    const unfillable = await cli("init", other);
    expect(unfillable.code).toBe(0);
    expect(unfillable.out).toContain(
      "shop: User.employeeNo (Int, unique) is required and has no default: neither a constant (the second user would collide) nor a claim (text) can fill it",
    );
    expect(readConfig(other).user).toEqual({ entity: "User" });
  });

  it("init writes a placeholder for each required field without a default (a claim for a unique one); apply refuses them until replaced", async () => {
    const dir = exampleWithUserFields(
      '  age Int\n  handle String @unique\n  profile Json\n  nickname String @default("")\n',
    );
    const init = await cli("init", dir);
    expect(init.code).toBe(0);
    expect(init.out).toContain(
      "shop: User has required fields without a default, which users created on first login need: age (Int), handle (String, unique), profile (Json); " +
        "wrote placeholders under user.defaultValues (a value every new user gets) and user.claimMapping (a token claim, for unique fields)",
    );
    const config = readConfig(dir);
    expect(config.user).toEqual({
      entity: "User",
      defaultValues: { age: "REPLACE_ME (Int)", profile: "REPLACE_ME (Json)" },
      claimMapping: { handle: "REPLACE_ME" },
    });
    fillInTenant(dir, config);
    const refused = await cli("apply", dir);
    expect(refused.code).toBe(2);
    for (const at of [
      "user.defaultValues.age",
      "user.defaultValues.profile",
      "user.claimMapping.handle",
    ])
      expect(refused.err).toContain(`${at}: still holds the placeholder`);
    config.user.defaultValues = { age: 0, profile: {} };
    config.user.claimMapping = { handle: "https://api.shop.example/handle" };
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify(config),
    );
    expect((await cli("apply", dir)).code).toBe(0);
    expect((await cli("check", dir)).code).toBe(0);
    const strategy = fs.readFileSync(
      path.join(dir, "apps/shop-server/src/auth/jwt/base/jwt.strategy.base.ts"),
      "utf8",
    );
    expect(strategy).toContain("age: 0,");
    expect(strategy).toContain("profile: {},");
  });

  it("exits 2 when there is no Amplication service in the folder", async () => {
    const dir = tempDir();
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(dir, "auth0.config.json"),
    );
    const { code, err } = await cli("check", dir);
    expect(code).toBe(2);
    expect(err).toContain("no Amplication service found");
  });

  it("apply; apply: the second exits 0 though the converted folders are not committed, and so does apply with an untracked file in a converted service", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    expect((await cli("apply", dir)).code).toBe(0);
    const second = await cli("apply", dir, "--no-color");
    expect(second.code).toBe(0);
    expect(second.out).toContain("nothing to change: already converted");
    commitEverything(dir);
    fs.writeFileSync(path.join(dir, "apps/shop-server/notes.txt"), "mine\n");
    expect((await cli("apply", dir)).code).toBe(0);
  });

  it("check after a re-generation that is not committed: exit 1, and the hint says to commit first (or --allow-dirty)", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    expect((await cli("apply", dir)).code).toBe(0);
    commitEverything(dir);
    copyTree(path.join(EXAMPLE, "input"), dir); // Amplication writes its files again
    const check = await cli("check", dir, "--no-color");
    expect(check.code).toBe(1);
    expect(check.out).toMatch(
      /uncommitted changes .*commit them first, then run `amplication-auth0 apply` \(or `apply --allow-dirty`/,
    );
    commitEverything(dir);
    const committed = await cli("check", dir, "--no-color");
    expect(committed.code).toBe(1);
    expect(committed.out).not.toContain("commit them first");
    expect(committed.out).toContain("run `amplication-auth0 apply`");
  });

  it("apply outside a git repository warns that the change cannot be undone with git, and goes on", async () => {
    const dir = exampleWithConfig();
    const { code, out } = await cli("apply", dir, "--no-color");
    expect(code).toBe(0);
    expect(out).toContain(
      "is not in a git repository: this conversion cannot be undone with git",
    );
    expect(
      fs.readFileSync(path.join(dir, "apps/shop-admin/src/App.tsx"), "utf8"),
    ).toContain("auth0AuthProvider");
    const again = await cli("apply", dir, "--no-color");
    expect(again.out).not.toContain("cannot be undone"); // nothing written
  });

  it("check exits 0 when the converted services sit next to one with auth-core but no provider (found, not listed)", async () => {
    const dir = copyTree(path.join(EXAMPLE, "expected"));
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(dir, "auth0.config.json"),
    );
    copyTree(
      path.resolve(__dirname, "../fixtures/detect/partial-core-only"),
      dir,
    );
    const { code, out } = await cli("check", dir, "--no-color");
    expect(out).toContain(
      "server (server): not converted: its authentication is incomplete",
    );
    expect(out).toContain("nothing to change: already converted");
    expect(code).toBe(0);
  });

  it("a service listed in the config that cannot be converted fails the run, naming it; one found but not listed is only reported", async () => {
    const dir = exampleWithConfig();
    copyTree(
      path.resolve(__dirname, "../fixtures/detect/partial-core-only"),
      dir,
    );
    const file = path.join(dir, "auth0.config.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...config,
        services: [
          { server: "apps/shop-server", admin: "apps/shop-admin" },
          { server: "server" },
        ],
      }),
    );
    const listed = await cli("apply", dir, "--dry-run", "--no-color");
    expect(listed.code).toBe(1);
    expect(listed.out).toContain(
      "server (server): not converted: its authentication is incomplete",
    );
    // The run fails before anything is written, the convertible service's changes included.
    const before = hashTree(dir);
    const applied = await cli("apply", dir, "--allow-dirty", "--no-color");
    expect(applied.code).toBe(1);
    expect(hashTree(dir)).toEqual(before);
    expect(applied.out.trimEnd().split("\n").pop()).toMatch(
      /^nothing written \(\d+ files would change\): server is listed under "services" in the config but cannot be converted \(see above\); take it out of "services" to convert the others; 1 service\(s\) convertible, 1 not converted$/,
    );
    const json = JSON.parse(
      (await cli("apply", dir, "--allow-dirty", "--json")).out,
    );
    expect(json).toMatchObject({
      exitCode: 1,
      written: false,
      error: { kind: "not-convertible" },
    });
    expect(json.error.message).toContain("server is listed");
    expect(hashTree(dir)).toEqual(before);
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...config,
        services: [{ server: "apps/shop-server", admin: "apps/shop-admin" }],
      }),
    );
    const unlisted = await cli("apply", dir, "--dry-run", "--no-color");
    expect(unlisted.code).toBe(0);
    expect(unlisted.out).toContain(
      'server (server): left alone: it is not listed under "services" in the config, and its authentication is incomplete',
    );
  });

  it("warns of a docker-compose file or .env at the repository's root that still passes the JWT settings, and leaves them", async () => {
    const dir = exampleWithConfig();
    const compose =
      'services:\n  server:\n    build: apps/shop-server\n    environment:\n      JWT_SECRET_KEY: "${JWT_SECRET_KEY}"\n';
    fs.writeFileSync(path.join(dir, "docker-compose.yml"), compose);
    fs.writeFileSync(path.join(dir, ".env"), "JWT_EXPIRATION=2d\n");
    fs.writeFileSync(path.join(dir, "docker-compose.db.yml"), "services: {}\n");
    const { code, out } = await cli(
      "apply",
      dir,
      "--allow-dirty",
      "--no-color",
    );
    expect(code).toBe(0);
    const warnings = out
      .split("\n")
      .filter((line) => line.includes("at the repository's root"));
    expect(warnings).toEqual([
      "warning: .env at the repository's root still passes the local login's JWT_EXPIRATION: the conversion changes only the service folders, and the converted server reads AUTH0_AUDIENCE and AUTH0_ISSUER_URL instead",
      "warning: docker-compose.yml at the repository's root still passes the local login's JWT_SECRET_KEY: the conversion changes only the service folders, and the converted server reads AUTH0_AUDIENCE and AUTH0_ISSUER_URL instead",
    ]);
    expect(fs.readFileSync(path.join(dir, "docker-compose.yml"), "utf8")).toBe(
      compose,
    );
  });

  it("apply --dry-run's diff of a .env shows the values the conversion writes and hides every other", async () => {
    const dir = exampleWithConfig();
    const env = path.join(dir, "apps/shop-server/.env");
    fs.writeFileSync(
      env,
      'A_PEM="-----BEGIN KEY-----\nabc123secretline\n-----END KEY-----"\n' +
        fs.readFileSync(env, "utf8") +
        "STRIPE_KEY=sk_live_secret123\n",
    );
    const { code, out } = await cli(
      "apply",
      dir,
      "--dry-run",
      "--allow-dirty",
      "--no-color",
    );
    expect(code).toBe(0);
    for (const secret of [
      "Change_ME!!!",
      "sk_live_secret123",
      "abc123secretline",
      "admin:admin",
    ])
      expect(out).not.toContain(secret);
    for (const line of [
      "+AUTH0_AUDIENCE=https://api.shop.example\n",
      "+AUTH0_ISSUER_URL=https://shop-dev.eu.auth0.com/\n",
      " A_PEM=<hidden>\n <hidden>\n <hidden>\n",
      "-JWT_SECRET_KEY=<hidden>\n",
      " STRIPE_KEY=<hidden>\n",
      "+VITE_REACT_APP_AUTH0_CLIENT_ID=Xb3kLq9ZP0aTn4Rv7sUw2YcE5fHg8JdM\n",
    ])
      expect(out).toContain(line);
    // the .env itself is converted as without the diff
    expect(fs.readFileSync(env, "utf8")).toContain("sk_live_secret123");
  });

  it("a server-only repository: the server is converted, and the summary says the admin rules did not run and why", async () => {
    const dir = copyTree(
      path.resolve(__dirname, "../fixtures/apps/billing-2025-server/input"),
    );
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(dir, "auth0.config.json"),
    );
    const { code, out } = await cli("apply", dir, "--dry-run", "--no-color");
    expect(code).toBe(0);
    expect(out).toContain(
      "admin rules did not run: no react-admin folder was found to pair with apps/billing-server; only the server is converted",
    );
  });

  it("a server-only repository goes without auth0.clientId, which an admin the run converts needs", async () => {
    const dir = copyTree(
      path.resolve(__dirname, "../fixtures/apps/billing-2025-server/input"),
    );
    commitEverything(dir);
    expect((await cli("init", dir)).code).toBe(0);
    const config = readConfig(dir);
    // init writes no placeholder for what no service uses
    expect(Object.keys(config.auth0)).toEqual(["domain", "audience"]);
    config.auth0 = {
      domain: "billing-dev.eu.auth0.com",
      audience: "https://api.billing.example",
    };
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify(config),
    );
    commitEverything(dir);
    expect((await cli("apply", dir)).code).toBe(0);
    commitEverything(dir);
    expect((await cli("check", dir)).code).toBe(0);

    // A later build adds the admin: its .env needs the client id, which the run asks for.
    fs.cpSync(
      path.join(EXAMPLE, "input/apps/shop-admin"),
      path.join(dir, "apps/billing-admin"),
      { recursive: true },
    );
    commitEverything(dir);
    const before = hashTree(dir);
    for (const command of ["check", "apply"]) {
      const { code, err } = await cli(command, dir, "--no-color");
      expect(code).toBe(2);
      expect(err).toContain(
        "auth0.clientId: required: the conversion writes it into the .env of apps/billing-admin",
      );
    }
    const json = JSON.parse((await cli("apply", dir, "--json")).out);
    expect(json.error.problems).toEqual([
      expect.objectContaining({ path: "auth0.clientId" }),
    ]);
    expect(hashTree(dir)).toEqual(before);
  });

  it("an admin a later build adds beside a listed server-only service is converted with it; check says it is pending until then", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const admin = path.join(dir, "apps/shop-admin");
    fs.rmSync(admin, { recursive: true });
    commitEverything(dir);
    const init = await cli("init", dir);
    expect(init.code).toBe(0);
    // the next command names the repository as init was given it
    expect(init.out).toContain(
      `then run: amplication-auth0 apply --dry-run ${dir}\n`,
    );
    const config = readConfig(dir);
    expect(config.services).toEqual([
      { name: "shop", server: "apps/shop-server" },
    ]);
    fillInTenant(dir, config);
    commitEverything(dir);
    expect((await cli("apply", dir)).code).toBe(0);
    commitEverything(dir);

    // The next Amplication build generates the admin too.
    fs.cpSync(path.join(EXAMPLE, "input/apps/shop-admin"), admin, {
      recursive: true,
    });
    commitEverything(dir);
    const note =
      'shop (apps/shop-server + apps/shop-admin): admin apps/shop-admin found with its server: the config lists no admin for this service, so the admin found beside its server is converted with it (it calls the server\'s login, which the conversion replaces); add "admin": "apps/shop-admin" to the service under "services" to list it';
    const pending = await cli("check", dir, "--no-color");
    expect(pending.code).toBe(1);
    expect(pending.out).toContain(note);
    expect(pending.out).toContain("apps/shop-admin/src/App.tsx");
    const json = JSON.parse((await cli("check", dir, "--json")).out);
    expect(json.services[0]).toMatchObject({
      admin: "apps/shop-admin",
      adminFound: true,
      status: "pending",
    });

    const applied = await cli("apply", dir, "--no-color");
    expect(applied.code).toBe(0);
    expect(applied.out).toContain(note);
    // The admin converted later is the admin converted with its server at once.
    expect(hashTree(admin)).toBe(
      hashTree(path.join(EXAMPLE, "expected/apps/shop-admin")),
    );
    commitEverything(dir);
    const converted = await cli("check", dir, "--no-color");
    expect(converted.code).toBe(0);
    expect(converted.out).not.toContain("found with its server");
  });

  it("apply --dry-run refuses what apply would: a read-only file the conversion must replace", async () => {
    const dir = exampleWithConfig();
    const env = path.join(dir, "apps/shop-server/.env");
    fs.chmodSync(env, 0o400);
    const before = hashTree(dir);
    const dry = await cli(
      "apply",
      dir,
      "--dry-run",
      "--allow-dirty",
      "--no-color",
    );
    const real = await cli("apply", dir, "--allow-dirty", "--no-color");
    expect([dry.code, real.code]).toEqual([1, 1]);
    for (const run of [dry, real])
      expect(run.err).toContain(
        "apps/shop-server/.env: is read-only (mode 0400), so it is not replaced",
      );
    expect(hashTree(dir)).toBe(before);
    // A file one rule changes names it, in the fix and in --json.
    const base = "apps/shop-server/src/auth/jwt/base/jwt.strategy.base.ts";
    fs.chmodSync(path.join(dir, base), 0o444);
    const json = JSON.parse(
      (await cli("apply", dir, "--allow-dirty", "--json")).out,
    );
    expect(json.error.refusals).toEqual(
      expect.arrayContaining([
        {
          file: base,
          rule: "server/jwt-strategy-base",
          reason: "is read-only (mode 0444), so it is not replaced",
          fix: 'make it writable (chmod u+w) and run again, or turn off the rule that changes it, server/jwt-strategy-base ("rules": { "server/jwt-strategy-base": "off" } in the config)',
        },
      ]),
    );
  });

  it("init in a sub-folder of a repository, or where there is no service: says where it looked and what to do, exits 2, writes nothing", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    commitEverything(dir);
    const sub = await cli("init", path.join(dir, "apps"));
    expect(sub.code).toBe(2);
    expect(sub.err).toContain("is a sub-folder of the git repository");
    expect(sub.err).toContain("init runs in the repository's root folder");
    expect(fs.existsSync(path.join(dir, "apps/auth0.config.json"))).toBe(false);
    const empty = tempDir();
    const none = await cli("init", empty);
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      "no Amplication service found in " +
        empty +
        ": looked for a folder at most 4 levels below the root whose package.json depends on @nestjs/core",
    );
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it("apply and check in a sub-folder of the repository send the user to its root, where the config is; an admin without its server is named", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    for (const command of ["apply", "check"]) {
      const sub = await cli(command, path.join(dir, "apps/shop-server"));
      expect(sub.code).toBe(2);
      expect(sub.err).toContain(
        `${path.join(dir, "apps/shop-server")} is a sub-folder of the git repository ${dir}; ${command} runs in the repository's root folder, where init writes the config: amplication-auth0 ${command} `,
      );
      expect(sub.err).not.toContain("amplication-auth0 init`");
    }
    fs.rmSync(path.join(dir, "apps/shop-server"), { recursive: true });
    const config = fs.readFileSync(path.join(dir, "auth0.config.json"));
    fs.rmSync(path.join(dir, "auth0.config.json"));
    commitEverything(dir);
    const adminOnly = await cli("init", dir);
    expect(adminOnly.code).toBe(2);
    expect(adminOnly.err).toContain(
      `no Amplication server found in ${dir}, only the admin apps/shop-admin: an admin is converted with its server (a folder at most 4 levels below the root whose package.json depends on @nestjs/core and that has prisma/schema.prisma)`,
    );
    fs.writeFileSync(path.join(dir, "auth0.config.json"), config);
    commitEverything(dir);
    const applied = await cli("apply", dir);
    expect(applied.code).toBe(2);
    expect(applied.err).toContain("only the admin apps/shop-admin");
  });

  it("apply names a file it deletes that someone changed after Amplication generated it, with the command that shows every change since; not one Amplication's bot wrote last, nor in a history without the bot", async () => {
    const edited = "apps/shop-server/src/auth/auth.service.ts";
    const short = (dir: string, rev: string) =>
      as(dir, "x", "rev-parse", "--short", rev).trim();
    // the user's changes span two commits: the command shows both
    const note = (dir: string) =>
      `${edited} was deleted; it holds changes made after Amplication generated it (${short(dir, "HEAD")}, by Dana): if they matter, carry them over by hand (git diff ${short(dir, "HEAD~2")} ${short(dir, "HEAD")} -- ${edited})`;
    for (const bot of [true, false]) {
      const dir = exampleWithConfig();
      as(dir, "x", "init", "-q");
      as(dir, "x", "add", "-A");
      as(
        dir,
        bot ? "amplication[bot]" : "Dana",
        "commit",
        "-qm",
        "Amplication build # 1",
      );
      fs.appendFileSync(path.join(dir, edited), "// our change\n");
      as(dir, "Dana", "commit", "-qam", "our change");
      fs.appendFileSync(path.join(dir, edited), "// and another\n");
      as(dir, "Dana", "commit", "-qam", "our second change");
      const { code, out, err } = await cli("apply", dir, "--no-color");
      expect(code).toBe(0);
      if (bot) expect(out + err).toContain(note(dir));
      else expect(out + err).not.toContain("holds changes made after");
      expect(out + err).not.toContain("token.service.ts was deleted;");
    }
  });

  it("a file apply deletes whose only change after Amplication's commit is its white space (indentation, lines wrapped anew, blank lines, line ends) is not named", async () => {
    const dir = exampleWithConfig();
    as(dir, "x", "init", "-q");
    as(dir, "x", "add", "-A");
    as(dir, "amplication[bot]", "commit", "-qm", "Amplication build # 1");
    const service = path.join(dir, "apps/shop-server/src/auth/auth.service.ts");
    fs.writeFileSync(
      service,
      fs
        .readFileSync(service, "utf8")
        .replace(/^( {2})+/gm, (indent) => "\t".repeat(indent.length / 2))
        .replace(/\n/g, "\r\n")
        .replace("@Injectable()", "\r\n@Injectable()")
        .replace("password: string,", "password: string\r\n\t,"),
    );
    as(
      dir,
      "Dana",
      "commit",
      "-qam",
      "tabs, CRLF, a line wrapped anew and a blank line",
    );
    const { code, out, err } = await cli("apply", dir, "--no-color");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("delete apps/shop-server/src/auth/auth.service.ts");
    expect(out + err).not.toContain("holds changes made after");
  });

  it("settings of the config that do not fit the auth entity are the config's problems (exit 2), each at its path, all at once; beside another refusal they are refusals (exit 1)", async () => {
    const dir = exampleWithUserFields("  active Boolean\n  age Int\n");
    const config = JSON.parse(
      fs.readFileSync(path.join(EXAMPLE, "auth0.config.json"), "utf8"),
    );
    const write = (user: object) =>
      fs.writeFileSync(
        path.join(dir, "auth0.config.json"),
        JSON.stringify({ ...config, user: { ...config.user, ...user } }),
      );
    write({ defaultValues: { active: "false", age: "12", username: "x" } });
    commitEverything(dir);
    const before = hashTree(dir);
    const human = await cli("apply", dir, "--no-color");
    expect(human.code).toBe(2);
    for (const line of [
      '✖ user.defaultValues.active: is "false" (a string), but User.active is Boolean (the converted server would not compile); give user.defaultValues.active true or false\n',
      '✖ user.defaultValues.age: is "12" (a string), but User.age is Int (the converted server would not compile); give user.defaultValues.age a number\n',
      "✖ user.defaultValues.username: gives every user created on first login the same User.username, which is unique: the second one would collide; ",
    ])
      expect(human.err).toContain(line);
    const json = JSON.parse((await cli("check", dir, "--json")).out);
    expect(json.exitCode).toBe(2);
    expect(json.error.kind).toBe("config");
    expect(
      json.error.problems.map((p: { path: string }) => p.path).sort(),
    ).toEqual([
      "user.defaultValues.active",
      "user.defaultValues.age",
      "user.defaultValues.username",
    ]);
    expect(hashTree(dir)).toBe(before);

    // With a file refused as well, the run is refused, and names both.
    fs.appendFileSync(
      path.join(dir, "apps/shop-server/src/auth/auth.module.ts"),
      "export const broken = ;\n",
    );
    const mixed = await cli("apply", dir, "--allow-dirty", "--no-color");
    expect(mixed.code).toBe(1);
    expect(mixed.err).toContain("apps/shop-server/src/auth/auth.module.ts");
    expect(mixed.err).toContain('user.defaultValues.active is "false"');
  });

  it("a constant for a unique field with two administrators to seed is the config's problem at user.admins (exit 2)", async () => {
    const dir = exampleWithUserFields("  handle String @unique\n");
    const config = JSON.parse(
      fs.readFileSync(path.join(EXAMPLE, "auth0.config.json"), "utf8"),
    );
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify({
        ...config,
        user: {
          ...config.user,
          createMissingUsers: false,
          admins: ["ada@example.test", "bob@example.test"],
          defaultValues: { handle: "admin" },
        },
      }),
    );
    const { code, err } = await cli("apply", dir, "--dry-run", "--no-color");
    expect(code).toBe(2);
    expect(err).toContain(
      "✖ user.admins: user.defaultValues gives every seeded administrator the same User.handle, which is unique: the seed would fail on the second of the 2 in user.admins; list one administrator in user.admins",
    );
  });

  it("user settings name a field of one service's auth entity only: that service gets it, the other ignores it; a field of no service is refused", async () => {
    // Two JWT services of the example, alpha and beta; only alpha's User has a tenantId.
    const dir = tempDir();
    for (const name of ["alpha", "beta"])
      for (const side of ["server", "admin"])
        copyTree(
          path.join(EXAMPLE, "input", `apps/shop-${side}`),
          path.join(dir, `apps/${name}-${side}`),
        );
    const schema = path.join(dir, "apps/alpha-server/prisma/schema.prisma");
    fs.writeFileSync(
      schema,
      fs
        .readFileSync(schema, "utf8")
        .replace(
          "  lastName  String?\n",
          "  lastName  String?\n  tenantId  String\n",
        ),
    );
    const config = JSON.parse(
      fs.readFileSync(path.join(EXAMPLE, "auth0.config.json"), "utf8"),
    );
    const write = (user: object) =>
      fs.writeFileSync(
        path.join(dir, "auth0.config.json"),
        JSON.stringify({ ...config, user }),
      );
    write({ defaultValues: { tenantId: "acme", nosuchField: "x" } });
    const refused = await cli("apply", dir, "--dry-run");
    // a setting that fits no service is the config's problem (exit 2), said once for both
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "✖ user.defaultValues.nosuchField: user.defaultValues names User.nosuchField, which does not exist; remove user.defaultValues.nosuchField\n",
    );
    expect(refused.err.split("nosuchField, which does not exist")).toHaveLength(
      2,
    );
    expect(refused.err).not.toContain("User.tenantId, which does not exist");
    write({ defaultValues: { tenantId: "acme" } });
    expect((await cli("apply", dir)).code).toBe(0);
    const strategy = (service: string) =>
      fs.readFileSync(
        path.join(
          dir,
          `apps/${service}/src/auth/jwt/base/jwt.strategy.base.ts`,
        ),
        "utf8",
      );
    expect(strategy("alpha-server")).toContain('tenantId: "acme",');
    expect(strategy("beta-server")).not.toContain("tenantId");
    expect((await cli("check", dir)).code).toBe(0);
  });

  it("usage slips exit 2 and say what: a folder that does not exist, --message without --commit, ci github in a sub-folder", async () => {
    const missing = path.join(tempDir(), "no-such-app");
    const gone = await cli("apply", missing);
    expect(gone.code).toBe(2);
    expect(gone.err).toContain(`${missing}: no such folder`);
    const dir = exampleWithConfig();
    commitEverything(dir);
    const message = await cli("apply", dir, "--message", "hi", "--dry-run");
    expect(message.code).toBe(2);
    expect(message.err).toContain(
      "--message goes with --commit, which this run was not given",
    );
    const sub = await cli("ci", "github", path.join(dir, "apps"));
    expect(sub.code).toBe(2);
    expect(sub.err).toContain(
      "GitHub reads workflows from the repository's root folder only",
    );
    expect(fs.existsSync(path.join(dir, "apps/.github"))).toBe(false);
  });

  it("rules turned off are named without --verbose, with the ones that need them, and the local login kept is a warning", async () => {
    const dir = exampleWithConfig();
    const config = readConfig(dir);
    config.rules = { "server/remove-local-login": "off" };
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify(config),
    );
    const { code, out } = await cli("apply", dir, "--dry-run", "--no-color");
    expect(code).toBe(0);
    expect(out).toContain(
      "shop (apps/shop-server + apps/shop-admin): rules off: server/auth-module-local-login (server/remove-local-login is off, and it needs it), server/remove-local-login (in the config)",
    );
    expect(out).toContain(
      "server/remove-local-login is off: the local login stays beside Auth0",
    );
  });

  it("init where no service can be converted: each with its reason, exit 1, no config", async () => {
    const dir = copyTree(
      path.resolve(__dirname, "../fixtures/detect/keycloak-plugin"),
    );
    const { code, err } = await cli("init", dir);
    expect(code).toBe(1);
    // the label reads as a sentence of its own (it ran into the message)
    expect(err.split("\n")[0]).toBe(
      "not converted: no service in " +
        dir +
        " can be converted, so no config was written:",
    );
    expect(err).toContain(
      "shop (apps/shop-server): not converted: it does not sign in with the generated local JWT login",
    );
    expect(fs.existsSync(path.join(dir, "auth0.config.json"))).toBe(false);
    const json = await cli("init", dir, "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      command: "init",
      written: false,
      exitCode: 1,
      error: { kind: "not-convertible" },
    });
  });

  it("apply and check without a config send the user to init only where init would write one; else they say why", async () => {
    const plugin = copyTree(
      path.resolve(__dirname, "../fixtures/detect/keycloak-plugin"),
    );
    const refused = await cli("apply", plugin);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("auth0.config.json: no configuration");
    expect(refused.err).toContain(
      "no service in " +
        plugin +
        " can be converted, so init writes no config either",
    );
    expect(refused.err).toContain(
      "shop (apps/shop-server): not converted: it does not sign in with the generated local JWT login",
    );
    expect(refused.err).not.toContain("Create one with");

    const empty = tempDir();
    const none = await cli("check", empty);
    expect(none.code).toBe(2);
    expect(none.err).toContain(
      "file not found, and no Amplication service found in " + empty,
    );
    expect(none.err).not.toContain("Create one with");
    const json = await cli("check", empty, "--json");
    expect(JSON.parse(json.out)).toMatchObject({
      exitCode: 2,
      error: { kind: "config" },
    });

    const convertible = copyTree(path.join(EXAMPLE, "input"));
    const first = await cli("apply", convertible);
    expect(first.code).toBe(2);
    expect(first.err).toContain("auth0.config.json: no configuration");
    expect(first.err).toContain("Create one with `amplication-auth0 init`");
    expect(fs.existsSync(path.join(convertible, "auth0.config.json"))).toBe(
      false,
    );
  });
});

/** Makes dir a git repository (once) with everything in it committed. */
function commitEverything(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args],
      { cwd: dir, stdio: "pipe" },
    );
  if (!fs.existsSync(path.join(dir, ".git"))) git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "generated", "--allow-empty");
}

describe("the built command, its output read by a reader that stops early (| head)", () => {
  jest.setTimeout(240_000);

  /** Runs the built CLI with its stdout pipe closed by the reader before it writes. */
  function withClosedStdout(
    args: string[],
  ): Promise<{ code: number | null; stderr: string }> {
    const cliPath = path.join(builtPackage(), "dist/src/cli/main.js");
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cliPath, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += String(chunk)));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
  }

  it.each([["--help"], ["rules"]])(
    "%s exits 0 with nothing on stderr",
    async (arg) => {
      expect(await withClosedStdout([arg])).toEqual({ code: 0, stderr: "" });
    },
  );

  it("apply with stderr closed too (2>&1 | head) writes its changes and exits 0", async () => {
    const dir = exampleWithConfig();
    const cliPath = path.join(builtPackage(), "dist/src/cli/main.js");
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [cliPath, "apply", dir, "--allow-dirty"],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child.stdout.destroy();
      child.stderr.destroy();
      child.on("error", reject);
      child.on("close", resolve);
    });
    expect(code).toBe(0);
    expect((await cli("check", dir)).code).toBe(0);
  });

  it("apply still writes its changes and exits as without the reader", async () => {
    const dir = exampleWithConfig();
    const outcome = await withClosedStdout(["apply", dir, "--allow-dirty"]);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).not.toMatch(/EPIPE|Error/);
    expect((await cli("check", dir)).code).toBe(0);
  });
});

describe("the built command where git cannot be run", () => {
  jest.setTimeout(240_000);

  /** The built CLI with a PATH that holds node and nothing else (no git). */
  function withoutGit(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const cliPath = path.join(builtPackage(), "dist/src/cli/main.js");
    const bin = tempDir("aa0-no-git-");
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cliPath, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PATH: bin },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += String(chunk)));
      child.stderr.on("data", (chunk) => (stderr += String(chunk)));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("apply in a repository refuses (the guard cannot run) and writes nothing; check says why apply would refuse", async () => {
    const dir = exampleWithConfig();
    commitEverything(dir);
    const edited = path.join(dir, "apps/shop-server/src/auth/auth.service.ts");
    fs.appendFileSync(edited, "// uncommitted work\n");
    const before = hashTree(dir);
    const apply = await withoutGit(["apply", dir, "--no-color"]);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain(
      "but git cannot be run (it is not installed, or not on PATH), so uncommitted changes cannot be ruled out",
    );
    expect(apply.stderr).toContain(
      "fix: install git or put it on PATH, or pass --allow-dirty",
    );
    expect(hashTree(dir)).toBe(before);
    const check = await withoutGit(["check", dir, "--no-color"]);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(
      "apply would refuse until it can",
    );
  });
});
