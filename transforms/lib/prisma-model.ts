/**
 * Reads one model of a Prisma schema: enough to know which fields a create call must fill and
 * which fields are unique. The schema is parsed by @mrleebo/prisma-ast (a parser of the schema
 * language), so blocks end where the grammar says, not at the next `}` in column 1, and
 * `@@unique([field])` counts; a schema it cannot parse is refused with its line and column.
 */
import type {
  Attribute,
  BlockAttribute,
  Field,
  Schema,
} from "@mrleebo/prisma-ast";
import { lineAndColumn, UnreadableText } from "./refusal";

export interface ModelField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  unique: boolean;
  id: boolean;
  hasDefault: boolean;
  updatedAt: boolean;
  relation: boolean;
}

const SCALARS = new Set([
  "String",
  "Int",
  "BigInt",
  "Float",
  "Decimal",
  "Boolean",
  "DateTime",
  "Json",
  "Bytes",
]);

/**
 * The fields of `model`, or undefined when the schema has no such model. Throws UnreadableText
 * naming `file` for a schema that does not parse.
 */
export function readModel(
  schema: string,
  model: string,
  file?: string,
): ModelField[] | undefined {
  const parsed = parsePrismaSchema(schema, file);
  const block = parsed.list.find((b) => b.type === "model" && b.name === model);
  if (block?.type !== "model") return undefined;
  const enums = new Set(
    parsed.list.flatMap((b) => (b.type === "enum" ? [b.name] : [])),
  );
  // @@unique([email]) and @@id([email]) make email unique alone; @@unique([a, b]) does not.
  const uniqueAlone = new Set(
    block.properties.flatMap((p) =>
      p.type === "attribute" && (p.name === "unique" || p.name === "id")
        ? singleField(p)
        : [],
    ),
  );
  return block.properties
    .filter((p): p is Field => p.type === "field")
    .map((field) => {
      const type =
        typeof field.fieldType === "string"
          ? field.fieldType
          : field.fieldType.name;
      const has = (name: string) =>
        (field.attributes ?? []).some((a: Attribute) => a.name === name);
      return {
        name: field.name,
        type,
        optional: Boolean(field.optional),
        list: Boolean(field.array),
        unique: has("unique") || has("id") || uniqueAlone.has(field.name),
        id: has("id"),
        hasDefault: has("default"),
        updatedAt: has("updatedAt"),
        relation: !SCALARS.has(type) && !enums.has(type),
      };
    });
}

/**
 * The datasource's provider ("postgresql", "mysql", "mongodb", "sqlserver", ...), or undefined
 * when the schema has no datasource or its provider is not a string literal. Throws
 * UnreadableText naming `file` for a schema that does not parse.
 */
export function readDatasourceProvider(
  schema: string,
  file?: string,
): string | undefined {
  const parsed = parsePrismaSchema(schema, file);
  for (const block of parsed.list) {
    if (block.type !== "datasource") continue;
    for (const assignment of block.assignments) {
      if (assignment.type !== "assignment" || assignment.key !== "provider")
        continue;
      const value = assignment.value;
      return typeof value === "string" && /^"[^"]*"$/.test(value)
        ? value.slice(1, -1)
        : undefined;
    }
  }
  return undefined;
}

/** The one field of `@@unique([field])`, `@@unique(fields: [field])` or `@@id([field])`. */
function singleField(attribute: BlockAttribute): string[] {
  for (const arg of attribute.args ?? []) {
    const value =
      arg.value &&
      typeof arg.value === "object" &&
      "type" in arg.value &&
      arg.value.type === "keyValue"
        ? arg.value.key === "fields"
          ? arg.value.value
          : undefined
        : arg.value;
    if (value && typeof value === "object" && "type" in value) {
      if (value.type !== "array") continue;
      return value.args.length === 1 && typeof value.args[0] === "string"
        ? [value.args[0]]
        : [];
    }
  }
  return [];
}

/** Fields a create call must set: required scalars with no default the database fills. */
export function requiredOnCreate(fields: ModelField[]): ModelField[] {
  return fields.filter(
    (f) =>
      !f.optional && !f.list && !f.hasDefault && !f.updatedAt && !f.relation,
  );
}

/**
 * The schemas parsed last, by their text. Two rules read the same schema in each of a run's two
 * passes, and parsing takes most of a second for a 1,000-model schema (node --cpu-prof); the
 * parse is a pure function of the text and readModel only reads the result. Bounded, so a
 * long-lived process (the tests) does not keep every schema it ever read.
 */
const parsedSchemas = new Map<string, Schema>();
const PARSED_KEPT = 4;

type GetSchema = typeof import("./prisma-parser").getSchema;

/**
 * The parser, loaded on first use: its bundle takes about 0.08 s to load, which a run spent
 * before its prefetch worker could start when it came with this module (init and the engine
 * import this module at start).
 */
let getSchema: GetSchema | undefined;

/** Where a top-level declaration may start: its keyword at the start of a line. */
const DECLARATION = /^(?:model|enum|type|view|datasource|generator)\s/gm;

/**
 * The schema parsed one declaration at a time, or undefined when a piece does not parse.
 * The parser takes longer per token over one large text: a whole 1,000-model schema took 0.4 s
 * against 0.16 s for its declarations one by one (each in a fresh process), and each piece's
 * syntax tree is garbage once its blocks are read. The pieces cover every byte of the text,
 * cut where a line starts with a block keyword: a cut inside a block (a field named `model` at
 * the start of its line) leaves a piece with an unclosed `{`, which does not parse, and then
 * the caller parses the whole text, for its answer and for the position of a real syntax error.
 */
function parseByDeclaration(
  schema: string,
  parse: GetSchema,
): Schema | undefined {
  const starts = [...schema.matchAll(DECLARATION)].map((match) => match.index);
  starts[0] = 0; // what comes before the first declaration goes with it
  const list: Schema["list"] = [];
  try {
    starts.forEach((start, i) => {
      list.push(...parse(schema.slice(start, starts[i + 1])).list);
    });
  } catch {
    return undefined;
  }
  return { type: "schema", list };
}

function parsePrismaSchema(schema: string, file?: string): Schema {
  const known = parsedSchemas.get(schema);
  if (known) return known;
  const parse = (getSchema ??= (
    require("./prisma-parser") as typeof import("./prisma-parser")
  ).getSchema);
  try {
    const parsed = parseByDeclaration(schema, parse) ?? parse(schema);
    parsedSchemas.set(schema, parsed);
    if (parsedSchemas.size > PARSED_KEPT)
      parsedSchemas.delete(parsedSchemas.keys().next().value!);
    return parsed;
  } catch (error) {
    const { token, message } = error as {
      token?: { startLine: number; startColumn: number; image: string };
      message?: string;
    };
    if (!token || message === undefined) throw error;
    // The parser reports the end of the text as a token with no position.
    const at = Number.isNaN(token.startLine)
      ? lineAndColumn(schema, schema.length)
      : { line: token.startLine, column: token.startColumn };
    throw new UnreadableText(
      "Prisma schema",
      at.line,
      at.column,
      message
        .split("\n")[0]
        .replace("found --> '' <--", "found the end of the file"),
      file,
    );
  }
}
