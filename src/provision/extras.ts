/**
 * The optional extras of `provision`, each idempotent: social connections and a passwordless
 * email connection enabled for the application (created when missing), and MFA required for
 * every login of the tenant. Planned with reads only, like the main steps (steps.ts).
 */
import type { Management } from "auth0";
import type { Tenant } from "./management";
import { ProvisionError, type StepReport } from "./report";

export interface ExtrasWanted {
  socialConnections: readonly string[];
  passwordlessEmail: boolean;
  requireMfa: boolean;
}

export interface ConnectionPlan {
  purpose: "social" | "passwordless";
  name: string;
  strategy: string;
  existing?: { id: string; name: string };
  /** Already enabled for the application. */
  enabled: boolean;
}

export interface MfaPlan {
  setPolicy: boolean;
  enableFactor?: Management.GuardianFactorNameEnum;
}

export interface ExtrasPlan {
  connections: ConnectionPlan[];
  mfa?: MfaPlan;
  warnings: string[];
}

const PAGE = 50;

/** Social strategies provision may create a connection for (with Auth0's development keys). */
const SOCIAL_STRATEGIES = new Set([
  "apple",
  "facebook",
  "github",
  "google-oauth2",
  "linkedin",
  "twitter",
  "windowslive",
]);

/** Factors that let a user pass an MFA challenge (recovery codes alone do not). */
const MFA_FACTORS_THAT_COUNT = new Set([
  "otp",
  "webauthn-roaming",
  "webauthn-platform",
  "push-notification",
  "sms",
  "email",
  "duo",
]);

/** Reads connections and MFA settings. `clientId` is the existing application's, if any. */
export async function planExtras(
  tenant: Tenant,
  wanted: ExtrasWanted,
  clientId: string | undefined,
): Promise<ExtrasPlan> {
  const sdk = tenant.sdk;
  const warnings: string[] = [];
  const connections: ConnectionPlan[] = [];
  const enabledFor = async (connectionId: string, name: string) => {
    if (!clientId) return false;
    const enabled = await tenant.all(
      "list-connection-clients",
      `list the applications of connection "${name}"`,
      () => sdk.connections.clients.get(connectionId, { take: PAGE }),
    );
    return enabled.some((c) => c.client_id === clientId);
  };
  for (const name of wanted.socialConnections) {
    const found = await tenant.all(
      "list-connections",
      `find connection "${name}"`,
      () => sdk.connections.list({ name, take: PAGE }),
    );
    const existing = found.find((c) => c.name === name && c.id);
    if (!existing && !SOCIAL_STRATEGIES.has(name))
      throw new ProvisionError(
        `connection "${name}" (provision.socialConnections) does not exist in ${tenant.domain}, and provision creates only ` +
          `${[...SOCIAL_STRATEGIES].join(", ")}. Create it in the Auth0 dashboard, or remove it from the list.`,
      );
    if (!existing)
      warnings.push(
        `connection "${name}" will use Auth0's development keys; set your own OAuth client id and secret for it in the Auth0 dashboard before going to production`,
      );
    connections.push({
      purpose: "social",
      name,
      strategy: existing?.strategy ?? name,
      existing: existing?.id ? { id: existing.id, name } : undefined,
      enabled: existing?.id ? await enabledFor(existing.id, name) : false,
    });
  }
  if (wanted.passwordlessEmail) {
    const found = await tenant.all(
      "list-connections",
      "find the passwordless email connection",
      () => sdk.connections.list({ strategy: ["email"], take: PAGE }),
    );
    const existing = found.find((c) => c.strategy === "email" && c.id);
    const name = existing?.name ?? "email";
    connections.push({
      purpose: "passwordless",
      name,
      strategy: "email",
      existing: existing?.id ? { id: existing.id, name } : undefined,
      enabled: existing?.id ? await enabledFor(existing.id, name) : false,
    });
  }
  let mfa: MfaPlan | undefined;
  if (wanted.requireMfa) {
    const policies = await tenant.call(
      "get-mfa-policies",
      "read the MFA policy",
      () => sdk.guardian.policies.list(),
    );
    const factors = await tenant.call(
      "list-mfa-factors",
      "list the MFA factors",
      () => sdk.guardian.factors.list(),
    );
    const anyFactor = factors.some(
      (f) =>
        f.enabled && f.name !== undefined && MFA_FACTORS_THAT_COUNT.has(f.name),
    );
    mfa = {
      setPolicy: !policies.includes("all-applications"),
      enableFactor: anyFactor ? undefined : "otp",
    };
  }
  return { connections, mfa, warnings };
}

/** Reports of the extras, in the future or (`past`) the past tense. */
export function extrasReports(plan: ExtrasPlan, past: boolean): StepReport[] {
  const tense = (future: string, done: string) => (past ? done : future);
  const reports: StepReport[] = [];
  for (const connection of plan.connections) {
    const change = !connection.existing
      ? "create"
      : connection.enabled
        ? "keep"
        : "update";
    const created =
      change === "create"
        ? `${tense("create", "created")} (${
            connection.purpose === "passwordless"
              ? "passwordless email"
              : connection.strategy
          }), `
        : "";
    reports.push({
      kind: "connection",
      name: `"${connection.name}"`,
      id: connection.existing?.id,
      change,
      details:
        change === "keep"
          ? ["enabled for the application"]
          : [`${created}${tense("enable", "enabled")} for the application`],
      done: false,
    });
  }
  if (plan.mfa) {
    const details = [
      ...(plan.mfa.setPolicy
        ? [tense("require MFA for every login", "MFA required for every login")]
        : []),
      ...(plan.mfa.enableFactor
        ? [
            tense(
              `enable the ${plan.mfa.enableFactor} factor`,
              `${plan.mfa.enableFactor} factor enabled`,
            ),
          ]
        : []),
    ];
    reports.push({
      kind: "mfa",
      name: "policy",
      change: details.length > 0 ? "update" : "keep",
      details: details.length > 0 ? details : ["MFA required for every login"],
      done: false,
    });
  }
  return reports;
}

/** Creates the connection when missing (`onCreated` learns its id), then enables it for the application. */
export async function applyConnection(
  tenant: Tenant,
  connection: ConnectionPlan,
  clientId: string,
  onCreated: (id: string) => void,
): Promise<string> {
  let id = connection.existing?.id;
  if (!id) {
    const created = await tenant.call(
      "create-connection",
      `create the connection "${connection.name}"`,
      () => tenant.sdk.connections.create(connectionBody(connection)),
    );
    id = created.id;
    if (!id)
      throw new ProvisionError(
        `create the connection "${connection.name}": the answer has no id`,
      );
    onCreated(id);
  }
  const connectionId = id;
  // Adds this application to the connection's list; the others stay.
  await tenant.call(
    "enable-connection",
    `enable the connection "${connection.name}" for the application`,
    () =>
      tenant.sdk.connections.clients.update(connectionId, [
        { client_id: clientId, status: true },
      ]),
  );
  return id;
}

export async function applyMfa(tenant: Tenant, mfa: MfaPlan): Promise<void> {
  // A factor first: requiring MFA with none enabled would lock users out.
  if (mfa.enableFactor) {
    const factor = mfa.enableFactor;
    await tenant.call(
      "enable-mfa-factor",
      `enable the ${factor} MFA factor`,
      () => tenant.sdk.guardian.factors.set(factor, { enabled: true }),
    );
  }
  if (mfa.setPolicy)
    await tenant.call("set-mfa-policies", "require MFA for every login", () =>
      tenant.sdk.guardian.policies.set(["all-applications"]),
    );
}

function connectionBody(
  connection: ConnectionPlan,
): Management.CreateConnectionRequestContent {
  if (connection.purpose === "social")
    return {
      name: connection.name,
      strategy:
        connection.strategy as Management.ConnectionIdentityProviderEnum,
    };
  return {
    name: connection.name,
    strategy: "email",
    options: {
      name: connection.name,
      brute_force_protection: true,
      disable_signup: false,
      totp: { time_step: 300, length: 6 },
      email: {
        syntax: "liquid",
        from: "{{ application.name }} <root@auth0.com>",
        subject: "Your sign-in code for {{ application.name }}",
        body: "<html><body><p>Your sign-in code is <b>{{ code }}</b>. It expires in 5 minutes.</p></body></html>",
      },
    },
  } as Management.CreateConnectionRequestContent;
}
