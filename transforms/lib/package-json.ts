/**
 * package.json edits that keep the file's indentation, final newline and key order, and insert
 * new dependencies in alphabetical order when the list already is (npm keeps it sorted).
 */

import {
  applyEdits,
  modify,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type Node,
  type ParseError,
} from "jsonc-parser";
import { lineAndColumn, UnreadableText } from "./refusal";

export type DependencyField = "dependencies" | "devDependencies";

export interface PackageJson {
  [key: string]: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The package.json object. Throws UnreadableText, with the line and column, for a syntax error
 * and for a key given twice in one object: JSON.parse keeps the last one silently (two
 * "dependencies" blocks lose the first), npm reads the same, and an edit would drop it.
 */
export function parsePackageJson(source: string): PackageJson {
  const unreadable = (offset: number, problem: string) => {
    const { line, column } = lineAndColumn(source, offset);
    return new UnreadableText("JSON", line, column, problem).explainedBy(
      source,
    );
  };
  const errors: ParseError[] = [];
  const tree = parseTree(source, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length > 0)
    throw unreadable(errors[0].offset, printParseErrorCode(errors[0].error));
  if (tree?.type !== "object")
    throw unreadable(tree?.offset ?? 0, "package.json is not a JSON object");
  const duplicate = firstDuplicateKey(tree);
  if (duplicate) {
    throw unreadable(
      duplicate.offset,
      `the key "${duplicate.value}" appears twice in one object (JSON.parse keeps the last and drops the first)`,
    );
  }
  return JSON.parse(source) as PackageJson;
}

/** The first key node, in text order, that repeats an earlier key of the same object. */
function firstDuplicateKey(node: Node | undefined): Node | undefined {
  const seen = new Set<unknown>();
  for (const child of node?.children ?? []) {
    if (child.type !== "property") {
      const inner = firstDuplicateKey(child); // an array's element
      if (inner) return inner;
      continue;
    }
    const [key, value] = child.children ?? [];
    if (seen.has(key.value)) return key;
    seen.add(key.value);
    const inner = firstDuplicateKey(value);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * `pkg` written over `original`: the dependency entries that changed are edited in place
 * (jsonc-parser), so every other byte stays as the file had it (a one-line array is not
 * spread over three lines). Anything else that changed, or an edit that would not give `pkg`
 * back, prints the whole object as npm does.
 */
export function printPackageJson(pkg: PackageJson, original: string): string {
  const indent = /^[ \t]+(?=")/m.exec(original)?.[0] ?? "  ";
  const eol = original.includes("\r\n") ? "\r\n" : "\n";
  const edited = editDependencies(pkg, original, {
    insertSpaces: !indent.includes("\t"),
    tabSize: indent.includes("\t") ? 1 : indent.length,
    eol,
  });
  if (edited !== undefined) return edited;
  const text = JSON.stringify(pkg, null, indent).replace(/\n/g, eol);
  return original.endsWith("\n") ? text + eol : text;
}

const DEPENDENCY_FIELDS: readonly DependencyField[] = [
  "dependencies",
  "devDependencies",
];

function editDependencies(
  pkg: PackageJson,
  original: string,
  formattingOptions: FormattingOptions,
): string | undefined {
  let before: PackageJson;
  try {
    before = parsePackageJson(original);
  } catch {
    return undefined;
  }
  const others = (p: PackageJson) =>
    JSON.stringify(
      Object.entries(p).filter(
        ([key]) => !DEPENDENCY_FIELDS.includes(key as DependencyField),
      ),
    );
  if (others(before) !== others(pkg)) return undefined;
  let text = original;
  const edit = (path: string[], value: unknown, order?: string[]) => {
    text = applyEdits(
      text,
      modify(text, path, value, {
        formattingOptions,
        getInsertionIndex: order
          ? (existing) =>
              existing.filter(
                (name) => order.indexOf(name) < order.indexOf(path[1]),
              ).length
          : undefined,
      }),
    );
  };
  for (const field of DEPENDENCY_FIELDS) {
    const old = before[field];
    const now = pkg[field];
    if (old === undefined || now === undefined) {
      if (old !== now) edit([field], now);
      continue;
    }
    for (const name of Object.keys(old))
      if (!(name in now)) edit([field, name], undefined);
    const order = Object.keys(now);
    for (const [name, range] of Object.entries(now))
      if (old[name] !== range) edit([field, name], range, order);
  }
  // The edits must give pkg back, key order included; else print it whole.
  return JSON.stringify(JSON.parse(text)) === JSON.stringify(pkg)
    ? text
    : undefined;
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

/**
 * The version a dependency's range starts at, as [major, minor] (`^4.3.5` → [4, 3]), or
 * undefined when the package.json does not list it or the range names no version.
 */
function lowestVersion(
  pkg: PackageJson,
  name: string,
): [number, number] | undefined {
  const range = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
  const found = range === undefined ? null : /(\d+)(?:\.(\d+))?/.exec(range);
  return found ? [Number(found[1]), Number(found[2] ?? 0)] : undefined;
}

/** The major version a dependency's range starts at (`^5.12.1` → 5), or undefined. */
export function dependencyMajor(
  pkg: PackageJson,
  name: string,
): number | undefined {
  return lowestVersion(pkg, name)?.[0];
}

/**
 * Whether the version a dependency's range starts at is below `[major, minor]` (`^4.3.5` is
 * below [4, 5]); false when the package.json does not list it or the range names no version.
 */
export function startsBelow(
  pkg: PackageJson,
  name: string,
  [major, minor]: [number, number],
): boolean {
  const low = lowestVersion(pkg, name);
  return (
    low !== undefined &&
    (low[0] < major || (low[0] === major && low[1] < minor))
  );
}
