/**
 * The ruleset: one row per rule, in the order rules run. Adding a rule means adding its
 * transform or edit under transforms/, a row here and fixtures under __testfixtures__/<id>/.
 *
 * Operations are loaded lazily so that reading this table (the config schema does, for the
 * rule ids) never loads jscodeshift.
 */
import type { Rule } from "./rule";

export const RULES = [
  {
    id: "server/auth-module-passport-jwt",
    target: "server",
    description:
      'AuthModule registers PassportModule with defaultStrategy "jwt"',
    files: ["src/auth/auth.module.ts"],
    operation: {
      kind: "transform",
      load: () =>
        require("../../transforms/server/auth-module-passport-jwt").default,
    },
  },
  {
    id: "server/auth-module-local-login",
    target: "server",
    description:
      "AuthModule drops JwtModule, the secret, AuthService, TokenService and AuthController, and registers AuthResolver",
    files: ["src/auth/auth.module.ts"],
    operation: {
      kind: "transform",
      load: () => require("../../transforms/server/auth-module-local-login").default,
    },
  },
  {
    id: "server/auth-resolver-userinfo",
    target: "server",
    description: "AuthResolver keeps the userInfo query; the login mutation and AuthService go",
    files: ["src/auth/auth.resolver.ts"],
    operation: {
      kind: "transform",
      load: () => require("../../transforms/server/auth-resolver-userinfo").default,
    },
  },
  {
    id: "server/package-json-jwks-rsa",
    target: "server",
    description:
      "package.json depends on jwks-rsa 3 (the generated servers run Node 18)",
    files: ["package.json"],
    operation: {
      kind: "edit",
      load: () =>
        require("../../transforms/server/package-json-jwks-rsa").default,
    },
  },
  {
    id: "server/env-auth0",
    target: "server",
    description: ".env holds AUTH0_AUDIENCE and AUTH0_ISSUER_URL",
    files: [".env"],
    operation: {
      kind: "edit",
      load: () => require("../../transforms/server/env-auth0").default,
    },
  },
] as const satisfies readonly Rule[];

export type RuleId = (typeof RULES)[number]["id"];

export const RULE_IDS = RULES.map((rule) => rule.id) as [RuleId, ...RuleId[]];

export function findRule(id: string): Rule | undefined {
  return (RULES as readonly Rule[]).find((rule) => rule.id === id);
}
