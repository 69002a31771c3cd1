/**
 * `npm pack` gives a package that works where it is installed: the CLI runs, `require` gives the
 * programmatic API, and so does the standard jscodeshift CLI pointed at the package's
 * transforms folder. The tarball is installed as the README says (the package is not on the
 * npm registry yet); its dependencies come from the registry (or the local cache) into a
 * scratch project. This is the slowest test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir, writeFiles } from "./helpers/files";

const ROOT = path.resolve(__dirname, "..");
const AUTH_MODULE_FIXTURE = path.join(
  ROOT,
  "__testfixtures__/server/auth-module-passport-jwt/jwt-2025.input.ts",
);
const EXAMPLE_SERVER = path.join(
  ROOT,
  "fixtures/apps/shop-2025/input/apps/shop-server",
);

jest.setTimeout(240_000);

describe("npm pack", () => {
  let scratch: string;
  let tarballName: string;

  beforeAll(() => {
    const packDir = tempDir("aa0-pack-");
    const output = execFileSync(
      "npm",
      ["pack", "--pack-destination", packDir, "--json"],
      {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    tarballName = JSON.parse(output.slice(output.indexOf("[")))[0].filename;
    const tarball = path.join(packDir, tarballName);
    scratch = tempDir("aa0-scratch-");
    writeFiles(scratch, {
      "package.json": JSON.stringify({ name: "scratch", private: true }),
    });
    execFileSync(
      "npm",
      [
        "install",
        "--save-dev",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        tarball,
      ],
      { cwd: scratch, stdio: "pipe" },
    );
  });

  it("ships the built CLI, the transforms entry and the schema, and no tests or fixtures", () => {
    const pkg = path.join(scratch, "node_modules/amplication-auth0-codemod");
    expect(fs.existsSync(path.join(pkg, "dist/src/cli/main.js"))).toBe(true);
    expect(fs.existsSync(path.join(pkg, "transforms/index.js"))).toBe(true);
    expect(
      fs.existsSync(path.join(pkg, "schema/auth0-config.schema.json")),
    ).toBe(true);
    expect(fs.existsSync(path.join(pkg, "__tests__"))).toBe(false);
    expect(fs.existsSync(path.join(pkg, "fixtures"))).toBe(false);
  });

  it("the README's install lines name the tarball npm pack writes", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm pack");
    expect(readme).toContain(
      `npm install --save-dev ../amplication-auth0-codemod/${tarballName}`,
    );
  });

  it("package.json main and types point at files the package ships", () => {
    const pkg = path.join(scratch, "node_modules/amplication-auth0-codemod");
    const manifest = JSON.parse(
      fs.readFileSync(path.join(pkg, "package.json"), "utf8"),
    );
    expect(fs.existsSync(path.join(pkg, manifest.main))).toBe(true);
    expect(fs.existsSync(path.join(pkg, manifest.types))).toBe(true);
  });

  it("require() gives apply, check and the rule list, and check runs on an app", () => {
    const app = path.join(scratch, "app");
    fs.cpSync(path.join(ROOT, "fixtures/apps/shop-2025/input"), app, {
      recursive: true,
    });
    const script = `
      const api = require("amplication-auth0-codemod");
      api.check({ root: ${JSON.stringify(app)}, configFile: ${JSON.stringify(
        path.join(ROOT, "fixtures/apps/shop-2025/auth0.config.json"),
      )} }).then((result) => console.log(JSON.stringify({
        exports: Object.keys(api).sort(),
        rules: api.RULES.map((rule) => rule.id),
        pending: result.changes.length,
        exitCode: api.exitCodeOf(result),
      })));`;
    const output = JSON.parse(
      execFileSync("node", ["-e", script], { cwd: scratch, encoding: "utf8" }),
    );
    expect(output.exports).toEqual(
      expect.arrayContaining(["apply", "check", "RULES", "RuleRefusal"]),
    );
    expect(output.rules).toContain("server/jwt-strategy");
    expect(output.pending).toBeGreaterThan(0);
    expect(output.exitCode).toBe(1);
  });

  it("installs without the Auth0 SDK; provision then names the install command (exit 2)", () => {
    expect(fs.existsSync(path.join(scratch, "node_modules/auth0"))).toBe(false);
    const result = spawnSync(
      "npx",
      ["--no-install", "amplication-auth0", "provision", "--dry-run"],
      { cwd: scratch, encoding: "utf8" },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('npm install --save-dev "auth0@^');
  });

  it("npx amplication-auth0 --help runs", () => {
    const help = execFileSync(
      "npx",
      ["--no-install", "amplication-auth0", "--help"],
      { cwd: scratch, encoding: "utf8" },
    );
    expect(help).toContain("Usage: amplication-auth0");
    expect(help).toContain("check");
  });

  it("npx jscodeshift -t node_modules/amplication-auth0-codemod/transforms applies the in-file rules", () => {
    // A JWT server: the example's auth folder and marker files, with the AuthModule to convert.
    fs.cpSync(EXAMPLE_SERVER, path.join(scratch, "server"), {
      recursive: true,
    });
    fs.copyFileSync(
      AUTH_MODULE_FIXTURE,
      path.join(scratch, "server/src/auth/auth.module.ts"),
    );
    fs.copyFileSync(
      path.join(ROOT, "__testfixtures__/auth0.config.json"),
      path.join(scratch, "auth0.config.json"),
    );
    const envBefore = fs.readFileSync(
      path.join(scratch, "server/.env"),
      "utf8",
    );
    const output = execFileSync(
      "npx",
      [
        "--no-install",
        "jscodeshift",
        "-t",
        "node_modules/amplication-auth0-codemod/transforms",
        "--auth-config=auth0.config.json",
        "--extensions=ts,tsx",
        "--ignore-pattern=**/node_modules/**",
        "--fail-on-error",
        "server/src/auth",
      ],
      { cwd: scratch, encoding: "utf8" },
    );
    expect(output).toMatch(/0 errors/);
    // auth.module.ts, auth.resolver.ts and jwt/jwt.strategy.ts: the in-file rules of src/auth
    expect(output).toMatch(/3 ok/);
    const converted = fs.readFileSync(
      path.join(scratch, "server/src/auth/auth.module.ts"),
      "utf8",
    );
    expect(converted).toContain(
      'PassportModule.register({ defaultStrategy: "jwt" }),',
    );
    expect(converted).not.toMatch(/^\s*PassportModule,$/m);
    expect(converted).not.toContain("JwtModule");
    const strategy = fs.readFileSync(
      path.join(scratch, "server/src/auth/jwt/jwt.strategy.ts"),
      "utf8",
    );
    expect(strategy).toContain("super(configService, userService)");
    // Whole-file rules (.env, package.json) are not in-file rules: this mode leaves them alone.
    expect(fs.readFileSync(path.join(scratch, "server/.env"), "utf8")).toBe(
      envBefore,
    );
  });
});
