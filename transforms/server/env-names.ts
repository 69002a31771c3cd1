/** The variables the converted server reads (server/env-auth0 sets them; apply's next steps name them). */
export const SERVER_ENV_NAMES = {
  audience: "AUTH0_AUDIENCE",
  issuer: "AUTH0_ISSUER_URL",
} as const;
