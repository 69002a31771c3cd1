/**
 * Management API credentials, from the environment only: never from the config file (which is
 * committed), never from a command-line flag (which lands in shell history and `ps`), and
 * never printed.
 */

export const TOKEN_VARIABLE = "AUTH0_MANAGEMENT_TOKEN";
export const CLIENT_ID_VARIABLE = "AUTH0_M2M_CLIENT_ID";
export const CLIENT_SECRET_VARIABLE = "AUTH0_M2M_CLIENT_SECRET";

export type Credentials =
  | { kind: "token"; token: string }
  | { kind: "client-credentials"; clientId: string; clientSecret: string };

/** Missing or half-given credentials: a usage problem (exit 2), nothing was sent. */
export class CredentialsError extends Error {
  override name = "CredentialsError";
}

export function readCredentials(env: NodeJS.ProcessEnv): {
  credentials: Credentials;
  notes: string[];
} {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const token = value(TOKEN_VARIABLE);
  const clientId = value(CLIENT_ID_VARIABLE);
  const clientSecret = value(CLIENT_SECRET_VARIABLE);
  if (token) {
    if (/\s/.test(token))
      throw new CredentialsError(
        `${TOKEN_VARIABLE} contains white space; it must hold the bare access token (without "Bearer ")`,
      );
    return {
      credentials: { kind: "token", token },
      notes:
        clientId || clientSecret
          ? [
              `using ${TOKEN_VARIABLE}; ${CLIENT_ID_VARIABLE}/${CLIENT_SECRET_VARIABLE} are ignored`,
            ]
          : [],
    };
  }
  if (clientId && clientSecret)
    return {
      credentials: { kind: "client-credentials", clientId, clientSecret },
      notes: [],
    };
  if (clientId || clientSecret)
    throw new CredentialsError(
      `${clientId ? CLIENT_SECRET_VARIABLE : CLIENT_ID_VARIABLE} is not set: the machine-to-machine ` +
        `application needs both ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE}`,
    );
  throw new CredentialsError(
    `no Management API credentials: set ${TOKEN_VARIABLE} to a Management API token ` +
      `(Auth0 dashboard: Applications > APIs > Auth0 Management API > API Explorer), or set ` +
      `${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE} of a machine-to-machine application ` +
      `authorized for the Auth0 Management API. See "Set up Auth0 automatically" in the README ` +
      `for the scopes it needs. Credentials are read from the environment only, never from the config file.`,
  );
}
