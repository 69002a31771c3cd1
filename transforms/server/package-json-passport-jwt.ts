/**
 * server/package-json-passport-jwt: the server asks for passport-jwt 4.0.1 or later. 4.0.0
 * (what 2022 apps pin) depends on jsonwebtoken 8, which has CVE-2022-23539, -23540 and -23541;
 * 4.0.1 moved to jsonwebtoken 9. The range keeps its style: "4.0.0" → "4.0.1", "^4.0.0" → "^4.0.1".
 */
import type { FileEdit } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  type DependencyField,
} from "../lib/package-json";
import { refuse } from "../lib/refusal";

export const PASSPORT_JWT_VERSION = "4.0.1";

const packageJsonPassportJwt: FileEdit = (source, _context, file) => {
  if (source === undefined) return undefined;
  // a file that does not parse is refused by run-rule, with the line and column
  const pkg = parsePackageJson(source);
  const field: DependencyField | undefined = pkg.dependencies?.["passport-jwt"]
    ? "dependencies"
    : pkg.devDependencies?.["passport-jwt"]
      ? "devDependencies"
      : undefined;
  if (!field) return undefined;
  const range = pkg[field]!["passport-jwt"]!;
  const match = /^([\^~]?)(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) {
    refuse(
      `it asks for passport-jwt "${range}", a range this rule cannot read; passport-jwt before 4.0.1 brings jsonwebtoken 8 (CVE-2022-23539, -23540, -23541)`,
      `use "passport-jwt": "${PASSPORT_JWT_VERSION}"`,
      { turnOffIf: "your lock file pins jsonwebtoken 9.0.3 or later" },
    );
  }
  const [, prefix, major, minor, patch] = match;
  const version = [Number(major), Number(minor), Number(patch)];
  if (version[0] !== 4) {
    refuse(
      `it asks for passport-jwt "${range}"; the converted strategy is written for passport-jwt 4`,
      `upgrade to "passport-jwt": "${PASSPORT_JWT_VERSION}"`,
    );
  }
  if (version[1]! > 0 || version[2]! >= 1) return undefined;
  return printPackageJson(
    {
      ...pkg,
      [field]: {
        ...pkg[field],
        "passport-jwt": `${prefix}${PASSPORT_JWT_VERSION}`,
      },
    },
    source,
  );
};

export default packageJsonPassportJwt;
