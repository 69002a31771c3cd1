/**
 * The verb of the rules that make a service depend on a package: package.json lists `name` at
 * `range`, in dependencies. An entry already there (in dependencies or devDependencies) is
 * kept when it is in the range's major version, and refused otherwise, except a range this tool
 * wrote before and no longer writes for that package.json (`replaces`), which the wanted range
 * replaces where it stands; a missing package.json is refused, since a generated service always
 * has one.
 */
import type { FileEdit, RuleOperation } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  withDependency,
  type PackageJson,
} from "../lib/package-json";
import { refuse } from "../lib/refusal";

export interface Dependency {
  name: string;
  /**
   * What is written, e.g. "^3.2.0", or what to write for this package.json; its major version
   * is what an existing entry must have.
   */
  range: string | ((pkg: PackageJson) => string);
  /** Why another major version is refused. */
  why: string;
  /** When turning the rule off is the way out of that refusal. */
  turnOffIf?: string;
  /**
   * Ranges an earlier version of this tool wrote, replaced by the wanted range where it now
   * differs (an entry at any other range of the major is the user's, and kept).
   */
  replaces?: readonly string[];
}

export function ensureDependency(dependency: Dependency): RuleOperation {
  return { kind: "edit", load: () => ensureDependencyEdit(dependency) };
}

export function ensureDependencyEdit({
  name,
  range,
  why,
  turnOffIf,
  replaces = [],
}: Dependency): FileEdit {
  return (source) => {
    if (source === undefined)
      refuse("it does not exist", "restore the generated package.json");
    // a file that does not parse is refused by run-rule, with the line and column
    const pkg = parsePackageJson(source);
    const wanted = typeof range === "string" ? range : range(pkg);
    const major = /\d+/.exec(wanted)![0];
    const sameMajor = new RegExp(`^[\\^~]?${major}(\\.|$)`);
    const existing = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
    if (existing !== undefined) {
      if (existing !== wanted && replaces.includes(existing)) {
        const field =
          pkg.dependencies?.[name] !== undefined
            ? "dependencies"
            : "devDependencies";
        return printPackageJson(
          withDependency(pkg, field, name, wanted),
          source,
        );
      }
      if (sameMajor.test(existing)) return undefined;
      refuse(
        `it already depends on ${name} "${existing}", not a ${major}.x range; ${why}`,
        `use "${name}": "${wanted}"`,
        { turnOffIf },
      );
    }
    return printPackageJson(
      withDependency(pkg, "dependencies", name, wanted),
      source,
    );
  };
}
