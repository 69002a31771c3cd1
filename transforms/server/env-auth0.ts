/**
 * server/env-auth0: the server .env gets the two settings the Auth0 strategy reads.
 * The values come from the config (the issuer is derived from the domain unless given).
 */
import type { FileEdit } from "../../src/plan/rule";
import { duplicateKeys, setEnvVariables } from "../lib/dotenv";
import { refuse } from "../lib/refusal";

/** The variables the converted server reads (apply's next steps name them too). */
export const SERVER_ENV_NAMES = {
  audience: "AUTH0_AUDIENCE",
  issuer: "AUTH0_ISSUER_URL",
} as const;

const envAuth0: FileEdit = (source, context, file) => {
  const variables = {
    [SERVER_ENV_NAMES.audience]: context.auth0.audience,
    [SERVER_ENV_NAMES.issuer]: context.auth0.issuer,
  };
  const duplicates = duplicateKeys(source ?? "", Object.keys(variables));
  if (duplicates.length > 0) {
    const { key, lines } = duplicates[0];
    refuse(
      `${key} is defined more than once (lines ${lines.join(", ")}); dotenv keeps the first, so the result would be ambiguous`,
      `keep one ${key} line in ${file} and run again`,
    );
  }
  const next = setEnvVariables(source ?? "", variables);
  return next === source ? undefined : next;
};

export default envAuth0;
