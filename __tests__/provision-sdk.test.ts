/**
 * The Auth0 Management SDK is an optional peer dependency: apply and check install without it,
 * and provision, when it is missing, stops with the exact install command (exit 2). The
 * installed case is in pack.test.ts (a packed install has no `auth0`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertManagementSdk,
  SdkMissingError,
  sdkRange,
} from "../src/provision/sdk";

const manifest = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "../package.json"), "utf8"),
);

describe("the Auth0 Management SDK for provision", () => {
  it("is an optional peer dependency, not a dependency; the provision tests have it as a devDependency", () => {
    expect(manifest.dependencies.auth0).toBeUndefined();
    expect(manifest.peerDependencies.auth0).toBe(sdkRange());
    expect(manifest.peerDependenciesMeta.auth0).toEqual({ optional: true });
    expect(manifest.devDependencies.auth0).toBe(sdkRange());
  });

  it("passes when auth0 resolves", () => {
    expect(() => assertManagementSdk()).not.toThrow();
  });

  it("names the exact install command when auth0 is missing", () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'auth0'"), {
        code: "MODULE_NOT_FOUND",
      });
    };
    expect(() => assertManagementSdk(missing)).toThrow(SdkMissingError);
    expect(() => assertManagementSdk(missing)).toThrow(
      `npm install --save-dev "auth0@${sdkRange()}"`,
    );
  });
});
