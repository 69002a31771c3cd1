/**
 * The one source of truth for the shape of auth0.config.json.
 *
 * `npm run schema` turns this into schema/auth0-config.schema.json (z.toJSONSchema) and that
 * JSON into schema/auth0-config.d.ts (json-schema-to-typescript). Messages here are what users
 * read when their config is wrong, so each one says what a good value looks like.
 *
 * The config sits below the rules: it knows their ids only as the argument of configSchema,
 * given by whoever loads a config (the engine, provision, the schema script), which take them
 * from the rule table (src/plan/rules.ts).
 */
import { z } from "zod";

/**
 * The hosts where an http:// issuer is accepted. The generated server's start-up check is
 * rendered from this list (server/jwt-strategy-base), so config and server agree.
 */
export const LOOPBACK_HOSTS: readonly string[] = [
  "localhost",
  "127.0.0.1",
  "[::1]",
];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname);
}

/**
 * Control characters (Cc: NUL, newline, DEL, ...) and invisible format characters (Cf:
 * zero-width spaces and joiners, bidi overrides, the BOM, soft hyphens): a value that holds
 * one looks like another value, or breaks the .env and source files it is written to.
 */
const HIDDEN_CHARACTERS = /^[^\p{Cc}\p{Cf}]*$/u;

/** Every string of the config: no control or invisible characters. */
const text = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).regex(HIDDEN_CHARACTERS, {
    error:
      "must not contain control or invisible (zero-width, bidi) characters",
  });

/**
 * Any JSON value: a user's default for a field can be an object or an array (a Json field).
 * Nested strings get the same checks as every other string: they end up in generated code.
 */
const JsonValue: z.ZodType<unknown> = z
  .lazy(() =>
    z.union([
      text(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(JsonValue),
      z.record(text(), JsonValue),
    ]),
  )
  .meta({ id: "JsonValue", description: "Any JSON value." });

/**
 * Characters a .env line cannot carry as they are: whitespace, quotes and backslashes (dotenv
 * quoting and escapes), `#` (starts a comment), `$` (expanded by the admins' bundlers and by
 * docker compose). Values written to .env files are refused with them, never escaped.
 */
const ENV_SAFE = /^[^\s"'`\\#$]*$/;
const envSafe = (what: string) => ({
  error: `${what} is written to .env files, which cannot carry whitespace, quotes, backslashes, "#" or "$" as they are; remove them`,
});

/** Type errors say "is required" when the key is missing, with an example of a good value. */
const stringOf = (what: string, example: string) =>
  text({
    error: (issue) =>
      issue.input === undefined
        ? `is required: ${example}`
        : `${what} must be a string: ${example}`,
  });

/** A value the tool writes to .env files as it is. */
const envValue = (what: string, example: string) =>
  stringOf(what, example)
    .min(1, { error: `${what} must not be empty` })
    .regex(ENV_SAFE, envSafe(what));

const domain = stringOf(
  "domain",
  'the tenant host name, such as "acme.eu.auth0.com"',
)
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/, {
    error:
      'domain must be the tenant host name only, such as "acme.eu.auth0.com" (no "https://", no path, lower case)',
  })
  .refine((value) => validPort(/:(\d+)$/.exec(value)?.[1]), {
    error: "domain has a port outside 1-65535",
  })
  .describe("Auth0 tenant domain (or custom domain), e.g. acme.eu.auth0.com.");

/** An absent port is valid; a given one must be a TCP port. */
function validPort(port: string | undefined): boolean {
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** The value as a URL, or undefined with `problem` reported when it is not one. */
function urlOf(
  value: string,
  ctx: z.RefinementCtx,
  problem: string,
): URL | undefined {
  try {
    return new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: problem });
    return undefined;
  }
}

/** The issuer is compared byte for byte with the token's `iss`, so its form matters. */
const issuer = stringOf("issuer", 'a URL such as "https://acme.eu.auth0.com/"')
  .regex(ENV_SAFE, envSafe("issuer"))
  .regex(/\/$/, {
    error:
      'issuer must end with "/" (Auth0 issues tokens with iss = "https://<domain>/")',
  })
  .superRefine((value, ctx) => {
    const url = urlOf(value, ctx, `issuer "${value}" is not a URL`);
    if (!url) return;
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({
        code: "custom",
        message:
          "issuer must not carry a user name, password, query or fragment",
      });
    }
    if (
      url.protocol !== "https:" &&
      !(url.protocol === "http:" && isLoopbackHost(url.hostname))
    ) {
      ctx.addIssue({
        code: "custom",
        message: `issuer must use https:// (plain http:// is accepted only for ${LOOPBACK_HOSTS.join(", ")}, the hosts the converted server accepts)`,
      });
    }
  })
  .describe(
    'Token issuer, compared exactly with the "iss" claim. Default: https://<domain>/. Must end with "/".',
  );

const relativePath = text()
  .min(1)
  .regex(/^(?!\/)(?![A-Za-z]:)(?!.*(^|\/)\.\.(\/|$)).+$/, {
    error:
      'must be a path relative to the repository root, such as "apps/shop-server"',
  });

const entityField = z.string().regex(/^[a-z][A-Za-z0-9]*$/, {
  error: "must be a field name of the auth entity, in camelCase",
});

const claimName = text()
  .min(1, { error: "claim name must not be empty" })
  .regex(/^\S+$/, { error: "claim name must not contain spaces" });

export const Auth0Settings = z
  .strictObject({
    domain,
    clientId: envValue(
      "clientId",
      "the Client ID of your Auth0 single-page application",
    )
      .optional()
      .describe(
        "Client id of the Auth0 single-page application. Required when a service has an admin UI (its .env holds it); a server alone does not use it.",
      ),
    audience: envValue(
      "audience",
      'the Identifier of your Auth0 API, such as "https://api.acme.example"',
    ).describe(
      "Identifier of the Auth0 API; access tokens must carry it in `aud`.",
    ),
    issuer: issuer.optional(),
  })
  .describe("The Auth0 tenant.");

export const ServiceSettings = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, {
        error: "service name must be kebab-case",
      })
      .optional()
      .describe("Name used in reports. Default: derived from the server path."),
    server: relativePath.describe(
      "Server (NestJS) root, relative to the repository root.",
    ),
    admin: relativePath
      .optional()
      .describe(
        "Admin UI (react-admin) root, relative to the repository root. Default: the admin found beside the server (paired as the walk pairs them), converted with it.",
      ),
  })
  .describe("A service given explicitly, for custom layouts.");

export const ClaimSettings = z
  .strictObject({
    style: z
      .enum(["namespaced", "user-object"])
      .default("namespaced")
      .describe(
        '"namespaced": email and email_verified come from <namespace>email / <namespace>email_verified (what `provision` sets up). "user-object": compatibility with tenants set up by the Amplication plugin, which put the whole profile in a `user` claim.',
      ),
    namespace: text()
      .regex(/^https?:\/\/[^\s]+\/$/, {
        error:
          'namespace must be a URL ending with "/", such as "https://api.acme.example/"',
      })
      .optional()
      .describe(
        'Claim namespace. Default: the audience with a trailing "/" when the audience is a URL.',
      ),
  })
  .describe(
    "Which access-token claims carry the user's email and email_verified.",
  );

const roleName = text()
  .min(1, { error: "role name must not be empty" })
  .regex(/^\S(.*\S)?$/, {
    error: "role name must not start or end with spaces",
  });

export const RoleSettings = z
  .strictObject({
    source: z
      .enum(["database", "auth0"])
      .default("database")
      .describe(
        '"database" (the default, the generated app\'s own behaviour): roles live in the auth entity\'s `roles` field, granted in the admin UI or by the seed. "auth0": the roles assigned to the user in Auth0 (RBAC), which the post-login Action puts into an access-token claim; the server reads them on every request, keeps those of src/grants.json and stores them on the user. A role removed in Auth0 takes effect at the user\'s next token.',
      ),
    claim: claimName
      .optional()
      .describe(
        'Access-token claim holding the Auth0 role names (source "auth0"). Default: <namespace>roles. Not "permissions": Auth0\'s RBAC puts permission names there (such as read:orders), not roles (apply and check warn); not a claim Auth0 reserves, such as "roles" or "groups" (an Action cannot set it).',
      ),
  })
  .describe("Where users' roles come from.");

export const UserSettings = z
  .strictObject({
    entity: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*$/, {
        error: 'entity must be a PascalCase entity name such as "User"',
      })
      .optional()
      .describe(
        "Auth entity. Default: detected from src/auth/<Entity>Info.ts.",
      ),
    emailField: entityField
      .default("email")
      .describe("Unique field of the auth entity that holds the email."),
    subjectField: entityField
      .optional()
      .describe(
        "Field that stores the Auth0 `sub`, when the entity has one; users are then bound to it.",
      ),
    claims: ClaimSettings.default({ style: "namespaced" }),
    createMissingUsers: z
      .boolean()
      .default(true)
      .describe(
        "Create a user on the first request of a verified email that has none.",
      ),
    defaultRoles: z
      .array(text().min(1))
      .default([])
      .describe(
        "Roles given to users created on first login. Default: none (grant roles by hand).",
      ),
    roles: RoleSettings.default({ source: "database" }),
    admins: z
      .array(z.email({ error: "must be an email address" }))
      .default([])
      .describe(
        'Emails of the first administrators. They get user.adminRoles: from the converted seed script (roles.source "database") or from `provision` in Auth0 (roles.source "auth0").',
      ),
    adminRoles: z
      .array(roleName)
      .min(1, { error: "adminRoles must name at least one role" })
      .optional()
      .describe(
        "Roles of the first administrators. Default: every role in the server's src/grants.json.",
      ),
    defaultValues: z
      .record(entityField, JsonValue)
      .default({})
      .describe(
        "Values for other required fields of users created on first login: a string, number, boolean or null, or an object or array for a Json field. Not for a unique field (every created user would get the same value): map a claim with claimMapping instead.",
      ),
    claimMapping: z
      .record(entityField, claimName)
      .default({})
      .describe(
        "Entity field <- access-token claim, copied when a user is created. Not the email field, the subject field, roles or password: the strategy sets those itself, from the verified identity, the configured defaults and a random value.",
      ),
  })
  .superRefine((user, ctx) => {
    if (user.roles.source === "auth0" && user.defaultRoles.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultRoles"],
        message:
          'must be empty when user.roles.source is "auth0": every request takes its roles from the token; assign a default role in Auth0 instead',
      });
    }
    // Settings that would be read by nothing: said, rather than silently ignored.
    if (user.roles.source === "database" && user.roles.claim !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["roles", "claim"],
        message:
          'is read only when user.roles.source is "auth0" (roles from the token); remove it, or set user.roles.source to "auth0"',
      });
    }
    if (!user.createMissingUsers && user.defaultRoles.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultRoles"],
        message:
          "are the roles of users a first sign-in creates, and user.createMissingUsers is false, so none is created; remove them, or turn createMissingUsers on",
      });
    }
    // Any claim could be copied: an unverified one (a nickname) would become the identity
    // that links accounts, or grant roles the token's holder chose.
    const guarded: Record<string, string> = {
      [user.emailField]: `the email field (user.emailField), which is taken from the verified email claim only`,
      roles: `roles, which come from user.defaultRoles or user.roles`,
      password: `password, which a user created on first login gets at random (a claim's value would be a password or hash its holder knows)`,
    };
    if (user.subjectField)
      guarded[user.subjectField] =
        `the subject field (user.subjectField), which is taken from the token's "sub" only`;
    for (const field of Object.keys(user.claimMapping)) {
      if (Object.hasOwn(guarded, field))
        ctx.addIssue({
          code: "custom",
          path: ["claimMapping", field],
          message: `claimMapping cannot set ${guarded[field]}; remove this entry`,
        });
    }
  })
  .describe("How token identities map to the auth entity.");

/**
 * A page of the admin that Auth0 sends the browser back to: http(s) only (a `javascript:` or
 * `data:` URL would run in the admin's origin), no credentials, no fragment (OAuth 2.0 forbids
 * one in redirect URIs), and written to the admin's .env as it is.
 */
const pageUrl = (what: string) =>
  text()
    .regex(ENV_SAFE, envSafe(what))
    .superRefine((value, ctx) => {
      const url = urlOf(
        value,
        ctx,
        `${what} must be an absolute URL, such as "https://admin.acme.example/"`,
      );
      if (!url) return;
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        ctx.addIssue({
          code: "custom",
          message: `${what} must use https:// (or http://), not ${url.protocol}`,
        });
      }
      if (url.username || url.password || url.hash) {
        ctx.addIssue({
          code: "custom",
          message: `${what} must not carry a user name, password or fragment`,
        });
      }
    });

export const AdminSettings = z
  .strictObject({
    loginMethod: z.enum(["redirect", "popup"]).default("redirect"),
    cacheLocation: z
      .enum(["memory", "localstorage"])
      .default("memory")
      .describe(
        'Where auth0-spa-js keeps tokens. "localstorage" survives reloads but is readable by XSS.',
      ),
    useRefreshTokens: z
      .boolean()
      .default(false)
      .describe(
        "Use refresh tokens (enable rotation for the application in Auth0 first).",
      ),
    callbackUrl: pageUrl("callbackUrl").default(
      "http://localhost:3001/auth-callback",
    ),
    logoutUrl: pageUrl("logoutUrl").default("http://localhost:3001/login"),
    scope: text().min(1).default("openid profile email"),
  })
  .describe("Admin UI login settings.");

export const ProvisionSettings = z
  .strictObject({
    apiName: text().min(1).default("Amplication API"),
    applicationName: text().min(1).default("Amplication Admin"),
    actionName: text().min(1).default("Add email claims to access token"),
    socialConnections: z
      .array(z.string().regex(/^[a-z0-9-]+$/))
      .default([])
      .describe(
        'Connections to enable for the application, e.g. ["github", "google-oauth2"].',
      ),
    roles: z
      .array(roleName)
      .default([])
      .describe(
        "Auth0 roles to create besides those of each service's src/grants.json.",
      ),
    requireMfa: z.boolean().default(false),
    passwordlessEmail: z.boolean().default(false),
  })
  .describe("Names and extras used by `amplication-auth0 provision`.");

export const RuleSetting = z.enum(["on", "off"]);

/** Rule ids as the config knows them: the keys of the rule table, at least one. */
export type RuleIds = readonly [string, ...string[]];

/** The config's schema, given the ids of the rules it may turn off. */
export function configSchema(ruleIds: RuleIds) {
  return z
    .strictObject({
      $schema: text().optional(),
      auth0: Auth0Settings,
      services: z
        .array(ServiceSettings)
        .min(1)
        .optional()
        .describe(
          "Services to convert. Default: every convertible service found by its markers (a package.json depending on @nestjs/core next to prisma/schema.prisma; an admin on react-admin), up to 4 folders deep. A listed service must be convertible or converted; others found are only reported.",
        ),
      user: UserSettings.default({
        emailField: "email",
        claims: { style: "namespaced" },
        createMissingUsers: true,
        defaultRoles: [],
        roles: { source: "database" },
        admins: [],
        defaultValues: {},
        claimMapping: {},
      }),
      admin: AdminSettings.default({
        loginMethod: "redirect",
        cacheLocation: "memory",
        useRefreshTokens: false,
        callbackUrl: "http://localhost:3001/auth-callback",
        logoutUrl: "http://localhost:3001/login",
        scope: "openid profile email",
      }),
      provision: ProvisionSettings.default({
        apiName: "Amplication API",
        applicationName: "Amplication Admin",
        actionName: "Add email claims to access token",
        socialConnections: [],
        roles: [],
        requireMfa: false,
        passwordlessEmail: false,
      }),
      rules: z
        .partialRecord(z.enum(ruleIds), RuleSetting)
        .default({})
        .describe(
          'Turn rules off by id, like ESLint rules: { "server/env-auth0": "off" }.',
        ),
    })
    .describe("amplication-auth0-codemod configuration");
}

export type ConfigSchema = ReturnType<typeof configSchema>;
export type Config = z.output<ConfigSchema>;
export type ConfigInput = z.input<ConfigSchema>;
