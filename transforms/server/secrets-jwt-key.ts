/**
 * server/secrets-jwt-key: the secrets-manager key of the JWT secret (EnumSecretsNameKey.JwtSecretKey)
 * goes once nothing reads it. The enum itself stays, for the app's other secrets.
 */
import type { FileEdit } from "../../src/plan/rule";
import { sourcesMentioning } from "../lib/source-files";

/** How code reads the key (searched in every server source). */
export const KEY_READ = "EnumSecretsNameKey.JwtSecretKey";

const secretsJwtKey: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const member = /^[ \t]*JwtSecretKey\s*=\s*"[^"]*",?[ \t]*\r?\n/m;
  if (!member.test(source)) return undefined;
  const stillRead = sourcesMentioning(
    context.sources,
    context.profile.server.root,
    KEY_READ,
  ).some(
    (other) =>
      other !== file &&
      /\bEnumSecretsNameKey\.JwtSecretKey\b/.test(context.tree.read(other)!),
  );
  return stillRead ? undefined : source.replace(member, "");
};

export default secretsJwtKey;
