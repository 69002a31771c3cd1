/**
 * `npm pack` of this repository installed into a scratch project, as a user installs it: from
 * the npm registry (or its local cache). The slowest step of the tests that use it; each test
 * file that needs it does it once.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { builtPackage } from "./build";
import { tempDir, writeFiles } from "./files";

/**
 * The scratch project's folder, with the packed package in its node_modules, and the tarball's
 * name. `alongside`: more packages the project installs with it (from the cache, as npm ci put
 * them there). `from`: an unbuilt copy of the package (helpers/build.ts packageCopy) that
 * `npm pack` builds as its prepack script does; by default, the run's built copy, packed as
 * it is.
 */
export function packAndInstall(
  alongside: string[] = [],
  from?: string,
): {
  scratch: string;
  tarballName: string;
} {
  const packDir = tempDir("aa0-pack-");
  const output = execFileSync(
    "npm",
    [
      "pack",
      "--pack-destination",
      packDir,
      "--json",
      ...(from ? [] : ["--ignore-scripts"]),
    ],
    {
      cwd: from ?? builtPackage(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const tarballName: string = JSON.parse(output.slice(output.indexOf("[")))[0]
    .filename;
  // kept in the project, as README's install says (the CI job installs from there)
  const scratch = tempDir("aa0-scratch-");
  writeFiles(scratch, {
    "package.json": JSON.stringify({ name: "scratch", private: true }),
  });
  fs.mkdirSync(path.join(scratch, "vendor"));
  fs.copyFileSync(
    path.join(packDir, tarballName),
    path.join(scratch, "vendor", tarballName),
  );
  execFileSync(
    "npm",
    [
      "install",
      "--save-dev",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      `./vendor/${tarballName}`,
      ...alongside,
    ],
    { cwd: scratch, stdio: "pipe" },
  );
  return { scratch, tarballName };
}
