/**
 * src/format: a run's Formatter formats a text once per Prettier config and gives what
 * formatSource gives.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Formatter, formatSource } from "../src/format/format";

describe("Formatter", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const app = (prettierrc?: object) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa0-format-"));
    dirs.push(dir);
    if (prettierrc)
      fs.writeFileSync(
        path.join(dir, ".prettierrc"),
        JSON.stringify(prettierrc),
      );
    return dir;
  };
  const SOURCE = "const a = {b: 'c'}\nexport default a\n";

  it("gives formatSource's output, per config and per file name", async () => {
    const plain = app();
    const single = app({ singleQuote: true, semi: false });
    const formatter = new Formatter(os.tmpdir());
    for (const dir of [plain, single, plain, single]) {
      for (const name of ["a.ts", "b.tsx"]) {
        const file = path.join(dir, name);
        expect(await formatter.format(SOURCE, file)).toBe(
          await formatSource(SOURCE, file, os.tmpdir()),
        );
      }
    }
    expect(await formatter.format(SOURCE, path.join(plain, "a.ts"))).not.toBe(
      await formatter.format(SOURCE, path.join(single, "a.ts")),
    );
  });

  it("reads the Prettier config of the repository only: one above it is neither read nor run", async () => {
    const outside = app();
    const marker = path.join(outside, "ran");
    fs.writeFileSync(
      path.join(outside, "prettier.config.cjs"),
      `require("fs").writeFileSync(${JSON.stringify(marker)}, "");\nmodule.exports = { semi: false, singleQuote: true };\n`,
    );
    fs.writeFileSync(
      path.join(outside, "package.json"),
      JSON.stringify({ devDependencies: { prettier: "^2.8.8" } }),
    );
    const repository = path.join(outside, "app");
    fs.mkdirSync(path.join(repository, "src"), { recursive: true });
    const file = path.join(repository, "src", "a.ts");
    const LONG =
      "export function f(firstParameterName: string, secondParameterName: string, third: number) {}\n";
    const formatted = await new Formatter(repository).format(
      `${SOURCE}${LONG}`,
      file,
    );
    expect(formatted).toContain('const a = { b: "c" };');
    expect(formatted).toContain("  third: number,\n) {}"); // Prettier 3's commas: not the outside package.json's 2
    expect(fs.existsSync(marker)).toBe(false);
    // the repository's own config, at its root or in a folder of it, still applies
    fs.writeFileSync(
      path.join(repository, ".prettierrc"),
      JSON.stringify({ singleQuote: true }),
    );
    expect(await formatSource(SOURCE, file, repository)).toContain(
      "const a = { b: 'c' };",
    );
    fs.writeFileSync(
      path.join(repository, "src", "package.json"),
      JSON.stringify({ prettier: { semi: false } }),
    );
    expect(await formatSource(SOURCE, file, repository)).toContain(
      'const a = { b: "c" }\n',
    );
    expect(fs.existsSync(marker)).toBe(false);
    // a config in the repository that is a link to one outside is refused, not read
    fs.rmSync(path.join(repository, "src", "package.json"));
    fs.rmSync(path.join(repository, ".prettierrc"));
    fs.symlinkSync(
      path.join(outside, "prettier.config.cjs"),
      path.join(repository, "prettier.config.cjs"),
    );
    await expect(formatSource(SOURCE, file, repository)).rejects.toThrow(
      "prettier.config.cjs: is a symbolic link that leads outside the repository",
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("writes trailing commas as the app's own Prettier major does: es5 for Prettier 2, all for 3; with none listed, as its code is", async () => {
    const LONG =
      "export function f(firstParameterName: string, secondParameterName: string, third: number) {}\n";
    const withPrettier = (range?: string) => {
      const dir = app();
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ devDependencies: range ? { prettier: range } : {} }),
      );
      fs.mkdirSync(path.join(dir, "src"));
      return path.join(dir, "src", "a.ts");
    };
    const formatter = new Formatter(os.tmpdir());
    for (const [range, comma] of [
      ["^2.8.8", "  third: number\n) {}"],
      ["2.3.0", "  third: number\n) {}"],
      ["^3.3.3", "  third: number,\n) {}"],
      // none listed, and no code in either style: es5, as Amplication's generator formats
      [undefined, "  third: number\n) {}"],
    ] as const) {
      const out = await formatter.format(LONG, withPrettier(range));
      expect([range, out]).toEqual([range, expect.stringContaining(comma)]);
    }
    // None listed: the style of the file as it is, else of the app's src/main.ts.
    const ALL_STYLE = "f(\n  first,\n  second,\n);\n";
    const ES5_STYLE = "f(\n  first,\n  second\n);\n";
    for (const [own, main, comma] of [
      [ALL_STYLE, undefined, "  third: number,\n) {}"],
      [undefined, ALL_STYLE, "  third: number,\n) {}"],
      [ES5_STYLE, ES5_STYLE, "  third: number\n) {}"],
    ] as const) {
      const file = withPrettier(undefined);
      if (own) fs.writeFileSync(file, own);
      if (main)
        fs.writeFileSync(path.join(path.dirname(file), "main.ts"), main);
      const out = await new Formatter(os.tmpdir()).format(LONG, file);
      expect([own, main, out]).toEqual([
        own,
        main,
        expect.stringContaining(comma),
      ]);
    }
    // the app's own setting wins
    const dir = app({ trailingComma: "all" });
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ devDependencies: { prettier: "^2.8.8" } }),
    );
    expect(await formatter.format(LONG, path.join(dir, "a.ts"))).toContain(
      "  third: number,\n) {}",
    );
  });

  it("runs Prettier once per text and config, and keeps no failure", async () => {
    const calls: string[] = [];
    await jest.isolateModulesAsync(async () => {
      const actual = jest.requireActual("prettier");
      jest.doMock("prettier", () => ({
        ...actual,
        format: (source: string, options: object) => {
          calls.push(source);
          return actual.format(source, options);
        },
      }));
      const { Formatter: Isolated } =
        require("../src/format/format") as typeof import("../src/format/format");
      const formatter = new Isolated(os.tmpdir());
      const file = path.join(app(), "a.ts");
      const other = path.join(app({ semi: false }), "a.ts");
      const first = await formatter.format(SOURCE, file);
      expect(await formatter.format(SOURCE, file)).toBe(first);
      expect(calls).toHaveLength(1);
      await formatter.format(SOURCE, other);
      expect(calls).toHaveLength(2);
      await expect(formatter.format("const = ;", file)).rejects.toThrow();
      await expect(formatter.format("const = ;", file)).rejects.toThrow();
      expect(calls).toHaveLength(4);
    });
    jest.dontMock("prettier");
  });
});
