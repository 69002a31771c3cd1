/**
 * What the conversion writes into a Create React App admin must get through its build. Create
 * React App 4 (react-scripts 4, which Amplication's 2021-2022 admins use) compiles TypeScript,
 * JSX, `?.` and `??` with its Babel preset, and hands everything else the development browser
 * list allows to webpack 4 as written, whose parser stops at newer syntax: logical assignment
 * (`??=`, `||=`, `&&=`), `#private` members, static blocks, numeric separators, `import.meta`.
 * Checked on every file the conversion creates or changes in the whole-app fixtures' CRA
 * admins (their expected outputs, which apps.test.ts proves are what the conversion writes).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SourceParser } from "../transforms/lib/parser";

const APPS = path.resolve(__dirname, "../fixtures/apps");

/** The Create React App admins of the whole-app fixtures: [app, admin folder]. */
function craAdmins(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const app of fs.readdirSync(APPS)) {
    const expected = path.join(APPS, app, "expected");
    if (!fs.existsSync(expected)) continue;
    const visit = (dir: string, depth: number): void => {
      const manifest = path.join(expected, dir, "package.json");
      if (
        fs.existsSync(manifest) &&
        /"react-scripts"/.test(fs.readFileSync(manifest, "utf8"))
      )
        found.push([app, dir]);
      if (depth === 2) return;
      for (const entry of fs.readdirSync(path.join(expected, dir), {
        withFileTypes: true,
      }))
        if (entry.isDirectory() && entry.name !== "src")
          visit(path.join(dir, entry.name), depth + 1);
    };
    visit("", 0);
  }
  return found;
}

/** The admin's .ts/.tsx files the conversion created or changed. */
function written(app: string, admin: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(APPS, app, "expected", dir), {
      withFileTypes: true,
    })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name)) {
        const input = path.join(APPS, app, "input", file);
        const output = fs.readFileSync(
          path.join(APPS, app, "expected", file),
          "utf8",
        );
        if (!fs.existsSync(input) || fs.readFileSync(input, "utf8") !== output)
          files.push(file);
      }
    }
  };
  walk(path.join(admin, "src"));
  return files;
}

/** Each use of syntax webpack 4 cannot parse in `source`, as `line: what`. */
function tooNewForWebpack4(file: string, source: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== "object") return;
    const node = value as {
      type?: string;
      operator?: string;
      loc?: { start: { line: number } };
      extra?: { raw?: string };
      meta?: { name?: string };
    };
    const at = `${node.loc?.start.line}`;
    if (
      node.type === "AssignmentExpression" &&
      ["??=", "||=", "&&="].includes(node.operator ?? "")
    )
      found.push(`${at}: ${node.operator}`);
    if (node.type === "PrivateName") found.push(`${at}: #private`);
    if (node.type === "StaticBlock") found.push(`${at}: static block`);
    if (node.type === "NumericLiteral" && node.extra?.raw?.includes("_"))
      found.push(`${at}: numeric separator`);
    if (node.type === "MetaProperty" && node.meta?.name === "import")
      found.push(`${at}: import.meta`);
    for (const key of Object.keys(node))
      if (key !== "loc" && key !== "extra") visit((node as never)[key]);
  };
  visit(new SourceParser().parse(file, source));
  return found;
}

const ADMINS = craAdmins();

it("has Create React App admins to check", () => {
  expect(ADMINS.length).toBeGreaterThanOrEqual(2);
});

it("finds each kind of syntax it looks for", () => {
  const source = [
    "let a: number | undefined;",
    "a ??= 1;",
    "class B { #c = 1; static { a = 2; } }",
    "const d = 1_000;",
    "const e = import.meta;",
  ].join("\n");
  expect(tooNewForWebpack4("x.ts", source)).toEqual([
    "2: ??=",
    "3: #private",
    "3: static block",
    "4: numeric separator",
    "5: import.meta",
  ]);
});

describe.each(ADMINS)("%s: %s", (app, admin) => {
  const files = written(app, admin);

  it("has files the conversion wrote", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s uses no syntax webpack 4 cannot parse", (file) => {
    const source = fs.readFileSync(
      path.join(APPS, app, "expected", file),
      "utf8",
    );
    expect(tooNewForWebpack4(file, source)).toEqual([]);
  });
});
