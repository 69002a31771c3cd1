/**
 * server/jwt-strategy-base: src/auth/jwt/base/jwt.strategy.base.ts verifies Auth0 access tokens.
 *
 * The file is generated (Amplication regenerates base/ files too), from the config and the
 * app's era: JWKS keys with cache, rate limit and timeout; audience, issuer and RS256 pinned at
 * the top level of the passport-jwt options (inside jsonWebTokenOptions they are overwritten);
 * a small clock tolerance; required `exp` and `iat` (not in the future); the `typ` of Auth0's two
 * access-token profiles and no `crit`; Auth0 settings checked at start (fail closed); the user
 * found by verified email (case-insensitively), or created on first login with the configured
 * defaults (a unique value another user holds is a 409, not a 500).
 */
import { inService } from "../../src/config/service-path";
import { detectService, findServices } from "../../src/detect/detect";
import { GENERATED_BANNER } from "../lib/banner";
import type { FileEdit, RuleContext } from "../../src/plan/rule";
import {
  readDatasourceProvider,
  readModel,
  requiredOnCreate,
  type ModelField,
} from "../lib/prisma-model";
import { dependencyMajor, parsePackageJson } from "../lib/package-json";
import { GRANTS_FILE, grantRoles } from "../lib/grants";
import { refuse, type Refuse } from "../lib/refusal";
import { generatedFile } from "../lib/generated-file";
import {
  describeField,
  describeValue,
  fieldsToFill,
  fitsField,
  valueFor,
} from "../lib/user-fields";

const jwtStrategyBase: FileEdit = generatedFile({
  replaces: isKnownShape,
  refusal: {
    reason:
      "the file is neither the generated JWT strategy base nor an Auth0 one",
    fix: "restore the generated file (Amplication regenerates it), or turn this rule off and write the Auth0 strategy yourself",
  },
  render,
});

/** The JWT base of every era, the Auth0 plugin's version, or ours. */
function isKnownShape(source: string): boolean {
  return /class\s+JwtStrategyBase\s+extends\s+PassportStrategy\(\s*Strategy\s*\)/.test(
    source,
  );
}

function render(context: RuleContext, file: string): string {
  const { profile, config, auth0 } = context;
  const entity = profile.server.entity!;
  const schemaFile = inService(profile.server.root, "prisma/schema.prisma");
  const schema = context.tree.read(schemaFile) ?? "";
  const fields = readModel(schema, entity.name, schemaFile);
  if (!fields) {
    return refuse(
      `${schemaFile} has no model ${entity.name}`,
      "restore the generated Prisma schema",
    );
  }
  const emailField = fields.find((f) => f.name === config.user.emailField);
  if (!emailField || !emailField.unique || emailField.type !== "String") {
    return refuse(
      `${entity.name}.${config.user.emailField} is not a unique String field, so users cannot be found by email`,
      `add a unique Email field to ${entity.name} in Amplication, or set user.emailField to a unique field (such as "username")`,
    );
  }
  const subjectField = config.user.subjectField
    ? fields.find((f) => f.name === config.user.subjectField)
    : undefined;
  if (
    config.user.subjectField &&
    (!subjectField ||
      !subjectField.unique ||
      subjectField.type !== "String" ||
      !subjectField.optional)
  ) {
    return refuse(
      subjectField && subjectField.unique && subjectField.type === "String"
        ? `${entity.name}.${config.user.subjectField} (user.subjectField) is required: every existing ${entity.camel} already holds a value there, so none could ever be bound to an Auth0 sub and sign in`
        : `${entity.name}.${config.user.subjectField} (user.subjectField) is not a unique String field`,
      `set user.subjectField to a unique, optional text field of ${entity.name} (add one, such as auth0Id, in Amplication), or remove user.subjectField`,
    );
  }
  const emailLookup = renderEmailLookup(
    context,
    emailField,
    readDatasourceProvider(schema, schemaFile),
    schemaFile,
    refuse,
  );
  const create = renderCreate(
    context,
    fields,
    emailField,
    refuse,
    subjectField,
  );
  const grants = grantRoles(context);
  if ("problem" in grants) {
    return refuse(
      `${grants.problem}, and the converted server keeps only the roles it names (the access control answers any other with a 500)`,
      "restore the generated src/grants.json",
    );
  }
  const tokenRoles = auth0.rolesClaim
    ? renderTokenRoles(context, auth0.rolesClaim)
    : undefined;
  const claimPath = (claim: string) =>
    JSON.stringify(
      config.user.claims.style === "user-object" ? claim.split(".") : [claim],
    );

  return `${GENERATED_BANNER}
import { ${create.conflict ? "ConflictException, " : ""}${create.forbidden ? "ForbiddenException, " : ""}Logger, UnauthorizedException } from "@nestjs/common";
import { ConfigService } from "@nestjs/config";
import { PassportStrategy } from "@nestjs/passport";
${create.method.includes("randomBytes(") ? 'import { randomBytes } from "crypto";\n' : ""}import { passportJwtSecret } from "jwks-rsa";
import { ExtractJwt, Strategy } from "passport-jwt";
import { ${entity.name}Service } from "../../../${entity.camel}/${entity.camel}.service";
import { ${entity.name}Info } from "../../${entity.name}Info";
import { Auth0Payload } from "./Auth0Payload";

/** Access-token claims that carry the email, as the post-login Action sets them. */
const EMAIL_CLAIM: readonly string[] = ${claimPath(auth0.emailClaim)};
const EMAIL_VERIFIED_CLAIM: readonly string[] = ${claimPath(auth0.emailVerifiedClaim)};
/** Seconds of clock skew allowed for \`exp\` and \`nbf\` (jsonwebtoken) and \`iat\` (verifiedIdentity). */
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The \`typ\` headers of Auth0's two access-token profiles, compared in lower case (media types
 * are case-insensitive): "JWT" for its default "Auth0 token profile", "at+jwt" for its RFC 9068
 * profile (RFC 9068 also allows the full "application/at+jwt"). Auth0 sets \`typ\` on every
 * access token, so a token without one is no Auth0 access token and is refused, like a token of
 * any other type (a logout token's "logout+jwt", "JOSE", ...): RFC 8725 §3.11, RFC 9068 §4.
 */
const ACCESS_TOKEN_TYPES: ReadonlySet<string> = new Set(["jwt", "at+jwt", "application/at+jwt"]);
${tokenRoles?.constants ?? ""}/**
 * The roles of src/grants.json when this file was generated: the access control answers any
 * other with a 500, so a ${entity.camel}'s other roles are ignored (a re-generation that adds a role
 * needs a new apply, which \`check\` reports).
 */
const KNOWN_ROLES: ReadonlySet<string> = new Set(${JSON.stringify(grants.roles)});
/** Unknown role names already logged, so each is logged once. */
const loggedUnknownRoles = new Set<string>();
const logger = new Logger("JwtStrategy");

/**
 * The Auth0 settings the server cannot run without. A missing or malformed one stops the
 * server at start: an empty audience would silently turn the audience check off.
 */
export function auth0Settings(configService: ConfigService): {
  audience: string;
  issuer: string;
  jwksUri: string;
} {
  const audience = configService.get<string>("AUTH0_AUDIENCE")?.trim();
  const issuer = configService.get<string>("AUTH0_ISSUER_URL")?.trim();
  if (!audience) {
    throw new Error("AUTH0_AUDIENCE is not set: set it to the identifier of your Auth0 API");
  }
  if (!issuer) {
    throw new Error('AUTH0_ISSUER_URL is not set: set it to "https://<your Auth0 domain>/"');
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(\`AUTH0_ISSUER_URL "\${issuer}" is not a URL\`);
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error(\`AUTH0_ISSUER_URL "\${issuer}" must use https://\`);
  }
  if (!issuer.endsWith("/") || url.search || url.hash || url.username || url.password) {
    throw new Error(
      \`AUTH0_ISSUER_URL "\${issuer}" must be the issuer itself, ending with "/": "https://<your Auth0 domain>/"\`,
    );
  }
  return { audience, issuer, jwksUri: new URL(".well-known/jwks.json", issuer).toString() };
}

function strategyOptions(configService: ConfigService) {
  const { audience, issuer, jwksUri } = auth0Settings(configService);
  const signingKeys = passportJwtSecret({
    jwksUri,
    cache: true,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 5000,
  });
  // passport-jwt and jsonwebtoken check no header but \`alg\`. The key lookup gets the raw token
  // before the signature is verified: a header refused here gets no key (401, and no JWKS fetch),
  // and a header let through is still verified, since the signature covers it.
  const secretOrKeyProvider: typeof signingKeys = (request, rawJwtToken, done) => {
    if (!isAccessTokenHeader(rawJwtToken)) {
      done(new Error("not the header of an Auth0 access token"));
      return;
    }
    signingKeys(request, rawJwtToken, done);
  };
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    secretOrKeyProvider,
    // At the top level: passport-jwt overwrites these keys inside jsonWebTokenOptions.
    audience,
    issuer,
    algorithms: ["RS256"],
    jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
  };
}

/**
 * The token's header has the \`typ\` of an Auth0 access token and no \`crit\` (it would name
 * extensions this server must understand, and it understands none: RFC 7515 §4.1.11).
 */
function isAccessTokenHeader(rawJwtToken: unknown): boolean {
  if (typeof rawJwtToken !== "string") {
    return false;
  }
  let header: unknown;
  try {
    // Node's "base64" decoder also reads the base64url alphabet of JWTs.
    header = JSON.parse(Buffer.from(rawJwtToken.split(".")[0] ?? "", "base64").toString("utf8"));
  } catch {
    return false;
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    return false;
  }
  const { typ } = header as { typ?: unknown };
  return (
    !("crit" in header) &&
    typeof typ === "string" &&
    ACCESS_TOKEN_TYPES.has(typ.toLowerCase())
  );
}

export class JwtStrategyBase extends PassportStrategy(Strategy) {
  constructor(
    protected readonly configService: ConfigService,
    protected readonly ${entity.camel}Service: ${entity.name}Service,
  ) {
    super(strategyOptions(configService));
  }

${renderValidateBase(context, emailField, subjectField, tokenRoles !== undefined)}
${tokenRoles?.method ?? ""}
${create.method}
}
${emailLookup}${create.helpers}${tokenRoles?.helpers ?? ""}
/**
 * What a valid token proves: its subject and its verified email. \`exp\` must be present
 * (jsonwebtoken accepts tokens without it), \`iat\` too and not in the future (jsonwebtoken does
 * not look at it), and the email verified; anything else is a 401, and no ${entity.camel} is created.
 */
function verifiedIdentity(payload: Auth0Payload): { sub: string; email: string } {
  const email = claimAt(payload, EMAIL_CLAIM);
  if (
    typeof payload.exp !== "number" ||
    typeof payload.iat !== "number" ||
    payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS ||
    typeof payload.sub !== "string" ||
    payload.sub === "" ||
    typeof email !== "string" ||
    email === "" ||
    claimAt(payload, EMAIL_VERIFIED_CLAIM) !== true
  ) {
    throw new UnauthorizedException();
  }
  return { sub: payload.sub, email };
}

/** The ${entity.camel} as the guards expect it: roles as a list of names, those src/grants.json knows. */
function withRoles<T extends { roles: unknown }>(${entity.camel}: T): Omit<T, "roles"> & { roles: string[] } {
  if (!Array.isArray(${entity.camel}.roles)) {
    throw new Error("${entity.name} roles is not a valid value");
  }
  return { ...${entity.camel}, roles: knownRoles(${entity.camel}.roles, "a stored ${entity.camel}") };
}

/** The role names of \`roles\` that src/grants.json knows, in their order; each other logged once. */
function knownRoles(roles: readonly unknown[], whose: string): string[] {
  const known: string[] = [];
  for (const role of roles) {
    if (typeof role !== "string") continue;
    if (KNOWN_ROLES.has(role)) {
      known.push(role);
    } else if (!loggedUnknownRoles.has(role)) {
      loggedUnknownRoles.add(role);
      logger.warn(\`Ignoring the role \${JSON.stringify(role)} of \${whose}: it is not in src/grants.json\`);
    }
  }
  return known;
}

function claimAt(payload: Auth0Payload, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const key of path) {
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
`;
}

function renderValidateBase(
  context: RuleContext,
  emailField: ModelField,
  subjectField: ModelField | undefined,
  rolesFromToken: boolean,
): string {
  const { camel, name } = context.profile.server.entity!;
  const lookup = renderLookup(
    context,
    emailField,
    subjectField,
    rolesFromToken ? "findFromToken" : "validateBase",
  );
  if (!rolesFromToken) return lookup;
  return `  /** The ${camel} of the token, with the token's roles; null when there is none yet. */
  async validateBase(payload: Auth0Payload): Promise<${name}Info | null> {
    const ${camel} = await this.findFromToken(payload);
    return ${camel} && this.withTokenRoles(${camel}, payload);
  }

${lookup}`;
}

function renderLookup(
  context: RuleContext,
  emailField: ModelField,
  subjectField: ModelField | undefined,
  method: string,
): string {
  const entity = context.profile.server.entity!;
  const { camel, name } = entity;
  const service = `this.${camel}Service`;
  if (!subjectField) {
    return `  /** The ${camel} the token's verified email belongs to (in any case), or null when there is none yet. */
  async ${method}(payload: Auth0Payload): Promise<${name}Info | null> {
    const { email } = verifiedIdentity(payload);
    const ${camel} = await findByEmail(${service}, email);
    return ${camel} ? withRoles(${camel}) : null;
  }`;
  }
  const field = subjectField.name;
  return `  /**
   * The ${camel} bound to the token's subject; else the ${camel} of its verified email, which
   * gets bound to the subject now, unless it is bound to another one already (never re-linked).
   * Null when there is none yet.
   */
  async ${method}(payload: Auth0Payload): Promise<${name}Info | null> {
    const { sub, email } = verifiedIdentity(payload);
    const bound = await ${service}.${entity.findMethod}({ where: { ${field}: sub } });
    if (bound) {
      return withRoles(bound);
    }
    const ${camel} = await findByEmail(${service}, email);
    if (!${camel}) {
      return null;
    }
    if (${camel}.${field} === sub) {
      // Created by a concurrent first request of this subject, after the lookup above.
      return withRoles(${camel});
    }
    if (${camel}.${field}) {
      throw new UnauthorizedException();
    }
${prismaMajor(context) >= 5 ? renderLinkOnce(context, field) : renderLink(context, field)}
  }`;
}

/**
 * findByEmail(service, email): the entity of an email, compared case-insensitively, on each
 * database the generated apps use (Amplication's db-postgres, db-mysql, db-mongo and
 * db-sqlserver plugins). Prisma's `mode: "insensitive"` exists only for PostgreSQL and MongoDB;
 * MySQL and SQL Server compare case-insensitively by their default collations. Any other
 * provider (SQLite compares case-sensitively) is refused.
 */
function renderEmailLookup(
  context: RuleContext,
  emailField: ModelField,
  provider: string | undefined,
  schemaFile: string,
  refuse: (reason: string, fix: string) => never,
): string {
  const entity = context.profile.server.entity!;
  const { camel, name } = entity;
  const field = emailField.name;
  const byMode = provider === "postgresql" || provider === "mongodb";
  if (!byMode && provider !== "mysql" && provider !== "sqlserver") {
    return refuse(
      `the datasource of ${schemaFile} is ${provider === undefined ? "not given as a string" : JSON.stringify(provider)}, where emails cannot be matched case-insensitively (Prisma's mode "insensitive" is for PostgreSQL and MongoDB; MySQL and SQL Server compare case-insensitively)`,
      "use one of the databases Amplication generates (PostgreSQL, MySQL, MongoDB, SQL Server), or turn this rule off and write the Auth0 strategy yourself",
    );
  }
  if (!entity.findManyMethod) {
    return refuse(
      `src/${camel}/base/${camel}.service.base.ts has no list method (one taking Prisma.${name}FindManyArgs), which matching emails case-insensitively needs`,
      "restore the generated service",
    );
  }
  const where =
    provider === "postgresql"
      ? `{ equals: likeLiteral(email), mode: "insensitive" }`
      : provider === "mongodb"
        ? `{ equals: email, mode: "insensitive" }`
        : "email";
  const how =
    provider === "postgresql"
      ? "Prisma's case-insensitive mode (ILIKE)"
      : provider === "mongodb"
        ? "Prisma's case-insensitive mode"
        : `the database's case-insensitive collation`;
  return `
/**
 * The ${camel} whose ${field} is this email in any case: a token's Alice@Example.test finds the
 * ${camel} stored as alice@example.test, and the other way round. First the exact email (one
 * lookup of the unique index, the usual case), then the ${camel}s whose ${field} differs from it
 * only in case, found with ${how}.
 * Only ASCII letters count as the same in either case: a database's own folding also matches
 * look-alikes (the Kelvin sign K for k; MySQL's default collation ignores accents too), which
 * are other addresses. Two ${camel}s that both differ from the token's email only in case are
 * ambiguous: refused (401), neither of them picked, until an administrator merges or renames them.
 */
async function findByEmail(service: ${name}Service, email: string) {
  const exact = await service.${entity.findMethod}({ where: { ${field}: email } });
  if (exact && exact.${field} === email) {
    return exact;
  }
  const matches = (
    await service.${entity.findManyMethod}({ where: { ${field}: ${where} } })
  ).filter(
    (candidate) =>
      typeof candidate.${field} === "string" && foldCase(candidate.${field}) === foldCase(email),
  );
  if (matches.length > 1) {
    throw new UnauthorizedException();
  }
  return matches[0] ?? null;
}

/** ASCII letters in lower case, every other character as it is. */
function foldCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
${
  provider === "postgresql"
    ? `
/**
 * The text as an ILIKE pattern that matches only itself: Prisma runs mode "insensitive" as ILIKE
 * on PostgreSQL without escaping its wildcards (prisma/prisma#20318), so "a_b@example.test" would
 * also find "axb@example.test" (the filter above would drop it; this keeps the query exact).
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\\\%_]/g, "\\\\$&");
}
`
    : ""
}`;
}

/** Prisma 4 and older: a plain update (a \`where\` on a non-unique field needs Prisma 5). */
function renderLink(context: RuleContext, field: string): string {
  const entity = context.profile.server.entity!;
  return `    const linked = await this.${entity.camel}Service.${entity.updateMethod}({
      where: { id: ${entity.camel}.id },
      data: { ${field}: sub },
    });
    return withRoles(linked);`;
}

/**
 * Prisma 5 and later: bound only while still unbound, so that of two first requests with
 * different subjects and the same email, exactly one is bound and the other refused.
 */
function renderLinkOnce(context: RuleContext, field: string): string {
  const entity = context.profile.server.entity!;
  const service = `this.${entity.camel}Service`;
  return `    try {
      const linked = await ${service}.${entity.updateMethod}({
        // A unique field cannot be matched against null directly; inside AND it can.
        where: { id: ${entity.camel}.id, AND: { ${field}: null } },
        data: { ${field}: sub },
      });
      return withRoles(linked);
    } catch (error) {
      // P2025: no such unbound row any more; a concurrent request has bound it.
      if ((error as { code?: unknown }).code !== "P2025") {
        throw error;
      }
      const boundNow = await ${service}.${entity.findMethod}({ where: { ${field}: sub } });
      if (!boundNow) {
        throw new UnauthorizedException();
      }
      return withRoles(boundNow);
    }`;
}

/**
 * user.roles.source "auth0": the roles claim the Action sets, filtered to the roles of
 * src/grants.json as it is now (a re-generation that adds a role needs a new apply, which
 * \`check\` reports), and stored on the user when they differ so the admin UI shows them.
 */
function renderTokenRoles(
  context: RuleContext,
  claim: string,
): { constants: string; method: string; helpers: string } {
  const entity = context.profile.server.entity!;
  const { camel, name } = entity;
  const constants = `/** The claim with the user's Auth0 role names, as the post-login Action sets it. */
const ROLES_CLAIM = ${JSON.stringify(claim)};
/** Whether a token without the roles claim was logged: once is enough to say so. */
let loggedMissingRolesClaim = false;
`;
  const method = `
  /**
   * The ${camel} with the roles of the token, stored when they differ from the database's, so the
   * admin UI shows them. A token without the roles claim means no roles, never the stored ones.
   */
  async withTokenRoles(${camel}: ${name}Info, payload: Auth0Payload): Promise<${name}Info> {
    const roles = tokenRoles(payload);
    if (roles.length === ${camel}.roles.length && roles.every((role, i) => role === ${camel}.roles[i])) {
      return ${camel};
    }
    const updated = await this.${camel}Service.${entity.updateMethod}({
      where: { id: ${camel}.id },
      data: { roles },
    });
    return withRoles(updated);
  }
`;
  const helpers = `
/** The token's role names that src/grants.json knows, sorted; none when the claim is absent. */
function tokenRoles(payload: Auth0Payload): string[] {
  const claim = payload[ROLES_CLAIM];
  if (!Array.isArray(claim) && !loggedMissingRolesClaim) {
    // Said once: a tenant whose Action does not set the claim gives every user no role.
    loggedMissingRolesClaim = true;
    logger.warn(\`A token has no list in its \${JSON.stringify(ROLES_CLAIM)} claim, so its user has no role: the post-login Action sets it (amplication-auth0 provision installs one)\`);
  }
  return [...new Set(knownRoles(Array.isArray(claim) ? claim : [], "a token"))].sort();
}
`;
  return { constants, method, helpers };
}

/** The major version of @prisma/client the server asks for; 0 when unknown. */
function prismaMajor(context: RuleContext): number {
  try {
    const text = context.tree.read(
      inService(context.profile.server.root, "package.json"),
    );
    return (
      dependencyMajor(parsePackageJson(text ?? "{}"), "@prisma/client") ?? 0
    );
  } catch {
    return 0; // server/package-json-jwks-rsa reports a broken package.json
  }
}

function renderCreate(
  context: RuleContext,
  fields: ModelField[],
  emailField: ModelField,
  refuse: Refuse,
  subjectField?: ModelField,
): { method: string; helpers: string; conflict: boolean; forbidden: boolean } {
  const { config, profile } = context;
  const entity = profile.server.entity!;
  if (!config.user.createMissingUsers) {
    return {
      method: `  /** New ${entity.camel}s are not created on first login (user.createMissingUsers is off). */
  async createFromToken(_payload: Auth0Payload): Promise<${entity.name}Info> {
    throw new UnauthorizedException();
  }`,
      helpers: "",
      conflict: false,
      forbidden: false,
    };
  }
  // Every problem of the config against the entity, refused together in one message.
  // Each a setting of the config that does not fit this app: `path` is the setting to change.
  const problems: Array<{ path: string; reason: string; fix: string }> = [];
  const values = new Map<string, string>();
  values.set(emailField.name, "email");
  if (subjectField) values.set(subjectField.name, "sub");
  for (const [field, claim] of Object.entries(config.user.claimMapping)) {
    const mappedField = fields.find((f) => f.name === field);
    if (!mappedField) {
      if (fieldOfAnotherService(context, field)) continue; // that service's, not this one's
      problems.push({
        path: `user.claimMapping.${field}`,
        reason: `user.claimMapping names ${entity.name}.${field}, which does not exist`,
        fix: `remove user.claimMapping.${field}`,
      });
      continue;
    }
    if (mappedField.type !== "String") {
      problems.push({
        path: `user.claimMapping.${field}`,
        reason: `user.claimMapping names ${entity.name}.${field}, which is ${mappedField.type}: a claim is copied as text, into String fields only (the converted server would not compile)`,
        fix: `take ${field} out of user.claimMapping and give ${entity.name}.${field} a default in Amplication (or in the Prisma schema), or set user.defaultValues.${field}${mappedField.unique ? " (not for a unique field: the second user would collide)" : ""}, or turn user.createMissingUsers off`,
      });
      continue;
    }
    const required = requiredOnCreate(fields).some((f) => f.name === field);
    const unique = fields.some((f) => f.name === field && f.unique);
    // A required unique field has no stand-in: "" would be the second such user's collision.
    values.set(
      field,
      required && unique
        ? `requiredClaim(payload, ${JSON.stringify(claim)}, ${JSON.stringify(field)})`
        : `stringClaim(payload, ${JSON.stringify(claim)})${required ? ' ?? ""' : ""}`,
    );
  }
  for (const [name, value] of Object.entries(config.user.defaultValues)) {
    const field = fields.find((f) => f.name === name);
    if (!field) {
      if (fieldOfAnotherService(context, name)) continue; // that service's, not this one's
      problems.push({
        path: `user.defaultValues.${name}`,
        reason: `user.defaultValues names ${entity.name}.${name}, which does not exist`,
        fix: `remove user.defaultValues.${name}`,
      });
      continue;
    }
    if (values.has(name)) continue;
    if (field.unique) {
      problems.push({
        path: `user.defaultValues.${name}`,
        reason: `user.defaultValues.${name} gives every ${entity.camel} created on first login the same ${entity.name}.${name}, which is unique: the second one would collide`,
        fix: `copy it from a token claim with user.claimMapping.${name} instead, or turn user.createMissingUsers off`,
      });
      continue;
    }
    const wanted = valueFor(field);
    if (!fitsField(value, field)) {
      problems.push({
        path: `user.defaultValues.${name}`,
        reason: `user.defaultValues.${name} is ${describeValue(value)}, but ${entity.name}.${name} is ${field.type}${field.optional ? "?" : ""} (the converted server would not compile)`,
        fix: `give user.defaultValues.${name} ${wanted}`,
      });
      continue;
    }
    values.set(name, JSON.stringify(value));
  }
  // New users' roles from the database: each a role of src/grants.json, which the access
  // control refuses (a 500 on every guarded route) when it does not know one.
  const grants =
    !context.auth0.rolesClaim && config.user.defaultRoles.length > 0
      ? grantRoles(context)
      : undefined;
  // (a grants.json that does not parse is refused where the roles are read from it)
  if (grants && "roles" in grants) {
    const unknown = config.user.defaultRoles.filter(
      (role) => !grants.roles.includes(role),
    );
    const file = inService(profile.server.root, GRANTS_FILE);
    if (unknown.length > 0)
      problems.push({
        path: "user.defaultRoles",
        reason: `user.defaultRoles names ${unknown.map((role) => `"${role}"`).join(", ")}, which ${file} does not have: the access control would refuse every guarded request of a new ${entity.camel} with a 500`,
        fix: `name roles of ${file} in user.defaultRoles (it has ${grants.roles.map((role) => `"${role}"`).join(", ") || "none"})`,
      });
  }
  if (fields.some((f) => f.name === "roles"))
    values.set(
      "roles",
      context.auth0.rolesClaim
        ? "tokenRoles(payload)"
        : JSON.stringify(config.user.defaultRoles),
    );
  for (const field of requiredOnCreate(fields)) {
    if (values.has(field.name)) continue;
    if (field.name === "username" && field.type === "String")
      values.set(field.name, "email");
    else if (field.name === "password" && field.type === "String")
      values.set(field.name, 'randomBytes(32).toString("hex")');
  }
  const missing = fieldsToFill(fields, config.user).filter(
    // a default refused above is reported there, not again here
    (field) =>
      !values.has(field.name) &&
      !Object.hasOwn(config.user.defaultValues, field.name) &&
      !Object.hasOwn(config.user.claimMapping, field.name),
  );
  if (missing.length > 0) {
    // a unique field takes a claim (a constant would collide); one not text takes neither
    const settable = missing
      .filter((f) => !f.unique || f.type === "String")
      .map((f) =>
        f.unique
          ? `user.claimMapping.${f.name} (unique: a constant would collide)`
          : `user.defaultValues.${f.name}`,
      );
    problems.push({
      path: "user.defaultValues",
      reason: `${entity.name} has required fields the config gives no value for ${entity.camel}s created on first login: ${missing.map(describeField).join(", ")}`,
      fix:
        `${settable.length > 0 ? `set ${settable.join(", ")}, or ` : ""}turn user.createMissingUsers off` +
        missing
          .filter((f) => f.unique && f.type !== "String")
          .map(
            (f) =>
              `; ${f.name} is unique and ${f.type}, which neither a constant nor a claim (text) fills: give it a default in Amplication (or in the Prisma schema)`,
          )
          .join(""),
    });
  }
  if (problems.length > 0)
    refuse(
      problems.map((p) => p.reason).join("; "),
      // each action once, though several problems share it
      [...new Set(problems.map((p) => p.fix))].join("; "),
      {
        configProblems: problems.map(({ path, reason, fix }) => ({
          path,
          // "user.defaultValues.age is ..." at user.defaultValues.age reads "is ..."
          message: `${reason.startsWith(`${path} `) ? reason.slice(path.length + 1) : reason}; ${fix}`,
        })),
      },
    );
  const mapped = [...values.values()].some((v) =>
    /^(string|required)Claim\(/.test(v),
  );
  const requiredClaims = [...values.values()].some((v) =>
    v.startsWith("requiredClaim("),
  );
  // The unique values another row may hold already (not the subject: a row bound to it is found
  // by validateBase; not a random value), each checked when the create fails on a unique field.
  const taken = [...values]
    .filter(
      ([field, value]) =>
        field !== subjectField?.name &&
        !value.startsWith("randomBytes(") &&
        fields.some((f) => f.name === field && f.unique),
    )
    .map(([field, value]) => {
      const optional =
        value.startsWith("stringClaim(") && !value.endsWith('?? ""');
      return `      ${optional ? `const ${field}Value = ${value};\n      if (${field}Value !== undefined && ` : `if (`}(await this.${entity.camel}Service.${entity.findMethod}({ where: { ${field}: ${optional ? `${field}Value` : value} } }))) {
        throw alreadyTaken(email, ${JSON.stringify(field)}, ${optional ? `${field}Value` : value});
      }`;
    });
  const data = [...values]
    .map(([field, value]) => `          ${field}: ${value},`)
    .join("\n");
  const method = `  /**
   * Creates the ${entity.camel} of a first login from the configured defaults.${
     values.has("password")
       ? "\n   * The password is random and never used: Auth0 signs users in."
       : ""
   }
   * The email is stored as the token gives it: lookups match it in any case.
   */
  async createFromToken(payload: Auth0Payload): Promise<${entity.name}Info> {
    const { ${subjectField ? "sub, " : ""}email } = verifiedIdentity(payload);
    try {
      const ${entity.camel} = await this.${entity.camel}Service.${entity.createMethod}({
        data: {
${data}
        },
      });
      return withRoles(${entity.camel});
    } catch (error) {
      if ((error as { code?: unknown }).code !== "P2002") {
        throw error;
      }
      // A unique value is taken. Two first requests at once: the other one created the ${entity.camel}.
      const existing = await this.validateBase(payload);
      if (existing) {
        return existing;
      }
${
  taken.length > 0
    ? `      // Another ${entity.camel} holds it: a 409 that says which, never a link to that ${entity.camel}.
${taken.join("\n")}
`
    : ""
}      throw error;
    }
  }`;
  const helpers = `${
    mapped
      ? `
function stringClaim(payload: Auth0Payload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === "string" ? value : undefined;
}
`
      : ""
  }${
    requiredClaims
      ? `
/**
 * The claim a required unique field of a new ${entity.camel} is copied from: without it, no ${entity.camel}
 * is created (every such ${entity.camel} would get the same stand-in, and the second would collide).
 */
function requiredClaim(payload: Auth0Payload, claim: string, field: string): string {
  const value = stringClaim(payload, claim);
  if (value === undefined) {
    throw new ForbiddenException(
      \`The access token has no \${JSON.stringify(claim)} claim, which a new ${entity.camel}'s \${field} is copied from: add it in the Auth0 post-login Action, or ask an administrator to create the ${entity.camel}\`,
    );
  }
  return value;
}
`
      : ""
  }${
    taken.length > 0
      ? `
/** The refusal of a first login whose ${entity.camel} would take a unique value another ${entity.camel} holds. */
function alreadyTaken(email: string, field: string, value: string): ConflictException {
  return new ConflictException(
    \`Signed in as \${email}, but a ${entity.camel} with the \${field} \${JSON.stringify(value)} already exists: ask an administrator to link it to this account or rename it\`,
  );
}
`
      : ""
  }`;
  return {
    method,
    helpers,
    conflict: taken.length > 0,
    forbidden: requiredClaims,
  };
}

/**
 * Whether `field` is a field of another service's auth entity: the config's `user` settings are
 * every service's, and the services' auth entities may differ (one holds a required field the
 * others do not). Read only for a field this service's entity lacks.
 */
function fieldOfAnotherService(context: RuleContext, field: string): boolean {
  const { tree, config, profile } = context;
  return findServices(tree, config)
    .filter((service) => service.server !== profile.server.root)
    .some((service) => {
      const entity = detectService(tree, service, config).server.entity?.name;
      const schema = tree.read(
        inService(service.server, "prisma/schema.prisma"),
      );
      if (!entity || schema === undefined) return false;
      try {
        return (readModel(schema, entity) ?? []).some((f) => f.name === field);
      } catch {
        return false; // that service's own run says what is wrong with its schema
      }
    });
}

export default jwtStrategyBase;
