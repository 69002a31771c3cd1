/**
 * The security-relevant choices of a run, said out loud: which issuer and audience the converted
 * servers trust, how token identities become users, where the admin keeps tokens; and warnings
 * for settings or app code that weaken them. Read-only: it only reads the config and the files it
 * names (grants.json, vite.config.ts).
 */
import type { Config } from "../config/schema";
import { defaultRolesClaim, type ResolvedAuth0 } from "../config/resolve";
import type { AppProfile } from "../detect/detect";
import type { ReadTree } from "../tree/read-tree";
import { inService } from "../config/service-path";
import { GRANTS_FILE, grantRoles } from "../../transforms/lib/grants";

export interface SecurityWarning {
  /** The file it is about, relative to the repository, when there is one. */
  file?: string;
  message: string;
  fix: string;
}

export interface SecurityNotes {
  /** Setting name → what it is, in a few words. */
  settings: Array<[string, string]>;
  warnings: SecurityWarning[];
}

interface Grant {
  role?: unknown;
  resource?: unknown;
  action?: unknown;
}

export function securityNotes(
  config: Config,
  auth0: ResolvedAuth0,
  services: AppProfile[],
  tree: ReadTree,
): SecurityNotes {
  const { user, admin } = config;
  const roles =
    user.defaultRoles.length > 0 ? user.defaultRoles.join(", ") : "none";
  const settings: Array<[string, string]> = [
    ["issuer", auth0.issuer],
    ["audience", auth0.audience],
    ["email claims", `${auth0.emailClaim}, ${auth0.emailVerifiedClaim}`],
    [
      "users",
      `${user.subjectField ? `bound to the token's sub in ${user.subjectField}, ` : ""}found by verified email in ${user.emailField}; ${
        user.createMissingUsers
          ? `created on first login with roles: ${roles}`
          : "never created by a login"
      }`,
    ],
    [
      "roles",
      `${
        auth0.rolesClaim
          ? `from Auth0, in the token's ${auth0.rolesClaim} claim`
          : "from the database"
      }; first administrators: ${user.admins.length > 0 ? user.admins.join(", ") : "none"}`,
    ],
  ];
  // The admin's settings, where an admin is converted (a server-only service has none).
  const admins = services.some((p) => !p.unsupported && p.admin);
  if (admins)
    settings.push([
      "admin tokens",
      `kept in ${admin.cacheLocation}, refresh tokens ${admin.useRefreshTokens ? "on" : "off"}`,
    ]);

  const warnings: SecurityWarning[] = [];
  if (new URL(auth0.issuer).protocol === "http:") {
    warnings.push({
      message: `the issuer ${auth0.issuer} is http: fine for a local test issuer, never for a real tenant`,
      fix: 'set auth0.issuer to "https://<your Auth0 domain>/" (or remove it: it follows auth0.domain)',
    });
  }
  if (!user.subjectField) {
    // Email mode: Auth0 lets one address sign in through several connections (a password, a
    // social login), each its own identity, and every one of them becomes this user.
    warnings.push({
      message: `users are found by email (${user.emailField}): any identity of the tenant with the same verified email, from any connection, signs in as the same user, admins included`,
      fix: "for apps with privileged users, add a unique optional text field (such as auth0Id) to the auth entity and set user.subjectField to it: users are then bound to one Auth0 `sub`",
    });
  }
  const localLoginKept = (
    ["server/remove-local-login", "server/auth-module-local-login"] as const
  ).filter((id) => config.rules[id] === "off");
  if (localLoginKept.length > 0) {
    warnings.push({
      message: `${localLoginKept.join(" and ")} ${localLoginKept.length === 1 ? "is" : "are"} off: the local login stays beside Auth0: its route still checks usernames and passwords against the database (the tokens it hands out are refused: the server takes Auth0's only), and the JWT secret stays in its settings`,
      fix: "move the code that uses the local login off it, then turn the rule back on",
    });
  }
  if (auth0.rolesClaim === AUTH0_PERMISSIONS_CLAIM) {
    // Auth0 fills it itself (RBAC's "Add Permissions in the Access Token"); an Action cannot.
    warnings.push({
      message: `user.roles.claim is "${AUTH0_PERMISSIONS_CLAIM}": Auth0 puts the API's permission names there (such as read:orders), not role names, and the converted server keeps only the roles of src/grants.json: a user whose permissions name none of them gets no role (403 on every guarded route)`,
      fix: `remove user.roles.claim: its default, ${defaultRolesClaimOf(config)}, is the claim the post-login Action of \`provision\` (or the one in the README's "Setting up Auth0 by hand") fills with the user's Auth0 role names; keep "${AUTH0_PERMISSIONS_CLAIM}" only if your API's permissions are named after the roles of src/grants.json`,
    });
  }
  if (user.admins.length === 0 && user.defaultRoles.length === 0) {
    warnings.push({
      message:
        "user.admins is empty: nobody gets a role, so nobody can read or write anything until someone grants one by hand",
      fix: auth0.rolesClaim
        ? "add the first administrators' emails to user.admins and run `amplication-auth0 provision`, which assigns them user.adminRoles in Auth0; or assign roles in Auth0 (User Management, Roles)"
        : "add the first administrators' emails to user.admins: the converted scripts/seed.ts gives them user.adminRoles",
    });
  }
  if (admins && admin.cacheLocation === "localstorage") {
    warnings.push({
      message:
        'admin.cacheLocation is "localstorage": any script on the admin\'s pages can read the tokens' +
        (admin.useRefreshTokens ? ", refresh tokens included" : ""),
      fix: 'use "memory" (the default)',
    });
  }
  if (admins && admin.useRefreshTokens) {
    warnings.push({
      message: "admin.useRefreshTokens is on",
      fix: "turn on refresh token rotation for the admin's application in Auth0",
    });
  }
  for (const profile of services) {
    if (profile.unsupported) continue;
    if (user.createMissingUsers) {
      warnings.push(...roleWarnings(profile, user.defaultRoles, tree));
    }
    // With roles from the database, the seed rule refuses an unknown role (server/seed-admins).
    if (auth0.rolesClaim && user.admins.length > 0 && user.adminRoles) {
      const unknown = unknownRoles(profile, user.adminRoles, tree);
      if (unknown)
        warnings.push({
          file: unknown.file,
          message: `user.adminRoles names ${unknown.roles.map((role) => `"${role}"`).join(", ")}, which ${unknown.file} does not have: \`provision\` would assign ${unknown.roles.length === 1 ? "it" : "them"} in Auth0, and the converted server ignores a role it does not know: the first administrators would not get ${unknown.roles.length === 1 ? "it" : "them"}`,
          fix: `name roles of ${unknown.file} in user.adminRoles (it has ${unknown.known.map((role) => `"${role}"`).join(", ") || "none"})`,
        });
    }
    const vite = profile.admin && viteEnvWarning(profile.admin.root, tree);
    if (vite) warnings.push(vite);
  }
  return { settings, warnings };
}

/** The access-token claim Auth0's RBAC lists the user's permissions in. */
const AUTH0_PERMISSIONS_CLAIM = "permissions";

/** The default roles claim, or what it is made of when the config cannot name it. */
function defaultRolesClaimOf(config: Config): string {
  try {
    return `"${defaultRolesClaim(config)}"`;
  } catch {
    // auth0.audience is not a URL and user.claims.namespace is not set
    return "<user.claims.namespace>roles (set user.claims.namespace)";
  }
}

/** The server's src/grants.json, or undefined when it does not parse (a rule says so). */
function grantsOf(
  profile: AppProfile,
  tree: ReadTree,
): { file: string; grants: Grant[] } | undefined {
  const file = inService(profile.server.root, GRANTS_FILE);
  try {
    const parsed = JSON.parse(tree.read(file) ?? "[]") as unknown;
    return { file, grants: Array.isArray(parsed) ? (parsed as Grant[]) : [] };
  } catch {
    return undefined;
  }
}

/** The roles of `roles` the server's grants.json does not name, if any. */
function unknownRoles(
  profile: AppProfile,
  roles: string[],
  tree: ReadTree,
): { file: string; roles: string[]; known: string[] } | undefined {
  const grants = grantRoles({ profile, tree });
  if ("problem" in grants) return undefined; // a rule refuses the file
  const unknown = roles.filter((role) => !grants.roles.includes(role));
  return unknown.length > 0
    ? {
        file: inService(profile.server.root, GRANTS_FILE),
        roles: unknown,
        known: grants.roles,
      }
    : undefined;
}

/** Default roles that the app's grants.json lets do anything to any record. */
function roleWarnings(
  profile: AppProfile,
  defaultRoles: string[],
  tree: ReadTree,
): SecurityWarning[] {
  if (defaultRoles.length === 0) return [];
  const found = grantsOf(profile, tree);
  if (!found) return [];
  const { file, grants } = found;
  return defaultRoles.flatMap((role) => {
    const any = grants.filter(
      (g) =>
        g.role === role &&
        typeof g.action === "string" &&
        g.action.endsWith(":any"),
    );
    if (any.length === 0) return [];
    const actions = [
      ...new Set(any.map((g) => String(g.action).split(":")[0])),
    ].sort();
    const resources = new Set(any.map((g) => String(g.resource))).size;
    // Writing any record of the auth entity includes its roles field: every role there is.
    const entity = profile.server.entity?.name;
    const ownRoles = any.some(
      (g) =>
        g.resource === entity && /^(create|update):any$/.test(String(g.action)),
    )
      ? `, among them the ${entity} records whose roles field grants roles, so a new user can give themselves any role`
      : "";
    return [
      {
        file,
        message: `new users get the role "${role}", which may ${actions.join("/")} any record of ${resources} resource(s)${ownRoles}: anyone who can sign in to the tenant gets that`,
        fix:
          'leave user.defaultRoles empty and grant roles by hand, or give "' +
          role +
          '" fewer permissions in Amplication',
      },
    ];
  });
}

/**
 * The generated vite.config.ts defines `process.env` as the whole build environment: every
 * variable of the machine that builds the admin ends up in the bundle wherever code reads
 * `process.env`.
 */
function viteEnvWarning(
  adminRoot: string,
  tree: ReadTree,
): SecurityWarning | undefined {
  for (const name of ["vite.config.ts", "vite.config.js", "vite.config.mts"]) {
    const file = inService(adminRoot, name);
    const text = tree.read(file);
    if (text === undefined) continue;
    if (/["']process\.env["']\s*:\s*process\.env\b/.test(text)) {
      return {
        file,
        message:
          'define: { "process.env": process.env } puts every environment variable of the build machine into the bundle where code reads process.env',
        fix: "define only the variables the admin needs, or read them from import.meta.env (VITE_ prefix)",
      };
    }
    return undefined;
  }
  return undefined;
}

export function formatSecurityNotes(
  notes: SecurityNotes,
  c: {
    bold(s: string): string;
    yellow(s: string): string;
    dim(s: string): string;
  },
): string {
  const width = Math.max(...notes.settings.map(([name]) => name.length));
  const lines = [c.bold("Security settings:")];
  for (const [name, value] of notes.settings) {
    lines.push(`  ${name.padEnd(width)}  ${value}`);
  }
  for (const warning of notes.warnings) {
    lines.push(
      c.yellow(
        `  ! ${warning.file ? `${warning.file}: ` : ""}${warning.message}`,
      ),
    );
    lines.push(c.dim(`    fix: ${warning.fix}`));
  }
  return lines.join("\n");
}
