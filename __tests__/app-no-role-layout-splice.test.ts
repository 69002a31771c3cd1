/**
 * admin/app-no-role-layout adds its two lines to a generated App.tsx as a splice
 * (transforms/lib/splice.ts), so the engine leaves Prettier out for the 400 KB App.tsx of a
 * 1,000-entity app. What it writes that way must be what Prettier gives for the file with the
 * same lines added, under the app's Prettier config; a shape it does not know is formatted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import transform from "../transforms/admin/app-no-role-layout";
import { formatSource, keepsFormat } from "../src/format/format";
import { transformApi } from "../src/plan/run-rule";
import { transformRecordingSplice } from "./helpers/splice";

const FILE = "apps/shop-admin/src/App.tsx";
/** App.tsx as admin/app-auth-provider leaves it, react-admin 5 and 3 (the rules' fixtures). */
const CASES = ["vite-ra5", "cra-ra3"].map((name) => ({
  name,
  input: fs.readFileSync(
    path.resolve(
      __dirname,
      `../__testfixtures__/admin/app-no-role-layout/${name}.input.tsx`,
    ),
    "utf8",
  ),
}));
const CONFIGS: Array<[string, object | undefined]> = [
  ["no Prettier config", undefined],
  ["single quotes, no semicolons", { singleQuote: true, semi: false }],
  ["bracketSameLine", { bracketSameLine: true }],
];

/** A folder with the given Prettier config, for the formatting side. */
function appDir(prettierrc?: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nrl-splice-"));
  if (prettierrc)
    fs.writeFileSync(path.join(dir, ".prettierrc"), JSON.stringify(prettierrc));
  return dir;
}

function run(source: string) {
  const { output, splice } = transformRecordingSplice(transform, FILE, source);
  if (typeof output !== "string") throw new Error("no output");
  return { output, splice };
}

describe.each(CONFIGS)("App.tsx formatted with %s", (_, prettierrc) => {
  const dir = appDir(prettierrc);
  const absolute = path.join(dir, FILE);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)(
    "$name: spliced, and what Prettier prints",
    async ({ input }) => {
      const formatted = await formatSource(input, absolute, dir);
      const { output, splice } = run(formatted);
      expect(splice).toBeDefined();
      expect(await keepsFormat(splice!, absolute, dir)).toBe(true);
      expect(output).toBe(await formatSource(output, absolute, dir));
      expect(output).toContain("layout={NoRoleLayout}");
      // The second pass leaves it.
      expect(
        transform({ path: FILE, source: output }, transformApi(), {}),
      ).toBeUndefined();
    },
  );
});

test("an import over several lines is no generated shape: no splice, the engine formats", () => {
  const source = CASES[0].input.replace(
    'import { auth0AuthProvider } from "./auth-provider/ra-auth-auth0";',
    'import {\n  auth0AuthProvider,\n} from "./auth-provider/ra-auth-auth0";',
  );
  const { output, splice } = run(source);
  expect(splice).toBeUndefined();
  expect(output).toContain("layout={NoRoleLayout}");
});

test("finds every <Admin> element, however it is written, among many elements without one", () => {
  const resources = Array.from(
    { length: 50 },
    (_, i) => `      <Resource name="R${i}" list={R${i}List} />`,
  ).join("\n");
  const app = (second: string) =>
    `import * as React from "react";\nimport { Admin, Resource } from "react-admin";\n\nconst App = (): React.ReactElement => (\n  <div>\n    <Admin dataProvider={dataProvider}>\n${resources}\n    </Admin>\n${second}\n  </div>\n);\n\nexport default App;\n`;
  // One <Admin>: the prop is added to it.
  expect(run(app("")).output).toMatch(
    /<Admin dataProvider=\{dataProvider\}\s+layout=\{NoRoleLayout\}>/,
  );
  // A second one, written with a space after `<`, or deep in an expression: refused.
  for (const second of [
    "    < Admin dataProvider={other} />",
    "    {[0].map(() => (cond ? <Admin dataProvider={other} /> : null))}",
  ]) {
    expect(() => run(app(second))).toThrow(
      /more than one <Admin> element was found/,
    );
  }
});
