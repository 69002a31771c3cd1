/**
 * The roles part of `provision`: an Auth0 role for each role of each service's src/grants.json
 * (the union over the services apply converts) and for each of `provision.roles`, and, with
 * `user.roles.source: "auth0"`, the roles of the first administrators (`user.admins`).
 *
 * - Roles are found by exact name (every page of the name-filtered list, which Auth0 matches
 *   loosely and without case); a missing one is created. provision never deletes, renames or
 *   changes a role, and never looks at the roles it did not ask for.
 * - Administrators are found by email. Only users whose email is verified get roles: anyone can
 *   sign up with an address they do not own, so an unverified account with an administrator's
 *   email is not taken to be that administrator (the same rule as the server's, which links a
 *   user by email only when the token says it is verified). When several verified users share
 *   the email (one per connection), each gets the roles, and the run says so. A missing user is
 *   reported with the fix, not created. Only the roles a user lacks are assigned: a second run
 *   sends no write request.
 * - Their roles are `user.adminRoles`, by default every role of src/grants.json, resolved by the
 *   seed rule's own function (server/seed-admins), per service; the union is assigned.
 */
import type { Management } from "auth0";
import type { Config } from "../config/schema";
import { resolveAuth0 } from "../config/resolve";
import { detectService, findServices, type AppProfile } from "../detect/detect";
import type { RuleContext } from "../plan/rule";
import { DiskTree } from "../tree/disk-tree";
import { GRANTS_FILE, grantRoles } from "../../transforms/lib/grants";
import { adminRoles } from "../../transforms/server/seed-admins";
import { SourceParser } from "../../transforms/lib/parser";
import { SourceSearch } from "../../transforms/lib/source-files";
import type { Tenant } from "./management";
import { ProvisionError, type StepReport } from "./report";
import { inService } from "../config/service-path";

const PAGE = 50;

/** The description of the roles provision creates. */
export const ROLE_DESCRIPTION =
  "A role of the app's src/grants.json. Created by amplication-auth0 provision.";

export interface WantedRole {
  name: string;
  /** Where the name comes from: grants files (repository paths) and/or "provision.roles". */
  from: string[];
}

export interface RolesWanted {
  roles: WantedRole[];
  /** With source "auth0": the administrators and the roles they get. */
  admins?: { emails: string[]; roles: string[] };
  notes: string[];
  warnings: string[];
}

/**
 * Reads the repository: the roles of every service apply converts (or has converted), plus
 * provision.roles, and the administrators' roles. Sends nothing; a grants file that cannot
 * give its roles, or a user.adminRoles entry a service does not have, stops the run here.
 */
export function rolesWanted(root: string, config: Config): RolesWanted {
  const tree = new DiskTree(root);
  const profiles = findServices(tree, config)
    .map((service) => detectService(tree, service, config))
    .filter((profile) => !profile.unsupported);
  const auth0 = resolveAuth0(config);
  const parser = new SourceParser();
  const sources = new SourceSearch(tree);
  const contextOf = (profile: AppProfile): RuleContext => ({
    config,
    auth0,
    profile,
    tree,
    parser,
    sources,
  });
  const notes: string[] = [];
  const warnings: string[] = [];
  const from = new Map<string, string[]>();
  const add = (name: string, source: string) =>
    from.set(name, [...(from.get(name) ?? []), source]);
  for (const profile of profiles) {
    const grants = grantRoles(contextOf(profile));
    if ("problem" in grants)
      throw new ProvisionError(
        `${grants.problem}; provision creates the Auth0 roles it names. Restore the generated ${GRANTS_FILE}, ` +
          `or list only the services to convert under "services" in the config.`,
      );
    for (const role of grants.roles)
      add(role, inService(profile.server.root, GRANTS_FILE));
  }
  for (const role of config.provision.roles) add(role, "provision.roles");
  if (profiles.length === 0)
    notes.push(
      `no convertible Amplication service was found in ${root}, so no ${GRANTS_FILE} gives roles: ` +
        `only provision.roles are created. Run provision in the repository's root folder to create the app's roles.`,
    );
  const roles = [...from]
    .map(([name, sources]) => ({ name, from: sources }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const { admins, roles: source } = config.user;
  if (source.source === "database") {
    if (admins.length > 0)
      notes.push(
        `user.roles.source is "database": the converted scripts/seed.ts gives user.admins their roles in the ` +
          `database; provision assigns no role in Auth0`,
      );
    return { roles, notes, warnings };
  }
  if (admins.length === 0) {
    notes.push(
      `user.admins is empty: provision assigns no role; assign them in Auth0 (User Management > Users > Roles)`,
    );
    return { roles, notes, warnings };
  }
  if (profiles.length === 0) {
    warnings.push(
      `the first administrators (user.admins) get no role: their roles come from ${GRANTS_FILE} (and ` +
        `user.adminRoles must name roles it has), and no service was found. Run provision in the repository's root folder.`,
    );
    return { roles, notes, warnings };
  }
  const adminRoleSet = new Set<string>();
  for (const profile of profiles) {
    const resolved = adminRoles(contextOf(profile), (reason, fix) => {
      throw new ProvisionError(`${profile.server.root}: ${reason}; ${fix}.`);
    });
    for (const role of resolved) adminRoleSet.add(role);
  }
  return {
    roles,
    admins: { emails: admins, roles: [...adminRoleSet].sort() },
    notes,
    warnings,
  };
}

export interface RolePlan extends WantedRole {
  existing?: { id: string; name: string };
}

export interface AdminPlan {
  email: string;
  userId: string;
  /** The administrator roles the user has not been assigned yet. */
  missing: string[];
}

export interface RolesPlan {
  roles: RolePlan[];
  admins: AdminPlan[];
  warnings: string[];
}

/** Reads the roles and the administrators' users and roles. Sends GET requests only. */
export async function planRoles(
  tenant: Tenant,
  wanted: RolesWanted,
): Promise<RolesPlan> {
  const sdk = tenant.sdk;
  const warnings: string[] = [];
  const roles: RolePlan[] = [];
  for (const role of wanted.roles) {
    const found = await tenant.all(
      "list-roles",
      `find the role "${role.name}"`,
      () =>
        sdk.roles.list({
          name_filter: role.name,
          page: 0,
          per_page: PAGE,
          include_totals: true,
        }),
    );
    // Organization roles are another organization's business; a tenant role is ours.
    const tenantRoles = found.filter((r) => !r.type || r.type === "tenant");
    const exact = tenantRoles.find((r) => r.name === role.name);
    if (exact?.id) {
      roles.push({ ...role, existing: { id: exact.id, name: role.name } });
      continue;
    }
    const cased = tenantRoles.find(
      (r) => r.name?.toLowerCase() === role.name.toLowerCase(),
    );
    if (cased)
      warnings.push(
        `the role "${cased.name}" exists in Auth0, but the app's role is "${role.name}" and role names are compared ` +
          `exactly (a token's "${cased.name}" is ignored by the server); provision creates "${role.name}" and leaves "${cased.name}" as it is`,
      );
    roles.push(role);
  }

  const admins: AdminPlan[] = [];
  if (wanted.admins)
    for (const email of wanted.admins.emails) {
      const users = await usersByEmail(tenant, email);
      if (users.length === 0) {
        warnings.push(
          `user.admins: no Auth0 user has the email ${email}, so no role was assigned to it. ` +
            `Sign in once or create the user in Auth0, then run provision again.`,
        );
        continue;
      }
      const verified = users.filter((u) => u.email_verified === true);
      const unverified = users.filter((u) => u.email_verified !== true);
      if (unverified.length > 0)
        warnings.push(
          `user.admins: ${describeUsers(unverified)} with the email ${email} ${
            unverified.length === 1 ? "has" : "have"
          } not verified it, so no role was assigned to ${unverified.length === 1 ? "it" : "them"} ` +
            `(anyone can sign up with an address they do not own). Verify the email in Auth0 ` +
            `(the user's page: Send verification email), then run provision again.`,
        );
      if (verified.length > 1)
        warnings.push(
          `user.admins: ${verified.length} Auth0 users have the verified email ${email} (${verified
            .map((u) => u.user_id)
            .join(", ")}); each gets the administrator roles`,
        );
      for (const user of verified) {
        const userId = user.user_id as string;
        // The same user under two spellings of user.admins: planned once.
        if (admins.some((a) => a.userId === userId)) continue;
        const current = await tenant.all(
          "list-user-roles",
          `read the roles of the Auth0 user ${userId} (${email})`,
          () =>
            sdk.users.roles.list(userId, {
              page: 0,
              per_page: PAGE,
              include_totals: true,
            }),
        );
        const has = new Set(current.map((r) => r.name));
        admins.push({
          email,
          userId,
          missing: wanted.admins.roles.filter((r) => !has.has(r)),
        });
      }
    }
  return { roles, admins, warnings };
}

/**
 * The users with this email. Auth0 matches it exactly, and stores the emails of its own
 * database users in lower case: an address given with capitals is looked up both ways.
 */
async function usersByEmail(
  tenant: Tenant,
  email: string,
): Promise<Management.UserResponseSchema[]> {
  const users: Management.UserResponseSchema[] = [];
  for (const address of new Set([email, email.toLowerCase()])) {
    const found = await tenant.call(
      "find-users-by-email",
      `find the Auth0 users with the email ${address}`,
      () =>
        tenant.sdk.users.listUsersByEmail({
          email: address,
          fields: "user_id,email,email_verified",
          include_fields: true,
        }),
    );
    for (const user of found)
      if (user.user_id && !users.some((u) => u.user_id === user.user_id))
        users.push(user);
  }
  return users;
}

function describeUsers(users: Management.UserResponseSchema[]): string {
  return users.length === 1
    ? `the Auth0 user ${users[0].user_id}`
    : `the Auth0 users ${users.map((u) => u.user_id).join(", ")}`;
}

/** The reports of the roles plan, future or (`past`) done; `done` starts false. */
export function rolesReports(
  plan: RolesPlan,
  wanted: RolesWanted,
  past = false,
): StepReport[] {
  const tense = (future: string, done: string) => (past ? done : future);
  const reports: StepReport[] = plan.roles.map((role) => ({
    kind: "role",
    name: `"${role.name}"`,
    id: role.existing?.id,
    change: role.existing ? "keep" : "create",
    details: [`from ${role.from.join(", ")}`],
    done: false,
  }));
  for (const admin of plan.admins)
    reports.push({
      kind: "admin",
      name: `${admin.email} (${admin.userId})`,
      change: admin.missing.length > 0 ? "update" : "keep",
      details:
        admin.missing.length > 0
          ? [`${tense("assign", "assigned")} ${admin.missing.join(", ")}`]
          : [`has ${wanted.admins?.roles.join(", ")}`],
      done: false,
    });
  return reports;
}

/** Creates a planned role; returns its id. */
export async function createRole(
  tenant: Tenant,
  role: RolePlan,
): Promise<string> {
  const created = await tenant.call(
    "create-role",
    `create the role "${role.name}"`,
    () =>
      tenant.sdk.roles.create({
        name: role.name,
        description: ROLE_DESCRIPTION,
      }),
  );
  if (!created.id)
    throw new ProvisionError(
      `create the role "${role.name}": the answer has no id`,
    );
  return created.id;
}

/** Assigns the roles an administrator lacks, by the ids of the (found or created) roles. */
export async function assignAdminRoles(
  tenant: Tenant,
  admin: AdminPlan,
  roleIds: ReadonlyMap<string, string>,
): Promise<void> {
  const ids = admin.missing.map((name) => {
    const id = roleIds.get(name);
    if (!id)
      throw new ProvisionError(
        `assign the role "${name}" to ${admin.email}: the role has no id`,
      );
    return id;
  });
  await tenant.call(
    "assign-user-roles",
    `assign ${admin.missing.join(", ")} to the Auth0 user ${admin.userId} (${admin.email})`,
    () => tenant.sdk.users.roles.assign(admin.userId, { roles: ids }),
  );
}
