/**
 * Which required fields of the auth entity a user created on first login gets without help
 * from the config: the email (user.emailField), the subject (user.subjectField), the roles,
 * and a username and password when the entity has them as strings. `init` and
 * server/jwt-strategy-base share this, so init asks for exactly the fields apply would refuse.
 */
import { requiredOnCreate, type ModelField } from "./prisma-model";

export interface UserFieldNames {
  emailField: string;
  subjectField?: string;
}

export function filledOnCreate(
  field: ModelField,
  user: UserFieldNames,
): boolean {
  return (
    field.name === user.emailField ||
    field.name === user.subjectField ||
    field.name === "roles" ||
    (field.type === "String" &&
      (field.name === "username" || field.name === "password"))
  );
}

/** The required fields the config must give a value (or a claim) for. */
export function fieldsToFill(
  fields: ModelField[],
  user: UserFieldNames,
): ModelField[] {
  return requiredOnCreate(fields).filter(
    (field) => !filledOnCreate(field, user),
  );
}

/** `age (Int)`, `handle (String, unique)`: a field as the messages name it. */
export function describeField(field: ModelField): string {
  return `${field.name} (${field.type}${field.unique ? ", unique" : ""})`;
}

/**
 * What a config value must be for a field, as Prisma's create input takes it from a literal:
 * a number for Int, Float and Decimal, a string for String, DateTime (ISO 8601) and an enum,
 * any JSON but null for Json (Prisma wants Prisma.JsonNull there), null for an optional field.
 */
export function valueFor(field: ModelField): string {
  const kind =
    field.type === "Json"
      ? "a JSON value (not null)"
      : field.type === "Boolean"
        ? "true or false"
        : NUMERIC.has(field.type)
          ? "a number"
          : field.type === "DateTime"
            ? 'an ISO 8601 date-time string, such as "2024-01-01T00:00:00Z"'
            : field.type === "Bytes"
              ? "nothing: a Bytes field cannot be set from the config"
              : field.type === "String"
                ? "a string"
                : `one of the ${field.type} enum's values, as a string`;
  return field.optional && field.type !== "Json" ? `${kind}, or null` : kind;
}

export function fitsField(value: unknown, field: ModelField): boolean {
  if (value === null) return field.optional && field.type !== "Json";
  if (field.type === "Json") return true;
  if (field.type === "Bytes") return false;
  if (field.type === "Boolean") return typeof value === "boolean";
  if (NUMERIC.has(field.type)) return typeof value === "number";
  return typeof value === "string"; // String, DateTime, an enum
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${JSON.stringify(value)} (a ${typeof value})`;
}

const NUMERIC = new Set(["Int", "BigInt", "Float", "Decimal"]);
