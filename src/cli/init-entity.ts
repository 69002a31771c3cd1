/**
 * What `init` reads in the auth entity (the Prisma model) so that `apply` needs nothing more
 * than the tenant's values: which unique field holds the email, and a placeholder for every
 * required field a user created on first login would otherwise lack (apply refuses the
 * placeholders until they are replaced, as it does the tenant's).
 */
import { PLACEHOLDER } from "../config/load";
import { UserSettings } from "../config/schema";
import type { AppProfile } from "../detect/detect";
import type { ReadTree } from "../tree/read-tree";
import { readModel, type ModelField } from "../../transforms/lib/prisma-model";
import { UnreadableText } from "../../transforms/lib/refusal";
import { describeField, fieldsToFill } from "../../transforms/lib/user-fields";
import { inService } from "../config/service-path";

export interface EntitySettings {
  /** Keys for the config's `user` object (only those that differ from the defaults). */
  user: {
    emailField?: string;
    defaultValues?: Record<string, string>;
    claimMapping?: Record<string, string>;
  };
  notes: string[];
}

export function entitySettings(
  tree: ReadTree,
  profiles: AppProfile[],
): EntitySettings {
  const { emailField: defaultEmailField } = UserSettings.parse({});
  const notes: string[] = [];
  const models = profiles.flatMap((p) => {
    const entity = p.server.entity?.name;
    if (p.unsupported || !entity) return [];
    const schemaFile = inService(p.server.root, "prisma/schema.prisma");
    try {
      const fields = readModel(tree.read(schemaFile) ?? "", entity, schemaFile);
      return fields ? [{ service: p.name, entity, fields }] : [];
    } catch (error) {
      if (!(error instanceof UnreadableText)) throw error;
      notes.push(`${p.name}: ${error.message}; apply refuses it until fixed`);
      return [];
    }
  });
  if (models.length === 0) return { user: {}, notes };

  const user: EntitySettings["user"] = {};
  const holdsEmail = (fields: ModelField[], name: string) =>
    fields.some((f) => f.name === name && f.unique && f.type === "String");
  // Apps generated before 2024-03 have no email on the User entity, only a unique username.
  const withoutEmail = models.filter(
    (m) => !holdsEmail(m.fields, defaultEmailField),
  );
  if (withoutEmail.length > 0) {
    if (models.every((m) => holdsEmail(m.fields, "username"))) {
      user.emailField = "username";
      for (const m of withoutEmail)
        notes.push(
          `${m.service}: ${m.entity} has no unique String field "${defaultEmailField}" but a unique "username": ` +
            `wrote user.emailField "username", so users are found by their verified email in username ` +
            `(a user whose username is not their email gets a new account at the first login)`,
        );
    } else {
      for (const m of withoutEmail)
        notes.push(
          `${m.service}: ${m.entity} has no unique String field "${defaultEmailField}" to find users by their verified email; ` +
            `add "emailField" under "user" naming a unique field that holds it, ` +
            `or add a unique Email field to ${m.entity} in Amplication and re-generate`,
        );
    }
  }

  const emailField = user.emailField ?? defaultEmailField;
  const defaultValues: Record<string, string> = {};
  const claimMapping: Record<string, string> = {};
  for (const m of models) {
    const missing = fieldsToFill(m.fields, { emailField });
    if (missing.length === 0) continue;
    // A constant in a unique field: the second user created would collide; a claim is text.
    const defaulted = missing.filter((f) => !f.unique);
    const mapped = missing.filter((f) => f.unique && f.type === "String");
    const unfillable = missing.filter((f) => f.unique && f.type !== "String");
    for (const field of defaulted)
      defaultValues[field.name] = `${PLACEHOLDER} (${field.type})`;
    for (const field of mapped) claimMapping[field.name] = PLACEHOLDER;
    for (const field of unfillable)
      notes.push(
        `${m.service}: ${m.entity}.${field.name} (${field.type}, unique) is required and has no default: neither a constant (the second user would collide) nor a claim (text) can fill it, so apply refuses to create users until it has a default in Amplication (or in the Prisma schema), or user.createMissingUsers is false`,
      );
    if (unfillable.length === missing.length) continue;
    notes.push(
      `${m.service}: ${m.entity} has required fields without a default, which users created on first login need: ` +
        `${missing
          .filter((f) => !unfillable.includes(f))
          .map(describeField)
          .join(", ")}; ` +
        `wrote placeholders under ${[
          ...(defaulted.length > 0
            ? ["user.defaultValues (a value every new user gets)"]
            : []),
          ...(mapped.length > 0
            ? ["user.claimMapping (a token claim, for unique fields)"]
            : []),
        ].join(" and ")}: ` +
        `replace them, or remove them and set user.createMissingUsers to false`,
    );
  }
  if (Object.keys(defaultValues).length > 0) user.defaultValues = defaultValues;
  if (Object.keys(claimMapping).length > 0) user.claimMapping = claimMapping;
  return { user, notes: oncePerText(notes) };
}

/**
 * Notes of the form "<service>: <text>" that say the same of several services, as one note
 * naming them all: services generated alike get the same notes, and five copies hide the rest.
 */
function oncePerText(notes: string[]): string[] {
  const services = new Map<string, string[]>();
  for (const note of notes) {
    const at = note.indexOf(": ");
    const text = note.slice(at + 2);
    services.set(text, [...(services.get(text) ?? []), note.slice(0, at)]);
  }
  return [...services].map(([text, names]) => `${names.join(", ")}: ${text}`);
}
