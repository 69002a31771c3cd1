/**
 * admin/app-auth-provider edits the generated shapes of App.tsx as text (transforms/lib/splice.ts)
 * and leaves Prettier out when the edited lines fit the print width. Whatever the shape, the
 * engine's result must be what the recast way (reprint, then Prettier over the file) gives for
 * a formatted App.tsx, and every refusal must be the recast way's own.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import transform, {
  rewriteWithRecast,
} from "../transforms/admin/app-auth-provider";
import { formatSource, keepsFormat } from "../src/format/format";
import { runRule, transformApi } from "../src/plan/run-rule";
import { RULES } from "../src/plan/rules";
import { fixtureContext } from "./helpers/context";
import { transformRecordingSplice } from "./helpers/splice";
import { generatedAppTsx } from "../scripts/bench/generate-app";

const FILE = "apps/shop-admin/src/App.tsx";
const FIXTURE = path.resolve(
  __dirname,
  "../fixtures/apps/shop-2025/input/apps/shop-admin/src/App.tsx",
);
const GENERATED = fs.readFileSync(FIXTURE, "utf8");

/** A folder with the given Prettier config, for the formatting side. */
function appDir(prettierrc?: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa0-splice-"));
  if (prettierrc)
    fs.writeFileSync(path.join(dir, ".prettierrc"), JSON.stringify(prettierrc));
  return dir;
}

type Outcome =
  | { kind: "unchanged" }
  | { kind: "output"; text: string; spliced: boolean }
  | { kind: "refused"; message: string };

/** What the engine writes through the rule now (src/engine/convert.ts). */
async function engineWay(source: string, dir: string): Promise<Outcome> {
  const absolute = path.join(dir, FILE);
  try {
    const { output, splice } = transformRecordingSplice(
      transform,
      FILE,
      source,
    );
    if (typeof output !== "string" || output === source)
      return { kind: "unchanged" };
    if (splice && (await keepsFormat(splice, absolute, dir)))
      return { kind: "output", text: output, spliced: true };
    return {
      kind: "output",
      text: await formatSource(output, absolute, dir),
      spliced: false,
    };
  } catch (error) {
    return { kind: "refused", message: (error as Error).message };
  }
}

/** What it wrote before: recast reprints, Prettier formats the whole file. */
async function recastWay(source: string, dir: string): Promise<Outcome> {
  try {
    const output = rewriteWithRecast({ path: FILE, source }, transformApi());
    if (typeof output !== "string" || output === source)
      return { kind: "unchanged" };
    return {
      kind: "output",
      text: await formatSource(output, path.join(dir, FILE), dir),
      spliced: false,
    };
  } catch (error) {
    return { kind: "refused", message: (error as Error).message };
  }
}

async function compare(
  source: string,
  prettierrc?: object,
): Promise<{ now: Outcome; before: Outcome }> {
  const dir = appDir(prettierrc);
  try {
    const now = await engineWay(source, dir);
    const before = await recastWay(source, dir);
    const strip = (o: Outcome) =>
      o.kind === "output" ? { kind: o.kind, text: o.text } : o;
    expect(strip(now)).toEqual(strip(before));
    return { now, before };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The generated App.tsx with `code` just before the App component. */
const beforeApp = (code: string) =>
  GENERATED.replace("const App = ", `${code}\nconst App = `);

const withProp = (prop: string) =>
  GENERATED.replace("        authProvider={jwtAuthProvider}\n", prop);

describe("admin/app-auth-provider: text splice against the recast way", () => {
  it("splices the generated App.tsx, byte for byte what the recast way writes", async () => {
    const { now } = await compare(GENERATED);
    expect(now).toMatchObject({ kind: "output", spliced: true });
  });

  it("splices a 300-entity generated App.tsx the same way", async () => {
    const { now } = await compare(generatedAppTsx(300));
    expect(now).toMatchObject({ kind: "output", spliced: true });
  });

  it("keeps the file's quotes (a formatted file with singleQuote)", async () => {
    const dir = appDir({ singleQuote: true });
    const single = await formatSource(GENERATED, path.join(dir, FILE), dir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(single).toContain("from './auth-provider/ra-auth-jwt';");
    const { now } = await compare(single, { singleQuote: true });
    expect(now).toMatchObject({ kind: "output", spliced: true });
  });

  it("leaves a converted App.tsx as it is", async () => {
    const dir = appDir();
    const converted = ((await engineWay(GENERATED, dir)) as { text: string })
      .text;
    fs.rmSync(dir, { recursive: true, force: true });
    const { now } = await compare(converted);
    expect(now).toEqual({ kind: "unchanged" });
  });

  it("formats with Prettier when an edited line would not fit the print width", async () => {
    // The prop's line is 40 characters after the edit, 38 before.
    const { now } = await compare(GENERATED, { printWidth: 39 });
    expect(now).toMatchObject({ kind: "output", spliced: false });
  });

  it("formats with Prettier when the app's Prettier config has plugins", async () => {
    const withPlugins = appDir({ plugins: ["./no-such-plugin.js"] });
    const without = appDir();
    try {
      const { splice } = transformRecordingSplice(transform, FILE, GENERATED);
      expect(splice).toBeDefined();
      expect(
        await keepsFormat(splice!, path.join(withPlugins, FILE), withPlugins),
      ).toBe(false);
      expect(
        await keepsFormat(splice!, path.join(without, FILE), without),
      ).toBe(true);
    } finally {
      fs.rmSync(withPlugins, { recursive: true, force: true });
      fs.rmSync(without, { recursive: true, force: true });
    }
  });

  it.each([
    [
      "the prop shares its line",
      withProp("        authProvider={jwtAuthProvider} theme={theme}\n"),
    ],
    [
      "the prop has spaces in its braces",
      withProp("        authProvider={ jwtAuthProvider }\n"),
    ],
    [
      "the import names two things",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
        'import { jwtAuthProvider, other } from "./auth-provider/ra-auth-jwt";',
      ),
    ],
    [
      "the import renames",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
        'import { jwtAuthProvider as jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
      ),
    ],
    [
      "the import is a default import",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
        'import jwtAuthProvider from "./auth-provider/ra-auth-jwt";',
      ),
    ],
    [
      "the import is imported twice",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";\nimport { jwtAuthProvider as again } from "./auth-provider/ra-auth-jwt";',
      ),
    ],
    ["the file has CRLF line ends", GENERATED.replace(/\n/g, "\r\n")],
    [
      "the provider is named in a comment and as a property name",
      beforeApp(
        '// was jwtAuthProvider\nconst labels = { jwtAuthProvider: "JWT" };\n',
      ),
    ],
    [
      "the prop is indented with a tab",
      withProp("\tauthProvider={jwtAuthProvider}\n"),
    ],
  ])("falls back to the recast way when %s", async (_name, source) => {
    const { now } = await compare(source);
    if (now.kind === "output") expect(now.spliced).toBe(false);
  });

  it.each([
    ["no prop", withProp("")],
    [
      "the prop only in a comment",
      withProp("        {/* authProvider={jwtAuthProvider} */}\n"),
    ],
    [
      "two props",
      withProp(
        "        authProvider={jwtAuthProvider}\n        authProvider={jwtAuthProvider}\n",
      ),
    ],
    ["another provider", withProp("        authProvider={myProvider}\n")],
    ["an expression", withProp("        authProvider={make()}\n")],
    [
      "no import",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";\n',
        "",
      ),
    ],
    [
      "the import only in a string",
      GENERATED.replace(
        'import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";',
        "const s = 'import { jwtAuthProvider } from \"./auth-provider/ra-auth-jwt\";';",
      ),
    ],
    [
      "the provider used elsewhere",
      beforeApp("void jwtAuthProvider.logout;\n"),
    ],
    [
      "the provider in a shorthand property",
      beforeApp("const providers = { jwtAuthProvider };\n"),
    ],
    [
      "the provider in a type",
      beforeApp("type Provider = typeof jwtAuthProvider;\n"),
    ],
  ])("refuses as the recast way does: %s", async (_name, source) => {
    const { now } = await compare(source);
    expect(now.kind).toBe("refused");
  });

  it("refuses a file that does not parse, as the recast way does", async () => {
    const { now } = await compare(`${GENERATED}\nconst = ;\n`);
    expect(now.kind).toBe("refused");
  });

  it("counts a prop in a JSX value of another prop, as jscodeshift's find does", async () => {
    const source = withProp(
      "        authProvider={jwtAuthProvider}\n        layout={<Layout authProvider={jwtAuthProvider} />}\n",
    );
    const { now } = await compare(source);
    expect(now.kind).toBe("refused");
  });
});

it("runRule hands the engine the splice the transform made, as a value (no state left behind)", () => {
  const rule = RULES.find((r) => r.id === "admin/app-auth-provider")!;
  const first = runRule(rule, FILE, GENERATED, fixtureContext());
  expect(typeof first.output).toBe("string");
  expect(first.splice?.output).toBe(first.output);
  // A shape that is not the generated one goes the recast way: no splice, nothing kept from
  // the run before.
  const reshaped = GENERATED.replace(
    /import \{ jwtAuthProvider \} from "\.\/auth-provider\/ra-auth-jwt";/,
    'import {\n  jwtAuthProvider,\n} from "./auth-provider/ra-auth-jwt";',
  );
  expect(reshaped).not.toBe(GENERATED);
  const second = runRule(rule, FILE, reshaped, fixtureContext());
  expect(typeof second.output).toBe("string");
  expect(second.splice).toBeUndefined();
});
