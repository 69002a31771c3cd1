/**
 * server/env-jwt-secret: JWT_SECRET_KEY and JWT_EXPIRATION leave the server .env once no server
 * source reads them: a signing secret nobody uses is a secret to leak for nothing.
 */
import type { FileEdit } from "../../src/plan/rule";
import { removeEnvVariables } from "../lib/dotenv";
import { sourcesMentioning } from "../lib/source-files";

export const JWT_VARIABLES = ["JWT_SECRET_KEY", "JWT_EXPIRATION"];

export function unreadJwtVariables(context: Parameters<FileEdit>[1]): string[] {
  const root = context.profile.server.root;
  return JWT_VARIABLES.filter((name) => {
    const quoted = new RegExp(`["'\`]${name}["'\`]`);
    return !sourcesMentioning(context.sources, root, name).some((file) =>
      quoted.test(context.tree.read(file)!),
    );
  });
}

const envJwtSecret: FileEdit = (source, context) => {
  if (source === undefined) return undefined;
  const next = removeEnvVariables(source, unreadJwtVariables(context));
  return next === source ? undefined : next;
};

export default envJwtSecret;
