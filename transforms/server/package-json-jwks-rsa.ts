/**
 * server/package-json-jwks-rsa: the server depends on jwks-rsa 3. Version 4 needs Node >= 20.19
 * and breaks under Jest (it requires the ESM-only jose 6), while generated servers run Node 18.
 */
import type { FileEdit } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  withDependency,
} from "../lib/package-json";
import { refuse } from "../lib/refusal";

export const JWKS_RSA_RANGE = "^3.2.0";

const packageJsonJwksRsa: FileEdit = (source, _context, file) => {
  if (source === undefined) {
    refuse(
      "the server has no package.json",
      "restore the generated package.json",
    );
  }
  // a file that does not parse is refused by run-rule, with the line and column
  const pkg = parsePackageJson(source);
  const existing =
    pkg.dependencies?.["jwks-rsa"] ?? pkg.devDependencies?.["jwks-rsa"];
  if (existing !== undefined) {
    if (/^[\^~]?3(\.|$)/.test(existing)) return undefined;
    refuse(
      `it already depends on jwks-rsa "${existing}", not a 3.x range; jwks-rsa 4 needs Node >= 20.19 and does not load under Jest`,
      `use "jwks-rsa": "${JWKS_RSA_RANGE}"`,
      { turnOffIf: "the server runs Node >= 20.19" },
    );
  }
  return printPackageJson(
    withDependency(pkg, "dependencies", "jwks-rsa", JWKS_RSA_RANGE),
    source,
  );
};

export default packageJsonJwksRsa;
