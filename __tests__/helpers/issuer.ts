/**
 * Starts scripts/runtime/issuer.mjs (a loopback, Auth0-shaped token issuer) in a child process
 * and drives it through its control server. A child process rather than an in-process import:
 * oidc-provider and jose 6 are ESM-only, and the runtime tests also want the issuer to be just
 * another server on loopback, like the converted NestJS server they boot next to it.
 *
 * Usage:
 *   const iss = await startIssuer({ audience, namespace });
 *   const token = await iss.token({ client: "alice", email: "alice@example.test", email_verified: true });
 *   ...
 *   await iss.stop();
 */
import * as path from "node:path";
import { startScript } from "./start-line";

const SCRIPT = path.resolve(__dirname, "../../scripts/runtime/issuer.mjs");

/** Every key the issuer process holds. */
export type KeyName = "k1" | "k2" | "other" | "kB";
/** The keys that may be published in issuer A's JWKS (kB belongs to issuer B). */
export type PublishableKeyName = "k1" | "k2" | "other";
export type MintAlg = "RS256" | "RS384" | "none" | "HS256-public-key";
export type JwksMode = "up" | "down";

export interface StartIssuerOptions {
  /** The API identifier; the `aud` of issued tokens. */
  audience: string;
  /** The custom claim prefix, e.g. `https://api.example.test/`. */
  namespace: string;
  /** Client ids; each one is a "user" (`sub` = client id). Default alice..frank. */
  clients?: string[];
  /**
   * Where issued tokens carry the email: "namespaced" (default, `<namespace>email`) or
   * "user-object" (a `user` claim with email and email_verified: user.claims.style).
   */
  claimsStyle?: "namespaced" | "user-object";
  /** How long to wait for the issuer's start line. Default 15 s. */
  startTimeoutMs?: number;
}

export interface TokenOptions {
  /** Which provider issues the token. Default "a". */
  issuer?: "a" | "b";
  client: string;
  /** Becomes `<namespace>email` (or `user.email`); absent when not given. */
  email?: string;
  /** Becomes `<namespace>email_verified` (or `user.email_verified`); absent when not given. */
  email_verified?: boolean;
  /** Becomes `<namespace>roles` (the Action's roles claim), exactly as given; absent when not given. */
  roles?: unknown;
  /** The resource indicator; default the audience. Another value is refused (invalid_target). */
  resource?: string;
}

export interface MintOptions {
  /** Used exactly as given: set iss/aud/exp yourself (or leave them out on purpose). */
  claims: Record<string, unknown>;
  /** Default "k1". */
  key?: KeyName;
  /** Default the key's own kid; null = no kid header. */
  kid?: string | null;
  /** Default "RS256". */
  alg?: MintAlg;
  typ?: string;
  /** Other protected header parameters, as given (a `crit` list is signed as such). */
  header?: Record<string, unknown>;
}

export interface JwksOptions {
  mode?: JwksMode;
  /** Replaces the published key list, e.g. ["k1", "k2"] for a rotation. */
  keys?: PublishableKeyName[];
}

export interface IssuerState {
  jwksMode: JwksMode;
  publishedKids: string[];
  /** JWKS requests issuer A has answered so far, any status. */
  jwksRequests: number;
}

export interface Issuer {
  /** Issuer A, with the trailing slash (`http://127.0.0.1:<port>/`). */
  readonly issuer: string;
  /** Issuer A's JWKS, `${issuer}.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** Issuer B, same shape, its own key kB. */
  readonly otherIssuer: string;
  /** The control server's base URL (no trailing slash). */
  readonly control: string;
  readonly kids: Readonly<Record<KeyName, string>>;
  /** A real client_credentials access token from provider A (or B). */
  token(opts: TokenOptions): Promise<string>;
  /** A token minted outside any provider, for the negative cases. */
  mint(opts: MintOptions): Promise<string>;
  /** Switches issuer A's JWKS up/down and/or the published keys; returns the new state. */
  setJwks(opts: JwksOptions): Promise<IssuerState>;
  state(): Promise<IssuerState>;
  /** Everything the issuer process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A request to the issuer failed. For `token()`, `status` and `body` are the provider's own
 * (e.g. 400 `{error: "invalid_target"}`, 401 `{error: "invalid_client"}`).
 */
export class IssuerRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "IssuerRequestError";
  }
}

interface StartLine {
  issuer: string;
  otherIssuer: string;
  control: string;
  kids: Record<KeyName, string>;
}

export async function startIssuer(
  options: StartIssuerOptions,
): Promise<Issuer> {
  const { start, stderr, stop } = await startScript<StartLine>(
    SCRIPT,
    {
      ISSUER_AUDIENCE: options.audience,
      ISSUER_NAMESPACE: options.namespace,
      ...(options.clients ? { ISSUER_CLIENTS: options.clients.join(",") } : {}),
      ...(options.claimsStyle
        ? { ISSUER_CLAIMS_STYLE: options.claimsStyle }
        : {}),
    },
    {
      name: "issuer",
      exitWithStdin: "ISSUER_EXIT_WITH_STDIN",
      startTimeoutMs: options.startTimeoutMs,
    },
  );

  async function call<T>(
    method: "GET" | "POST",
    route: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${start.control}${route}`, {
      method,
      headers:
        body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload: unknown = await response.json();
    if (response.ok) return payload as T;
    // 502 from /token wraps the provider's own error response.
    if (response.status === 502 && isProviderError(payload)) {
      throw new IssuerRequestError(
        `${method} ${route}: provider answered ${payload.status} ${JSON.stringify(payload.body)}`,
        payload.status,
        payload.body,
      );
    }
    throw new IssuerRequestError(
      `${method} ${route}: ${response.status} ${JSON.stringify(payload)}`,
      response.status,
      payload,
    );
  }

  return {
    issuer: start.issuer,
    jwksUri: `${start.issuer}.well-known/jwks.json`,
    otherIssuer: start.otherIssuer,
    control: start.control,
    kids: start.kids,
    token: async (opts) =>
      (await call<{ access_token: string }>("POST", "/token", opts))
        .access_token,
    mint: async (opts) =>
      (await call<{ token: string }>("POST", "/mint", opts)).token,
    setJwks: (opts) => call<IssuerState>("POST", "/jwks", opts),
    state: () => call<IssuerState>("GET", "/state"),
    stderr,
    stop,
  };
}

function isProviderError(
  value: unknown,
): value is { status: number; body: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { status?: unknown }).status === "number" &&
    "body" in value
  );
}
