/**
 * transforms/lib/prisma-model.ts reads a schema one declaration at a time (faster than one parse
 * of the whole text) and falls back to the whole text where a piece does not parse. Each answer
 * must be the whole-text parser's: compared here against the same schema with every declaration
 * indented, which leaves no line starting with a block keyword, so it is parsed as one piece.
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

it("reads a block cut where a field named `model` starts its line", () => {
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

it("reports a syntax error at its line in the whole file, wherever it is", () => {
  const lines = SCHEMA.split("\n");
  for (const at of [0, 8, lines.length - 1]) {
    const broken = [
      ...lines.slice(0, at),
      "model Broken { id Int }",
      ...lines.slice(at),
    ].join("\n");
    let error: unknown;
    try {
      readModel(broken, "User", "prisma/schema.prisma");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UnreadableText);
    expect((error as UnreadableText).line).toBe(at + 1);
    expect((error as UnreadableText).message).toMatch(
      /^prisma\/schema\.prisma: not valid Prisma schema at line \d+/,
    );
  }
});
