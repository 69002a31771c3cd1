/**
 * transforms/lib/prisma-model.ts parses only the declarations it reads, each from its piece of
 * the text (faster than one parse of the whole text), and falls back to the whole text where a
 * piece does not parse. Each answer must be the whole-text parser's: compared here against the
 * same schema with every declaration indented, which leaves no line starting with a block
 * keyword, so it is parsed whole.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  readDatasourceProvider,
  readModel,
} from "../transforms/lib/prisma-model";
import { UnreadableText } from "../transforms/lib/refusal";

const ROOT = path.join(__dirname, "..");

function schemasUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(child);
      else if (entry.name === "schema.prisma") found.push(child);
    }
  };
  walk(dir);
  return found.map((file) => path.relative(ROOT, file)).sort();
}

const SCHEMAS = schemasUnder(path.join(ROOT, "fixtures"));

/** The same schema as one piece: each declaration's keyword moved off the start of its line. */
function asOnePiece(schema: string): string {
  return schema.replace(
    /^(model|enum|type|view|datasource|generator)(\s)/gm,
    " $1$2",
  );
}

function modelsOf(schema: string): string[] {
  return [...schema.matchAll(/^model\s+(\w+)/gm)].map((match) => match[1]);
}

it("has schemas to compare, with models", () => {
  expect(SCHEMAS.length).toBeGreaterThan(10);
});

it.each(SCHEMAS)(
  "%s: every model and the provider read as from the whole text",
  (file) => {
    const schema = fs.readFileSync(path.join(ROOT, file), "utf8");
    const whole = asOnePiece(schema);
    expect(whole).not.toBe(schema);
    const models = modelsOf(schema);
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) {
      const fields = readModel(schema, model);
      expect(fields).toBeDefined();
      expect(fields).toEqual(readModel(whole, model));
    }
    expect(readDatasourceProvider(schema)).toBe(readDatasourceProvider(whole));
  },
);

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DB_URL")
}

enum Kind {
  a
  b
}

model User {
  id       String @id @default(cuid())
  // a field named like a block keyword, at the start of its line
model    String
  kind     Kind
  email    String @unique
}

model Order {
  id    Int @id
  total Float
}
`;

it("reads a block holding a field named like a block keyword at the start of its line", () => {
  const fields = readModel(SCHEMA, "User")!;
  expect(fields.map((field) => field.name)).toEqual([
    "id",
    "model",
    "kind",
    "email",
  ]);
  expect(fields.find((field) => field.name === "kind")!.relation).toBe(false);
  expect(readModel(SCHEMA, "Order")!.map((field) => field.name)).toEqual([
    "id",
    "total",
  ]);
});

/** SCHEMA with `line` inserted before its line `at` (0-based). */
function withLine(at: number, line: string): string {
  const lines = SCHEMA.split("\n");
  return [...lines.slice(0, at), line, ...lines.slice(at)].join("\n");
}

function thrownBy(read: () => unknown): unknown {
  try {
    read();
  } catch (thrown) {
    return thrown;
  }
  return undefined;
}

it("reports a syntax error in a block it reads at its line in the whole file", () => {
  // Inside the datasource (line 2), inside User (line 12), and a stray line after User's block.
  for (const [at, read] of [
    [
      1,
      () =>
        readDatasourceProvider(withLine(1, "  ???"), "prisma/schema.prisma"),
    ],
    [
      11,
      () => readModel(withLine(11, "  ???"), "User", "prisma/schema.prisma"),
    ],
    [17, () => readModel(withLine(17, "}"), "User", "prisma/schema.prisma")],
  ] as const) {
    const error = thrownBy(read);
    expect(error).toBeInstanceOf(UnreadableText);
    expect((error as UnreadableText).line).toBe(at + 1);
    expect((error as UnreadableText).message).toMatch(
      /^prisma\/schema\.prisma: not valid Prisma schema at line \d+/,
    );
  }
});

it("reads its blocks from a schema with a syntax error in a block it does not read", () => {
  const lines = SCHEMA.split("\n");
  const orderBody = lines.indexOf("  total Float");
  const broken = withLine(orderBody, "  note String String");
  expect(thrownBy(() => readModel(broken, "Order"))).toBeInstanceOf(
    UnreadableText,
  );
  expect(readModel(broken, "User")).toEqual(readModel(SCHEMA, "User"));
  expect(readDatasourceProvider(broken)).toBe("postgresql");
});

it("parses the whole text for a model it does not find, and reports its syntax error", () => {
  expect(readModel(SCHEMA, "Missing")).toBeUndefined();
  const error = thrownBy(() =>
    readModel(withLine(0, "model Broken { id Int }"), "Missing"),
  );
  expect(error).toBeInstanceOf(UnreadableText);
  expect((error as UnreadableText).line).toBe(1);
});
