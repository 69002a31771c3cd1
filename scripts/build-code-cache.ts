/**
 * Build step, after the others: writes dist/code-cache.bin (see src/cli/code-cache.ts) from one
 * run of the built command, `apply` on a throw-away copy of the bundled example app
 * (fixtures/apps/shop-2025), so that it holds what such a run compiles: the modules it loads
 * and the functions it calls.
 *
 * This file is also the recorder that run preloads (`node -r`): loaded before any main module,
 * it starts recording instead of building.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CODE_CACHE_FILE, recordCodeCache } from "../src/cli/code-cache";

const ROOT = path.resolve(__dirname, "../..");

function buildCodeCache(): void {
  // Required here, not above: as the recorder, this file loads nothing the run will load.
  const { copyExampleApp } =
    require("./example-app") as typeof import("./example-app");
  const copy = copyExampleApp("amplication-auth0-code-cache-");
  try {
    const run = spawnSync(
      process.execPath,
      [
        "-r",
        __filename,
        path.join(ROOT, "dist/src/cli/main.js"),
        "apply",
        copy,
      ],
      { encoding: "utf8" },
    );
    if (run.status !== 0 || !fs.existsSync(CODE_CACHE_FILE))
      throw new Error(
        `the run that records the code cache failed (exit ${run.status}):\n${run.stdout}${run.stderr}`,
      );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

if (require.main === module) buildCodeCache();
else recordCodeCache();
