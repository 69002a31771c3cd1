/**
 * server/swagger-description: the Swagger page's description (src/swagger.ts) says what the
 * generator wrote for the local login: every endpoint secured with "JWT Bearer authentication",
 * and a default user "admin" with the password "admin", which the conversion does away with.
 * Those two sentences become how to call the API now: with an Auth0 access token. The rest of
 * the description, the user's own words included, stays as it is; a description without them
 * is left alone.
 */
import type { FileEdit } from "../../src/plan/rule";

/**
 * The generator's two sentences as they stand in the string literal: the line break between
 * them escaped (\n in a quoted string) or not (a template literal), the quotes around "admin"
 * escaped or not, "your service resource" (2023 on) or "your app" (before).
 */
const GENERATED =
  /Please note that all endpoints are secured with JWT Bearer authentication\.(?:\\n|\r?\n)By default, your (?:service resource|app) comes with one user with the username \\?"admin\\?" and password \\?"admin\\?"\./;

export const AUTH0_SENTENCE =
  "Please note that all endpoints are secured with Auth0: send an access token of this API, from your Auth0 tenant, as a Bearer token.";

const swaggerDescription: FileEdit = (source) => {
  if (source === undefined || !GENERATED.test(source)) return undefined;
  return source.replace(GENERATED, AUTH0_SENTENCE);
};

export default swaggerDescription;
