/**
 * Settings derived from the config, computed in one place so the server code, the admin code,
 * provisioning and the reports all agree (issuer form, JWKS URL, claim names).
 */
import type { Config } from "./schema";

export interface ResolvedAuth0 {
  domain: string;
  /** Only the admin uses it: a config for servers alone may leave it out. */
  clientId?: string;
  audience: string;
  /** Exact issuer string, always ending with "/". */
  issuer: string;
  jwksUri: string;
  emailClaim: string;
  emailVerifiedClaim: string;
  /** The access-token claim with the Auth0 role names; only when user.roles.source is "auth0". */
  rolesClaim?: string;
}

export class ConfigResolutionError extends Error {
  constructor(
    /** The JSON path of the setting to fix, such as "user.claims.namespace". */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export function resolveAuth0(config: Config): ResolvedAuth0 {
  const { domain, clientId, audience } = config.auth0;
  const issuer = config.auth0.issuer ?? `https://${domain}/`;
  let jwksUri: string;
  try {
    jwksUri = new URL(".well-known/jwks.json", issuer).toString();
  } catch {
    // The schema checks both; this stays a config error should a form slip through.
    throw new ConfigResolutionError(
      config.auth0.issuer ? "auth0.issuer" : "auth0.domain",
      `"${issuer}" is not a URL the JWKS can be fetched from`,
    );
  }
  let emailClaim: string;
  let emailVerifiedClaim: string;
  if (config.user.claims.style === "user-object") {
    emailClaim = "user.email";
    emailVerifiedClaim = "user.email_verified";
  } else {
    const namespace =
      config.user.claims.namespace ?? defaultNamespace(audience);
    assertNamespaceAuth0Accepts(namespace, config);
    emailClaim = `${namespace}email`;
    emailVerifiedClaim = `${namespace}email_verified`;
  }
  const roles = config.user.roles;
  const rolesClaim =
    roles.source !== "auth0"
      ? undefined
      : (roles.claim ?? defaultRolesClaim(config));
  // The Action sets each claim once: one claim cannot hold both the roles and the email.
  if (rolesClaim === emailClaim || rolesClaim === emailVerifiedClaim) {
    throw new ConfigResolutionError(
      "user.roles.claim",
      `"${rolesClaim}" is the claim of the email${rolesClaim === emailVerifiedClaim ? "'s verification" : ""}; name the claim your post-login Action puts the role names in, or leave user.roles.claim out for <namespace>roles`,
    );
  }
  // Auth0 drops, without an error, what an Action sets in a claim it reserves, so such a roles
  // claim would reach the server in no token. Auth0 fills `permissions` itself (a warning says
  // what that means, see report/security.ts).
  if (
    rolesClaim !== undefined &&
    rolesClaim !== "permissions" &&
    AUTH0_RESTRICTED_CLAIMS.includes(rolesClaim)
  ) {
    throw new ConfigResolutionError(
      "user.roles.claim",
      `"${rolesClaim}" is a claim Auth0 reserves: a post-login Action cannot set it (Auth0 leaves it out of the token without an error), so no user would get a role; leave user.roles.claim out for <namespace>roles, the claim the Action of \`provision\` sets, or name a claim under your namespace`,
    );
  }
  return {
    domain,
    clientId,
    audience,
    issuer,
    jwksUri,
    emailClaim,
    emailVerifiedClaim,
    rolesClaim,
  };
}

/**
 * The claims Auth0 lets no Action set (its documentation's "restricted claims", under "Create
 * Custom Claims"): the JWT's own, OpenID's, and those Auth0 uses itself.
 */
const AUTH0_RESTRICTED_CLAIMS: readonly string[] = [
  "acr",
  "act",
  "active",
  "amr",
  "at_hash",
  "ath",
  "attest",
  "aud",
  "auth_time",
  "authorization_details",
  "azp",
  "c_hash",
  "client_id",
  "cnf",
  "cty",
  "dest",
  "entitlements",
  "events",
  "exp",
  "groups",
  "gty",
  "htm",
  "htu",
  "iat",
  "internalService",
  "iss",
  "jcard",
  "jku",
  "jti",
  "jwe",
  "jwk",
  "kid",
  "may_act",
  "mky",
  "nbf",
  "nonce",
  "object_id",
  "org_id",
  "org_name",
  "orig",
  "origid",
  "permissions",
  "roles",
  "rph",
  "s_hash",
  "sid",
  "sip_callid",
  "sip_cseq_num",
  "sip_date",
  "sip_from_tag",
  "sip_via_branch",
  "sub",
  "sub_jwk",
  "toe",
  "txn",
  "typ",
  "uuid",
  "vot",
  "vtm",
  "x5t#S256",
];

/** user.roles.claim left out: <namespace>roles, the claim provision's Action sets. */
export function defaultRolesClaim(config: Config): string {
  return `${config.user.claims.namespace ?? defaultNamespace(config.auth0.audience)}roles`;
}

/**
 * Auth0 drops, without an error, the claims an Action sets under a namespace on its own domains
 * (auth0.com, webtask.io, webtask.run), so no token would carry the email and no one could sign
 * in. A default namespace there comes from an audience on an Auth0 domain: the Management API's,
 * not the app's own API.
 */
function assertNamespaceAuth0Accepts(namespace: string, config: Config): void {
  let host: string;
  try {
    host = new URL(namespace).hostname;
  } catch {
    return; // the schema checks its form
  }
  if (!/(^|\.)(auth0\.com|webtask\.io|webtask\.run)$/.test(host)) return;
  const given = config.user.claims.namespace !== undefined;
  throw new ConfigResolutionError(
    given ? "user.claims.namespace" : "auth0.audience",
    given
      ? `"${namespace}" is on an Auth0 domain, which Auth0 does not take as a claim namespace: it leaves such claims out of the token without an error, so no user could sign in; set it to a URL you own ending with "/", such as "https://api.acme.example/"`
      : `"${config.auth0.audience}" is on an Auth0 domain (an API of Auth0's own, such as its Management API): the audience is the identifier of your app's API (Applications → APIs in the Auth0 dashboard, or what \`provision\` creates), such as "https://api.acme.example"; and Auth0 drops the claims under a namespace on its domains`,
  );
}

/** Auth0 wants claim namespaces to be URLs it does not own; the API audience usually is one. */
function defaultNamespace(audience: string): string {
  if (/^https?:\/\/\S+$/.test(audience))
    return audience.endsWith("/") ? audience : `${audience}/`;
  throw new ConfigResolutionError(
    "user.claims.namespace",
    `user.claims.namespace is required because auth0.audience "${audience}" is not a URL; ` +
      `set it to a URL you own ending with "/", such as "https://api.acme.example/"`,
  );
}
