/**
 * server/package-json-unused-auth-deps: @nestjs/jwt and passport-http (with its types) leave
 * package.json once no server source imports them.
 */
import type { FileEdit } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  withoutDependency,
} from "../lib/package-json";
import { sourcesMentioning } from "../lib/source-files";

/** Package → the packages that go with it. */
export const CANDIDATES: Record<string, string[]> = {
  "@nestjs/jwt": ["@nestjs/jwt"],
  "passport-http": ["passport-http", "@types/passport-http"],
};

const packageJsonUnusedAuthDeps: FileEdit = (source, context) => {
  if (source === undefined) return undefined;
  // a file that does not parse is refused by run-rule, with the line and column
  const pkg = parsePackageJson(source);
  const root = context.profile.server.root;
  let next = pkg;
  for (const [module, packages] of Object.entries(CANDIDATES)) {
    const imported = sourcesMentioning(context.sources, root, module).some(
      (file) => {
        const text = context.tree.read(file)!;
        return text.includes(`"${module}"`) || text.includes(`'${module}'`);
      },
    );
    if (imported) continue;
    for (const name of packages) {
      next = withoutDependency(
        withoutDependency(next, "dependencies", name),
        "devDependencies",
        name,
      );
    }
  }
  return next === pkg ? undefined : printPackageJson(next, source);
};

export default packageJsonUnusedAuthDeps;
