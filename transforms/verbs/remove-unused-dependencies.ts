/**
 * The verb of the rules that drop packages from package.json once no source of the server
 * imports (quotes) their module; a package goes with the packages listed beside it (its types).
 */
import type { FileEdit, Rule } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  withoutDependency,
} from "../lib/package-json";
import { quotedInSources } from "../lib/quoted-in-sources";

/** Module → the packages that go when nothing imports it. */
export type UnusedPackages = Readonly<Record<string, readonly string[]>>;

/** The row's searches (the modules) and operation. */
export function removeUnusedDependencies(
  packages: UnusedPackages,
): Pick<Rule, "searches" | "operation"> {
  return {
    searches: Object.keys(packages),
    operation: {
      kind: "edit",
      load: () => removeUnusedDependenciesEdit(packages),
    },
  };
}

export function removeUnusedDependenciesEdit(
  packages: UnusedPackages,
): FileEdit {
  return (source, context) => {
    if (source === undefined) return undefined;
    // a file that does not parse is refused by run-rule, with the line and column
    const pkg = parsePackageJson(source);
    const root = context.profile.server.root;
    let next = pkg;
    for (const [module, names] of Object.entries(packages)) {
      if (quotedInSources(context, root, module)) continue;
      for (const name of names) {
        next = withoutDependency(
          withoutDependency(next, "dependencies", name),
          "devDependencies",
          name,
        );
      }
    }
    return next === pkg ? undefined : printPackageJson(next, source);
  };
}
