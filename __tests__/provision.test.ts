/**
 * `provision` against the Auth0 Management API, with the real `auth0` SDK.
 *
 * The Management API itself cannot be reached from here (no network, no tenant), so a loopback
 * HTTP server (helpers/management-api.ts) stands in for it: it implements only the endpoints
 * provision uses, with Auth0's response shapes, pagination, build states and errors, and the
 * SDK is pointed at it through its `fetch` option. The tests assert on its request log.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveAuth0 } from "../src/config/resolve";
import { parseConfig } from "./helpers/config";
import { RULE_IDS } from "../src/plan/rules";
import type { Clock } from "../src/provision/management";
import { provision, type ProvisionOptions } from "../src/provision/provision";
import { ProvisionError, summary, toJson } from "../src/provision/report";
import {
  addCrowd,
  ALL_SCOPES,
  emptyTenant,
  M2M_CLIENT_ID,
  M2M_CLIENT_SECRET,
  MANAGEMENT_TOKEN,
  startManagementApi,
  TENANT_DOMAIN,
  type ManagementApi,
  type ManagementApiOptions,
  type FakeUser,
  type TenantState,
} from "./helpers/management-api";
import { copyTree, tempDir } from "./helpers/files";

const AUDIENCE = "https://api.acme.example";
const ACTION_NAME = "Add email claims to access token";

const CONFIG = {
  $schema:
    "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
  auth0: { domain: TENANT_DOMAIN, clientId: "REPLACE_ME", audience: AUDIENCE },
  user: { entity: "User" },
};

/** A clock whose sleeps return at once and advance time; it records every wait. */
function fakeClock(): Clock & { waits: number[] } {
  let now = 1_700_000_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

const servers: ManagementApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tenant(
  state: TenantState = emptyTenant(),
  options: ManagementApiOptions = {},
): Promise<ManagementApi> {
  const api = await startManagementApi(state, options);
  servers.push(api);
  return api;
}

function repo(config: object = CONFIG): { dir: string; file: string } {
  const dir = tempDir("aa0-provision-");
  const file = path.join(dir, "auth0.config.json");
  fs.writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
  return { dir, file };
}

function run(
  api: ManagementApi,
  dir: string,
  options: Partial<ProvisionOptions> = {},
) {
  return provision({
    root: dir,
    ruleIds: RULE_IDS,
    env: { AUTH0_MANAGEMENT_TOKEN: MANAGEMENT_TOKEN },
    fetch: api.fetch,
    clock: fakeClock(),
    ...options,
  });
}

const call = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

async function failure(promise: Promise<unknown>): Promise<ProvisionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProvisionError);
    return error as ProvisionError;
  }
  throw new Error("expected provisioning to fail");
}

describe("provision", () => {
  it("empty tenant: creates the API, the SPA, the Action (deployed once built) and its binding, and writes the client id", async () => {
    const api = await tenant();
    const { dir, file } = repo();
    const result = await run(api, dir);

    expect(api.writes().map(call)).toEqual([
      "POST /api/v2/resource-servers",
      "POST /api/v2/clients",
      "POST /api/v2/actions/actions",
      expect.stringMatching(
        /^POST \/api\/v2\/actions\/actions\/[^/]+\/deploy$/,
      ),
      "PATCH /api/v2/actions/triggers/post-login/bindings",
    ]);

    // 1. API: identifier = audience, RS256, the configured name.
    const createdApi = api.state.resourceServers.find(
      (r) => r.identifier === AUDIENCE,
    );
    expect(createdApi).toMatchObject({
      name: "Amplication API",
      signing_alg: "RS256",
    });

    // 2. SPA with the config's URLs, no client authentication.
    const spa = api.state.clients.find((c) => c.name === "Amplication Admin");
    expect(spa).toMatchObject({
      app_type: "spa",
      callbacks: ["http://localhost:3001/auth-callback"],
      allowed_logout_urls: ["http://localhost:3001/login"],
      web_origins: ["http://localhost:3001"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code"],
    });

    // 3. Action on the current post-login version and the newest Node runtime.
    const [action] = api.state.actions;
    expect(action).toMatchObject({
      name: ACTION_NAME,
      runtime: "node22",
      supported_triggers: [{ id: "post-login", version: "v3" }],
      all_changes_deployed: true,
    });
    const claims = resolveAuth0(
      parseConfig(
        JSON.stringify({
          ...CONFIG,
          auth0: { ...CONFIG.auth0, clientId: "x" },
        }),
      ),
    );
    const setClaims = [
      ...action.code.matchAll(/setCustomClaim\(("[^"]+")/g),
    ].map((m) => JSON.parse(m[1]));
    expect(setClaims).toEqual([claims.emailClaim, claims.emailVerifiedClaim]);
    expect(setClaims).toEqual([
      `${AUDIENCE}/email`,
      `${AUDIENCE}/email_verified`,
    ]);

    // Deployed only after `built`: the GETs of the action saw pending, building, then built.
    const actionCalls = api.requests.filter((r) =>
      r.path.startsWith(`/api/v2/actions/actions/${action.id}`),
    );
    expect(actionCalls.map((r) => r.method)).toEqual([
      "GET",
      "GET",
      "GET",
      "POST",
    ]);

    // 4. Bound.
    expect(api.state.bindings.map((b) => b.actionId)).toEqual([action.id]);

    // Config: the client id of the new application, other content as it was.
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written).toEqual({
      ...CONFIG,
      auth0: { ...CONFIG.auth0, clientId: spa!.client_id },
    });
    expect(result.configChanges).toEqual([
      { path: "auth0.clientId", from: "REPLACE_ME", to: spa!.client_id },
    ]);
    expect(result.steps.map((s) => [s.kind, s.change, s.done])).toEqual([
      ["api", "create", true],
      ["application", "create", true],
      ["action", "create", true],
      ["binding", "create", true],
    ]);
    const text = summary(result, false);
    expect(text).toContain("created:");
    expect(text).toContain(
      `auth0.clientId = "${spa!.client_id}" (was "REPLACE_ME")`,
    );
    expect(text).not.toContain(MANAGEMENT_TOKEN);
    // Every request carried the token from the environment, and only that.
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(
      new Set([`Bearer ${MANAGEMENT_TOKEN}`]),
    );
  });

  it("all already present: a second run reads only, changes nothing and leaves the config byte for byte", async () => {
    const api = await tenant();
    const { dir, file } = repo();
    await run(api, dir);
    const before = fs.readFileSync(file, "utf8");
    const requestsBefore = api.requests.length;

    const result = await run(api, dir);
    const second = api.requests.slice(requestsBefore);
    expect(second.every((r) => r.method === "GET")).toBe(true);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(result.steps.every((s) => s.change === "keep")).toBe(true);
    expect(result.configChanges).toEqual([]);
    expect(summary(result, false)).toContain("already in place:");
  });

  it("keeps other Actions bound, in their order, and appends ours after them", async () => {
    const state = emptyTenant();
    for (const name of ["Geo block", "Risk score"])
      state.actions.push({
        id: `foreign-${name}`,
        name,
        code: "exports.onExecutePostLogin = async () => {};",
        runtime: "node22",
        supported_triggers: [{ id: "post-login", version: "v3" }],
        status: "built",
        all_changes_deployed: true,
        deployed_version: {
          id: `v-${name}`,
          code: "",
          runtime: "node22",
          number: 1,
          deployed: true,
          status: "built",
        },
        upcoming: [],
      });
    state.bindings = [
      {
        id: "binding-geo",
        display_name: "Geo block",
        actionId: "foreign-Geo block",
      },
      {
        id: "binding-risk",
        display_name: "Risk score",
        actionId: "foreign-Risk score",
      },
    ];
    const api = await tenant(state);
    const { dir } = repo();
    const result = await run(api, dir);

    const patch = api
      .writes()
      .find((r) => r.method === "PATCH" && r.path.endsWith("/bindings"));
    const ours = api.state.actions.find((a) => a.name === ACTION_NAME)!;
    expect(patch?.body).toEqual({
      bindings: [
        {
          ref: { type: "binding_id", value: "binding-geo" },
          display_name: "Geo block",
        },
        {
          ref: { type: "binding_id", value: "binding-risk" },
          display_name: "Risk score",
        },
        {
          ref: { type: "action_id", value: ours.id },
          display_name: ACTION_NAME,
        },
      ],
    });
    expect(api.state.bindings.map((b) => b.id).slice(0, 2)).toEqual([
      "binding-geo",
      "binding-risk",
    ]);
    expect(api.state.bindings.map((b) => b.actionId)).toEqual([
      "foreign-Geo block",
      "foreign-Risk score",
      ours.id,
    ]);
    expect(
      result.steps.find((s) => s.kind === "binding")?.details.join(),
    ).toContain("after the 2 bound Actions");
  });

  it("finds what exists on a second page of results and creates no duplicate", async () => {
    const api = await tenant();
    const { dir } = repo();
    await run(api, dir);
    // Push our API, application and binding past the first page of 50.
    const state = api.state;
    const oursApi = state.resourceServers.splice(
      state.resourceServers.findIndex((r) => r.identifier === AUDIENCE),
      1,
    );
    const oursApp = state.clients.splice(0, 1);
    addCrowd(state, 55);
    state.resourceServers.push(...oursApi);
    state.clients.push(...oursApp);
    const ourBinding = state.bindings.splice(0, 1);
    for (let i = 0; i < 55; i++)
      state.bindings.push({
        id: `crowd-binding-${i}`,
        display_name: `Other action ${i}`,
        actionId: `crowd-action-${i}`,
      });
    state.bindings.push(...ourBinding);
    const before = api.requests.length;

    const result = await run(api, dir);
    const second = api.requests.slice(before);
    expect(second.filter((r) => r.method !== "GET")).toEqual([]);
    for (const list of [
      "/api/v2/resource-servers",
      "/api/v2/clients",
      "/api/v2/actions/triggers/post-login/bindings",
    ])
      expect(
        second.filter((r) => r.path === list).map((r) => r.query.page),
      ).toEqual(["0", "1"]);
    expect(
      second.find((r) => r.path === "/api/v2/clients")?.query.per_page,
    ).toBe("50");
    expect(result.steps.every((s) => s.change === "keep")).toBe(true);
  });

  it("never asks for client secrets when it lists applications", async () => {
    const state = emptyTenant();
    addCrowd(state, 3);
    const api = await tenant(state);
    const { dir } = repo();
    const result = await run(api, dir, { dryRun: true });
    const list = api.requests.find((r) => r.path === "/api/v2/clients")!;
    expect(list.query.include_fields).toBe("true");
    expect(String(list.query.fields).split(",")).not.toContain("client_secret");
    expect(JSON.stringify(result)).not.toMatch(/crowd-secret/);
  });

  it("waits for the build to reach built before deploying (pending → building → packaged → built)", async () => {
    const api = await tenant(emptyTenant(), {
      build: ["pending", "building", "packaged", "built"],
    });
    const { dir } = repo();
    const clock = fakeClock();
    await run(api, dir, { clock });
    const action = api.state.actions[0];
    const calls = api.requests
      .filter((r) => r.path.startsWith(`/api/v2/actions/actions/${action.id}`))
      .map(call);
    expect(calls).toEqual([
      ...Array(4).fill(`GET /api/v2/actions/actions/${action.id}`),
      `POST /api/v2/actions/actions/${action.id}/deploy`,
    ]);
    // It waited between polls, with growing intervals.
    expect(clock.waits).toEqual([500, 1000, 2000]);
    expect(action.all_changes_deployed).toBe(true);
  });

  it("stops with a clear error when the build fails: nothing deployed or bound, config untouched", async () => {
    const api = await tenant(emptyTenant(), {
      build: ["pending", "building", "failed"],
    });
    const { dir, file } = repo();
    const before = fs.readFileSync(file, "utf8");
    const error = await failure(run(api, dir));
    expect(error.message).toContain(
      `Auth0 could not build the Action "${ACTION_NAME}" (status "failed"`,
    );
    expect(error.message).toContain("not deployed or bound");
    expect(api.writes().map(call)).not.toContainEqual(
      expect.stringMatching(/deploy$|bindings$/),
    );
    expect(api.state.bindings).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    // It says what it had created before it stopped.
    expect(error.steps.map((s) => [s.kind, s.change])).toEqual([
      ["api", "create"],
      ["application", "create"],
      ["action", "create"],
    ]);
    expect(error.steps[2].details).toEqual(["created, not deployed"]);
  });

  it("gives up waiting for the build after the time limit, without a hot loop", async () => {
    const api = await tenant(emptyTenant(), { build: ["pending", "building"] });
    const { dir } = repo();
    const clock = fakeClock();
    const error = await failure(
      run(api, dir, { clock, buildTimeoutMs: 20_000 }),
    );
    expect(error.message).toContain(`was still "building" after 20 s`);
    const polls = api.requests.filter((r) =>
      /^\/api\/v2\/actions\/actions\/[^/]+$/.test(r.path),
    );
    expect(polls.length).toBeLessThanOrEqual(10);
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(api.writes().map(call)).not.toContainEqual(
      expect.stringMatching(/deploy$/),
    );

    // A later run finds the Action and deploys it once built.
    api.state.actions[0].upcoming = ["built"];
    await run(api, dir);
    expect(api.state.actions).toHaveLength(1);
    expect(api.state.actions[0].all_changes_deployed).toBe(true);
    expect(api.state.bindings).toHaveLength(1);
  });

  it("HTTP 429: waits as Retry-After says, then succeeds", async () => {
    const api = await tenant(emptyTenant(), {
      rateLimits: [
        {
          method: "POST",
          path: /^\/api\/v2\/clients$/,
          times: 2,
          retryAfter: "3",
        },
        {
          method: "GET",
          path: /^\/api\/v2\/resource-servers$/,
          times: 1,
          retryAfter: "1",
        },
      ],
    });
    const { dir } = repo();
    const clock = fakeClock();
    const progress: string[] = [];
    await run(api, dir, { clock, onProgress: (line) => progress.push(line) });
    expect(
      api.requests
        .filter((r) => r.path === "/api/v2/clients" && r.method === "POST")
        .map((r) => r.status),
    ).toEqual([429, 429, 201]);
    expect(api.state.clients).toHaveLength(1);
    expect(clock.waits.slice(0, 3)).toEqual([1000, 3000, 3000]);
    expect(progress[0]).toMatch(/rate-limited .* waiting 1 s/);
  });

  it("HTTP 429 without end: stops after a bounded number of retries", async () => {
    const api = await tenant(emptyTenant(), {
      rateLimits: [
        { path: /^\/api\/v2\/resource-servers$/, times: 1000, retryAfter: "2" },
      ],
    });
    const { dir } = repo();
    const error = await failure(run(api, dir, { maxRateLimitRetries: 3 }));
    expect(error.message).toContain("kept answering HTTP 429");
    expect(
      api.requests.filter((r) => r.path === "/api/v2/resource-servers"),
    ).toHaveLength(4);
    expect(api.writes()).toEqual([]);
  });

  it("HTTP 429 asking for a longer wait than allowed: stops at once", async () => {
    const api = await tenant(emptyTenant(), {
      rateLimits: [
        { path: /^\/api\/v2\/resource-servers$/, times: 1, retryAfter: "3600" },
      ],
    });
    const { dir } = repo();
    const error = await failure(run(api, dir));
    expect(error.message).toContain("asks to wait 3600 s");
    expect(
      api.requests.filter((r) => r.path === "/api/v2/resource-servers"),
    ).toHaveLength(1);
  });

  it("HTTP 403 insufficient scope: the error names the missing scope and what needed it", async () => {
    const scopes = [
      "read:resource_servers",
      "create:resource_servers",
      "read:clients",
      "create:clients",
      "read:actions",
      "read:triggers",
    ];
    const api = await tenant(emptyTenant(), {
      tokens: { [MANAGEMENT_TOKEN]: scopes },
    });
    const { dir, file } = repo();
    const before = fs.readFileSync(file, "utf8");
    const error = await failure(run(api, dir));
    expect(error.message).toContain(
      `create the Action "${ACTION_NAME}": the Management API token lacks the scope create:actions`,
    );
    expect(error.message).not.toContain(MANAGEMENT_TOKEN);
    expect(error.steps.map((s) => s.kind)).toEqual(["api", "application"]);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("HTTP 401: says the token is rejected, without printing it", async () => {
    const api = await tenant();
    const { dir } = repo();
    const error = await failure(
      run(api, dir, {
        env: { AUTH0_MANAGEMENT_TOKEN: "expired-token-abcdef" },
      }),
    );
    expect(error.message).toContain(
      "list the APIs: the Management API rejected the credentials (HTTP 401",
    );
    expect(error.message).toContain("AUTH0_MANAGEMENT_TOKEN is expired");
    expect(error.message).not.toContain("expired-token-abcdef");
    expect(error.steps).toEqual([]);
  });

  it("an unreachable Management API: says which host and why", async () => {
    const api = await tenant();
    await api.close();
    servers.splice(servers.indexOf(api), 1);
    const { dir } = repo();
    const error = await failure(run(api, dir));
    expect(error.message).toContain(
      `list the APIs: could not reach https://${TENANT_DOMAIN} (ECONNREFUSED)`,
    );
    const m2m = await failure(
      run(api, dir, {
        env: {
          AUTH0_M2M_CLIENT_ID: M2M_CLIENT_ID,
          AUTH0_M2M_CLIENT_SECRET: M2M_CLIENT_SECRET,
        },
      }),
    );
    expect(m2m.message).toContain(
      `could not reach https://${TENANT_DOMAIN}/oauth/token to get a Management API token (ECONNREFUSED)`,
    );
    expect(m2m.message).not.toContain(M2M_CLIENT_SECRET);
  });

  it("dry run: prints the plan and sends no write request; the config stays as it is", async () => {
    const api = await tenant();
    const { dir, file } = repo();
    const before = fs.readFileSync(file, "utf8");
    const result = await run(api, dir, { dryRun: true });
    expect(api.requests.every((r) => r.method === "GET")).toBe(true);
    expect(api.requests.length).toBeGreaterThan(0);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(result.steps.map((s) => [s.kind, s.change, s.done])).toEqual([
      ["api", "create", false],
      ["application", "create", false],
      ["action", "create", false],
      ["binding", "create", false],
    ]);
    const text = summary(result, false);
    expect(text).toContain(
      "provision --dry-run on acme-test.eu.auth0.com: the plan (nothing was changed)",
    );
    expect(text).toMatch(
      /create +Action "Add email claims to access token": post-login v3, node22; deploy once built/,
    );
    expect(text).toContain(
      "auth0.clientId will be set to the client id of the new application",
    );
  });

  it("dry run on a provisioned tenant: keep everywhere", async () => {
    const api = await tenant();
    const { dir } = repo();
    await run(api, dir);
    const result = await run(api, dir, { dryRun: true });
    expect(result.steps.map((s) => s.change)).toEqual([
      "keep",
      "keep",
      "keep",
      "keep",
    ]);
    expect(summary(result, false)).toMatch(/keep +binding/);
  });

  it("M2M credentials: gets a token from the tenant's /oauth/token and never prints the secret", async () => {
    const api = await tenant();
    const { dir } = repo();
    const result = await run(api, dir, {
      env: {
        AUTH0_M2M_CLIENT_ID: M2M_CLIENT_ID,
        AUTH0_M2M_CLIENT_SECRET: M2M_CLIENT_SECRET,
      },
    });
    const tokenRequests = api.requests.filter((r) => r.path === "/oauth/token");
    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(String(tokenRequests[0].body));
    expect(form.get("client_id")).toBe(M2M_CLIENT_ID);
    expect(form.get("audience")).toBe(`https://${TENANT_DOMAIN}/api/v2/`);
    expect(
      api.requests
        .filter((r) => r.path.startsWith("/api/v2/"))
        .every((r) => r.authorization?.startsWith("Bearer m2m-")),
    ).toBe(true);
    expect(JSON.stringify(result) + summary(result, false)).not.toContain(
      M2M_CLIENT_SECRET,
    );
  });

  it("M2M credentials refused by the token endpoint: names the variables, not the secret", async () => {
    const api = await tenant();
    const { dir } = repo();
    const error = await failure(
      run(api, dir, {
        env: {
          AUTH0_M2M_CLIENT_ID: M2M_CLIENT_ID,
          AUTH0_M2M_CLIENT_SECRET: "wrong-secret-value",
        },
      }),
    );
    expect(error.message).toContain(
      "refused the Management API token request of AUTH0_M2M_CLIENT_ID (HTTP 401",
    );
    expect(error.message).not.toContain("wrong-secret-value");
  });

  describe("the application", () => {
    function withApp(
      app: Partial<TenantState["clients"][number]>,
    ): TenantState {
      const state = emptyTenant();
      state.clients.push({
        client_id: "existing-spa",
        name: "Amplication Admin",
        app_type: "spa",
        callbacks: ["https://admin.acme.example/auth-callback"],
        allowed_logout_urls: [],
        web_origins: ["https://admin.acme.example"],
        token_endpoint_auth_method: "none",
        ...app,
      });
      return state;
    }

    it("keeps the URLs of an existing application and warns, without --update-application", async () => {
      const api = await tenant(withApp({}));
      const { dir, file } = repo();
      const result = await run(api, dir);
      expect(
        api.writes().filter((r) => r.path.startsWith("/api/v2/clients")),
      ).toEqual([]);
      expect(result.warnings.join("\n")).toContain(
        "lacks callback http://localhost:3001/auth-callback",
      );
      expect(result.warnings.join("\n")).toContain("--update-application");
      expect(JSON.parse(fs.readFileSync(file, "utf8")).auth0.clientId).toBe(
        "existing-spa",
      );
    });

    it("adds the missing URLs with --update-application, keeping the others", async () => {
      const api = await tenant(withApp({}));
      const { dir } = repo();
      const result = await run(api, dir, { updateApplication: true });
      const patch = api
        .writes()
        .filter((r) => r.path === "/api/v2/clients/existing-spa");
      expect(patch.map((r) => r.body)).toEqual([
        {
          callbacks: [
            "https://admin.acme.example/auth-callback",
            "http://localhost:3001/auth-callback",
          ],
          allowed_logout_urls: ["http://localhost:3001/login"],
          web_origins: ["https://admin.acme.example", "http://localhost:3001"],
        },
      ]);
      expect(result.steps.find((s) => s.kind === "application")?.change).toBe(
        "update",
      );
      // Nothing to add on the next run.
      const before = api.writes().length;
      await run(api, dir, { updateApplication: true });
      expect(api.writes()).toHaveLength(before);
    });

    it("uses the application of a configured client id, and refuses an unknown one", async () => {
      const state = withApp({ name: "Renamed admin" });
      const api = await tenant(state);
      const { dir } = repo({
        ...CONFIG,
        auth0: { ...CONFIG.auth0, clientId: "existing-spa" },
      });
      await run(api, dir);
      expect(api.state.clients).toHaveLength(1);

      const other = repo({
        ...CONFIG,
        auth0: { ...CONFIG.auth0, clientId: "from-another-tenant" },
      });
      const error = await failure(run(api, other.dir));
      expect(error.message).toContain(
        `auth0.clientId "from-another-tenant" is not an application of ${TENANT_DOMAIN}`,
      );
    });

    it("refuses an application of the same name that is not a SPA, and ambiguous names", async () => {
      const api = await tenant(withApp({ app_type: "regular_web" }));
      const { dir } = repo();
      expect((await failure(run(api, dir))).message).toContain(
        'is of type "regular_web", not a single-page application',
      );
      expect(api.writes()).toEqual([]);

      const twice = withApp({});
      twice.clients.push({ ...twice.clients[0], client_id: "second-spa" });
      const api2 = await tenant(twice);
      expect((await failure(run(api2, dir))).message).toContain(
        '2 applications are named "Amplication Admin"',
      );
    });

    it("creates a SPA with rotating refresh tokens when admin.useRefreshTokens is on", async () => {
      const api = await tenant();
      const { dir } = repo({ ...CONFIG, admin: { useRefreshTokens: true } });
      await run(api, dir);
      expect(api.state.clients[0]).toMatchObject({
        grant_types: ["authorization_code", "refresh_token"],
        refresh_token: {
          rotation_type: "rotating",
          expiration_type: "expiring",
        },
      });
      expect(
        api.state.resourceServers.find((r) => r.identifier === AUDIENCE),
      ).toMatchObject({ allow_offline_access: true });
    });
  });

  describe("the Action", () => {
    it("keeps an existing Action with other code and warns; --update-action replaces its code and deploys it", async () => {
      const api = await tenant();
      const { dir } = repo();
      await run(api, dir);
      const action = api.state.actions[0];
      action.code =
        "exports.onExecutePostLogin = async (event, api) => { /* edited */ };";
      action.deployed_version!.code = action.code;
      const before = api.writes().length;

      const kept = await run(api, dir);
      expect(api.writes()).toHaveLength(before);
      expect(kept.warnings.join("\n")).toContain(
        "has other code than provision installs",
      );

      const updated = await run(api, dir, { updateAction: true });
      const writes = api.writes().slice(before).map(call);
      expect(writes).toEqual([
        `PATCH /api/v2/actions/actions/${action.id}`,
        `POST /api/v2/actions/actions/${action.id}/deploy`,
      ]);
      expect(action.code).toContain("setCustomClaim");
      expect(updated.steps.find((s) => s.kind === "action")?.change).toBe(
        "update",
      );
      // Still bound once.
      expect(api.state.bindings).toHaveLength(1);
    });

    it("refuses to bind an Action with other code that was never deployed", async () => {
      const state = emptyTenant();
      state.actions.push({
        id: "draft",
        name: ACTION_NAME,
        code: "exports.onExecutePostLogin = async () => {};",
        runtime: "node22",
        supported_triggers: [{ id: "post-login", version: "v3" }],
        status: "built",
        all_changes_deployed: false,
        upcoming: [],
      });
      const api = await tenant(state);
      const { dir } = repo();
      const error = await failure(run(api, dir));
      expect(error.message).toContain(
        "exists with other code and was never deployed",
      );
      expect(api.writes()).toEqual([]);
    });

    it("deploys an existing Action whose code is current but not deployed, then binds it", async () => {
      // An interrupted earlier run: the Action exists, never deployed or bound.
      const first = await tenant();
      const { dir: dir2 } = repo();
      await failure(run(first, dir2, { buildTimeoutMs: 0 }));
      first.state.actions[0].status = "built";
      first.state.actions[0].upcoming = [];
      const result = await run(first, dir2);
      expect(result.steps.find((s) => s.kind === "action")).toMatchObject({
        change: "update",
        details: [expect.stringContaining("deploy")],
      });
      expect(first.state.actions).toHaveLength(1);
      expect(first.state.bindings).toHaveLength(1);
    });
  });

  describe("optional extras", () => {
    const extras = {
      ...CONFIG,
      provision: {
        socialConnections: ["github", "google-oauth2"],
        requireMfa: true,
        passwordlessEmail: true,
      },
    };

    it("enables social connections (creating missing ones), passwordless email and MFA, idempotently", async () => {
      const state = emptyTenant();
      state.connections.push({
        id: "con_github",
        name: "github",
        strategy: "github",
        clients: ["someone-else"],
      });
      const api = await tenant(state);
      const { dir } = repo(extras);
      const result = await run(api, dir);
      const spa = api.state.clients[0].client_id;

      const github = api.state.connections.find((c) => c.name === "github")!;
      expect(github.clients).toEqual(["someone-else", spa]);
      const google = api.state.connections.find(
        (c) => c.name === "google-oauth2",
      )!;
      expect(google).toMatchObject({
        strategy: "google-oauth2",
        clients: [spa],
      });
      const email = api.state.connections.find((c) => c.strategy === "email")!;
      expect(email).toMatchObject({ name: "email", clients: [spa] });
      expect(email.options).toMatchObject({ brute_force_protection: true });
      expect(api.state.guardian.policies).toEqual(["all-applications"]);
      expect(
        api.state.guardian.factors.filter((f) => f.enabled).map((f) => f.name),
      ).toEqual(["otp"]);
      expect(result.warnings.join("\n")).toContain(
        `connection "google-oauth2" will use Auth0's development keys`,
      );
      expect(
        result.steps
          .filter((s) => s.kind === "connection")
          .map((s) => [s.name, s.change]),
      ).toEqual([
        ['"github"', "update"],
        ['"google-oauth2"', "create"],
        ['"email"', "create"],
      ]);

      const before = api.writes().length;
      const again = await run(api, dir);
      expect(api.writes()).toHaveLength(before);
      expect(again.steps.every((s) => s.change === "keep")).toBe(true);
    });

    it("keeps an MFA factor that is already enabled", async () => {
      const state = emptyTenant();
      state.guardian.factors.find(
        (f) => f.name === "webauthn-roaming",
      )!.enabled = true;
      const api = await tenant(state);
      const { dir } = repo({ ...CONFIG, provision: { requireMfa: true } });
      await run(api, dir);
      expect(
        api
          .writes()
          .filter((r) => r.path.startsWith("/api/v2/guardian"))
          .map(call),
      ).toEqual(["PUT /api/v2/guardian/policies"]);
    });

    it("refuses an unknown connection that does not exist, before changing anything", async () => {
      const api = await tenant();
      const { dir } = repo({
        ...CONFIG,
        provision: { socialConnections: ["corp-sso"] },
      });
      const error = await failure(run(api, dir));
      expect(error.message).toContain(
        'connection "corp-sso" (provision.socialConnections) does not exist',
      );
      expect(api.writes()).toEqual([]);
    });
  });

  describe("the config", () => {
    it("takes domain and audience from the flags when the file still has init's placeholders, and writes them", async () => {
      const api = await tenant();
      const { dir, file } = repo({
        ...CONFIG,
        auth0: {
          domain: "REPLACE_ME.eu.auth0.com",
          clientId: "REPLACE_ME",
          audience: "https://REPLACE_ME.example.com",
        },
      });
      await run(api, dir, { domain: TENANT_DOMAIN, audience: AUDIENCE });
      const written = JSON.parse(fs.readFileSync(file, "utf8"));
      expect(written.auth0).toEqual({
        domain: TENANT_DOMAIN,
        clientId: api.state.clients[0].client_id,
        audience: AUDIENCE,
      });
      expect(written.user).toEqual({ entity: "User" });
    });

    it("--management-domain: calls the tenant's own domain and keeps the custom domain in the config", async () => {
      const api = await tenant();
      const { dir, file } = repo({
        ...CONFIG,
        auth0: { ...CONFIG.auth0, domain: "login.acme.example" },
      });
      const result = await run(api, dir, { managementDomain: TENANT_DOMAIN });
      expect(result.tenant).toBe(TENANT_DOMAIN);
      expect(result.notes.join()).toContain(
        `Management API called on ${TENANT_DOMAIN}; login.acme.example is written to the config`,
      );
      expect(JSON.parse(fs.readFileSync(file, "utf8")).auth0.domain).toBe(
        "login.acme.example",
      );
    });

    it("reports placeholders in the domain with the flag that can replace them", async () => {
      const api = await tenant();
      const { dir } = repo({
        ...CONFIG,
        auth0: { ...CONFIG.auth0, domain: "REPLACE_ME.eu.auth0.com" },
      });
      await expect(run(api, dir)).rejects.toThrow(
        /auth0\.domain: still holds the placeholder .* or pass --domain <tenant host>/,
      );
      expect(api.requests).toEqual([]);
    });

    it("refuses the user-object claim style: provision sets up namespaced claims", async () => {
      const api = await tenant();
      const { dir } = repo({
        ...CONFIG,
        user: { claims: { style: "user-object" } },
      });
      await expect(run(api, dir)).rejects.toThrow(
        /user\.claims\.style: provision sets up the namespaced email claims/,
      );
      expect(api.requests).toEqual([]);
    });

    it("uses a configured claim namespace in the Action", async () => {
      const api = await tenant();
      const { dir } = repo({
        ...CONFIG,
        user: { claims: { namespace: "https://claims.acme.example/" } },
      });
      await run(api, dir);
      expect(api.state.actions[0].code).toContain(
        'setCustomClaim("https://claims.acme.example/email", event.user.email)',
      );
      expect(api.state.actions[0].code).toContain(
        'setCustomClaim("https://claims.acme.example/email_verified", event.user.email_verified === true)',
      );
    });
  });

  describe("roles and the first administrators", () => {
    /** shop-2025: one server whose src/grants.json has the roles "admin" and "user". */
    const SHOP = path.resolve(__dirname, "../fixtures/apps/shop-2025/input");
    const GRANTS = "apps/shop-server/src/grants.json";
    const ADA = "ada@acme.example";
    const BOB = "bob@acme.example";
    const BOTH = ["admin", "user"];

    /** A copy of the shop app with a config holding `user` and `provision` settings. */
    function app(
      user: object = {},
      provisionSettings: object = {},
    ): { dir: string; file: string } {
      const dir = copyTree(SHOP);
      const file = path.join(dir, "auth0.config.json");
      fs.writeFileSync(
        file,
        JSON.stringify(
          {
            ...CONFIG,
            user: { entity: "User", ...user },
            provision: provisionSettings,
          },
          null,
          2,
        ) + "\n",
      );
      return { dir, file };
    }

    const fromAuth0 = (admins: string[], more: object = {}) => ({
      roles: { source: "auth0" },
      admins,
      ...more,
    });

    function user(
      user_id: string,
      email: string,
      email_verified = true,
      roles: string[] = [],
    ): FakeUser {
      return { user_id, email, email_verified, roles };
    }

    const roleNames = (api: ManagementApi, u: FakeUser) =>
      u.roles
        .map((id) => api.state.roles.find((r) => r.id === id)!.name)
        .sort();

    const roleWrites = (api: ManagementApi) =>
      api
        .writes()
        .filter(
          (r) =>
            r.path === "/api/v2/roles" || /\/users\/.+\/roles$/.test(r.path),
        );

    it("creates one role per role of src/grants.json and of provision.roles, once; a second run sends no write request", async () => {
      const api = await tenant();
      const { dir } = app({}, { roles: ["auditor"] });
      const result = await run(api, dir);

      expect(api.state.roles.map((r) => r.name).sort()).toEqual([
        "admin",
        "auditor",
        "user",
      ]);
      expect(roleWrites(api).map(call)).toEqual(
        Array(3).fill("POST /api/v2/roles"),
      );
      expect(
        result.steps
          .filter((s) => s.kind === "role")
          .map((s) => [s.name, s.change, s.done, s.details]),
      ).toEqual([
        ['"admin"', "create", true, [`from ${GRANTS}`]],
        ['"auditor"', "create", true, ["from provision.roles"]],
        ['"user"', "create", true, [`from ${GRANTS}`]],
      ]);
      expect(summary(result, false)).toMatch(
        /created:[^]*role "admin" \(rol_\w+\): from apps\/shop-server\/src\/grants\.json/,
      );

      const before = api.writes().length;
      const again = await run(api, dir);
      expect(api.writes()).toHaveLength(before);
      expect(api.state.roles).toHaveLength(3);
      expect(
        again.steps.filter((s) => s.kind === "role").map((s) => s.change),
      ).toEqual(["keep", "keep", "keep"]);
    });

    it("takes the union of the roles of every service's src/grants.json; the administrators get those of each", async () => {
      const state = emptyTenant();
      state.users.push(user("auth0|ada", ADA));
      const api = await tenant(state);
      const { dir } = app(fromAuth0([ADA]));
      // A second server (no admin UI) whose grants name "admin" and "clerk".
      const stock = path.join(dir, "apps/stock-server");
      fs.cpSync(path.join(dir, "apps/shop-server"), stock, {
        recursive: true,
      });
      const grants = JSON.parse(
        fs.readFileSync(path.join(stock, "src/grants.json"), "utf8"),
      ) as { role: string }[];
      fs.writeFileSync(
        path.join(stock, "src/grants.json"),
        JSON.stringify(
          grants.map((g) => ({
            ...g,
            role: g.role === "user" ? "clerk" : g.role,
          })),
        ),
      );
      const result = await run(api, dir);
      expect(
        result.steps
          .filter((s) => s.kind === "role")
          .map((s) => [s.name, s.details]),
      ).toEqual([
        ['"admin"', [`from ${GRANTS}, apps/stock-server/src/grants.json`]],
        ['"clerk"', ["from apps/stock-server/src/grants.json"]],
        ['"user"', [`from ${GRANTS}`]],
      ]);
      expect(roleNames(api, api.state.users[0])).toEqual([
        "admin",
        "clerk",
        "user",
      ]);
    });

    it("reuses a role of ours found on a later page, leaves roles of other names alone, and never renames one", async () => {
      const state = emptyTenant();
      // The name filter matches loosely: 55 roles whose names contain "user" come first.
      for (let i = 0; i < 55; i++)
        state.roles.push({ id: `rol_other_${i}`, name: `superuser-${i}` });
      state.roles.push(
        { id: "rol_ours_user", name: "user", description: "made by hand" },
        { id: "rol_billing", name: "billing-auditor" },
        { id: "rol_Admin", name: "Admin" },
      );
      state.users.push(user("auth0|ada", ADA, true, ["rol_billing"]));
      const others = structuredClone(
        state.roles.filter((r) => r.id !== "rol_ours_user"),
      );
      const api = await tenant(state);
      const { dir } = app(fromAuth0([ADA]));
      const result = await run(api, dir);

      // "user" is reused, "admin" created (the existing "Admin" is another name).
      expect(
        api
          .writes()
          .filter((r) => r.path === "/api/v2/roles")
          .map((r) => r.body),
      ).toEqual([
        {
          name: "admin",
          description: expect.stringContaining("src/grants.json"),
        },
      ]);
      expect(
        api.requests
          .filter(
            (r) => r.path === "/api/v2/roles" && r.query.name_filter === "user",
          )
          .map((r) => r.query.page),
      ).toEqual(["0", "1"]);
      expect(api.state.roles.filter((r) => r.name === "user")).toEqual([
        { id: "rol_ours_user", name: "user", description: "made by hand" },
      ]);
      expect(
        api.state.roles.filter(
          (r) => r.id !== "rol_ours_user" && r.name !== "admin",
        ),
      ).toEqual(others);
      expect(result.warnings.join("\n")).toContain(
        'the role "Admin" exists in Auth0, but the app\'s role is "admin"',
      );
      // Ada keeps the role that is not ours and gets ours, the reused one by its id.
      const ada = api.state.users[0];
      expect(ada.roles).toContain("rol_billing");
      expect(ada.roles).toContain("rol_ours_user");
      expect(roleNames(api, ada)).toEqual(["admin", "billing-auditor", "user"]);
      expect(
        api.writes().filter((r) => /^\/api\/v2\/(roles|users)\//.test(r.path)),
      ).toHaveLength(1);
      expect(
        result.steps.find((s) => s.kind === "role" && s.name === '"user"'),
      ).toMatchObject({ change: "keep", id: "rol_ours_user" });
    });

    it("assigns user.adminRoles to each administrator (only the missing ones); a second run changes nothing", async () => {
      const state = emptyTenant();
      state.roles.push({ id: "rol_user", name: "user" });
      state.users.push(
        user("auth0|ada", ADA, true, ["rol_user"]),
        user("google-oauth2|bob", BOB),
        user("auth0|eve", "eve@acme.example"),
      );
      const api = await tenant(state);
      // Capitals in the config: Auth0 stores database users' emails in lower case. Ada's two
      // spellings are one user, planned once.
      const { dir } = app(fromAuth0(["Ada@Acme.example", BOB, ADA]));
      const result = await run(api, dir);

      const admin = api.state.roles.find((r) => r.name === "admin")!;
      const assignments = api
        .writes()
        .filter((r) => /^\/api\/v2\/users\/.+\/roles$/.test(r.path));
      expect(assignments.map((r) => [r.path, r.body])).toEqual([
        ["/api/v2/users/auth0%7Cada/roles", { roles: [admin.id] }],
        [
          "/api/v2/users/google-oauth2%7Cbob/roles",
          { roles: [admin.id, "rol_user"] },
        ],
      ]);
      const [ada, bob, eve] = api.state.users;
      expect(roleNames(api, ada)).toEqual(BOTH);
      expect(roleNames(api, bob)).toEqual(BOTH);
      expect(eve.roles).toEqual([]);
      expect(
        result.steps
          .filter((s) => s.kind === "admin")
          .map((s) => [s.name, s.change, s.done, s.details]),
      ).toEqual([
        ["Ada@Acme.example (auth0|ada)", "update", true, ["assigned admin"]],
        [
          `${BOB} (google-oauth2|bob)`,
          "update",
          true,
          ["assigned admin, user"],
        ],
      ]);
      expect(result.warnings).toEqual([]);

      const before = api.writes().length;
      const again = await run(api, dir);
      expect(api.writes()).toHaveLength(before);
      expect(
        again.steps.filter((s) => s.kind === "admin").map((s) => s.details),
      ).toEqual([["has admin, user"], ["has admin, user"]]);
    });

    it("user.adminRoles: only those roles, checked against src/grants.json before any request", async () => {
      const state = emptyTenant();
      state.users.push(user("auth0|ada", ADA));
      const api = await tenant(state);
      const { dir } = app(fromAuth0([ADA], { adminRoles: ["user"] }));
      await run(api, dir);
      expect(roleNames(api, api.state.users[0])).toEqual(["user"]);

      const api2 = await tenant(emptyTenant());
      const wrong = app(fromAuth0([ADA], { adminRoles: ["owner"] }));
      const error = await failure(run(api2, wrong.dir));
      expect(error.message).toContain(
        `apps/shop-server: user.adminRoles names "owner", which src/grants.json does not have (it has admin, user)`,
      );
      expect(api2.requests).toEqual([]);
    });

    it("a missing administrator is reported, named, with the fix, and not created", async () => {
      const state = emptyTenant();
      state.users.push(user("auth0|ada", ADA));
      const api = await tenant(state);
      const { dir } = app(fromAuth0([ADA, BOB]));
      const result = await run(api, dir);
      expect(result.warnings).toEqual([
        `user.admins: no Auth0 user has the email ${BOB}, so no role was assigned to it. ` +
          "Sign in once or create the user in Auth0, then run provision again.",
      ]);
      expect(summary(result, false)).toContain(
        `warning user.admins: no Auth0 user has the email ${BOB}`,
      );
      expect(api.state.users.map((u) => u.user_id)).toEqual(["auth0|ada"]);
      expect(
        api.writes().filter((r) => r.path.startsWith("/api/v2/users")),
      ).toHaveLength(1);
      expect(roleNames(api, api.state.users[0])).toEqual(BOTH);

      // Once Bob has signed in, the next run gives him his roles.
      api.state.users.push(user("auth0|bob", BOB));
      const again = await run(api, dir);
      expect(again.warnings).toEqual([]);
      expect(roleNames(api, api.state.users[1])).toEqual(BOTH);
    });

    it("several users with one email: only those whose email is verified get the roles, and the run says so", async () => {
      const state = emptyTenant();
      state.users.push(
        user("google-oauth2|1", ADA, true),
        user("auth0|2", ADA, false),
        user("github|3", ADA, true),
      );
      const api = await tenant(state);
      const { dir } = app(fromAuth0([ADA]));
      const result = await run(api, dir);
      const [google, database, github] = api.state.users;
      expect(roleNames(api, google)).toEqual(BOTH);
      expect(roleNames(api, github)).toEqual(BOTH);
      expect(database.roles).toEqual([]);
      expect(
        api
          .writes()
          .filter((r) => r.path.startsWith("/api/v2/users"))
          .map((r) => r.path),
      ).toEqual([
        "/api/v2/users/google-oauth2%7C1/roles",
        "/api/v2/users/github%7C3/roles",
      ]);
      const warnings = result.warnings.join("\n");
      expect(warnings).toContain(
        `user.admins: the Auth0 user auth0|2 with the email ${ADA} has not verified it, so no role was assigned to it`,
      );
      expect(warnings).toContain(
        `user.admins: 2 Auth0 users have the verified email ${ADA} (google-oauth2|1, github|3); each gets the administrator roles`,
      );

      // A single user who has not verified the email gets nothing either.
      const lone = emptyTenant();
      lone.users.push(user("auth0|9", BOB, false));
      const api2 = await tenant(lone);
      const second = await run(api2, app(fromAuth0([BOB])).dir);
      expect(api2.state.users[0].roles).toEqual([]);
      expect(second.warnings.join("\n")).toContain(
        `the Auth0 user auth0|9 with the email ${BOB} has not verified it`,
      );
    });

    it('with user.roles.source "database": creates the roles, assigns none (the seed does) and says so once', async () => {
      const state = emptyTenant();
      state.users.push(user("auth0|ada", ADA));
      const api = await tenant(state);
      const { dir } = app({ admins: [ADA] });
      const result = await run(api, dir);
      expect(api.state.roles.map((r) => r.name).sort()).toEqual(BOTH);
      expect(
        api.requests.filter((r) => r.path.startsWith("/api/v2/users")),
      ).toEqual([]);
      expect(api.state.users[0].roles).toEqual([]);
      const said = result.notes.filter((n) => n.includes("scripts/seed.ts"));
      expect(said).toEqual([
        'user.roles.source is "database": the converted scripts/seed.ts gives user.admins their roles in the database; provision assigns no role in Auth0',
      ]);
      expect(result.steps.some((s) => s.kind === "admin")).toBe(false);
    });

    it("a missing roles or users scope is named, with what had been done before", async () => {
      const api = await tenant(emptyTenant(), {
        tokens: {
          [MANAGEMENT_TOKEN]: ALL_SCOPES.filter((s) => s !== "create:roles"),
        },
      });
      const { dir, file } = app();
      const before = fs.readFileSync(file, "utf8");
      const error = await failure(run(api, dir));
      expect(error.message).toContain(
        'create the role "admin": the Management API token lacks the scope create:roles',
      );
      expect(error.steps.map((s) => s.kind)).toEqual([
        "api",
        "application",
        "action",
        "binding",
      ]);
      expect(fs.readFileSync(file, "utf8")).toBe(before);

      const state = emptyTenant();
      state.users.push(user("auth0|ada", ADA));
      const api2 = await tenant(state, {
        tokens: {
          [MANAGEMENT_TOKEN]: ALL_SCOPES.filter(
            (s) => s !== "create:role_members",
          ),
        },
      });
      const error2 = await failure(run(api2, app(fromAuth0([ADA])).dir));
      expect(error2.message).toContain(
        `assign admin, user to the Auth0 user auth0|ada (${ADA}): the Management API token lacks the scope update:users or create:role_members`,
      );
      expect(
        error2.steps.filter((s) => s.kind === "role").map((s) => s.name),
      ).toEqual(['"admin"', '"user"']);

      const api3 = await tenant(state, {
        tokens: {
          [MANAGEMENT_TOKEN]: ALL_SCOPES.filter((s) => s !== "read:users"),
        },
      });
      const error3 = await failure(run(api3, app(fromAuth0([ADA])).dir));
      expect(error3.message).toContain(
        `find the Auth0 users with the email ${ADA}: the Management API token lacks the scope read:users`,
      );
      expect(api3.writes()).toEqual([]);
    });

    it("dry run: lists the roles and the assignments it would make, and writes nothing", async () => {
      const state = emptyTenant();
      state.roles.push({ id: "rol_user", name: "user" });
      state.users.push(user("auth0|ada", ADA));
      const api = await tenant(state);
      const { dir, file } = app(fromAuth0([ADA, BOB]));
      const before = fs.readFileSync(file, "utf8");
      const result = await run(api, dir, { dryRun: true });
      expect(api.requests.every((r) => r.method === "GET")).toBe(true);
      expect(api.state.roles).toHaveLength(1);
      expect(api.state.users[0].roles).toEqual([]);
      expect(fs.readFileSync(file, "utf8")).toBe(before);
      expect(
        result.steps
          .filter((s) => s.kind === "role" || s.kind === "admin")
          .map((s) => [s.kind, s.name, s.change, s.done]),
      ).toEqual([
        ["role", '"admin"', "create", false],
        ["role", '"user"', "keep", false],
        ["admin", `${ADA} (auth0|ada)`, "update", false],
      ]);
      const text = summary(result, false);
      expect(text).toMatch(/create +role "admin": from apps\/shop-server/);
      expect(text).toMatch(/keep +role "user" \(rol_user\)/);
      expect(text).toMatch(
        /update +administrator ada@acme\.example \(auth0\|ada\): assign admin, user/,
      );
      expect(text).toContain(`no Auth0 user has the email ${BOB}`);
      const json = JSON.parse(toJson(result));
      expect(
        json.steps
          .filter((s: { kind: string }) => s.kind === "role")
          .map(
            (s: { name: string; change: string }) => `${s.change} ${s.name}`,
          ),
      ).toEqual(['create "admin"', 'keep "user"']);
    });

    it("a service whose src/grants.json gives no roles stops the run before any request", async () => {
      const api = await tenant();
      const { dir } = app();
      fs.writeFileSync(path.join(dir, GRANTS), "{ not json");
      const error = await failure(run(api, dir));
      expect(error.message).toContain(
        `${GRANTS} is not valid JSON; provision creates the Auth0 roles it names`,
      );
      expect(api.requests).toEqual([]);
    });
  });
});
