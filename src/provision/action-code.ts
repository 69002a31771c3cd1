/**
 * The post-login Action `provision` installs, and the trigger version and Node runtime it runs
 * on. The Action adds exactly two claims to access tokens for our API, under the names the
 * converted server reads (resolveAuth0's emailClaim / emailVerifiedClaim): the user's email and
 * whether it is verified; with user.roles.source "auth0" a third, the user's Auth0 role names
 * (rolesClaim). Never the whole profile (what the Amplication plugin does), and nothing in
 * tokens for other APIs.
 */
import type { Management } from "auth0";

export const POST_LOGIN = "post-login";

export interface ActionClaims {
  /** The API identifier: only access tokens for it get the claims. */
  audience: string;
  emailClaim: string;
  emailVerifiedClaim: string;
  /** Set when roles come from Auth0: the claim that carries `event.authorization.roles`. */
  rolesClaim?: string;
}

export function actionCode({
  audience,
  emailClaim,
  emailVerifiedClaim,
  rolesClaim,
}: ActionClaims): string {
  const q = (value: string) => JSON.stringify(value);
  return `/**
 * Installed by \`amplication-auth0 provision\`. Adds the user's email and whether Auth0 has
 * verified it to access tokens for ${audience.replace(/\*\//g, "*\\/")}, as two namespaced claims (and
 * nothing else from the profile). The server links users by email only when it is verified.${
   rolesClaim
     ? "\n * Also adds the user's Auth0 role names: the server takes its roles from them."
     : ""
 }
 */
exports.onExecutePostLogin = async (event, api) => {
  if (!event.authorization) return; // no access token is being issued
  if (!event.resource_server || event.resource_server.identifier !== ${q(audience)}) return;
  if (typeof event.user.email !== "string") return;
  api.accessToken.setCustomClaim(${q(emailClaim)}, event.user.email);
  api.accessToken.setCustomClaim(${q(emailVerifiedClaim)}, event.user.email_verified === true);${
    rolesClaim
      ? `\n  api.accessToken.setCustomClaim(${q(rolesClaim)}, event.authorization.roles ?? []);`
      : ""
  }
};
`;
}

export class TriggerError extends Error {}

export interface PostLoginTarget {
  /** Trigger version for `supported_triggers`, e.g. "v3". */
  version: string;
  /** Newest Node runtime the trigger offers, e.g. "node22". */
  runtime: string;
}

/**
 * Picks the current post-login trigger version and its newest Node runtime from
 * `GET /actions/triggers`, instead of hard-coding "v2"/"node18" as the plugin did.
 */
export function pickPostLoginTarget(
  triggers: readonly Management.ActionTrigger[],
): PostLoginTarget {
  const postLogin = triggers.filter((t) => t.id === POST_LOGIN && t.version);
  if (postLogin.length === 0)
    throw new TriggerError(
      'the tenant lists no "post-login" trigger (GET /api/v2/actions/triggers); Actions may be disabled for it',
    );
  const versionNumber = (t: Management.ActionTrigger) =>
    Number(/(\d+)/.exec(t.version ?? "")?.[1] ?? 0);
  const isCurrent = (t: Management.ActionTrigger) =>
    (t.status ?? "").toLowerCase() === "current";
  const isDeprecated = (t: Management.ActionTrigger) =>
    /deprecated|retired/i.test(t.status ?? "");
  const pool = postLogin.some(isCurrent)
    ? postLogin.filter(isCurrent)
    : postLogin.some((t) => !isDeprecated(t))
      ? postLogin.filter((t) => !isDeprecated(t))
      : postLogin;
  const trigger = [...pool].sort(
    (a, b) => versionNumber(b) - versionNumber(a),
  )[0];
  const node = (runtime: string) =>
    Number(/^node(\d+)/.exec(runtime)?.[1] ?? Number.NaN);
  const runtimes = (trigger.runtimes ?? []).filter(
    (r) => !Number.isNaN(node(r)),
  );
  if (runtimes.length === 0 && !trigger.default_runtime)
    throw new TriggerError(
      `the "post-login" trigger ${trigger.version} lists no Node runtime`,
    );
  const newest = [...runtimes].sort(
    (a, b) =>
      node(b) - node(a) ||
      Number(b === trigger.default_runtime) -
        Number(a === trigger.default_runtime) ||
      a.length - b.length,
  )[0];
  return {
    version: trigger.version as string,
    runtime: newest ?? (trigger.default_runtime as string),
  };
}
