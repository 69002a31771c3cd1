/**
 * package.json edits that keep the file's indentation, final newline and key order, and insert
 * new dependencies in alphabetical order when the list already is (npm keeps it sorted).
 */

export type DependencyField = "dependencies" | "devDependencies";

export interface PackageJson {
  [key: string]: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function parsePackageJson(source: string): PackageJson {
  const value = JSON.parse(source) as unknown;
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new SyntaxError("not a JSON object");
  return value as PackageJson;
}

export function printPackageJson(pkg: PackageJson, original: string): string {
  const indent = /^[ \t]+(?=")/m.exec(original)?.[0] ?? "  ";
  const eol = original.includes("\r\n") ? "\r\n" : "\n";
  const text = JSON.stringify(pkg, null, indent).replace(/\n/g, eol);
  return original.endsWith("\n") ? text + eol : text;
}

export function withDependency(
  pkg: PackageJson,
  field: DependencyField,
  name: string,
  range: string,
): PackageJson {
  const current = pkg[field] ?? {};
  const names = Object.keys(current);
  const sorted = names.every((n, i) => i === 0 || names[i - 1] <= n);
  const entries = Object.entries(current).filter(([n]) => n !== name);
  const at = sorted ? entries.findIndex(([n]) => n > name) : -1;
  entries.splice(at === -1 ? entries.length : at, 0, [name, range]);
  return { ...pkg, [field]: Object.fromEntries(entries) };
}

export function withoutDependency(
  pkg: PackageJson,
  field: DependencyField,
  name: string,
): PackageJson {
  if (!pkg[field] || !(name in pkg[field]!)) return pkg;
  return {
    ...pkg,
    [field]: Object.fromEntries(
      Object.entries(pkg[field]!).filter(([n]) => n !== name),
    ),
  };
}

/** The major version a dependency's range starts at (`^5.12.1` → 5), or undefined. */
export function dependencyMajor(
  pkg: PackageJson,
  name: string,
): number | undefined {
  const range = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
  const major = range === undefined ? undefined : /\d+/.exec(range)?.[0];
  return major === undefined ? undefined : Number(major);
}
