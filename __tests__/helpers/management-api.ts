/**
 * A loopback stand-in for the Auth0 Management API (and the tenant's /oauth/token endpoint),
 * for the provisioning tests: the real API cannot be reached from here. A node:http server on
 * 127.0.0.1, port 0, that implements only the endpoints `provision` uses, with in-memory state,
 * Auth0's pagination shapes (offset for resource servers, clients, actions and bindings;
 * checkpoint for connections), the Action build progression (pending → building → built, or
 * failed), 429 with Retry-After, 401/403 errors shaped like Auth0's, and a log of every
 * request for the tests to assert on.
 *
 * Roles and users stand in for Auth0's RBAC endpoints: GET/POST /roles (name_filter is a
 * case-insensitive substring match, so a caller must compare names itself), GET /users-by-email
 * (case-sensitive, as Auth0 documents it), and GET/POST /users/{id}/roles (assigning adds role
 * ids; an unknown role or user is a 404). The scopes each one asks for are those Auth0 lists for
 * the endpoint, any one of them sufficing, as for the bindings.
 *
 * `fetch` rewrites https://<domain>/ to this server, which is how the real SDK is pointed at
 * it (ManagementClient's `fetch` option).
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export const TENANT_DOMAIN = "acme-test.eu.auth0.com";
export const MANAGEMENT_TOKEN = "test-management-token-0123456789";
export const M2M_CLIENT_ID = "m2m-client-id";
export const M2M_CLIENT_SECRET = "m2m-client-secret-0123456789";

export const ALL_SCOPES = [
  "read:resource_servers",
  "create:resource_servers",
  "read:clients",
  "create:clients",
  "update:clients",
  "read:actions",
  "create:actions",
  "update:actions",
  "read:triggers",
  "update:triggers",
  "read:connections",
  "create:connections",
  "update:connections",
  "read:mfa_policies",
  "update:mfa_policies",
  "read:guardian_factors",
  "update:guardian_factors",
  "read:roles",
  "create:roles",
  "read:users",
  "create:role_members",
];

export type BuildStatus =
  "pending" | "building" | "packaged" | "built" | "retrying" | "failed";

export interface FakeResourceServer {
  id: string;
  name: string;
  identifier: string;
  signing_alg?: string;
  [key: string]: unknown;
}

export interface FakeClient {
  client_id: string;
  name: string;
  app_type?: string;
  client_secret?: string;
  callbacks?: string[];
  allowed_logout_urls?: string[];
  web_origins?: string[];
  token_endpoint_auth_method?: string;
  [key: string]: unknown;
}

export interface FakeAction {
  id: string;
  name: string;
  code: string;
  runtime: string;
  supported_triggers: { id: string; version: string }[];
  status: BuildStatus;
  all_changes_deployed: boolean;
  deployed_version?: {
    id: string;
    code: string;
    runtime: string;
    number: number;
    deployed: true;
    status: "built";
  };
  /** Statuses the next GETs of this action report, in order (then the last one stays). */
  upcoming: BuildStatus[];
  errors?: { id: string; msg: string }[];
}

export interface FakeBinding {
  id: string;
  display_name: string;
  actionId: string;
}

export interface FakeConnection {
  id: string;
  name: string;
  strategy: string;
  options?: unknown;
  clients: string[];
}

export interface FakeRole {
  id: string;
  name: string;
  description?: string;
  /** "tenant" unless an organization owns the role. */
  type?: "tenant" | "organization";
}

export interface FakeUser {
  user_id: string;
  email: string;
  email_verified: boolean;
  /** Ids of the roles assigned to the user. */
  roles: string[];
}

export interface TenantState {
  resourceServers: FakeResourceServer[];
  clients: FakeClient[];
  actions: FakeAction[];
  /** post-login bindings, in execution order. */
  bindings: FakeBinding[];
  triggers: {
    id: string;
    version: string;
    status: string;
    runtimes: string[];
    default_runtime: string;
  }[];
  connections: FakeConnection[];
  guardian: {
    policies: string[];
    factors: { name: string; enabled: boolean }[];
  };
  roles: FakeRole[];
  users: FakeUser[];
}

export interface RateLimitRule {
  method?: string;
  /** Matched against the path without the query string. */
  path: RegExp;
  /** How many matching requests get a 429 before they pass. */
  times: number;
  /** Retry-After header value; omitted when undefined. */
  retryAfter?: string;
}

export interface ManagementApiOptions {
  /** Bearer tokens the API accepts, with their scopes. Default: MANAGEMENT_TOKEN with ALL_SCOPES. */
  tokens?: Record<string, string[]>;
  /** Scopes of tokens issued to the M2M client at /oauth/token. Default: ALL_SCOPES. */
  m2mScopes?: string[];
  /** Statuses a new or changed Action goes through. Default: pending, building, built. */
  build?: BuildStatus[];
  rateLimits?: RateLimitRule[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  authorization?: string;
  status: number;
}

export interface ManagementApi {
  url: string;
  domain: string;
  state: TenantState;
  requests: LoggedRequest[];
  /** Requests that change something in the tenant (not GET, not /oauth/token). */
  writes(): LoggedRequest[];
  /** ManagementClient `fetch` that sends https://<domain>/... here. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export function emptyTenant(): TenantState {
  return {
    resourceServers: [
      {
        id: "rs-management",
        name: "Auth0 Management API",
        identifier: `https://${TENANT_DOMAIN}/api/v2/`,
        signing_alg: "RS256",
        is_system: true,
      },
    ],
    clients: [],
    actions: [],
    bindings: [],
    triggers: [
      {
        id: "post-login",
        version: "v1",
        status: "DEPRECATED",
        runtimes: ["node12"],
        default_runtime: "node12",
      },
      {
        id: "post-login",
        version: "v3",
        status: "CURRENT",
        runtimes: ["node18-actions", "node22"],
        default_runtime: "node22",
      },
      {
        id: "credentials-exchange",
        version: "v2",
        status: "CURRENT",
        runtimes: ["node22"],
        default_runtime: "node22",
      },
    ],
    connections: [
      {
        id: "con_database",
        name: "Username-Password-Authentication",
        strategy: "auth0",
        clients: [],
      },
    ],
    guardian: {
      policies: [],
      factors: [
        "sms",
        "push-notification",
        "email",
        "duo",
        "otp",
        "webauthn-roaming",
        "webauthn-platform",
        "recovery-code",
      ].map((name) => ({ name, enabled: false })),
    },
    roles: [],
    users: [],
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(status));
  }
}

const auth0Error = (
  status: number,
  error: string,
  message: string,
  errorCode?: string,
) =>
  new HttpError(status, {
    statusCode: status,
    error,
    message,
    ...(errorCode ? { errorCode } : {}),
  });

export async function startManagementApi(
  state: TenantState = emptyTenant(),
  options: ManagementApiOptions = {},
): Promise<ManagementApi> {
  const tokens = new Map<string, string[]>(
    Object.entries(options.tokens ?? { [MANAGEMENT_TOKEN]: ALL_SCOPES }),
  );
  const build = options.build ?? ["pending", "building", "built"];
  const rateLimits = (options.rateLimits ?? []).map((rule) => ({
    ...rule,
    left: rule.times,
  }));
  const requests: LoggedRequest[] = [];

  const startBuild = (action: FakeAction) => {
    action.status = build[0];
    action.upcoming = build.slice(1);
    action.all_changes_deployed = false;
  };
  const actionView = (action: FakeAction) => ({
    id: action.id,
    name: action.name,
    code: action.code,
    runtime: action.runtime,
    supported_triggers: action.supported_triggers,
    status: action.status,
    all_changes_deployed: action.all_changes_deployed,
    ...(action.deployed_version
      ? { deployed_version: action.deployed_version }
      : {}),
    ...(action.errors ? { errors: action.errors } : {}),
  });

  const handle = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    authorization: string | undefined,
  ): { status: number; body: unknown; headers?: Record<string, string> } => {
    for (const rule of rateLimits)
      if (
        rule.left > 0 &&
        rule.path.test(path) &&
        (!rule.method || rule.method === method)
      ) {
        rule.left--;
        throw new HttpError(
          429,
          {
            statusCode: 429,
            error: "Too Many Requests",
            message: "Global limit has been reached",
            errorCode: "too_many_requests",
          },
          rule.retryAfter === undefined
            ? {}
            : { "retry-after": rule.retryAfter },
        );
      }

    if (method === "POST" && path === "/oauth/token") {
      const form = new URLSearchParams(String(body ?? ""));
      if (
        form.get("grant_type") !== "client_credentials" ||
        form.get("client_id") !== M2M_CLIENT_ID ||
        form.get("client_secret") !== M2M_CLIENT_SECRET
      )
        throw new HttpError(401, {
          error: "access_denied",
          error_description: "Unauthorized",
        });
      if (form.get("audience") !== `https://${TENANT_DOMAIN}/api/v2/`)
        throw new HttpError(403, {
          error: "access_denied",
          error_description: `Service not enabled within domain: ${form.get("audience")}`,
        });
      const token = `m2m-${randomUUID()}`;
      tokens.set(token, options.m2mScopes ?? ALL_SCOPES);
      return {
        status: 200,
        body: {
          access_token: token,
          token_type: "Bearer",
          expires_in: 86400,
          scope: (options.m2mScopes ?? ALL_SCOPES).join(" "),
        },
      };
    }

    if (!path.startsWith("/api/v2/"))
      throw auth0Error(404, "Not Found", `no route ${method} ${path}`);
    const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const scopes = token ? tokens.get(token) : undefined;
    if (!scopes)
      throw auth0Error(401, "Unauthorized", "Invalid token", "invalid_token");
    const need = (...anyOf: string[]) => {
      if (!anyOf.some((s) => scopes.includes(s)))
        throw auth0Error(
          403,
          "Forbidden",
          `Insufficient scope, expected any of: ${anyOf.join(",")}`,
          "insufficient_scope",
        );
    };
    const route = path.slice("/api/v2".length);
    const input = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;

    // Resource servers
    if (method === "GET" && route === "/resource-servers") {
      need("read:resource_servers");
      return {
        status: 200,
        body: offsetPage(
          state.resourceServers,
          query,
          "resource_servers",
          "totals",
        ),
      };
    }
    if (method === "POST" && route === "/resource-servers") {
      need("create:resource_servers");
      if (state.resourceServers.some((r) => r.identifier === input.identifier))
        throw auth0Error(
          409,
          "Conflict",
          "A resource server with the same identifier already exists",
          "inexistent_resource_server",
        );
      const created: FakeResourceServer = {
        id: `rs_${randomUUID().slice(0, 8)}`,
        ...(input as { name: string; identifier: string }),
        signing_alg: (input.signing_alg as string) ?? "RS256",
      };
      state.resourceServers.push(created);
      return { status: 201, body: created };
    }

    // Clients
    if (method === "GET" && route === "/clients") {
      need("read:clients");
      const fields = query.get("fields")?.split(",");
      const include = query.get("include_fields") !== "false";
      const project = (client: FakeClient) =>
        fields
          ? Object.fromEntries(
              Object.entries(client).filter(
                ([key]) => fields.includes(key) === include,
              ),
            )
          : client;
      return {
        status: 200,
        body: offsetPage(
          state.clients.map(project),
          query,
          "clients",
          "totals",
        ),
      };
    }
    if (method === "POST" && route === "/clients") {
      need("create:clients");
      const created: FakeClient = {
        client_id: `spa_${randomUUID().replace(/-/g, "").slice(0, 24)}`,
        ...(input as { name: string }),
      };
      state.clients.push(created);
      return { status: 201, body: created };
    }
    if (method === "PATCH" && (m = /^\/clients\/([^/]+)$/.exec(route))) {
      need("update:clients");
      const client = state.clients.find(
        (c) => c.client_id === decodeURIComponent(m![1]),
      );
      if (!client)
        throw auth0Error(
          404,
          "Not Found",
          "The client does not exist",
          "inexistent_client",
        );
      Object.assign(client, input);
      return { status: 200, body: client };
    }

    // Actions
    if (method === "GET" && route === "/actions/triggers") {
      need("read:actions");
      return { status: 200, body: { triggers: state.triggers } };
    }
    if (method === "GET" && route === "/actions/actions") {
      need("read:actions");
      const name = query.get("actionName");
      const trigger = query.get("triggerId");
      const matching = state.actions.filter(
        (a) =>
          (!name || a.name === name) &&
          (!trigger || a.supported_triggers.some((t) => t.id === trigger)),
      );
      return {
        status: 200,
        body: offsetPage(matching.map(actionView), query, "actions", "paged"),
      };
    }
    if (method === "POST" && route === "/actions/actions") {
      need("create:actions");
      if (state.actions.some((a) => a.name === input.name))
        throw auth0Error(
          409,
          "Conflict",
          `An action with the name '${String(input.name)}' already exists`,
        );
      const action: FakeAction = {
        id: randomUUID(),
        name: input.name as string,
        code: input.code as string,
        runtime: input.runtime as string,
        supported_triggers:
          input.supported_triggers as FakeAction["supported_triggers"],
        status: "pending",
        all_changes_deployed: false,
        upcoming: [],
      };
      startBuild(action);
      state.actions.push(action);
      return { status: 201, body: actionView(action) };
    }
    if ((m = /^\/actions\/actions\/([^/]+)(\/deploy)?$/.exec(route))) {
      const action = state.actions.find(
        (a) => a.id === decodeURIComponent(m![1]),
      );
      if (method === "GET" && !m[2]) {
        need("read:actions");
        if (!action) throw auth0Error(404, "Not Found", "action not found");
        const view = actionView(action);
        if (action.upcoming.length > 0)
          action.status = action.upcoming.shift()!;
        return { status: 200, body: view };
      }
      if (method === "PATCH" && !m[2]) {
        need("update:actions");
        if (!action) throw auth0Error(404, "Not Found", "action not found");
        if (typeof input.code === "string") action.code = input.code;
        if (typeof input.runtime === "string") action.runtime = input.runtime;
        startBuild(action);
        return { status: 200, body: actionView(action) };
      }
      if (method === "POST" && m[2]) {
        need("update:actions");
        if (!action) throw auth0Error(404, "Not Found", "action not found");
        if (action.status !== "built")
          throw auth0Error(
            400,
            "Bad Request",
            "A draft must be in the 'built' state before it can be deployed.",
          );
        action.deployed_version = {
          id: randomUUID(),
          code: action.code,
          runtime: action.runtime,
          number: (action.deployed_version?.number ?? 0) + 1,
          deployed: true,
          status: "built",
        };
        action.all_changes_deployed = true;
        return {
          status: 200,
          body: { ...action.deployed_version, action_id: action.id },
        };
      }
    }
    if ((m = /^\/actions\/triggers\/([^/]+)\/bindings$/.exec(route))) {
      if (m[1] !== "post-login")
        throw auth0Error(
          400,
          "Bad Request",
          "only post-login is implemented here",
        );
      const view = (b: FakeBinding) => {
        const action = state.actions.find((a) => a.id === b.actionId);
        return {
          id: b.id,
          trigger_id: "post-login",
          display_name: b.display_name,
          action: action ? actionView(action) : { id: b.actionId },
        };
      };
      if (method === "GET") {
        need("read:actions", "read:triggers");
        return {
          status: 200,
          body: offsetPage(
            state.bindings.map(view),
            query,
            "bindings",
            "paged",
          ),
        };
      }
      if (method === "PATCH") {
        need("update:actions", "update:triggers");
        const next: FakeBinding[] = [];
        for (const entry of (input.bindings ?? []) as {
          ref: { type: string; value: string };
          display_name?: string;
        }[]) {
          if (entry.ref.type === "binding_id") {
            const existing = state.bindings.find(
              (b) => b.id === entry.ref.value,
            );
            if (!existing)
              throw auth0Error(
                400,
                "Bad Request",
                `binding ${entry.ref.value} not found`,
              );
            next.push({
              ...existing,
              display_name: entry.display_name ?? existing.display_name,
            });
          } else {
            const action = state.actions.find((a) =>
              entry.ref.type === "action_id"
                ? a.id === entry.ref.value
                : a.name === entry.ref.value,
            );
            if (!action)
              throw auth0Error(
                400,
                "Bad Request",
                `action ${entry.ref.value} not found`,
              );
            if (!action.deployed_version)
              throw auth0Error(
                400,
                "Bad Request",
                `action ${action.name} must be deployed before it can be bound`,
              );
            next.push({
              id: randomUUID(),
              display_name: entry.display_name ?? action.name,
              actionId: action.id,
            });
          }
        }
        state.bindings = next;
        return { status: 200, body: { bindings: next.map(view) } };
      }
    }

    // Connections
    if (method === "GET" && route === "/connections") {
      need("read:connections");
      const name = query.get("name");
      const strategies = query.getAll("strategy");
      const matching = state.connections
        .filter(
          (c) =>
            (!name || c.name === name) &&
            (strategies.length === 0 || strategies.includes(c.strategy)),
        )
        .map(({ clients: _clients, ...c }) => c);
      return {
        status: 200,
        body: checkpointPage(matching, query, "connections"),
      };
    }
    if (method === "POST" && route === "/connections") {
      need("create:connections");
      if (state.connections.some((c) => c.name === input.name))
        throw auth0Error(
          409,
          "Conflict",
          "A connection with the same name already exists",
        );
      const created: FakeConnection = {
        id: `con_${randomUUID().slice(0, 8)}`,
        name: input.name as string,
        strategy: input.strategy as string,
        options: input.options,
        clients: [],
      };
      state.connections.push(created);
      const { clients: _clients, ...view } = created;
      return { status: 201, body: view };
    }
    if ((m = /^\/connections\/([^/]+)\/clients$/.exec(route))) {
      const connection = state.connections.find(
        (c) => c.id === decodeURIComponent(m![1]),
      );
      if (!connection)
        throw auth0Error(404, "Not Found", "connection not found");
      if (method === "GET") {
        need("read:connections");
        return {
          status: 200,
          body: checkpointPage(
            connection.clients.map((client_id) => ({ client_id })),
            query,
            "clients",
          ),
        };
      }
      if (method === "PATCH") {
        need("update:connections");
        for (const { client_id, status } of body as {
          client_id: string;
          status: boolean;
        }[]) {
          connection.clients = connection.clients.filter(
            (c) => c !== client_id,
          );
          if (status) connection.clients.push(client_id);
        }
        return { status: 204, body: undefined };
      }
    }

    // Guardian
    if (route === "/guardian/policies") {
      if (method === "GET") {
        need("read:mfa_policies");
        return { status: 200, body: state.guardian.policies };
      }
      if (method === "PUT") {
        need("update:mfa_policies");
        state.guardian.policies = body as string[];
        return { status: 200, body: state.guardian.policies };
      }
    }
    if (method === "GET" && route === "/guardian/factors") {
      need("read:guardian_factors");
      return { status: 200, body: state.guardian.factors };
    }
    if (
      method === "PUT" &&
      (m = /^\/guardian\/factors\/([^/]+)$/.exec(route))
    ) {
      need("update:guardian_factors");
      const factor = state.guardian.factors.find((f) => f.name === m![1]);
      if (!factor) throw auth0Error(404, "Not Found", "factor not found");
      factor.enabled = Boolean(input.enabled);
      return { status: 200, body: { enabled: factor.enabled } };
    }

    // Roles (RBAC)
    if (method === "GET" && route === "/roles") {
      need("read:roles");
      const filter = query.get("name_filter")?.toLowerCase();
      const matching = state.roles.filter(
        (r) => !filter || r.name.toLowerCase().includes(filter),
      );
      return {
        status: 200,
        body: offsetPage(matching, query, "roles", "totals"),
      };
    }
    if (method === "POST" && route === "/roles") {
      need("create:roles");
      if (typeof input.name !== "string" || input.name === "")
        throw auth0Error(400, "Bad Request", "name is required");
      if (state.roles.some((r) => r.name === input.name))
        throw auth0Error(409, "Conflict", "Role already exists");
      const created: FakeRole = {
        id: `rol_${randomUUID().replace(/-/g, "").slice(0, 16)}`,
        name: input.name,
        ...(typeof input.description === "string"
          ? { description: input.description }
          : {}),
        type: "tenant",
      };
      state.roles.push(created);
      return { status: 200, body: created };
    }

    // Users
    if (method === "GET" && route === "/users-by-email") {
      need("read:users");
      const email = query.get("email");
      if (!email) throw auth0Error(400, "Bad Request", "email is required");
      return {
        status: 200,
        body: state.users
          .filter((u) => u.email === email)
          .map((u) => ({
            user_id: u.user_id,
            email: u.email,
            email_verified: u.email_verified,
          })),
      };
    }
    if ((m = /^\/users\/([^/]+)\/roles$/.exec(route))) {
      const user = state.users.find(
        (u) => u.user_id === decodeURIComponent(m![1]),
      );
      if (method === "GET") {
        need("read:users", "read:roles", "read:role_members");
        if (!user)
          throw auth0Error(404, "Not Found", "The user does not exist.");
        return {
          status: 200,
          body: offsetPage(
            user.roles.map((id) => state.roles.find((r) => r.id === id)!),
            query,
            "roles",
            "totals",
          ),
        };
      }
      if (method === "POST") {
        need("update:users", "create:role_members");
        if (!user)
          throw auth0Error(404, "Not Found", "The user does not exist.");
        const ids = (input.roles ?? []) as string[];
        if (!Array.isArray(ids) || ids.length === 0)
          throw auth0Error(400, "Bad Request", "roles must not be empty");
        for (const id of ids) {
          if (!state.roles.some((r) => r.id === id))
            throw auth0Error(404, "Not Found", `Role ${id} does not exist.`);
          if (!user.roles.includes(id)) user.roles.push(id);
        }
        return { status: 204, body: undefined };
      }
    }

    throw auth0Error(
      404,
      "Not Found",
      `the stand-in does not implement ${method} ${path}`,
    );
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text || undefined;
      if (text && /json/.test(req.headers["content-type"] ?? ""))
        body = JSON.parse(text);
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const all = url.searchParams.getAll(key);
        query[key] = all.length === 1 ? all[0] : all;
      }
      const entry: LoggedRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query,
        body,
        authorization: req.headers.authorization,
        status: 0,
      };
      requests.push(entry);
      let result: {
        status: number;
        body: unknown;
        headers?: Record<string, string>;
      };
      try {
        result = handle(
          entry.method,
          url.pathname,
          url.searchParams,
          body,
          req.headers.authorization,
        );
      } catch (error) {
        if (!(error instanceof HttpError)) {
          result = {
            status: 500,
            body: {
              statusCode: 500,
              error: "Internal Server Error",
              message: String(error),
            },
          };
        } else
          result = {
            status: error.status,
            body: error.body,
            headers: error.headers,
          };
      }
      entry.status = result.status;
      res.writeHead(result.status, {
        ...(result.body === undefined
          ? {}
          : { "content-type": "application/json" }),
        ...result.headers,
      });
      res.end(
        result.body === undefined ? undefined : JSON.stringify(result.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const rewrite = (target: string) => {
    const origin = `https://${TENANT_DOMAIN}`;
    if (!target.startsWith(origin + "/"))
      throw new Error(`the test fetch only reaches ${origin}, not ${target}`);
    return url + target.slice(origin.length);
  };
  const loopbackFetch: typeof fetch = (input, init) => {
    if (input instanceof Request)
      return fetch(new Request(rewrite(input.url), input), init);
    return fetch(rewrite(String(input)), init);
  };

  return {
    url,
    domain: TENANT_DOMAIN,
    state,
    requests,
    writes: () =>
      requests.filter(
        (r) => r.method !== "GET" && r.path.startsWith("/api/v2/"),
      ),
    fetch: loopbackFetch,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Offset pagination: page (from 0) and per_page; "totals" adds start/limit/length/total. */
function offsetPage<T>(
  items: T[],
  query: URLSearchParams,
  key: string,
  shape: "totals" | "paged",
): unknown {
  const page = Number(query.get("page") ?? 0);
  const perPage = Math.min(Number(query.get("per_page") ?? 50), 100);
  const slice = items.slice(page * perPage, (page + 1) * perPage);
  if (shape === "paged")
    return { total: items.length, page, per_page: perPage, [key]: slice };
  if (query.get("include_totals") !== "true") return slice;
  return {
    start: page * perPage,
    limit: perPage,
    length: slice.length,
    total: items.length,
    [key]: slice,
  };
}

/** Checkpoint pagination: take and from (an opaque cursor), and `next` while more remain. */
function checkpointPage<T>(
  items: T[],
  query: URLSearchParams,
  key: string,
): unknown {
  const take = Math.min(Number(query.get("take") ?? 50), 100);
  const from = Number(query.get("from") ?? 0);
  const slice = items.slice(from, from + take);
  return {
    [key]: slice,
    ...(from + take < items.length ? { next: String(from + take) } : {}),
  };
}

/** `n` resource servers, clients and actions that are not ours, to push ours to page 2. */
export function addCrowd(state: TenantState, n: number): void {
  for (let i = 0; i < n; i++) {
    state.resourceServers.push({
      id: `rs_crowd_${i}`,
      name: `Other API ${i}`,
      identifier: `https://other-${i}.example`,
      signing_alg: "RS256",
    });
    state.clients.push({
      client_id: `crowd_${i}`,
      name: `Other app ${i}`,
      app_type: "regular_web",
      client_secret: `crowd-secret-${i}`,
    });
    state.actions.push({
      id: `crowd-action-${i}`,
      name: `Other action ${i}`,
      code: "exports.onExecutePostLogin = async () => {};",
      runtime: "node22",
      supported_triggers: [{ id: "post-login", version: "v3" }],
      status: "built",
      all_changes_deployed: true,
      upcoming: [],
    });
  }
}
