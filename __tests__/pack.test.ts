/**
 * `npm pack` gives a package that works where it is installed: the CLI runs and `require` gives
 * the programmatic API. The tarball is installed as the README says (helpers/pack.ts). The
 * standard jscodeshift CLI on the installed package is __tests__/jscodeshift-cli.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { packageCopy } from "./helpers/build";
import { packAndInstall } from "./helpers/pack";

const ROOT = path.resolve(__dirname, "..");

jest.setTimeout(240_000);

describe("npm pack", () => {
  let scratch: string;
  let tarballName: string;

  /** What an earlier build compiled from a module since deleted (npm run build prunes it). */
  const STALE = "dist/src/module-deleted-since.js";
  /** A copy of the package's sources with an old dist/, packed as a user packs a checkout. */
  let checkout: string;

  beforeAll(() => {
    checkout = packageCopy();
    fs.mkdirSync(path.join(checkout, "dist/src"), { recursive: true });
    fs.writeFileSync(path.join(checkout, STALE), "module.exports = {};\n");
    ({ scratch, tarballName } = packAndInstall([], checkout));
  });

  it("ships no compiled file of a module that no longer exists", () => {
    const pkg = path.join(scratch, "node_modules/amplication-auth0-codemod");
    expect(fs.existsSync(path.join(pkg, STALE))).toBe(false);
    expect(fs.existsSync(path.join(checkout, STALE))).toBe(false);
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
      `cp ../amplication-auth0-codemod/${tarballName} vendor/`,
    );
    expect(readme).toContain(`npm install --save-dev ./vendor/${tarballName}`);
  });

  it("installed so, the CI job ci github writes installs the tarball kept in the repository", () => {
    const bin = path.join(scratch, "node_modules/.bin/amplication-auth0");
    const result = spawnSync(bin, ["ci", "github", scratch], {
      encoding: "utf8",
    });
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(
      JSON.parse(fs.readFileSync(path.join(scratch, "package.json"), "utf8"))
        .devDependencies["amplication-auth0-codemod"],
    ).toBe(`file:vendor/${tarballName}`);
    expect(result.stdout).not.toContain("npm registry");
    // The job's install step, run in the project as a checkout has it, into a prefix of its own.
    const workflow = path.join(
      scratch,
      ".github/workflows/amplication-auth0.yml",
    );
    const install = (
      parse(fs.readFileSync(workflow, "utf8")).jobs.convert.steps as Array<{
        run?: string;
        env?: Record<string, string>;
      }>
    ).find((step) => step.run?.includes("npm install --global"))!;
    const prefix = path.join(scratch, "global");
    execFileSync("bash", ["-e", "-c", install.run!], {
      cwd: scratch,
      stdio: "pipe",
      env: {
        ...process.env,
        ...install.env,
        npm_config_prefix: prefix,
        npm_config_prefer_offline: "true",
      },
    });
    expect(
      execFileSync(path.join(prefix, "bin/amplication-auth0"), ["--version"], {
        encoding: "utf8",
      }).trim(),
    ).toBe(
      JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))
        .version,
    );
    fs.rmSync(path.join(scratch, ".github"), { recursive: true });
  });

  it("init's $schema names the schema of the package that runs it, wherever the repository installs it; else where an install at the root puts it", () => {
    const installed = path.join(
      scratch,
      "node_modules/amplication-auth0-codemod",
    );
    const initIn = (repository: string, pkg: string) => {
      fs.cpSync(path.join(ROOT, "fixtures/apps/shop-2025/input"), repository, {
        recursive: true,
      });
      execFileSync("git", ["init", "-q"], { cwd: repository });
      execFileSync(
        "node",
        [path.join(pkg, "dist/src/cli/main.js"), "init", repository],
        {
          encoding: "utf8",
        },
      );
      return JSON.parse(
        fs.readFileSync(path.join(repository, "auth0.config.json"), "utf8"),
      ).$schema as string;
    };
    // Installed in a sub-folder of the repository (its dependencies resolve from above).
    const mono = path.join(scratch, "mono");
    const inTools = path.join(
      mono,
      "tools/node_modules/amplication-auth0-codemod",
    );
    fs.cpSync(installed, inTools, { recursive: true });
    const ref = initIn(mono, inTools);
    expect(ref).toBe(
      "./tools/node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
    );
    expect(fs.existsSync(path.join(mono, ref))).toBe(true);
    // Run from outside the repository (as npx does): the path an install at its root gives.
    expect(initIn(path.join(scratch, "elsewhere"), installed)).toBe(
      "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
    );
    fs.rmSync(mono, { recursive: true });
    fs.rmSync(path.join(scratch, "elsewhere"), { recursive: true });
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

  it('the README\'s "From a script" example runs as written, in an app with the package installed', () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## From a script"));
    const snippet = /```js\n([\s\S]*?)```/.exec(section)![1];
    const app = path.join(scratch, "snippet-app");
    fs.cpSync(path.join(ROOT, "fixtures/apps/shop-2025/input"), app, {
      recursive: true,
    });
    fs.copyFileSync(
      path.join(ROOT, "fixtures/apps/shop-2025/auth0.config.json"),
      path.join(app, "auth0.config.json"),
    );
    // resolved from the scratch project, where the package is installed
    fs.symlinkSync(
      path.join(scratch, "node_modules"),
      path.join(app, "node_modules"),
    );
    fs.writeFileSync(path.join(app, "example.js"), snippet);
    const result = spawnSync("node", ["example.js"], {
      cwd: app,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1); // changes pending, as check exits
    expect(result.stdout).toContain("apps/shop-server/src/auth/auth.module.ts");
    fs.rmSync(app, { recursive: true });
  });

  it("installs none of jscodeshift's own dependencies, nor the Prisma parser's: jscodeshift's core, recast, Babel's parser and the Prisma parser are bundled, with their licences", () => {
    const modules = path.join(scratch, "node_modules");
    for (const name of [
      "jscodeshift",
      "@babel/core",
      "recast",
      "flow-parser",
      "@mrleebo/prisma-ast",
      "chevrotain",
      "lodash-es",
    ])
      expect({
        name,
        installed: fs.existsSync(path.join(modules, name)),
      }).toEqual({
        name,
        installed: false,
      });
    const licences = fs.readFileSync(
      path.join(
        modules,
        "amplication-auth0-codemod/dist/transforms/lib/jscodeshift-core.LICENSES.txt",
      ),
      "utf8",
    );
    for (const name of ["jscodeshift", "recast", "@babel/parser"])
      expect(licences).toMatch(new RegExp(`^${name}@\\d`, "m"));
    const prismaLicences = fs.readFileSync(
      path.join(
        modules,
        "amplication-auth0-codemod/dist/transforms/lib/prisma-parser.LICENSES.txt",
      ),
      "utf8",
    );
    for (const name of ["@mrleebo/prisma-ast", "chevrotain", "lodash-es"])
      expect(prismaLicences).toMatch(new RegExp(`^${name}@\\d`, "m"));
  });

  it("the bundled Prisma parser neither runs nor reads a prisma-ast config of the working folder or above", () => {
    // @mrleebo/prisma-ast's own config search (lilconfig) would run this file as it loads.
    const outside = path.join(scratch, "outside");
    const work = path.join(outside, "repo", "apps");
    fs.mkdirSync(work, { recursive: true });
    const ran = path.join(outside, "config-ran");
    fs.writeFileSync(
      path.join(outside, "prisma-ast.config.js"),
      `require("fs").writeFileSync(${JSON.stringify(ran)}, "");\nmodule.exports = {};\n`,
    );
    const parser = path.join(
      scratch,
      "node_modules/amplication-auth0-codemod/dist/transforms/lib/prisma-parser.js",
    );
    const script = `const { getSchema } = require(${JSON.stringify(parser)});
      console.log(getSchema("model User {\\n  id Int @id\\n}\\n").list[0].name);`;
    const output = execFileSync("node", ["-e", script], {
      cwd: work,
      encoding: "utf8",
    });
    expect(output.trim()).toBe("User");
    expect(fs.existsSync(ran)).toBe(false);
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
});

/**
 * The package has no jscodeshift, recast, Babel or Prisma parser of its own to load: every
 * module that runs in it goes through the module the build bundles them into. A value import
 * elsewhere would pass the tests (which have the devDependencies) and fail where it is installed.
 */
const BUNDLED: Record<string, string> = {
  [path.join("transforms", "lib", "jscodeshift-core.ts")]:
    "jscodeshift|recast|ast-types|@babel",
  [path.join("transforms", "lib", "prisma-parser.ts")]:
    "@mrleebo/prisma-ast|chevrotain|lodash-es",
};

it.each(Object.entries(BUNDLED))(
  "only %s loads %s at run time",
  (bundle, packages) => {
    const name = `(?:${packages})(?:\\/[^"']*)?`;
    const loads = new RegExp(
      `(?:^|\\n)\\s*(?:import|export)\\s+(?!type\\b)[^;]*?from\\s+["']${name}["']|require\\(\\s*["']${name}["']`,
    );
    const offenders: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(path.join(ROOT, dir), {
        withFileTypes: true,
      })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (
          /\.tsx?$/.test(entry.name) &&
          file !== bundle &&
          loads.test(fs.readFileSync(path.join(ROOT, file), "utf8"))
        )
          offenders.push(file);
      }
    };
    visit("src");
    visit("transforms");
    expect(offenders).toEqual([]);
    // The bundled module itself does load them: the pattern is not vacuous.
    expect(loads.test(fs.readFileSync(path.join(ROOT, bundle), "utf8"))).toBe(
      true,
    );
  },
);
