/**
 * Reads one model of a Prisma schema: enough to know which fields a create call must fill and
 * which fields are unique. A line-based reader: Prisma schemas put one field on a line.
 */

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

export function readModel(
  schema: string,
  model: string,
): ModelField[] | undefined {
  const block = new RegExp(
    `^model\\s+${model}\\s*\\{([\\s\\S]*?)^\\}`,
    "m",
  ).exec(schema);
  if (!block) return undefined;
  const enums = new Set(
    [...schema.matchAll(/^enum\s+(\w+)/gm)].map((m) => m[1]),
  );
  const fields: ModelField[] = [];
  for (const raw of block[1].split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    const match = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
    if (!match || line.startsWith("@@")) continue;
    const [, name, type, list, optional, rest] = match;
    fields.push({
      name,
      type,
      optional: Boolean(optional),
      list: Boolean(list),
      unique: /@unique\b/.test(rest) || /@id\b/.test(rest),
      id: /@id\b/.test(rest),
      hasDefault: /@default\(/.test(rest),
      updatedAt: /@updatedAt\b/.test(rest),
      relation: !SCALARS.has(type) && !enums.has(type),
    });
  }
  return fields;
}

/** Fields a create call must set: required scalars with no default the database fills. */
export function requiredOnCreate(fields: ModelField[]): ModelField[] {
  return fields.filter(
    (f) =>
      !f.optional && !f.list && !f.hasDefault && !f.updatedAt && !f.relation,
  );
}
