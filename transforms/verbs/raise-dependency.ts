/**
 * The verb of the rules that raise a package a service already depends on to a minimum
 * version: an exact or ^/~ range of the same major version below `version` is raised to it,
 * keeping its style ("4.0.0" → "4.0.1", "^4.0.0" → "^4.0.1"), in dependencies or
 * devDependencies. No entry (or no package.json) is left alone; a range it cannot read, or of
 * another major version, is refused.
 */
import type { FileEdit, RuleOperation } from "../../src/plan/rule";
import {
  parsePackageJson,
  printPackageJson,
  type DependencyField,
} from "../lib/package-json";
import { refuse } from "../lib/refusal";

export interface MinimumVersion {
  name: string;
  /** The lowest acceptable version, "major.minor.patch". */
  version: string;
  /** What a version below `version` brings, for a range that cannot be read. */
  belowBrings: string;
  /** Why another major version is refused. */
  otherMajor: string;
  /** When turning the rule off is the way out of an unreadable range. */
  turnOffIf?: string;
}

export function raiseDependency(minimum: MinimumVersion): RuleOperation {
  return { kind: "edit", load: () => raiseDependencyEdit(minimum) };
}

export function raiseDependencyEdit({
  name,
  version,
  belowBrings,
  otherMajor,
  turnOffIf,
}: MinimumVersion): FileEdit {
  const [wantMajor, wantMinor, wantPatch] = version.split(".").map(Number);
  return (source) => {
    if (source === undefined) return undefined;
    // a file that does not parse is refused by run-rule, with the line and column
    const pkg = parsePackageJson(source);
    const field: DependencyField | undefined = pkg.dependencies?.[name]
      ? "dependencies"
      : pkg.devDependencies?.[name]
        ? "devDependencies"
        : undefined;
    if (!field) return undefined;
    const range = pkg[field]![name]!;
    const match = /^([\^~]?)(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
    if (!match) {
      refuse(
        `it asks for ${name} "${range}", a range this rule cannot read; ${name} before ${version} ${belowBrings}`,
        `use "${name}": "${version}"`,
        { turnOffIf },
      );
    }
    const [, prefix, major, minor, patch] = match;
    if (Number(major) !== wantMajor) {
      refuse(
        `it asks for ${name} "${range}"; ${otherMajor}`,
        `upgrade to "${name}": "${version}"`,
      );
    }
    const below =
      Number(minor) < wantMinor! ||
      (Number(minor) === wantMinor && Number(patch) < wantPatch!);
    if (!below) return undefined;
    return printPackageJson(
      { ...pkg, [field]: { ...pkg[field], [name]: `${prefix}${version}` } },
      source,
    );
  };
}
