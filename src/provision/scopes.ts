/**
 * The Management API scope each operation of `provision` needs. Error messages use it when
 * Auth0's 403 does not name the scope itself; a test checks that the README lists every one.
 */

/** The operations `provision` performs, as named in errors and in management.ts. */
export type Operation =
  | "list-apis"
  | "create-api"
  | "list-applications"
  | "create-application"
  | "update-application"
  | "list-triggers"
  | "list-actions"
  | "get-action"
  | "create-action"
  | "update-action"
  | "deploy-action"
  | "list-bindings"
  | "update-bindings"
  | "list-connections"
  | "create-connection"
  | "list-connection-clients"
  | "enable-connection"
  | "get-mfa-policies"
  | "set-mfa-policies"
  | "list-mfa-factors"
  | "enable-mfa-factor"
  | "list-roles"
  | "create-role"
  | "find-users-by-email"
  | "list-user-roles"
  | "assign-user-roles";

/** The scope each operation needs. */
export const OPERATION_SCOPES: Readonly<Record<Operation, string>> = {
  "list-apis": "read:resource_servers",
  "create-api": "create:resource_servers",
  "list-applications": "read:clients",
  "create-application": "create:clients",
  "update-application": "update:clients",
  "list-triggers": "read:actions",
  "list-actions": "read:actions",
  "get-action": "read:actions",
  "create-action": "create:actions",
  "update-action": "update:actions",
  "deploy-action": "update:actions",
  "list-bindings": "read:triggers",
  "update-bindings": "update:triggers",
  "list-connections": "read:connections",
  "create-connection": "create:connections",
  "list-connection-clients": "read:connections",
  "enable-connection": "update:connections",
  "get-mfa-policies": "read:mfa_policies",
  "set-mfa-policies": "update:mfa_policies",
  "list-mfa-factors": "read:guardian_factors",
  "enable-mfa-factor": "update:guardian_factors",
  "list-roles": "read:roles",
  "create-role": "create:roles",
  "find-users-by-email": "read:users",
  // Auth0 accepts any of read:users, read:roles, read:role_members; read:roles is needed anyway.
  "list-user-roles": "read:roles",
  // Auth0 accepts update:users or create:role_members; the latter cannot edit anything else.
  "assign-user-roles": "create:role_members",
};
