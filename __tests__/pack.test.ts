/**
 * `npm pack` gives a package that works where it is installed: the CLI runs, and so does the
 * standard jscodeshift CLI pointed at the package's transforms folder. Installs from the npm
 * registry (or its local cache) into a scratch project; this is the slowest test.
 */
import { execFileSync } from "node:child_process";
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
    const tarball = path.join(
      packDir,
      JSON.parse(output.slice(output.indexOf("[")))[0].filename,
    );
    scratch = tempDir("aa0-scratch-");
    writeFiles(scratch, {
      "package.json": JSON.stringify({ name: "scratch", private: true }),
    });
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball],
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
