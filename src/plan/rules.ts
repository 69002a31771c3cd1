/**
 * The ruleset: one row per rule, keyed by the rule's id. The keys are the one list of rule ids:
 * the config schema gets them from here (configSchema / configLoader, called by the engine,
 * provision and the schema script), and the fixtures live under __testfixtures__/<id>/.
 * Adding a rule means adding a row here (and its transform or edit under transforms/) and
 * its fixtures.
 *
 * Operations are loaded lazily: planning a run (or listing the rules) loads no transform.
 */
import { KEY_READ } from "../../transforms/server/secrets-jwt-key";
import { moduleName } from "../../transforms/lib/source-files";
import { startsBelow } from "../../transforms/lib/package-json";
import { ensureDependency } from "../../transforms/verbs/ensure-dependency";
import { raiseDependency } from "../../transforms/verbs/raise-dependency";
import { deleteWhenUnimported } from "../../transforms/verbs/delete-when-unimported";
import { setEnv } from "../../transforms/verbs/set-env";
import {
  JWT_VARIABLES,
  SERVER_ENV_NAMES,
} from "../../transforms/server/env-names";
import { removeUnreadEnv } from "../../transforms/verbs/remove-unread-env";
import { removeUnusedDependencies } from "../../transforms/verbs/remove-unused-dependencies";
import { adminEnvNames } from "../../transforms/admin/env-names";
import type { Rule } from "./rule";

/**
 * One row per rule, in the order they are listed and reported; a service's rules run in this
 * order too, except that those that search the app's sources (`searches`) run after the others
 * (src/engine/convert.ts, runOrder). So a rule listed after a searching rule of its side, and
 * that does not search, writes no source file and none of that rule's files (a test holds the
 * table to it): then neither sees the other's work, whichever runs first. A loader is typed by
 * its module, so a row whose `kind` does not match what the module exports does not compile.
 */
const ROWS = {
  "server/auth-module-passport-jwt": {
    target: "server",
    description:
      'AuthModule registers PassportModule with defaultStrategy "jwt"',
    files: ["src/auth/auth.module.ts"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/server/auth-module-passport-jwt") as typeof import("../../transforms/server/auth-module-passport-jwt")
        ).default,
    },
  },
  "server/auth-module-local-login": {
    target: "server",
    description:
      "AuthModule drops JwtModule, the secret, AuthService, TokenService and AuthController, and registers AuthResolver",
    files: ["src/auth/auth.module.ts"],
    // it stops providing what remove-local-login deletes
    needs: ["server/remove-local-login"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/server/auth-module-local-login") as typeof import("../../transforms/server/auth-module-local-login")
        ).default,
    },
  },
  "server/auth-resolver-userinfo": {
    target: "server",
    description:
      "AuthResolver keeps the userInfo query; the login mutation and AuthService go",
    files: ["src/auth/auth.resolver.ts"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/server/auth-resolver-userinfo") as typeof import("../../transforms/server/auth-resolver-userinfo")
        ).default,
    },
  },
  "server/auth0-payload-type": {
    target: "server",
    description:
      "src/auth/jwt/base/Auth0Payload.ts types the access-token claims",
    files: ["src/auth/jwt/base/Auth0Payload.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/auth0-payload-type") as typeof import("../../transforms/server/auth0-payload-type")
        ).default,
    },
  },
  "server/jwt-strategy-base": {
    target: "server",
    description:
      "JwtStrategyBase verifies Auth0 tokens (JWKS, audience, issuer, RS256) and finds or creates the user",
    files: ["src/auth/jwt/base/jwt.strategy.base.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/jwt-strategy-base") as typeof import("../../transforms/server/jwt-strategy-base")
        ).default,
    },
  },
  "server/jwt-strategy": {
    target: "server",
    description:
      "JwtStrategy takes the ConfigService and validates with the Auth0 base; user members stay",
    files: ["src/auth/jwt/jwt.strategy.ts"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/server/jwt-strategy") as typeof import("../../transforms/server/jwt-strategy")
        ).default,
    },
  },
  "server/jwt-auth-guard-no-role": {
    target: "server",
    description:
      "JwtAuthGuard answers a signed-in user with no role with a 403 that says so (the access control would throw a 500)",
    files: ["src/auth/jwt/jwtAuth.guard.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/jwt-auth-guard-no-role") as typeof import("../../transforms/server/jwt-auth-guard-no-role")
        ).default,
    },
  },
  "server/seed-admins": {
    target: "server",
    description:
      "scripts/seed.ts upserts the first administrators (user.admins) by email with their roles, instead of admin/admin; no BCRYPT_SALT",
    files: ["scripts/seed.ts"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/server/seed-admins") as typeof import("../../transforms/server/seed-admins")
        ).default,
    },
  },
  "server/custom-seed-sample": {
    target: "server",
    description:
      "scripts/customSeed.ts, while still Amplication's sample, no longer updates the admin user the seed stopped creating",
    files: ["scripts/customSeed.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/custom-seed-sample") as typeof import("../../transforms/server/custom-seed-sample")
        ).default,
    },
  },
  "server/swagger-description": {
    target: "server",
    description:
      "the Swagger page says to call the API with an Auth0 access token, not the default admin user",
    files: ["src/swagger.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/swagger-description") as typeof import("../../transforms/server/swagger-description")
        ).default,
    },
  },
  "server/remove-local-login": {
    target: "server",
    description:
      "the files of the local login path go, when nothing that stays imports them",
    ...deleteWhenUnimported({
      files: [
        "src/auth/auth.controller.ts",
        "src/auth/auth.service.ts",
        "src/auth/auth.service.spec.ts",
        "src/auth/token.service.ts",
        "src/auth/base/token.service.base.ts",
        "src/auth/ITokenService.ts",
        "src/auth/LoginArgs.ts",
        "src/auth/constants.ts",
        "src/auth/jwt/jwtSecretFactory.ts",
        "src/auth/basic/basic.strategy.ts",
        "src/auth/basic/base/basic.strategy.base.ts",
        "src/auth/basic/basicAuth.guard.ts",
        "src/auth/gqlBasicAuth.guard.ts",
        "src/tests/auth/token.service.spec.ts",
        "src/tests/auth/basic/basic.strategy.spec.ts",
      ],
      whenImported: "refuse",
      partOf: "the local login path, which Auth0 replaces",
      fix: "move that code off the local login (Auth0 now issues the tokens), then run again",
      // The members the generator writes in the files users tend to extend, and every name the
      // generated file holds in any era ({Entity}: the auth entity's name, {entity} in camelCase;
      // read from the generated files of 2021 to 2025, among them 2022's `UserRoles` cast and
      // 2021's controller that checks the password): any other name is code a user wrote.
      generatedMembers: {
        "src/auth/token.service.ts": {
          className: "TokenService",
          members: ["decodeToken"],
          names: [
            "ITokenService",
            "TokenService",
            "TokenServiceBase",
            "bearer",
            "decodeToken",
            "jwtService",
            "username",
            "verify",
          ],
        },
        "src/auth/auth.service.ts": {
          className: "AuthService",
          members: ["constructor", "validateUser", "login"],
          names: [
            "AuthService",
            "Credentials",
            "Injectable",
            "PasswordService",
            "TokenService",
            "UnauthorizedException",
            "{Entity}Info",
            "{Entity}Roles",
            "{Entity}Service",
            "{entity}",
            "{entity}Service",
            "UserRoles",
            "accessToken",
            "compare",
            "createToken",
            "credentials",
            "findOne",
            "id",
            "login",
            "password",
            "passwordService",
            "roleList",
            "roles",
            "tokenService",
            "user",
            "username",
            "validateUser",
            "where",
          ],
        },
        "src/auth/auth.controller.ts": {
          className: "AuthController",
          members: ["constructor", "login"],
          names: [
            "ApiTags",
            "AuthController",
            "AuthService",
            "Body",
            "Controller",
            "Credentials",
            "Post",
            "UnauthorizedException",
            "{Entity}Info",
            "authService",
            "body",
            "login",
            // 2021: the controller checks the password itself
            "password",
            "user",
            "username",
            "validateUser",
          ],
        },
      },
    }),
  },
  "server/remove-jwt-strategy-spec": {
    target: "server",
    description:
      "the spec of the secret-based JwtStrategyBase goes with it, when nothing imports it",
    // it tests the constructor and validate that jwt-strategy-base replaces
    needs: ["server/jwt-strategy-base"],
    ...deleteWhenUnimported({
      files: ["src/tests/auth/jwt/jwt.strategy.spec.ts"],
      whenImported: "refuse",
      partOf:
        "the tests of the secret-based JWT strategy, which the Auth0 strategy replaces",
    }),
  },
  "server/constants-jwt-secret": {
    target: "server",
    description:
      "src/constants.ts loses the JWT secret constants nothing imports",
    files: ["src/constants.ts"],
    searches: ["constants"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/constants-jwt-secret") as typeof import("../../transforms/server/constants-jwt-secret")
        ).default,
    },
  },
  "server/secrets-jwt-key": {
    target: "server",
    description: "the secrets manager forgets the JWT secret key nothing reads",
    files: ["src/providers/secrets/secretsNameKey.enum.ts"],
    searches: [KEY_READ],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/secrets-jwt-key") as typeof import("../../transforms/server/secrets-jwt-key")
        ).default,
    },
  },
  "server/package-json-jwks-rsa": {
    target: "server",
    description:
      "package.json depends on jwks-rsa 3 (the generated servers run Node 18)",
    files: ["package.json"],
    operation: ensureDependency({
      name: "jwks-rsa",
      range: "^3.2.0",
      why: "jwks-rsa 4 needs Node >= 20.19 and does not load under Jest",
      turnOffIf: "the server runs Node >= 20.19",
    }),
  },
  "server/package-json-passport-jwt": {
    target: "server",
    description:
      "package.json asks for passport-jwt 4.0.1 or later (jsonwebtoken 9; 4.0.0 brings jsonwebtoken 8 and its CVEs)",
    files: ["package.json"],
    operation: raiseDependency({
      name: "passport-jwt",
      version: "4.0.1",
      belowBrings: "brings jsonwebtoken 8 (CVE-2022-23539, -23540, -23541)",
      otherMajor: "the converted strategy is written for passport-jwt 4",
      turnOffIf: "your lock file pins jsonwebtoken 9.0.3 or later",
    }),
  },
  "server/package-json-unused-auth-deps": {
    target: "server",
    description:
      "package.json drops @nestjs/jwt and passport-http once nothing imports them",
    files: ["package.json"],
    ...removeUnusedDependencies({
      "@nestjs/jwt": ["@nestjs/jwt"],
      "passport-http": ["passport-http", "@types/passport-http"],
    }),
  },

  "server/env-auth0": {
    target: "server",
    description: ".env holds AUTH0_AUDIENCE and AUTH0_ISSUER_URL",
    files: [".env"],
    operation: setEnv({
      // the issuer is derived from the domain unless the config gives it
      variables: ({ auth0 }) => ({
        [SERVER_ENV_NAMES.audience]: auth0.audience,
        [SERVER_ENV_NAMES.issuer]: auth0.issuer,
      }),
    }),
  },

  "server/env-jwt-secret": {
    target: "server",
    description:
      ".env drops JWT_SECRET_KEY and JWT_EXPIRATION once nothing reads them",
    files: [".env"],
    ...removeUnreadEnv(JWT_VARIABLES),
  },

  "server/docker-compose-auth0": {
    target: "server",
    description:
      "docker-compose passes the Auth0 settings to the server instead of the JWT secret",
    files: ["docker-compose.yml"],
    searches: JWT_VARIABLES,
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/server/docker-compose-auth0") as typeof import("../../transforms/server/docker-compose-auth0")
        ).default,
    },
  },
  "admin/auth-provider-auth0": {
    target: "admin",
    description:
      "src/auth-provider/ra-auth-auth0.ts: an Auth0 auth provider for the admin's react-admin version",
    files: ["src/auth-provider/ra-auth-auth0.ts"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/admin/auth-provider-auth0") as typeof import("../../transforms/admin/auth-provider-auth0")
        ).default,
    },
  },
  "admin/app-auth-provider": {
    target: "admin",
    description:
      "App.tsx passes auth0AuthProvider to <Admin>; nothing else changes",
    files: ["src/App.tsx"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/admin/app-auth-provider") as typeof import("../../transforms/admin/app-auth-provider")
        ).default,
    },
  },
  "admin/no-role-layout": {
    target: "admin",
    description:
      "src/NoRoleLayout.tsx: a signed-in user without a role gets a page saying so, with a sign-out button",
    files: ["src/NoRoleLayout.tsx"],
    operation: {
      kind: "edit",
      load: () =>
        (
          require("../../transforms/admin/no-role-layout") as typeof import("../../transforms/admin/no-role-layout")
        ).default,
    },
  },
  "admin/app-no-role-layout": {
    target: "admin",
    description: "App.tsx passes NoRoleLayout to <Admin layout>",
    files: ["src/App.tsx"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/admin/app-no-role-layout") as typeof import("../../transforms/admin/app-no-role-layout")
        ).default,
    },
  },
  "admin/graphql-data-provider": {
    target: "admin",
    description:
      "the Apollo auth link sends the Auth0 access token as a Bearer header",
    files: ["src/data-provider/graphqlDataProvider.ts"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/admin/graphql-data-provider") as typeof import("../../transforms/admin/graphql-data-provider")
        ).default,
    },
  },
  "admin/login-form-auth0": {
    target: "admin",
    description:
      "the login form becomes a Sign in with Auth0 button (LoginForm.tsx on RA5, Login.tsx on RA3)",
    files: ["src/LoginForm.tsx", "src/Login.tsx"],
    operation: {
      kind: "transform",
      load: () =>
        (
          require("../../transforms/admin/login-form-auth0") as typeof import("../../transforms/admin/login-form-auth0")
        ).default,
    },
  },
  "admin/remove-jwt-auth-files": {
    target: "admin",
    description:
      "the JWT auth provider files and helpers go once nothing imports them",
    ...deleteWhenUnimported({
      files: [
        "src/auth-provider/ra-auth-jwt.ts",
        "src/auth-provider/ra-auth-http.ts",
        "src/auth.ts",
        "src/constants.ts",
        "src/types.ts",
      ],
      // App.tsx and the data provider no longer import them; a helper the user's code still
      // imports is harmless where it is
      whenImported: "keep",
      partOf: "the JWT auth provider, which Auth0 replaces",
    }),
  },
  "admin/package-json-auth0-spa-js": {
    target: "admin",
    description: "package.json depends on @auth0/auth0-spa-js 2",
    files: ["package.json"],
    operation: ensureDependency({
      name: "@auth0/auth0-spa-js",
      // 2.4 and later ship typings (and a dependency's) with `import { type X }`, which
      // TypeScript before 4.5 cannot parse; Create React App admins start at TypeScript 4.3.
      range: (pkg) =>
        startsBelow(pkg, "typescript", [4, 5]) ? "~2.3.0" : "^2.1.3",
      why: "the generated provider uses the 2.x API",
      // What earlier versions wrote for every admin: on such an admin it installs 2.4 and later.
      replaces: ["^2.1.3"],
    }),
  },
  "admin/env-auth0": {
    target: "admin",
    description: ".env holds the Auth0 settings under the bundler's names",
    files: [".env"],
    operation: setEnv({
      // VITE_REACT_APP_AUTH0_* on Vite, REACT_APP_AUTH0_* on Create React App
      variables: ({ auth0, config, profile }) => {
        const names = adminEnvNames(profile.admin!.bundler!);
        return {
          [names.domain]: auth0.domain,
          // run() refuses a config without it before any admin rule runs
          [names.clientId]: auth0.clientId!,
          [names.audience]: auth0.audience,
          [names.redirectUri]: config.admin.callbackUrl,
          [names.logoutRedirectUri]: config.admin.logoutUrl,
        };
      },
    }),
  },
} satisfies Record<string, Omit<Rule, "id">>;

export type RuleId = keyof typeof ROWS;

/** Every rule's id, in the table's order. */
export const RULE_IDS = Object.keys(ROWS) as [RuleId, ...RuleId[]];

/** The rules in the table's order, each with its id. */
export const RULES: readonly (Rule & { id: RuleId })[] = RULE_IDS.map((id) => ({
  id,
  ...ROWS[id],
}));
