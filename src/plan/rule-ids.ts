/**
 * Every rule's id, in the order the rules run: the one list the config schema, the rule table
 * (rules.ts) and the fixtures (__testfixtures__/<id>/) go by. It imports nothing, so the config
 * schema can name the ids without loading the rules.
 */
export const RULE_IDS = [
  "server/auth-module-passport-jwt",
  "server/auth-module-local-login",
  "server/auth-resolver-userinfo",
  "server/auth0-payload-type",
  "server/jwt-strategy-base",
  "server/jwt-strategy",
  "server/jwt-auth-guard-no-role",
  "server/seed-admins",
  "server/custom-seed-sample",
  "server/remove-local-login",
  "server/constants-jwt-secret",
  "server/secrets-jwt-key",
  "server/package-json-jwks-rsa",
  "server/package-json-passport-jwt",
  "server/package-json-unused-auth-deps",
  "server/env-auth0",
  "server/env-jwt-secret",
  "server/docker-compose-auth0",
  "admin/auth-provider-auth0",
  "admin/app-auth-provider",
  "admin/no-role-layout",
  "admin/app-no-role-layout",
  "admin/graphql-data-provider",
  "admin/login-form-auth0",
  "admin/remove-jwt-auth-files",
  "admin/package-json-auth0-spa-js",
  "admin/env-auth0",
] as const;

export type RuleId = (typeof RULE_IDS)[number];
