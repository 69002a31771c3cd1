/**
 * server/constants-jwt-secret: src/constants.ts loses the JWT secret and expiry constants once
 * nothing imports them (the file goes when nothing else is left in it).
 */
import type { FileEdit } from "../../src/plan/rule";
import { importersOf } from "../lib/source-files";

const JWT_CONSTANTS = [
  "JWT_SECRET_KEY",
  "JWT_SECRET_KEY_PROVIDER_NAME",
  "JWT_EXPIRATION",
];

const constantsJwtSecret: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const importers = importersOf(
    context.sources,
    context.profile.server.root,
    file,
  );
  const stillImported = new Set(importers.flatMap((use) => use.names));
  const removable = JWT_CONSTANTS.filter((name) => !stillImported.has(name));
  const declaration = (name: string) =>
    new RegExp(`^export const ${name}\\s*=\\s*[^;]*;[ \\t]*\\r?\\n?`, "m");
  let next = source;
  for (const name of removable) next = next.replace(declaration(name), "");
  if (next === source) return undefined;
  if (next.trim() === "" && importers.length === 0) return null;
  return next.replace(/^\s*\n/, "");
};

export default constantsJwtSecret;
