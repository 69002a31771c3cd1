/**
 * The Management API steps of `provision`, in two phases: `plan` only reads (every page of
 * every list) and decides create / update / keep for each resource; `applyPlan` makes exactly
 * those changes, in order. A dry run stops after `plan`, so it sends no write request.
 *
 * 1. API (resource server), found by identifier (= the audience), created with RS256.
 * 2. Single-page application, found by client id (when the config has one) or by name; its
 *    URLs are completed on an existing application only with --update-application.
 * 3. Post-login Action, found by name; created on the trigger's current version and newest
 *    Node runtime, deployed only once its build is `built` (bounded poll; `failed` stops).
 * 4. Binding to post-login, appended after the existing ones (which stay, in their order);
 *    skipped when already bound.
 * 5. Extras from config: social connections and passwordless email enabled for the
 *    application, MFA required for the tenant.
 * 6. Roles: one for each role of the services' src/grants.json and of provision.roles, found by
 *    exact name, created when missing; with user.roles.source "auth0", the roles user.admins
 *    lack, assigned to their (verified) users (roles.ts).
 */
import type { Management } from "auth0";
import {
  POST_LOGIN,
  pickPostLoginTarget,
  type PostLoginTarget,
} from "./action-code";
import {
  applyConnection,
  applyMfa,
  extrasReports,
  planExtras,
  type ExtrasPlan,
  type ExtrasWanted,
} from "./extras";
import type { Clock, Tenant } from "./management";
import { ProvisionError, type StepReport } from "./report";
import {
  assignAdminRoles,
  createRole,
  planRoles,
  rolesReports,
  type RolesPlan,
  type RolesWanted,
} from "./roles";

export interface Wanted extends ExtrasWanted {
  audience: string;
  apiName: string;
  applicationName: string;
  /** auth0.clientId when the config holds a real one: that application is the one to use. */
  clientId?: string;
  callbackUrl: string;
  logoutUrl: string;
  useRefreshTokens: boolean;
  actionName: string;
  actionCode: string;
  /** Add missing URLs to an existing application. */
  updateApplication: boolean;
  /** Replace the code of an existing Action that differs, and deploy it. */
  updateAction: boolean;
  /** The roles to have and the administrators to give theirs (read from the repository). */
  roles: RolesWanted;
}

export interface BuildWait {
  clock: Clock;
  /** Give up waiting for `built` after this long. Default 120 s. */
  timeoutMs?: number;
}

interface UrlLists {
  callbacks: string[];
  allowed_logout_urls: string[];
  web_origins: string[];
}

export interface Plan extends ExtrasPlan {
  api: { existing?: Management.ResourceServer };
  application: {
    existing?: Management.Client;
    /** Our URLs the existing application lacks. */
    missing: UrlLists;
  };
  target: PostLoginTarget;
  action: {
    existing?: Management.Action;
    mode: "create" | "replace-code" | "deploy" | "keep";
  };
  binding: { bound: boolean; others: number };
  roles: RolesPlan;
}

const PAGE = 50;

/** Fields read from applications: never `client_secret`. */
const CLIENT_FIELDS = [
  "client_id",
  "name",
  "app_type",
  "callbacks",
  "allowed_logout_urls",
  "web_origins",
  "token_endpoint_auth_method",
].join(",");

function webOrigins(
  wanted: Pick<Wanted, "callbackUrl" | "logoutUrl">,
): string[] {
  return [
    ...new Set(
      [wanted.callbackUrl, wanted.logoutUrl].map((u) => new URL(u).origin),
    ),
  ];
}

function wantedUrls(wanted: Wanted): UrlLists {
  return {
    callbacks: [wanted.callbackUrl],
    allowed_logout_urls: [wanted.logoutUrl],
    web_origins: webOrigins(wanted),
  };
}

/** Reads the tenant and decides what to do. Sends GET requests only. */
export async function plan(tenant: Tenant, wanted: Wanted): Promise<Plan> {
  const warnings: string[] = [];
  const sdk = tenant.sdk;

  // 1. API, by identifier (it becomes `aud`; names are not unique).
  const apis = await tenant.all("list-apis", "list the APIs", () =>
    sdk.resourceServers.list({ page: 0, per_page: PAGE, include_totals: true }),
  );
  const api = apis.find((a) => a.identifier === wanted.audience);
  if (api && api.signing_alg && api.signing_alg !== "RS256")
    warnings.push(
      `API "${api.name}" signs access tokens with ${api.signing_alg}; the converted server accepts RS256 only. ` +
        `Change its signing algorithm in the Auth0 dashboard (provision does not change an existing API).`,
    );

  // 2. Application, by client id when the config has one, else by name.
  const clients = await tenant.all(
    "list-applications",
    "list the applications",
    () =>
      sdk.clients.list({
        page: 0,
        per_page: PAGE,
        include_totals: true,
        fields: CLIENT_FIELDS,
        include_fields: true,
      }),
  );
  let application: Management.Client | undefined;
  if (wanted.clientId) {
    application = clients.find((c) => c.client_id === wanted.clientId);
    if (!application)
      throw new ProvisionError(
        `auth0.clientId "${wanted.clientId}" is not an application of ${tenant.domain}. ` +
          `Set it to "REPLACE_ME" to let provision find or create "${wanted.applicationName}", or check auth0.domain.`,
      );
  } else {
    const named = clients.filter((c) => c.name === wanted.applicationName);
    if (named.length > 1)
      throw new ProvisionError(
        `${named.length} applications are named "${wanted.applicationName}" (${named
          .map((c) => c.client_id)
          .join(
            ", ",
          )}); set auth0.clientId to the one to use, or provision.applicationName to another name.`,
      );
    application = named[0];
  }
  const want = wantedUrls(wanted);
  const missing: UrlLists = {
    callbacks: [],
    allowed_logout_urls: [],
    web_origins: [],
  };
  if (application) {
    if (application.app_type && application.app_type !== "spa")
      throw new ProvisionError(
        `application "${application.name}" (${application.client_id}) is of type "${application.app_type}", not a single-page application; ` +
          `the admin UI needs one (no client secret, PKCE). Set provision.applicationName to another name to create one.`,
      );
    if (
      application.token_endpoint_auth_method &&
      application.token_endpoint_auth_method !== "none"
    )
      warnings.push(
        `application "${application.name}" uses token endpoint authentication "${application.token_endpoint_auth_method}"; a single-page application should use "none"`,
      );
    for (const key of Object.keys(missing) as (keyof UrlLists)[]) {
      const have = new Set(application[key] ?? []);
      missing[key] = want[key].filter((url) => !have.has(url));
    }
    const lacking = Object.values(missing).flat();
    if (lacking.length > 0 && !wanted.updateApplication)
      warnings.push(
        `application "${application.name}" lacks ${describeUrls(missing)}; the admin UI cannot sign in without them. ` +
          `Run provision with --update-application to add them (nothing is removed).`,
      );
  }

  // 3. Action: trigger version and runtime, then the Action by exact name.
  const { triggers = [] } = await tenant.call(
    "list-triggers",
    "list the Action triggers",
    () => sdk.actions.triggers.list(),
  );
  let target: PostLoginTarget;
  try {
    target = pickPostLoginTarget(triggers);
  } catch (error) {
    throw new ProvisionError((error as Error).message);
  }
  const actions = await tenant.all(
    "list-actions",
    `find the Action "${wanted.actionName}"`,
    () =>
      sdk.actions.list({
        actionName: wanted.actionName,
        page: 0,
        per_page: PAGE,
      }),
  );
  const action = actions.find((a) => a.name === wanted.actionName);
  let mode: Plan["action"]["mode"] = "create";
  if (action) {
    if (!(action.supported_triggers ?? []).some((t) => t.id === POST_LOGIN))
      throw new ProvisionError(
        `the Action "${action.name}" exists but is not a post-login Action; set provision.actionName to another name`,
      );
    const deployed =
      Boolean(action.deployed_version) && action.all_changes_deployed !== false;
    if (action.code === wanted.actionCode) mode = deployed ? "keep" : "deploy";
    else if (wanted.updateAction) mode = "replace-code";
    else if (!action.deployed_version)
      throw new ProvisionError(
        `the Action "${action.name}" exists with other code and was never deployed, so it cannot be bound. ` +
          `Run provision with --update-action to give it the email claims code, or set provision.actionName to another name.`,
      );
    else {
      mode = "keep";
      warnings.push(
        `the Action "${action.name}" has other code than provision installs; kept as it is. The server reads ` +
          `the claims it expects only if that code sets them. Run provision with --update-action to replace its code.`,
      );
    }
  }

  // 4. Binding.
  const bindings = await listBindings(tenant);
  const bound = action ? bindings.some((b) => isOurs(b, action)) : false;

  // 5. Extras.
  const extras = await planExtras(tenant, wanted, application?.client_id);

  // 6. Roles and the administrators' roles.
  const roles = await planRoles(tenant, wanted.roles);

  return {
    api: { existing: api },
    application: { existing: application, missing },
    target,
    action: { existing: action, mode },
    binding: {
      bound,
      others: bindings.filter((b) => !action || !isOurs(b, action)).length,
    },
    connections: extras.connections,
    mfa: extras.mfa,
    roles,
    warnings: [
      ...warnings,
      ...extras.warnings,
      ...wanted.roles.warnings,
      ...roles.warnings,
    ],
  };
}

/**
 * The reports of a plan: what will be done, or (`past`) what was done once it is. Either way
 * `done` starts false; applyPlan sets it.
 */
export function planReports(
  plan: Plan,
  wanted: Wanted,
  past = false,
): StepReport[] {
  const tense = (future: string, done: string) => (past ? done : future);
  const reports: StepReport[] = [];
  const { api, application, action, binding, target } = plan;
  reports.push(
    api.existing
      ? {
          kind: "api",
          name: `"${api.existing.name}"`,
          id: api.existing.id,
          change: "keep",
          details: [`identifier ${wanted.audience}`],
          done: false,
        }
      : {
          kind: "api",
          name: `"${wanted.apiName}"`,
          change: "create",
          details: [`identifier ${wanted.audience}, RS256`],
          done: false,
        },
  );
  const lacking = Object.values(application.missing).flat().length > 0;
  reports.push(
    !application.existing
      ? {
          kind: "application",
          name: `"${wanted.applicationName}"`,
          change: "create",
          details: [
            `single-page application, ${describeUrls(wantedUrls(wanted))}`,
          ],
          done: false,
        }
      : {
          kind: "application",
          name: `"${application.existing.name}"`,
          id: application.existing.client_id,
          change: lacking && wanted.updateApplication ? "update" : "keep",
          details: lacking
            ? [
                wanted.updateApplication
                  ? `${tense("add", "added")} ${describeUrls(application.missing)}`
                  : `lacks ${describeUrls(application.missing)} (add them with --update-application)`,
              ]
            : [],
          done: false,
        },
  );
  const actionName = `"${action.existing?.name ?? wanted.actionName}"`;
  reports.push({
    kind: "action",
    name: actionName,
    id: action.existing?.id,
    change:
      action.mode === "create"
        ? "create"
        : action.mode === "keep"
          ? "keep"
          : "update",
    details:
      action.mode === "create"
        ? [
            `post-login ${target.version}, ${target.runtime}; ${tense("deploy once built", "built and deployed")}`,
          ]
        : action.mode === "replace-code"
          ? [
              `${tense("replace its code", "code replaced")}, ${target.runtime}; ${tense("deploy once built", "built and deployed")}`,
            ]
          : action.mode === "deploy"
            ? [
                tense(
                  "deploy (its code is current but not deployed)",
                  "deployed (its code was current but not deployed)",
                ),
              ]
            : action.existing?.code === wanted.actionCode
              ? ["deployed"]
              : ["other code, kept (see warning)"],
    done: false,
  });
  reports.push({
    kind: "binding",
    name: `${actionName} on post-login`,
    change: binding.bound ? "keep" : "create",
    details: binding.bound
      ? []
      : [
          binding.others > 0
            ? `${tense("append", "appended")} after the ${binding.others} bound Action${binding.others === 1 ? "" : "s"}, which stay in their order`
            : "first Action of the login flow",
        ],
    done: false,
  });
  reports.push(...extrasReports(plan, past));
  reports.push(...rolesReports(plan.roles, wanted.roles, past));
  return reports;
}

/**
 * Makes the planned changes, in order. Returns the reports (with ids) and the client id.
 * On failure, the ProvisionError carries the reports of what was done before it.
 */
export async function applyPlan(
  tenant: Tenant,
  wanted: Wanted,
  plan: Plan,
  wait: BuildWait,
): Promise<{ steps: StepReport[]; clientId: string }> {
  const sdk = tenant.sdk;
  const steps = planReports(plan, wanted);
  const past = planReports(plan, wanted, true);
  const step = (kind: StepReport["kind"], index = 0) =>
    steps.filter((s) => s.kind === kind)[index];
  /** What a step had already changed when a later request of the same step failed. */
  const partial = new Map<StepReport, string>();
  const run = async (
    report: StepReport,
    change: () => Promise<string | undefined>,
  ) => {
    try {
      if (report.change !== "keep") {
        const id = await change();
        if (id) report.id = id;
      }
      report.details = past[steps.indexOf(report)].details;
      report.done = true;
    } catch (error) {
      if (!(error instanceof ProvisionError)) throw error;
      const changed = steps.filter((s) => s.done && s.change !== "keep");
      const half = partial.get(report);
      if (half) changed.push({ ...report, details: [half] });
      throw new ProvisionError(error.message, changed);
    }
  };

  await run(step("api"), async () => {
    const created = await tenant.call(
      "create-api",
      `create the API "${wanted.apiName}"`,
      () =>
        sdk.resourceServers.create({
          name: wanted.apiName,
          identifier: wanted.audience,
          signing_alg: "RS256",
          allow_offline_access: wanted.useRefreshTokens,
        }),
    );
    return created.id;
  });

  let clientId = plan.application.existing?.client_id;
  await run(step("application"), async () => {
    const existing = plan.application.existing;
    if (existing?.client_id) {
      const patch: Partial<UrlLists> = {};
      for (const key of Object.keys(
        plan.application.missing,
      ) as (keyof UrlLists)[])
        if (plan.application.missing[key].length > 0)
          patch[key] = [
            ...(existing[key] ?? []),
            ...plan.application.missing[key],
          ];
      await tenant.call(
        "update-application",
        `add URLs to the application "${existing.name}"`,
        () => sdk.clients.update(existing.client_id as string, patch),
      );
      return existing.client_id;
    }
    const created = await tenant.call(
      "create-application",
      `create the application "${wanted.applicationName}"`,
      () =>
        sdk.clients.create({
          name: wanted.applicationName,
          description:
            "Admin UI sign-in. Created by amplication-auth0 provision.",
          app_type: "spa",
          ...wantedUrls(wanted),
          token_endpoint_auth_method: "none",
          grant_types: wanted.useRefreshTokens
            ? ["authorization_code", "refresh_token"]
            : ["authorization_code"],
          oidc_conformant: true,
          jwt_configuration: { alg: "RS256" },
          ...(wanted.useRefreshTokens
            ? {
                refresh_token: {
                  rotation_type: "rotating",
                  expiration_type: "expiring",
                },
              }
            : {}),
        }),
    );
    if (!created.client_id)
      throw new ProvisionError(
        `create the application "${wanted.applicationName}": the answer has no client_id`,
      );
    clientId = created.client_id;
    return created.client_id;
  });
  if (!clientId) throw new ProvisionError("the application has no client id");

  let actionId = plan.action.existing?.id;
  await run(step("action"), async () => {
    const { mode, existing } = plan.action;
    if (mode === "create") {
      const created = await tenant.call(
        "create-action",
        `create the Action "${wanted.actionName}"`,
        () =>
          sdk.actions.create({
            name: wanted.actionName,
            code: wanted.actionCode,
            runtime: plan.target.runtime,
            supported_triggers: [
              { id: POST_LOGIN, version: plan.target.version },
            ],
          }),
      );
      actionId = created.id;
      step("action").id = created.id;
      partial.set(step("action"), "created, not deployed");
    } else if (mode === "replace-code" && existing?.id) {
      const id = existing.id;
      await tenant.call(
        "update-action",
        `replace the code of the Action "${existing.name}"`,
        () =>
          sdk.actions.update(id, {
            code: wanted.actionCode,
            runtime: plan.target.runtime,
          }),
      );
      partial.set(step("action"), "code replaced, not deployed");
    }
    if (!actionId)
      throw new ProvisionError(`the Action "${wanted.actionName}" has no id`);
    await waitUntilBuilt(tenant, actionId, wanted.actionName, wait);
    const id = actionId;
    await tenant.call(
      "deploy-action",
      `deploy the Action "${wanted.actionName}"`,
      () => sdk.actions.deploy(id),
    );
    return actionId;
  });

  await run(step("binding"), async () => {
    // Read again right before writing: the PATCH replaces the whole list.
    const current = await listBindings(tenant);
    if (current.some((b) => b.action?.id === actionId)) return undefined;
    const bindings: Management.ActionBindingWithRef[] = [
      ...current.map((b) => ({
        ref: { type: "binding_id" as const, value: b.id as string },
        display_name: b.display_name,
      })),
      {
        ref: { type: "action_id", value: actionId as string },
        display_name: wanted.actionName,
      },
    ];
    await tenant.call("update-bindings", "bind the Action to post-login", () =>
      sdk.actions.triggers.bindings.updateMany(POST_LOGIN, { bindings }),
    );
    return undefined;
  });

  for (const [index, connection] of plan.connections.entries()) {
    const report = step("connection", index);
    await run(report, () =>
      applyConnection(tenant, connection, clientId as string, (id) => {
        report.id = id;
        partial.set(report, "created, not enabled for the application");
      }),
    );
  }

  const mfa = plan.mfa;
  if (mfa)
    await run(step("mfa"), async () => {
      await applyMfa(tenant, mfa);
      return undefined;
    });

  const roleIds = new Map<string, string>();
  for (const [index, role] of plan.roles.roles.entries()) {
    if (role.existing) roleIds.set(role.name, role.existing.id);
    await run(step("role", index), async () => {
      const id = await createRole(tenant, role);
      roleIds.set(role.name, id);
      return id;
    });
  }
  for (const [index, admin] of plan.roles.admins.entries())
    await run(step("admin", index), async () => {
      await assignAdminRoles(tenant, admin, roleIds);
      return undefined;
    });

  return { steps, clientId };
}

async function listBindings(
  tenant: Tenant,
): Promise<Management.ActionBinding[]> {
  return tenant.all("list-bindings", "list the post-login bindings", () =>
    tenant.sdk.actions.triggers.bindings.list(POST_LOGIN, {
      page: 0,
      per_page: PAGE,
    }),
  );
}

function isOurs(
  binding: Management.ActionBinding,
  action: Management.Action,
): boolean {
  return binding.action?.id === action.id;
}

/**
 * Polls the Action until its build is `built`. `failed` stops at once; so does the time limit.
 * Deploying earlier fails ("A draft must be in the 'built' state before it can be deployed").
 */
export async function waitUntilBuilt(
  tenant: Tenant,
  actionId: string,
  name: string,
  wait: BuildWait,
): Promise<void> {
  const { clock } = wait;
  const timeout = wait.timeoutMs ?? 120_000;
  const started = clock.now();
  let interval = 500;
  for (;;) {
    const action = await tenant.call(
      "get-action",
      `check the build of the Action "${name}"`,
      () => tenant.sdk.actions.get(actionId),
    );
    if (action.status === "built") return;
    if (action.status === "failed") {
      const errors = (action as { errors?: { msg?: string }[] }).errors ?? [];
      const reasons = errors.map((e) => e.msg).filter(Boolean);
      throw new ProvisionError(
        `Auth0 could not build the Action "${name}" (status "failed"${
          reasons.length > 0 ? `: ${reasons.join("; ")}` : ""
        }); it was not deployed or bound. Open it in the Auth0 dashboard (Actions > Library) to see why, ` +
          `then run provision again.`,
      );
    }
    const elapsed = clock.now() - started;
    if (elapsed >= timeout)
      throw new ProvisionError(
        `the Action "${name}" was still "${action.status ?? "unknown"}" after ${Math.round(
          timeout / 1000,
        )} s, so it was not deployed or bound. Run provision again in a few minutes: it finds the Action and deploys it once built.`,
      );
    await clock.sleep(Math.min(interval, timeout - elapsed));
    interval = Math.min(interval * 2, 5000);
  }
}

function describeUrls(urls: UrlLists): string {
  const parts: string[] = [];
  if (urls.callbacks.length)
    parts.push(`callback ${urls.callbacks.join(", ")}`);
  if (urls.allowed_logout_urls.length)
    parts.push(`logout URL ${urls.allowed_logout_urls.join(", ")}`);
  if (urls.web_origins.length)
    parts.push(`web origin ${urls.web_origins.join(", ")}`);
  return parts.join(", ");
}
