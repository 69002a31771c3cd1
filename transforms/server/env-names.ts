/** The variables the converted server reads (server/env-auth0 sets them; apply's next steps name them). */
export const SERVER_ENV_NAMES = {
  audience: "AUTH0_AUDIENCE",
  issuer: "AUTH0_ISSUER_URL",
} as const;

/** The local login's settings, which go once nothing reads them (.env, docker-compose). */
export const JWT_VARIABLES = ["JWT_SECRET_KEY", "JWT_EXPIRATION"] as const;
