/**
 * The engine's checks after the second pass ran first: a changed file that does not parse is
 * still reported as such (and before anything the second pass says), nothing is written, and
 * only texts no transform of the second pass parsed are parsed again.
 */
import * as path from "node:path";
import { run } from "../src/engine/run";
import { ParseLog, transformApi, withParseLog } from "../src/plan/run-rule";
import { copyTree, hashTree } from "./helpers/files";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const configFile = path.join(EXAMPLE, "auth0.config.json");

afterEach(() => {
  jest.dontMock("../transforms/server/auth0-payload-type");
  jest.dontMock("../transforms/server/jwt-strategy");
});

/**
 * Prettier's TypeScript parser formats it (a redeclaration is not a syntax error to it), but
 * the parser the rules use (Babel through jscodeshift) refuses it: only the parse check sees it.
 */
const BROKEN = "export const sub = 1;\nexport const sub = 2;\n";

describe("engine checks", () => {
  it("reports a created file that does not parse, and writes nothing", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    await jest.isolateModulesAsync(async () => {
      jest.doMock("../transforms/server/auth0-payload-type", () => ({
        __esModule: true,
        default: () => BROKEN,
      }));
      const { run: isolatedRun } =
        require("../src/engine/run") as typeof import("../src/engine/run");
      const { VerificationError } =
        require("../src/verify/verify") as typeof import("../src/verify/verify");
      const attempt = isolatedRun({ root: dir, configFile, command: "apply" });
      await expect(attempt).rejects.toBeInstanceOf(VerificationError);
      await expect(attempt).rejects.toThrow(
        /apps\/shop-server\/src\/auth\/jwt\/base\/Auth0Payload\.ts: the converted file does not parse/,
      );
    });
    expect(hashTree(dir)).toBe(hash);
  });

  it("reports the file that does not parse before an error of the second pass", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    await jest.isolateModulesAsync(async () => {
      jest.doMock("../transforms/server/auth0-payload-type", () => ({
        __esModule: true,
        default: () => BROKEN,
      }));
      // A transform that fails in the second pass only (when its file is already converted).
      const real = jest.requireActual("../transforms/server/jwt-strategy");
      jest.doMock("../transforms/server/jwt-strategy", () => ({
        __esModule: true,
        default: (file: { source: string }, ...rest: unknown[]) => {
          if (file.source.includes("configService"))
            throw new Error("second pass blew up");
          return real.default(file, ...rest);
        },
      }));
      const { run: isolatedRun } =
        require("../src/engine/run") as typeof import("../src/engine/run");
      await expect(
        isolatedRun({ root: dir, configFile, command: "apply" }),
      ).rejects.toThrow(/Auth0Payload\.ts: the converted file does not parse/);
    });
    expect(hashTree(dir)).toBe(hash);
  });

  it("still passes the second pass's own error on when every file parses", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    await jest.isolateModulesAsync(async () => {
      const real = jest.requireActual("../transforms/server/jwt-strategy");
      jest.doMock("../transforms/server/jwt-strategy", () => ({
        __esModule: true,
        default: (file: { source: string }, ...rest: unknown[]) => {
          if (file.source.includes("configService"))
            throw new Error("second pass blew up");
          return real.default(file, ...rest);
        },
      }));
      const { run: isolatedRun } =
        require("../src/engine/run") as typeof import("../src/engine/run");
      await expect(
        isolatedRun({ root: dir, configFile, command: "apply" }),
      ).rejects.toThrow("second pass blew up");
    });
    expect(hashTree(dir)).toBe(hash);
  });

  it("converts the example as before (the parse check skips nothing it must not)", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const result = await run({
      root: dir,
      configFile,
      command: "apply",
      dryRun: true,
    });
    expect(result.changes.length).toBeGreaterThan(0);
    expect(result.written).toBe(false);
  });
});

describe("parse log", () => {
  it("notes the texts withParser(name)(text) parsed while it is open, and nothing else", async () => {
    const { jscodeshift: j } = transformApi();
    const log = new ParseLog();
    const good = "const a: number = 1;\n";
    const other = "let b = <div />;\n";
    const bad = "const = ;\n";
    j.withParser("ts")("const before = 1;\n");
    await withParseLog(log, async () => {
      j.withParser("ts")(good);
      j.withParser("tsx")(other);
      expect(() => j.withParser("ts")(bad)).toThrow();
      j.withParser("ts")(good, {}); // with options: not the parse check's call, not noted
    });
    j.withParser("ts")("const after = 1;\n");
    expect(log.has("ts", good)).toBe(true);
    expect(log.has("tsx", good)).toBe(false);
    expect(log.has("tsx", other)).toBe(true);
    expect(log.has("ts", bad)).toBe(false);
    expect(log.has("ts", "const before = 1;\n")).toBe(false);
    expect(log.has("ts", "const after = 1;\n")).toBe(false);
  });

  it("leaves jscodeshift as it is for the rules: builders, types, collections", () => {
    const real = require("jscodeshift") as typeof import("jscodeshift");
    const { jscodeshift: j } = transformApi();
    expect(j.identifier).toBe(real.identifier);
    expect(j.ImportDeclaration).toBe(real.ImportDeclaration);
    const ts = j.withParser("ts");
    const root = ts('import { A } from "./a";\nexport const x = 1;\n');
    expect(root.find(ts.ImportDeclaration).size()).toBe(1);
    expect(ts.importDeclaration).toBe(real.importDeclaration);
    expect(root.toSource()).toBe(
      real
        .withParser("ts")('import { A } from "./a";\nexport const x = 1;\n')
        .toSource(),
    );
  });
});
