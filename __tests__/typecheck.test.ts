/**
 * Every NestJS server of every whole-app fixture (fixtures/apps/<name>/{input,expected}/) passes
 * `tsc --noEmit` with its own tsconfig against real dependencies: the shared workspace in
 * scripts/typecheck/server, installed once per lock file into .tmp/, plus a Prisma client
 * generated from the server's own schema (see scripts/typecheck/typecheck-servers.ts).
 *
 * Controls prove the harness can fail: a plain type error must fail; a Prisma query on an extra
 * field must pass on a copy whose schema has that field, and must then still fail on the unchanged
 * schema (so the generated client is real, not `any`, and each schema gets its own).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  ensureServerWorkspace,
  findPrismaSchema,
  findServers,
  typecheckServer,
} from "../scripts/typecheck/typecheck-servers";
import { runCli } from "./helpers/cli";
import { copyTree } from "./helpers/files";

// The first run installs the workspace (about 15-20 s, longer on a cold npm cache).
jest.setTimeout(10 * 60 * 1000);

const APPS = path.resolve(__dirname, "../fixtures/apps");
const TREES = ["input", "expected"] as const;

const apps = fs.existsSync(APPS)
  ? fs
      .readdirSync(APPS)
      .filter((name) => fs.existsSync(path.join(APPS, name, "input")))
      .sort()
  : [];

/** Server folders of one tree, relative to the tree (e.g. "apps/shop-server"). */
function serversOf(tree: string): string[] {
  return findServers(tree).map((dir) => path.relative(tree, dir));
}

function expectTypecheckOk(server: string): void {
  const result = typecheckServer(server);
  if (!result.ok) {
    throw new Error(
      `tsc --noEmit failed for ${path.relative(process.cwd(), server)}:\n${result.output}`,
    );
  }
  expect(result.ok).toBe(true);
}

/** Error lines of tsc's output (`file(line,col): error TSxxxx: ...`). */
function errorLines(output: string): string[] {
  return output.split("\n").filter((line) => /error TS\d+/.test(line));
}

beforeAll(() => {
  ensureServerWorkspace();
});

test("there is at least one whole-app fixture", () => {
  expect(apps.length).toBeGreaterThan(0);
});

describe.each(apps)("app fixture %s", (app) => {
  const fixture = path.join(APPS, app);
  const inputServers = serversOf(path.join(fixture, "input"));
  const hasExpected = fs.existsSync(path.join(fixture, "expected"));

  it("input/ has at least one NestJS server", () => {
    expect(inputServers.length).toBeGreaterThan(0);
  });

  if (hasExpected) {
    it("expected/ has the same servers as input/", () => {
      expect(serversOf(path.join(fixture, "expected"))).toEqual(inputServers);
    });
  }

  for (const tree of TREES) {
    const root = path.join(fixture, tree);
    if (!fs.existsSync(root)) continue;
    for (const rel of serversOf(root)) {
      it(`${tree}/${rel} passes tsc --noEmit`, () => {
        expectTypecheckOk(path.join(root, rel));
      });
    }
  }
});

describe("harness controls", () => {
  // The first input server that has a Prisma schema.
  const server = apps
    .flatMap((app) => findServers(path.join(APPS, app, "input")))
    .find((dir) => findPrismaSchema(dir) !== undefined);
  const scratch: string[] = [];

  /** A copy of the control server in a fresh temp folder, edited by `edit`. */
  function editedCopy(edit: (copy: string) => void): string {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "typecheck-control-"));
    scratch.push(tmp);
    const copy = path.join(tmp, path.basename(server!));
    fs.cpSync(server!, copy, { recursive: true });
    edit(copy);
    return copy;
  }

  /** The first model of the schema and its client delegate (`model User` → `prisma.user`). */
  function firstModel(): { model: string; delegate: string } {
    const schema = fs.readFileSync(findPrismaSchema(server!)!, "utf8");
    const model = /^model\s+(\w+)\s*\{/m.exec(schema)?.[1];
    if (!model) throw new Error(`no model in the Prisma schema of ${server}`);
    return { model, delegate: model[0]!.toLowerCase() + model.slice(1) };
  }

  const CONTROL_FIELD = "typecheckControlField";
  const CONTROL_FILE = path.join("src", "typecheck-control.ts");

  function writePrismaQuery(copy: string): void {
    const { delegate } = firstModel();
    fs.writeFileSync(
      path.join(copy, CONTROL_FILE),
      [
        'import { PrismaClient } from "@prisma/client";',
        "",
        "export function typecheckControl(prisma: PrismaClient) {",
        `  return prisma.${delegate}.findMany({ where: { ${CONTROL_FIELD}: "x" } });`,
        "}",
        "",
      ].join("\n"),
    );
  }

  afterAll(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has a server with a Prisma schema to use", () => {
    expect(server).toBeDefined();
  });

  it("fails on a deliberate type error", () => {
    const target = path.join("src", "app.module.ts");
    const copy = editedCopy((dir) => {
      const file = fs.existsSync(path.join(dir, target))
        ? path.join(dir, target)
        : path.join(dir, CONTROL_FILE);
      fs.appendFileSync(
        file,
        '\nconst typecheckNegativeControl: number = "a";\n',
      );
    });
    const file = fs.existsSync(path.join(copy, target)) ? target : CONTROL_FILE;
    const result = typecheckServer(copy);
    expect(result.ok).toBe(false);
    const errors = errorLines(result.output);
    expect(errors.length).toBe(1);
    expect(errors[0]).toContain(file);
    expect(errors[0]).toContain("TS2322");
  });

  // Declared (and so run) in this order: the copy with the extra field is generated first, so the
  // failure below also proves that it did not replace the client of the unchanged schema.
  it("passes a query on a field that the copy's own schema has", () => {
    const { model } = firstModel();
    const copy = editedCopy((dir) => {
      writePrismaQuery(dir);
      const schemaFile = findPrismaSchema(dir)!;
      const schema = fs.readFileSync(schemaFile, "utf8");
      const edited = schema.replace(
        new RegExp(`^model\\s+${model}\\s*\\{`, "m"),
        (head) => `${head}\n  ${CONTROL_FIELD} String?`,
      );
      expect(edited).not.toBe(schema);
      fs.writeFileSync(schemaFile, edited);
    });
    const result = typecheckServer(copy);
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  it("fails the same query on the unchanged schema (each schema gets its own client)", () => {
    const copy = editedCopy(writePrismaQuery);
    const result = typecheckServer(copy);
    expect(result.ok).toBe(false);
    const errors = errorLines(result.output);
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toContain(CONTROL_FILE);
    expect(result.output).toContain(CONTROL_FIELD);
  });
});

describe("a rule turned off, as a refusal offers", () => {
  it("server/remove-local-login off: AuthModule still provides the local login (the rule that needs it is off too), and the server passes tsc --noEmit", async () => {
    const example = path.join(APPS, "shop-2025");
    const dir = copyTree(path.join(example, "input"));
    const config = JSON.parse(
      fs.readFileSync(path.join(example, "auth0.config.json"), "utf8"),
    );
    delete config.$schema;
    config.rules = { "server/remove-local-login": "off" };
    fs.writeFileSync(
      path.join(dir, "auth0.config.json"),
      JSON.stringify(config, null, 2),
    );
    const run = await runCli(["apply", dir, "--allow-dirty", "--verbose"]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /server\/auth-module-local-login.*server\/remove-local-login, which it needs, is turned off/,
    );
    // Still provides what stays: AuthService, TokenService, AuthController.
    const module = fs.readFileSync(
      path.join(dir, "apps/shop-server/src/auth/auth.module.ts"),
      "utf8",
    );
    expect(module).toMatch(/providers: \[\s*AuthService,/);
    expect(module).toContain("TokenService,");
    expect(module).toContain("controllers: [AuthController]");
    expect(
      fs.existsSync(
        path.join(dir, "apps/shop-server/src/auth/auth.service.ts"),
      ),
    ).toBe(true);
    expectTypecheckOk(path.join(dir, "apps/shop-server"));
  });
});
