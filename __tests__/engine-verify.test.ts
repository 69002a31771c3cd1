/**
 * The engine's checks: a changed file that does not parse is reported as such (and before
 * anything the second pass says), and nothing is written.
 */
import * as path from "node:path";
import { run } from "../src/engine/run";
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
