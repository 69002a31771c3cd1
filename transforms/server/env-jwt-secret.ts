/**
 * server/env-jwt-secret: JWT_SECRET_KEY and JWT_EXPIRATION leave the server .env once no server
 * source reads them: a signing secret nobody uses is a secret to leak for nothing.
 */
import type { FileEdit } from "../../src/plan/rule";
import { removeEnvVariables } from "../lib/dotenv";
import { sourceFiles } from "../lib/source-files";

export const RULE_ID = "server/env-jwt-secret";

export const JWT_VARIABLES = ["JWT_SECRET_KEY", "JWT_EXPIRATION"];

export function unreadJwtVariables(context: Parameters<FileEdit>[1]): string[] {
  const sources = sourceFiles(context.tree, context.profile.server.root).map(
    (f) => context.tree.read(f) ?? "",
  );
  return JWT_VARIABLES.filter(
    (name) =>
      !sources.some((text) => new RegExp(`["'\`]${name}["'\`]`).test(text)),
  );
}

const envJwtSecret: FileEdit = (source, context) => {
  if (source === undefined) return undefined;
  const next = removeEnvVariables(source, unreadJwtVariables(context));
  return next === source ? undefined : next;
};

export default envJwtSecret;
