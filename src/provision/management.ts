/**
 * Access to the Auth0 Management API through the official SDK (`auth0` 7.x): one request at a
 * time, HTTP 429 retried after Retry-After a bounded number of times (the SDK's own retries are
 * off: it would also repeat a POST after a 5xx, which can create duplicates), every page of a
 * list, and failures turned into messages that name the operation, the missing scope or the
 * fix. Messages never contain the token or the client secret.
 */
import {
  ManagementClient,
  ManagementError,
  ManagementTimeoutError,
} from "auth0";
import type { Credentials } from "./credentials";
import {
  CLIENT_ID_VARIABLE,
  CLIENT_SECRET_VARIABLE,
  TOKEN_VARIABLE,
} from "./credentials";
import { ProvisionError } from "./report";
import { OPERATION_SCOPES, type Operation } from "./scopes";

export interface Clock {
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const realClock: Clock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

export interface TenantOptions {
  /** Host of the Management API: the tenant's canonical domain, not a custom domain. */
  domain: string;
  credentials: Credentials;
  /** Passed to the SDK (requests and the M2M token request); tests point it at a loopback server. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Retries of one request after HTTP 429. Default 4. */
  maxRateLimitRetries?: number;
  /** Longest wait honoured for one Retry-After; a longer one stops the run. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Told about each wait, e.g. to print it. */
  onRateLimit?: (waitMs: number, what: string) => void;
}

/** The minimal surface of the SDK's `Page` used here. */
interface PageLike<T> {
  data: T[];
  hasNextPage(): boolean;
  getNextPage(): Promise<PageLike<T>>;
}

const MAX_PAGES = 500;

export class Tenant {
  readonly sdk: ManagementClient;
  readonly domain: string;
  private readonly clock: Clock;
  private readonly secrets: string[];

  constructor(private readonly options: TenantOptions) {
    this.domain = options.domain;
    this.clock = options.clock ?? realClock;
    const common = {
      domain: options.domain,
      fetch: settlingFetch(options.fetch ?? fetch),
      telemetry: false,
      maxRetries: 0,
      timeoutInSeconds: 30,
    };
    const { credentials } = options;
    this.secrets =
      credentials.kind === "token"
        ? [credentials.token]
        : [credentials.clientSecret];
    this.sdk =
      credentials.kind === "token"
        ? new ManagementClient({ ...common, token: credentials.token })
        : new ManagementClient({
            ...common,
            clientId: credentials.clientId,
            clientSecret: credentials.clientSecret,
          });
  }

  /** One request: `what` says what it does, for messages ("create the API ..."). */
  async call<T>(
    operation: Operation,
    what: string,
    request: () => Promise<T>,
  ): Promise<T> {
    const retries = this.options.maxRateLimitRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const wait = rateLimitWait(error, attempt, this.clock.now());
        if (wait === undefined) throw this.explain(error, operation, what);
        const limit = this.options.maxRetryWaitMs ?? 60_000;
        if (attempt >= retries || wait > limit)
          throw new ProvisionError(
            `${what}: the Management API of ${this.domain} kept answering HTTP 429 (rate limit)` +
              (wait > limit
                ? ` and asks to wait ${Math.ceil(wait / 1000)} s`
                : ` after ${retries} retries`) +
              `. Wait a minute and run provision again: what exists is found and kept.`,
          );
        this.options.onRateLimit?.(wait, what);
        await this.clock.sleep(wait);
      }
    }
  }

  /** Every item of a paginated list, each page requested through `call`. */
  async all<T>(
    operation: Operation,
    what: string,
    first: () => Promise<PageLike<T>>,
  ): Promise<T[]> {
    let page = await this.call(operation, what, first);
    const items = [...page.data];
    for (let pages = 1; page.hasNextPage(); pages++) {
      if (pages >= MAX_PAGES)
        throw new ProvisionError(
          `${what}: more than ${MAX_PAGES} pages; stopped rather than read forever`,
        );
      const current = page;
      page = await this.call(operation, what, () => current.getNextPage());
      items.push(...page.data);
    }
    return items;
  }

  private explain(
    error: unknown,
    operation: Operation,
    what: string,
  ): ProvisionError {
    return new ProvisionError(
      this.redact(describeFailure(error, operation, what, this.options)),
    );
  }

  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets)
      if (secret.length >= 4) result = result.split(secret).join("[redacted]");
    return result;
  }
}

/** Milliseconds to wait before retrying, or undefined when the error is not a 429. */
export function rateLimitWait(
  error: unknown,
  attempt: number,
  now: number,
): number | undefined {
  if (!(error instanceof ManagementError) || error.statusCode !== 429)
    return undefined;
  const headers = error.rawResponse?.headers;
  const retryAfter = headers?.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers?.get("x-ratelimit-reset")?.trim();
  if (reset && /^\d+$/.test(reset))
    return Math.max(0, Number(reset) * 1000 - now);
  return 1000 * 2 ** attempt;
}

function describeFailure(
  error: unknown,
  operation: Operation,
  what: string,
  options: TenantOptions,
): string {
  const { domain, credentials } = options;
  if (error instanceof ManagementTimeoutError)
    return `${what}: no answer from ${domain} within 30 s. Check your network and run provision again.`;
  if (error instanceof ManagementError) {
    const status = error.statusCode;
    const detail = bodyMessage(error.body);
    const unreachable = networkFailureOf(error.body);
    if (/token request/.test(error.message)) {
      if (unreachable)
        return `could not reach https://${domain}/oauth/token to get a Management API token (${unreachable}). Check the domain and your network.`;
      if (status === undefined || status === 408)
        return `could not reach https://${domain}/oauth/token to get a Management API token (${
          detail ?? "no answer"
        }). Check the domain and your network.`;
      return (
        `${domain} refused the Management API token request of ${CLIENT_ID_VARIABLE} (HTTP ${status}${
          detail ? `: ${detail}` : ""
        }). Check ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE}, and that this machine-to-machine ` +
        `application is authorized for the Auth0 Management API of this tenant.`
      );
    }
    if (unreachable) return networkFailure(unreachable, what, domain);
    if (status === undefined)
      return networkFailure(reasonOf(error), what, domain);
    if (status === 403 && isScopeError(error.body, detail)) {
      const scope = scopeFromMessage(detail) ?? OPERATION_SCOPES[operation];
      return (
        `${what}: the Management API token lacks the scope ${scope}. ` +
        (credentials.kind === "token"
          ? `Issue a token that has it (${TOKEN_VARIABLE})`
          : `Grant it to the machine-to-machine application (Applications > APIs > Auth0 Management API > Machine to Machine Applications)`) +
        ` and run provision again. The README section "Set up Auth0 automatically" lists every scope provision uses.`
      );
    }
    if (status === 401)
      return (
        `${what}: the Management API rejected the credentials (HTTP 401${detail ? `: ${detail}` : ""}). ` +
        (credentials.kind === "token"
          ? `${TOKEN_VARIABLE} is expired, revoked, or for another tenant than ${domain}; get a new token.`
          : `The token obtained with ${CLIENT_ID_VARIABLE} is not valid for ${domain}.`)
      );
    return `${what}: the Management API answered HTTP ${status}${detail ? `: ${detail}` : ""}.`;
  }
  // fetch's TypeError may come from another realm (test runners): match by name.
  if (
    (error as Error)?.name === "TypeError" &&
    /fetch failed/i.test((error as Error).message)
  )
    return networkFailure(reasonOf(error), what, domain);
  return `${what}: ${error instanceof Error ? error.message : String(error)}`;
}

function networkFailure(reason: string, what: string, domain: string): string {
  return `${what}: could not reach https://${domain} (${reason}). Check auth0.domain (or --management-domain when auth0.domain is a custom domain) and your network.`;
}

/**
 * The SDK clears its request timer only when fetch resolves (node-auth0 7.1,
 * core/fetcher/makeRequest.js), so a refused connection would keep the process alive until the
 * timeout. This fetch answers a connection failure with a local response that carries the
 * reason instead; `describeFailure` recognises it. Aborts (the SDK's own timeout) still throw.
 */
const NETWORK_FAILURE = "amplicationAuth0NetworkFailure";
const NETWORK_FAILURE_STATUS = 599;

function settlingFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      return new Response(
        JSON.stringify({ [NETWORK_FAILURE]: reasonOf(error) }),
        {
          status: NETWORK_FAILURE_STATUS,
          headers: { "content-type": "application/json" },
        },
      );
    }
  };
}

function networkFailureOf(body: unknown): string | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const reason =
    value && typeof value === "object"
      ? (value as Record<string, unknown>)[NETWORK_FAILURE]
      : undefined;
  return typeof reason === "string" ? reason : undefined;
}

/** fetch failures nest the reason (ENOTFOUND, ECONNREFUSED, ...) in `cause`, sometimes twice. */
function reasonOf(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  let cause: unknown = error;
  for (
    let depth = 0;
    depth < 4 && typeof cause === "object" && cause;
    depth++
  ) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      reason = code;
      break;
    }
    if (typeof message === "string" && message) reason = message;
    cause = (cause as { cause?: unknown }).cause;
  }
  return reason;
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim().slice(0, 300) || undefined;
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["message", "error_description", "error"])
      if (typeof record[key] === "string") return record[key] as string;
  }
  return undefined;
}

function isScopeError(body: unknown, detail: string | undefined): boolean {
  const code =
    body && typeof body === "object"
      ? (body as Record<string, unknown>).errorCode
      : undefined;
  return (
    code === "insufficient_scope" || /insufficient scope/i.test(detail ?? "")
  );
}

/** "Insufficient scope, expected any of: create:actions" → "create:actions". */
export function scopeFromMessage(
  message: string | undefined,
): string | undefined {
  const match =
    /expected(?: any of)?:\s*([a-z_]+:[a-z_]+(?:\s*,\s*[a-z_]+:[a-z_]+)*)/i.exec(
      message ?? "",
    );
  return match ? match[1].split(/\s*,\s*/).join(" or ") : undefined;
}
