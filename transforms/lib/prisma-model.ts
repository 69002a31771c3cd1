/**
 * Reads one model of a Prisma schema: enough to know which fields a create call must fill and
 * which fields are unique. The blocks read are parsed by @mrleebo/prisma-ast (a parser of the
 * schema language), so a block ends where the grammar says, not at the next `}` in column 1, and
 * `@@unique([field])` counts; a block it cannot parse is refused with its line and column.
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
  const block = parseBlocks(schema, "model", model, file).find(
    (b) => b.type === "model" && b.name === model,
  );
  if (block?.type !== "model") return undefined;
  const enums = new Set(
    declarations(schema).flatMap((d) => (d.kind === "enum" ? [d.name] : [])),
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
  for (const block of parseBlocks(schema, "datasource", undefined, file)) {
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

type GetSchema = typeof import("./prisma-parser").getSchema;

/**
 * The parser, loaded on first use: its bundle takes about 0.08 s to load, which a run spent
 * before its prefetch worker could start when it came with this module (init and the engine
 * import this module at start).
 */
let getSchema: GetSchema | undefined;

interface Declaration {
  kind: string;
  name: string;
  /** Where its piece of the text starts and ends: up to the next declaration. */
  start: number;
  end: number;
}

/**
 * A top-level block: its keyword and name at the start of a line, then `{`. The schema language
 * has no block comments and no multi-line strings, and a field line cannot hold a `{` after its
 * type, so in a schema that parses such a line starts a block and nothing else.
 */
const DECLARATION =
  /^(model|enum|type|view|datasource|generator)\s+(\w+)\s*\{/gm;

/** The last schema's declarations: a run asks for them several times per text (each rule, each pass). */
let lastDeclarations: { schema: string; found: Declaration[] } | undefined;

function declarations(schema: string): Declaration[] {
  if (lastDeclarations?.schema === schema) return lastDeclarations.found;
  const found = [...schema.matchAll(DECLARATION)].map((match) => ({
    kind: match[1],
    name: match[2],
    start: match.index,
    end: schema.length,
  }));
  found.forEach((declaration, i) => {
    if (i + 1 < found.length) declaration.end = found[i + 1].start;
  });
  lastDeclarations = { schema, found };
  return found;
}

/**
 * The blocks of the first `kind` declaration named `name` (of any name when undefined), parsed
 * from its piece of the text alone: over a whole 1,000-model schema the parser takes about 0.4 s
 * (node --cpu-prof), and a run reads one model and the datasource. When the piece does not parse
 * (a syntax error in it, or a stray line after its block), or there is no such declaration, the
 * whole text goes to the parser, which reports the error at its line in the whole file. A
 * syntax error in a block that is not read is left to Prisma's own tools, as the conversion
 * leaves the sources it does not read to TypeScript.
 */
function parseBlocks(
  schema: string,
  kind: string,
  name: string | undefined,
  file?: string,
): Schema["list"] {
  const parse = (getSchema ??= (
    require("./prisma-parser") as typeof import("./prisma-parser")
  ).getSchema);
  const declaration = declarations(schema).find(
    (d) => d.kind === kind && (name === undefined || d.name === name),
  );
  if (declaration) {
    const piece = schema.slice(declaration.start, declaration.end);
    const known = parsedPieces.get(piece);
    if (known) return known;
    try {
      const blocks = parse(piece).list;
      parsedPieces.set(piece, blocks);
      if (parsedPieces.size > PIECES_KEPT)
        parsedPieces.delete(parsedPieces.keys().next().value!);
      return blocks;
    } catch {
      // parsed whole below
    }
  }
  return parseWhole(schema, parse, file).list;
}

/**
 * The pieces parsed last, by their text. Two rules read the auth entity's model in each of a
 * run's two passes, and at 1,000 entities its relation fields make it 26 KB, which takes the
 * parser about 20 ms; the parse is a pure function of the text, and the readers only read the
 * result. Bounded, so a long-lived process (the tests) does not keep every piece it read.
 */
const parsedPieces = new Map<string, Schema["list"]>();
const PIECES_KEPT = 4;

function parseWhole(schema: string, parse: GetSchema, file?: string): Schema {
  try {
    return parse(schema);
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
