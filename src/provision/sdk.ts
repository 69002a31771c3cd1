/**
 * The Auth0 Management SDK (`auth0`, about 30 MB with what it pulls) serves only `provision`, so
 * it is an optional peer dependency: `apply` and `check`, which a CI job installs on every
 * Amplication build, install without it. `provision` asks for it by its exact install command.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../package-info";

export class SdkMissingError extends Error {}

/** The range of `auth0` this package declares as its peer: the one source of that version. */
export function sdkRange(): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8"),
  );
  return manifest.peerDependencies.auth0;
}

/** Throws SdkMissingError, naming the install command, when `auth0` cannot be loaded from here. */
export function assertManagementSdk(
  resolve: (id: string) => string = require.resolve,
): void {
  try {
    resolve("auth0");
    return;
  } catch {
    // not installed: say how to install it
  }
  const spec = `auth0@${sdkRange()}`;
  throw new SdkMissingError(
    `provision needs the Auth0 Management SDK (the auth0 package), an optional peer dependency that is not installed ` +
      `(apply and check do not need it, so they install without it).\n` +
      `  fix: npm install --save-dev "${spec}" in the project where amplication-auth0 is installed ` +
      `(for a global install: npm install --global "${spec}"), then run provision again`,
  );
}
