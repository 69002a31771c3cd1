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
