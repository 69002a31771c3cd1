/**
 * admin/package-json-auth0-spa-js: the admin depends on @auth0/auth0-spa-js 2. Nothing else:
 * react-router and history additions (as the Amplication plugin makes) would clash with
 * react-admin 5's own router.
 */
import type { FileEdit } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  withDependency,
} from "../lib/package-json";
import { refuse } from "../lib/refusal";

export const AUTH0_SPA_JS_RANGE = "^2.1.3";

const packageJsonAuth0SpaJs: FileEdit = (source, _context, file) => {
  // a file that does not parse is refused by run-rule, with the line and column
  const pkg = parsePackageJson(source ?? "");
  const existing = pkg.dependencies?.["@auth0/auth0-spa-js"];
  if (existing !== undefined) {
    if (/^[\^~]?2(\.|$)/.test(existing)) return undefined;
    refuse(
      `it depends on @auth0/auth0-spa-js "${existing}", not a 2.x range; the generated provider uses the 2.x API`,
      `use "@auth0/auth0-spa-js": "${AUTH0_SPA_JS_RANGE}"`,
    );
  }
  return printPackageJson(
    withDependency(
      pkg,
      "dependencies",
      "@auth0/auth0-spa-js",
      AUTH0_SPA_JS_RANGE,
    ),
    source ?? "",
  );
};

export default packageJsonAuth0SpaJs;
