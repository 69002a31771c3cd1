/**
 * The engine's checks: a changed file that does not parse is reported as such (and before
 * anything the second pass says), and nothing is written.
 */
import * as path from "node:path";
import { run } from "../src/engine/run";
import { VerificationError } from "../src/verify/verify";
import { copyTree, hashTree } from "./helpers/files";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const configFile = path.join(EXAMPLE, "auth0.config.json");

/**
 * Two rules made faulty per test, the engine loaded once for the file: each mock runs the real
 * transform unless a test sets its fault (reset after each test).
 */
const mockFaults: {
  payloadType?: () => string;
  strategy?: (file: { source: string }) => void;
} = {};

jest.mock("../transforms/server/auth0-payload-type", () => {
  const real = jest.requireActual("../transforms/server/auth0-payload-type");
  return {
    __esModule: true,
    default: (...args: unknown[]) =>
      mockFaults.payloadType ? mockFaults.payloadType() : real.default(...args),
  };
});

jest.mock("../transforms/server/jwt-strategy", () => {
  const real = jest.requireActual("../transforms/server/jwt-strategy");
  return {
    __esModule: true,
    default: (file: { source: string }, ...rest: unknown[]) => {
      mockFaults.strategy?.(file);
      return real.default(file, ...rest);
    },
  };
});

afterEach(() => {
  delete mockFaults.payloadType;
  delete mockFaults.strategy;
});

/**
 * Prettier's TypeScript parser formats it (a redeclaration is not a syntax error to it), but
 * the parser the rules use (Babel through jscodeshift) refuses it: only the parse check sees it.
 */
const BROKEN = "export const sub = 1;\nexport const sub = 2;\n";

/** A transform that fails in the second pass only (when its file is already converted). */
function failInSecondPass(file: { source: string }): void {
  if (file.source.includes("configService"))
    throw new Error("second pass blew up");
}

describe("engine checks", () => {
  it("reports a created file that does not parse, and writes nothing", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    mockFaults.payloadType = () => BROKEN;
    const attempt = run({ root: dir, configFile, command: "apply" });
    await expect(attempt).rejects.toBeInstanceOf(VerificationError);
    await expect(attempt).rejects.toThrow(
      /apps\/shop-server\/src\/auth\/jwt\/base\/Auth0Payload\.ts: the converted file does not parse/,
    );
    expect(hashTree(dir)).toBe(hash);
  });

  it("reports the file that does not parse before an error of the second pass", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    mockFaults.payloadType = () => BROKEN;
    mockFaults.strategy = failInSecondPass;
    await expect(
      run({ root: dir, configFile, command: "apply" }),
    ).rejects.toThrow(/Auth0Payload\.ts: the converted file does not parse/);
    expect(hashTree(dir)).toBe(hash);
  });

  it("still passes the second pass's own error on when every file parses", async () => {
    const dir = copyTree(path.join(EXAMPLE, "input"));
    const hash = hashTree(dir);
    mockFaults.strategy = failInSecondPass;
    await expect(
      run({ root: dir, configFile, command: "apply" }),
    ).rejects.toThrow("second pass blew up");
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
