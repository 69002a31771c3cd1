/**
 * Bad input files (issue 16, point 5): the real engine on copies of the shop-2025 app with one
 * defect each. Every case is either refused naming its file, rule and reason (nothing written)
 * or converted with the file's style kept; none is an internal error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfigFile } from "./helpers/config";
import { detectService, findServices } from "../src/detect/detect";
import { Writable } from "node:stream";
import { main } from "../src/cli/main";
import { planService } from "../src/plan/plan";
import { DiskTree } from "../src/tree/disk-tree";
import { copyTree, readTree } from "./helpers/files";
import { runCli } from "./helpers/cli";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const INPUT = path.join(EXAMPLE, "input");
const EXPECTED = path.join(EXAMPLE, "expected");
const configFile = path.join(EXAMPLE, "auth0.config.json");
const SERVER = "apps/shop-server";
const ADMIN = "apps/shop-admin";

function exampleCopy(): string {
  return copyTree(INPUT);
}

function edit(dir: string, file: string, change: (text: string) => string) {
  const full = path.join(dir, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, "utf8")));
}

interface Outcome {
  exitCode: number;
  /** For a failed run: the error of the --json report. */
  error?: {
    kind: string;
    file?: string;
    rule?: string;
    reason?: string;
    fix?: string;
  };
  services?: Array<{ status: string; reason: string | null }>;
}

/** `amplication-auth0 apply --json` on dir, as a user runs it. */
async function apply(dir: string): Promise<Outcome> {
  let out = "";
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const code = await main(
    ["apply", dir, "--config", configFile, "--json", "--allow-dirty"],
    { out: stdout, err: stderr },
  );
  const outcome = JSON.parse(out) as Outcome;
  expect(outcome.exitCode).toBe(code);
  return outcome;
}

/** The outcome is a refusal of `file` (exit 1) naming the rule and the reason. */
function expectRefusal(outcome: Outcome, file: string, reason: string) {
  expect(outcome).toMatchObject({
    exitCode: 1,
    error: { kind: "refused", file },
  });
  expect(outcome.error!.rule).toMatch(/^(server|admin)\/|^detect$/);
  expect(outcome.error!.reason).toContain(reason);
}

/**
 * Every file a rule of the table runs on in this app, from the plan (src/plan/rules.ts), so a
 * new rule's files are covered without a change here; plus READ_BY_RULES.
 */
function parsedFiles(): string[] {
  const config = loadConfigFile(configFile);
  const tree = new DiskTree(INPUT);
  const files = new Set<string>();
  for (const service of findServices(tree, config)) {
    const profile = detectService(tree, service, config);
    for (const step of planService(profile, config))
      if (step.status === "run")
        for (const file of step.files)
          if (fs.existsSync(path.join(INPUT, file))) files.add(file);
  }
  for (const file of READ_BY_RULES) files.add(file);
  return [...files].sort();
}

/** Files rules read for what they write elsewhere: server/jwt-strategy-base, the entity's fields. */
const READ_BY_RULES = [`${SERVER}/prisma/schema.prisma`];

function readFileOrUndefined(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

function input(file: string): string {
  return fs.readFileSync(path.join(INPUT, file), "utf8");
}

/**
 * A syntax error on a line of its own in the file's own language: at the end of the file, or for
 * the Prisma schema, of which the rules parse only the blocks they read, inside the auth
 * entity's model.
 */
const SYNTAX_ERRORS: Record<string, string> = {
  ".ts": "const broken = ;",
  ".tsx": "const broken = ;",
  ".json": '"broken": true',
  ".yml": "broken: : x",
  ".env": 'BROKEN="unclosed',
  ".prisma": "  broken String String",
};

function languageOf(file: string): string {
  return path.extname(file) || path.basename(file);
}

describe("a syntax error in each file a rule parses", () => {
  const files = parsedFiles();

  it("covers every kind of file the rules parse", () => {
    expect(new Set(files.map(languageOf))).toEqual(
      new Set(Object.keys(SYNTAX_ERRORS)),
    );
  });

  it.each(files)("%s", async (file) => {
    const dir = exampleCopy();
    let line = 0;
    edit(dir, file, (text) => {
      const lines = text.replace(/\n?$/, "").split("\n");
      const at =
        languageOf(file) === ".prisma"
          ? lines.indexOf("model User {") + 1
          : lines.length;
      expect(at).toBeGreaterThan(0);
      lines.splice(at, 0, SYNTAX_ERRORS[languageOf(file)]);
      line = at + 1;
      return `${lines.join("\n")}\n`;
    });
    const before = readTree(dir);
    const outcome = await apply(dir);
    // A rule may pass over a file without parsing it only where the conversion of the fixture
    // deletes the file or leaves it as it is (a candidate something still imports); it then
    // keeps or deletes the file here too. Every file a rule rewrites or reads is refused.
    const output = readFileOrUndefined(path.join(EXPECTED, file));
    const passedOver = output === undefined || output === input(file);
    if (passedOver && !READ_BY_RULES.includes(file) && outcome.exitCode === 0) {
      expect(readTree(dir).get(file)).toBe(
        output === undefined ? undefined : before.get(file),
      );
      return;
    }
    expectRefusal(outcome, file, `at line ${line}, column `);
    expect(outcome.error!.fix).toBe(
      `correct ${file} at line ${line} and run again (or, if the error came with an edit of yours, put back Amplication's version of the file)`,
    );
    expect(readTree(dir)).toEqual(before);
  });
});

describe("a file with several syntax errors", () => {
  const file = `${SERVER}/scripts/seed.ts`;

  /** The example with `added` at the end of seed.ts; the line number of its first line. */
  function withLines(added: string[]): { dir: string; first: number } {
    const dir = exampleCopy();
    let first = 0;
    edit(dir, file, (text) => {
      const lines = text.replace(/\n?$/, "").split("\n");
      first = lines.length + 1;
      return `${[...lines, ...added].join("\n")}\n`;
    });
    return { dir, first };
  }

  async function expectErrors(dir: string, errors: Array<[number, string]>) {
    const before = readTree(dir);
    const outcome = await apply(dir);
    expectRefusal(
      outcome,
      file,
      `it is not valid TypeScript ${errors.map(([line, what]) => `at line ${line}, ${what}`).join("; and ")}`,
    );
    const lines = errors.map(([line]) => line);
    expect(outcome.error!.fix).toBe(
      `correct ${file} at lines ${lines.slice(0, -1).join(", ")} and ${lines[lines.length - 1]} and run again (or, if the error came with an edit of yours, put back Amplication's version of the file)`,
    );
    expect(readTree(dir)).toEqual(before);
  }

  it("is refused with every error the parser can go past, in one run", async () => {
    // As in a real 2024 build's seed.ts: declarations repeated, which Babel goes past.
    const { dir, first } = withLines([
      "const salt = 1;",
      "const salt = 2;",
      "let client = 3;",
      "let client = 4;",
      "const data = 5;",
      "const data = 6;",
    ]);
    await expectErrors(dir, [
      [first + 1, "column 7: Identifier 'salt' has already been declared."],
      [first + 3, "column 5: Identifier 'client' has already been declared."],
      [first + 5, "column 7: Identifier 'data' has already been declared."],
    ]);
  });

  it("is refused with the first error and the one the parser stops at", async () => {
    // Babel gives nothing of what it went past when it then stops: the errors between the
    // first and the last are named once these are corrected.
    const { dir, first } = withLines([
      "const salt = 1;",
      "const salt = 2;",
      "const broken = ;",
    ]);
    await expectErrors(dir, [
      [first + 1, "column 7: Identifier 'salt' has already been declared."],
      [first + 2, "column 16: Unexpected token"],
    ]);
  });
});

describe("merge conflict markers", () => {
  it("in both services' package.json: refuses both files in one run, each with its line, and writes nothing", async () => {
    const dir = exampleCopy();
    for (const side of [SERVER, ADMIN])
      edit(dir, `${side}/package.json`, (text) =>
        text.replace(
          '  "private": true,\n',
          '<<<<<<< HEAD\n  "private": true,\n=======\n  "private": false,\n>>>>>>> amplication\n',
        ),
      );
    const before = readTree(dir);
    const outcome = (await apply(dir)) as Outcome & {
      error: { refusals?: Array<{ file: string; reason: string }> };
    };
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error.kind).toBe("refused");
    expect(
      [
        ...new Set(outcome.error.refusals!.map((refusal) => refusal.file)),
      ].sort(),
    ).toEqual([`${ADMIN}/package.json`, `${SERVER}/package.json`]);
    for (const refusal of outcome.error.refusals!)
      expect(refusal.reason).toMatch(
        /not valid JSON at line \d+, column \d+: a merge conflict marker \(<<<<<<<\): the file holds a merge conflict that was not resolved/,
      );
    expect(readTree(dir)).toEqual(before);
  });

  it("in a TypeScript file: refused as the conflict it is, with the conflict to resolve as the fix", async () => {
    const dir = exampleCopy();
    const file = `${SERVER}/src/auth/jwt/base/jwt.strategy.base.ts`;
    let line = 0;
    edit(dir, file, (text) => {
      const lines = text.split("\n");
      line = lines.findIndex((l) => l.startsWith("export class")) + 1;
      lines.splice(
        line - 1,
        0,
        "<<<<<<< HEAD",
        "// ours",
        "=======",
        "// theirs",
        ">>>>>>> amplication",
      );
      return lines.join("\n");
    });
    const before = readTree(dir);
    const outcome = await apply(dir);
    expectRefusal(
      outcome,
      file,
      `it is not valid TypeScript at line ${line}, column 1: a merge conflict marker (<<<<<<<): the file holds a merge conflict that was not resolved`,
    );
    expect(outcome.error!.fix).toBe(
      `resolve the merge conflict in ${file} (from line ${line}; \`git status\` lists every file still in conflict), commit, and run again`,
    );
    expect(readTree(dir)).toEqual(before);
  });
});

const SERVER_ENV = `${SERVER}/.env`;
const COMPOSE = `${SERVER}/docker-compose.yml`;
const SCHEMA = `${SERVER}/prisma/schema.prisma`;
const SERVER_PACKAGE = `${SERVER}/package.json`;

/** Converted as the whole-app fixture is, except these files, which must read as given. */
async function expectConverted(dir: string, files: Record<string, string>) {
  const outcome = await apply(dir);
  expect(outcome.error).toBeUndefined();
  expect(outcome.exitCode).toBe(0);
  const expected = readTree(EXPECTED);
  for (const [file, text] of Object.entries(files)) expected.set(file, text);
  expect(readTree(dir)).toEqual(expected);
  // and a second run finds nothing to do
  expect((await apply(dir)).exitCode).toBe(0);
  expect(readTree(dir)).toEqual(expected);
}

async function expectRefused(dir: string, file: string, reason: string) {
  const before = readTree(dir);
  expectRefusal(await apply(dir), file, reason);
  expect(readTree(dir)).toEqual(before);
}

describe(".env in the dotenv 16 grammar", () => {
  // A multi-line value whose lines look like assignments of the very keys the rules set and
  // remove, and a PEM value: all of it is inside values, none of it an assignment. (Sorted,
  // so the new keys go after them.)
  const multiLine = [
    "APP_NOTES='the old settings:",
    "JWT_SECRET_KEY=kept-in-a-note",
    "AUTH0_AUDIENCE=kept-in-a-note",
    "'",
    'APP_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----',
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo",
    "4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u",
    "+qIDAQAB",
    '-----END PUBLIC KEY-----"',
  ].join("\n");

  it("keeps a multi-line value byte for byte, and reads no assignment inside it", async () => {
    const dir = exampleCopy();
    edit(dir, SERVER_ENV, (text) => `${multiLine}\n${text}`);
    const expected = fs.readFileSync(path.join(EXPECTED, SERVER_ENV), "utf8");
    await expectConverted(dir, { [SERVER_ENV]: `${multiLine}\n${expected}` });
  });

  it("keeps `export`, comments, blank lines and empty values; edits in place", async () => {
    const dir = exampleCopy();
    fs.writeFileSync(
      path.join(dir, SERVER_ENV),
      [
        "# local settings",
        "export AUTH0_AUDIENCE=https://old.example # from last year",
        "export BCRYPT_SALT=10",
        "",
        "# database",
        "DB_URL=postgres://admin:admin@localhost:5432/shop # local only",
        "EMPTY=",
        "export JWT_EXPIRATION=2d",
        "export JWT_SECRET_KEY='Change_ME!!!'",
        "PORT=3000",
        "",
      ].join("\n"),
    );
    await expectConverted(dir, {
      [SERVER_ENV]: [
        "# local settings",
        "export AUTH0_AUDIENCE=https://api.shop.example",
        "AUTH0_ISSUER_URL=https://shop-dev.eu.auth0.com/",
        "export BCRYPT_SALT=10",
        "",
        "# database",
        "DB_URL=postgres://admin:admin@localhost:5432/shop # local only",
        "EMPTY=",
        "PORT=3000",
        "",
      ].join("\n"),
    });
  });

  it("refuses a quote that is never closed, with its line and column", async () => {
    const dir = exampleCopy();
    edit(dir, SERVER_ENV, (text) => `${text}APP_KEY="-----BEGIN\nabc\n`);
    await expectRefused(
      dir,
      SERVER_ENV,
      'at line 11, column 9: the " that opens the value of APP_KEY is never closed',
    );
  });
});

describe("docker-compose.yml with merge keys", () => {
  const anchored = (secrets: string) =>
    [
      'version: "3"',
      "x-server-env: &server-env",
      "  BCRYPT_SALT: ${BCRYPT_SALT}",
      secrets,
      "services:",
      "  server:",
      "    image: shop-server",
      "    environment:",
      "      <<: *server-env",
      "      DB_URL: postgres://${DB_USER}:${DB_PASSWORD}@db:5432/${DB_NAME}",
      "  migrate:",
      "    image: shop-server",
      "    environment:",
      "      <<: *server-env",
      "",
    ].join("\n");

  it("removes the JWT secret where the anchor defines it", async () => {
    const dir = exampleCopy();
    fs.writeFileSync(
      path.join(dir, COMPOSE),
      anchored(
        "  JWT_SECRET_KEY: ${JWT_SECRET_KEY}\n  JWT_EXPIRATION: ${JWT_EXPIRATION}",
      ),
    );
    const converted = anchored("").replace(
      "${BCRYPT_SALT}\n\n",
      "${BCRYPT_SALT}\n",
    );
    await expectConverted(dir, {
      [COMPOSE]: converted.replace(
        "@db:5432/${DB_NAME}\n",
        "@db:5432/${DB_NAME}\n      AUTH0_AUDIENCE: ${AUTH0_AUDIENCE}\n      AUTH0_ISSUER_URL: ${AUTH0_ISSUER_URL}\n",
      ),
    });
  });

  it("refuses an environment that is an alias as a whole, with why", async () => {
    const dir = exampleCopy();
    edit(dir, COMPOSE, (text) =>
      text
        .replace("services:\n", "x-env: &env\n  JWT_SECRET_KEY: x\nservices:\n")
        .replace(
          /    environment:\n      BCRYPT_SALT[^]*?JWT_EXPIRATION\}\n/,
          "    environment: *env\n",
        ),
    );
    await expectRefused(
      dir,
      COMPOSE,
      "services.server.environment is the alias *env",
    );
  });
});

describe("prisma/schema.prisma read by the schema language's grammar", () => {
  it("reads a model whose closing } is indented, not the next model's fields", async () => {
    const dir = exampleCopy();
    // Order.total required: a reader that ran on into Order would want a value for User.total.
    const schema = (text: string) =>
      text
        .replace(
          "  username  String   @unique\n}",
          "  username  String   @unique\n  }",
        )
        .replace("  total     Float?", "  total     Float");
    edit(dir, SCHEMA, schema);
    await expectConverted(dir, {
      [SCHEMA]: schema(fs.readFileSync(path.join(INPUT, SCHEMA), "utf8")),
    });
  });

  it("sees @@unique([email]) as a unique email", async () => {
    const dir = exampleCopy();
    const schema = (text: string) =>
      text
        .replace("  email     String?  @unique\n", "  email     String?\n")
        .replace(
          "  username  String   @unique\n}",
          "  username  String   @unique\n\n  @@unique([email])\n}",
        );
    edit(dir, SCHEMA, schema);
    await expectConverted(dir, {
      [SCHEMA]: schema(fs.readFileSync(path.join(INPUT, SCHEMA), "utf8")),
    });
  });

  it("does not take @@unique([email, username]) for a unique email", async () => {
    const dir = exampleCopy();
    edit(dir, SCHEMA, (text) =>
      text
        .replace("  email     String?  @unique\n", "  email     String?\n")
        .replace(
          "  username  String   @unique\n}",
          "  username  String   @unique\n\n  @@unique([email, username])\n}",
        ),
    );
    await expectRefused(
      dir,
      `${SERVER}/src/auth/jwt/base/jwt.strategy.base.ts`,
      "User.email is not a unique String field",
    );
  });
});

describe("package.json with a key given twice", () => {
  it("refuses a second dependencies block, naming the key and its line", async () => {
    const dir = exampleCopy();
    edit(dir, SERVER_PACKAGE, (text) =>
      text.replace(
        '  "devDependencies": {',
        '  "dependencies": {\n    "left-pad": "^1.3.0"\n  },\n  "devDependencies": {',
      ),
    );
    await expectRefused(
      dir,
      SERVER_PACKAGE,
      'at line 49, column 3: the key "dependencies" appears twice',
    );
  });
});

// Seen on a real repository: one refused AuthModule made five refusals, four of them files
// AuthModule still imports, each saying so in a paragraph of its own.
describe("refusals that follow from another refusal of the run", () => {
  /** apply --json on dir: stdout parsed, and what stderr said. */
  async function applyBoth(dir: string) {
    const { code, out, err } = await runCli([
      "apply",
      dir,
      "--config",
      configFile,
      "--json",
      "--allow-dirty",
    ]);
    const json = JSON.parse(out) as {
      error: {
        message: string;
        refusals: Array<{ file: string; rule: string; followsFrom?: string }>;
      };
    };
    return { code, json, err };
  }
  const MODULE = `${SERVER}/src/auth/auth.module.ts`;
  const IMPORTED = [
    `${SERVER}/src/auth/auth.controller.ts`,
    `${SERVER}/src/auth/auth.service.ts`,
    `${SERVER}/src/auth/token.service.ts`,
  ];

  it("go under the refusal they follow from, in one line, and --json says which", async () => {
    const dir = exampleCopy();
    edit(dir, MODULE, (text) => {
      expect(text).toContain("providers: [");
      return text.replace("providers: [", "providers: someProviders, old: [");
    });
    const { code, json, err } = await applyBoth(dir);
    expect(code).toBe(1);
    const refused = json.error.refusals.map((refusal) => refusal.file);
    expect(refused[0]).toBe(MODULE);
    for (const file of IMPORTED) expect(refused).toContain(file);
    // every refusal is still listed for scripts, the follow-ons with what they follow from
    for (const refusal of json.error.refusals)
      expect(refusal.followsFrom).toBe(
        refusal.file === MODULE ? undefined : MODULE,
      );
    // the person reads the AuthModule refusal, then one line for the files it keeps in use
    expect(err).toContain(
      `${MODULE}: rule server/auth-module-local-login refused: @Module() has no \`providers: [...]\` array literal`,
    );
    expect(err).toMatch(
      new RegExp(
        `\\n  and so: rule server/remove-local-login refused ${refused.length - 1} files it still uses \\(they go once it is converted\\): `,
      ),
    );
    for (const file of IMPORTED) {
      expect(err).toContain(file);
      expect(err).not.toContain(`${file}: rule server/remove-local-login`);
    }
    // the job summary lists each, the follow-ons with what they follow from
    const summary = path.join(dir, "summary.md");
    await runCli([
      "apply",
      dir,
      "--config",
      configFile,
      "--allow-dirty",
      "--summary-file",
      summary,
    ]);
    const text = fs.readFileSync(summary, "utf8");
    expect(
      text.split("- **Follows from:** the refusal of `" + MODULE + "`"),
    ).toHaveLength(refused.length);
  });

  it("stand on their own where the code still using the file was not refused", async () => {
    const dir = exampleCopy();
    fs.writeFileSync(
      path.join(dir, SERVER, "src/mine.ts"),
      'import { TokenService } from "./auth/token.service";\nexport const mine = TokenService;\n',
    );
    const { code, json, err } = await applyBoth(dir);
    expect(code).toBe(1);
    expect(json.error.refusals).toEqual([
      expect.objectContaining({
        file: `${SERVER}/src/auth/token.service.ts`,
        rule: "server/remove-local-login",
      }),
    ]);
    expect(json.error.refusals[0].followsFrom).toBeUndefined();
    expect(err).not.toContain("and so:");
    expect(err).toContain(`${SERVER}/src/mine.ts (imports TokenService`);
    // the way out names the config setting that turns the rule off
    expect(err).toContain(
      'or turn the rule off in the config ("rules": { "server/remove-local-login": "off" }) if the file is to stay as it is',
    );
  });
});
