/**
 * Runtime proof (issue 5): the converted servers of two whole-app fixtures, built from their
 * expected/ trees with no edits, run as NestJS apps (REST and GraphQL) on Prisma 7 against a
 * throw-away PostgreSQL, and validate tokens of a real OpenID provider (oidc-provider, Auth0-shaped,
 * scripts/runtime/issuer.mjs) over real HTTP on 127.0.0.1.
 *
 * - server-2022: NestJS 8, the email lives in `username`, users found by email.
 * - billing-2025-server: NestJS 10, users bound to the token's `sub` in `auth0Id`.
 * - each of them again with the other `user.roles.source` (VARIANTS), converted from input/ at
 *   test time: server-2022 with roles from Auth0 and the `user-object` claim style,
 *   billing-2025-server with roles from the database and a first administrator to seed.
 * - billing-2025-server once more with its User.username (required, unique) copied from a claim.
 *
 * Nothing is mocked. Tokens a provider would never issue (wrong claims, other keys, `alg: none`,
 * HS256 keyed with the public key) are minted with jose by the issuer process; each of them is
 * the valid token with one defect, and the valid one is accepted (a control in the table).
 * The unconverted input server's own local login works in the same harness (the harness control).
 */
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { parseConfig } from "./helpers/config";
import { run } from "../src/engine/run";
import { resolveAuth0 } from "../src/config/resolve";
import {
  ensureWorkspace,
  WORKSPACES,
  type WorkspaceName,
} from "../scripts/typecheck/typecheck-servers";
import { startIssuer, type Issuer, type MintOptions } from "./helpers/issuer";
import {
  latencyProxy,
  startPostgres,
  type LatencyProxy,
  type Postgres,
} from "./helpers/postgres";
import {
  buildServer,
  runSeed,
  scriptDiagnostics,
  runUntilExit,
  startServer,
  type BuiltServer,
  type RunningServer,
} from "./helpers/server-app";

// First run installs two workspaces (about a minute each on a cold npm cache).
jest.setTimeout(10 * 60 * 1000);

interface AppCase {
  /** Folder under fixtures/apps. */
  app: string;
  /** The server inside input/ and expected/. */
  server: string;
  workspace: WorkspaceName;
  /** The variable its PrismaService reads the database URL from. */
  databaseVariable: string;
  /** A REST route guarded by the default auth guard and the ACL. */
  entityRoute: string;
  /** A GraphQL query guarded the same way. */
  entityQuery: string;
  /** The REST list route of every resource. */
  resourceRoutes: string[];
  /** A valid body for creating an entity at entityRoute. */
  newEntity: Record<string, unknown>;
  /** Where the user's email lives. */
  emailColumn: "username" | "email";
  /** The column bound to the token's `sub` (user.subjectField), if any. */
  subjectColumn?: string;
}

const APPS: AppCase[] = [
  {
    app: "server-2022",
    server: "server",
    workspace: "runtime-nest8",
    databaseVariable: "POSTGRESQL_URL",
    entityRoute: "/api/notes",
    entityQuery: "{ notes { id } }",
    resourceRoutes: ["/api/notes", "/api/users"],
    newEntity: { title: "Seeded admin's note" },
    emailColumn: "username",
  },
  {
    app: "billing-2025-server",
    server: path.join("apps", "billing-server"),
    workspace: "runtime-nest10",
    databaseVariable: "DB_URL",
    entityRoute: "/api/invoices",
    entityQuery: "{ invoices { id } }",
    resourceRoutes: ["/api/invoices", "/api/users"],
    newEntity: { invoiceNumber: "INV-1" },
    emailColumn: "email",
    subjectColumn: "auth0Id",
  },
];

const FIXTURES = path.resolve(__dirname, "../fixtures/apps");
const UNAUTHORIZED_BODY = { statusCode: 401, message: "Unauthorized" };
/**
 * Why passport-jwt, jsonwebtoken and jwks-rsa refuse a token, as they word it; none may reach a
 * client. (Apollo adds stack traces to GraphQL errors unless NODE_ENV=production, as the
 * generated app leaves it; they name functions, not reasons.)
 */
const REASONS =
  /jwt audience invalid|jwt issuer invalid|jwt expired|invalid signature|invalid algorithm|jwt not active|secret or public key|No auth token|jwt malformed|invalid token|Unable to find a signing key|email_verified/i;
const OWNER_EMAIL = "owner@example.test";
const OWNER_ID = "owner-id";
const USER_INFO = "{ userInfo { id username roles } }";

/** Tools of the generated package.json that play no part at run time. */
const NOT_AT_RUN_TIME = new Set([
  "@nestjs/cli",
  "jest",
  "ts-jest",
  "ts-node",
  "npm-run-all",
]);

type Manifest = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const dependenciesOf = (file: string): Record<string, string> => {
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  return { ...manifest.dependencies, ...manifest.devDependencies };
};

test.each(APPS)(
  "the $workspace workspace has exactly the dependencies of $app (expected/ wins over input/)",
  (c) => {
    const tree = (t: string) =>
      path.join(FIXTURES, c.app, t, c.server, "package.json");
    const wanted: Record<string, string> = {};
    for (const [name, range] of Object.entries({
      ...dependenciesOf(tree("input")),
      ...dependenciesOf(tree("expected")),
    })) {
      if (!NOT_AT_RUN_TIME.has(name)) wanted[name] = range;
    }
    const workspace = path.resolve(
      __dirname,
      "..",
      WORKSPACES[c.workspace].source,
      "package.json",
    );
    expect(dependenciesOf(workspace)).toEqual(wanted);
  },
);

let pg: Postgres;

beforeAll(async () => {
  // Installs both workspaces up front, so a failing install is reported once, here.
  for (const app of APPS) ensureWorkspace(app.workspace);
  pg = await startPostgres();
});

afterAll(() => pg?.stop());

const now = () => Math.floor(Date.now() / 1000);
const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Inserts a User row; `email` only for apps whose User has an email column. */
function insertUser(
  database: string,
  user: {
    id: string;
    username: string;
    email?: string;
    password: string;
    roles: string[];
  },
): void {
  const { email, ...row } = user;
  const values: Record<string, string> = {
    ...row,
    roles: JSON.stringify(user.roles),
    ...(email === undefined ? {} : { email }),
  };
  const columns = Object.keys(values);
  pg.query(
    database,
    `INSERT INTO "User" (${[...columns, "updatedAt"].map((c) => `"${c}"`).join(", ")}) ` +
      `VALUES (${columns.map((c) => sqlText(values[c]!)).join(", ")}, now())`,
  );
}

interface Reply {
  status: number;
  text: string;
}

/**
 * fetch on a connection of its own: a kept-alive socket left idle while a step runs (the seed
 * script, a restart) may be closed by the server just as fetch reuses it ("other side closed"),
 * which on a loaded machine happened. The server's answers are what the tests are about.
 */
function request(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: {
      connection: "close",
      ...(init.headers as Record<string, string>),
    },
  });
}

async function get(
  url: string,
  token?: string,
  scheme = "Bearer",
): Promise<Reply> {
  const response = await request(url, {
    headers: token ? { authorization: `${scheme} ${token}` } : {},
  });
  return { status: response.status, text: await response.text() };
}

async function graphql(
  server: RunningServer,
  query: string,
  token?: string,
): Promise<{ status: number; json: any; text: string }> {
  const response = await request(`${server.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), text };
}

/**
 * A fixture's server converted with other user settings than its own auth0.config.json: its
 * input/ is converted by the engine at test time, into a temporary folder, and built the way
 * expected/ is. The same rows run against it (those that depend on no user setting run once).
 */
interface Variant {
  /** A short name: the describe title and the database name. */
  name: string;
  /** Replaces these keys of the config's `user`. */
  user: Record<string, unknown>;
}

/** Converts a copy of the fixture's input/ with this config at test time, and builds its server. */
async function convertAndBuild(
  c: AppCase,
  configText: string,
): Promise<BuiltServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-variant-"));
  try {
    fs.cpSync(path.join(FIXTURES, c.app, "input"), root, { recursive: true });
    fs.writeFileSync(path.join(root, "auth0.config.json"), configText);
    const result = await run({ root, command: "apply", allowDirty: true });
    if (!result.written) {
      throw new Error(
        `apply did not convert ${c.app} with ${configText}: ${JSON.stringify(result.services)}`,
      );
    }
    return buildServer(path.join(root, c.server), c.workspace);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Registers the rows for one converted server: the fixture's expected/ tree, or `variant`.
 * Which rows apply follows the config (roles source, admins, subject field) and the app.
 */
function convertedServerRows(c: AppCase, variant?: Variant): void {
  const fixture = path.join(FIXTURES, c.app);
  const fixtureConfig = JSON.parse(
    fs.readFileSync(path.join(fixture, "auth0.config.json"), "utf8"),
  ) as { user?: Record<string, unknown> };
  const configText = JSON.stringify(
    variant
      ? { ...fixtureConfig, user: { ...fixtureConfig.user, ...variant.user } }
      : fixtureConfig,
  );
  const config = parseConfig(configText, "auth0.config.json");
  const auth0 = resolveAuth0(config);
  const userObject = config.user.claims.style === "user-object";
  /** The custom-claim prefix: of the email claims, else of the roles claim, else the audience's. */
  const namespace = userObject
    ? (auth0.rolesClaim?.slice(0, -"roles".length) ??
      `${auth0.audience.replace(/\/$/, "")}/`)
    : auth0.emailClaim.slice(0, -"email".length);
  const tables = fs.readFileSync(path.join(fixture, "runtime.sql"), "utf8");
  const dbName = `${c.app.replace(/-/g, "_")}${variant ? `_${variant.name.replace(/\W/g, "_")}` : ""}`;

  let issuer: Issuer;
  let converted: BuiltServer;
  let server: RunningServer;
  let databaseUrl: string;
  let network: LatencyProxy;
  /** Every token this suite sent, to look for in the server's logs. */
  const sentTokens = new Set<string>();

  const emailOf = (who: string) => `${who}@example.test`;
  const countUsers = (email: string) =>
    Number(
      pg.query(
        `${dbName}_converted`,
        `SELECT count(*) FROM "User" WHERE "${c.emailColumn}" = ${sqlText(email)}`,
      ),
    );
  const countAllUsers = () =>
    Number(pg.query(`${dbName}_converted`, `SELECT count(*) FROM "User"`));
  const auth0Env = () => ({
    [c.databaseVariable]: databaseUrl,
    AUTH0_AUDIENCE: auth0.audience,
    AUTH0_ISSUER_URL: issuer.issuer,
  });

  /**
   * A provider-issued access token for `client` (its `sub`), with the Action's email claims
   * (`null` leaves both out) and, when given, its roles claim.
   */
  async function tokenFor(
    client: string,
    email: string | null = emailOf(client),
    emailVerified = true,
    roles?: unknown,
  ): Promise<string> {
    const token = await issuer.token({
      client,
      ...(email === null ? {} : { email, email_verified: emailVerified }),
      ...(roles === undefined ? {} : { roles }),
    });
    sentTokens.add(token);
    return token;
  }

  /** The owner's token; its roles claim says admin, as Auth0 would for an app on source auth0. */
  const ownerToken = () => tokenFor("owner", OWNER_EMAIL, true, ["admin"]);

  /** The roles column of the user with this email. */
  const rolesOf = (email: string): unknown =>
    JSON.parse(
      pg.query(
        `${dbName}_converted`,
        `SELECT roles FROM "User" WHERE "${c.emailColumn}" = ${sqlText(email)}`,
      ),
    );

  /** The Action's email claims, where the config's claim style puts them. */
  const emailClaims = (email: string, verified = true) =>
    userObject
      ? { user: { email, email_verified: verified } }
      : {
          [`${namespace}email`]: email,
          [`${namespace}email_verified`]: verified,
        };

  /** The claims of a valid access token, for minting variants of it with one defect. */
  function validClaims(who: string): Record<string, unknown> {
    return {
      iss: issuer.issuer,
      aud: auth0.audience,
      sub: `auth0|${who}`,
      iat: now(),
      exp: now() + 300,
      ...emailClaims(emailOf(who)),
    };
  }

  /**
   * A jose-minted token, with the `typ` of Auth0's default token profile ("JWT") unless told
   * otherwise (null: no `typ` at all).
   */
  async function mint(
    options: Omit<MintOptions, "typ"> & { typ?: string | null },
  ): Promise<string> {
    const { typ = "JWT", ...rest } = options;
    const token = await issuer.mint({
      ...rest,
      ...(typ === null ? {} : { typ }),
    });
    sentTokens.add(token);
    return token;
  }

  /** A minted token of `who` whose email claim is `email`. */
  const mintWithEmail = (who: string, email: string) =>
    mint({ claims: { ...validClaims(who), ...emailClaims(email) } });

  /** Inserts a user with this email (in the app's email column) and no `sub` bound. */
  function insertWithEmail(id: string, email: string, roles: string[] = []) {
    insertUser(`${dbName}_converted`, {
      id,
      ...(c.emailColumn === "email"
        ? { username: id, email }
        : { username: email }),
      password: "unused",
      roles,
    });
  }

  /** How many users have this email, in any case. */
  const countUsersAnyCase = (email: string) =>
    Number(
      pg.query(
        `${dbName}_converted`,
        `SELECT count(*) FROM "User" WHERE lower("${c.emailColumn}") = lower(${sqlText(email)})`,
      ),
    );

  beforeAll(async () => {
    issuer = await startIssuer({
      audience: auth0.audience,
      namespace,
      claimsStyle: config.user.claims.style,
      clients: [
        "owner",
        "alice",
        "bob",
        "carol",
        "dave",
        "erin",
        "frank",
        "gina",
        "hank",
        "mallory",
        "ivy",
        "jack",
        "kim",
        "root",
      ],
    });
    converted = variant
      ? await convertAndBuild(c, configText)
      : buildServer(path.join(fixture, "expected", c.server), c.workspace);
    pg.createDatabase(`${dbName}_converted`, tables);
    // The server reaches the database through 5 ms of network, as in production.
    network = await latencyProxy(pg.port, 5);
    databaseUrl = pg
      .url(`${dbName}_converted`)
      .replace(`:${pg.port}/`, `:${network.port}/`);
    // An existing user with an admin role, from the days of local login: no `sub` bound yet.
    insertUser(`${dbName}_converted`, {
      id: OWNER_ID,
      ...(c.emailColumn === "email"
        ? { username: "owner", email: OWNER_EMAIL }
        : { username: OWNER_EMAIL }),
      password: "unused",
      roles: ["admin"],
    });
    server = await startServer(converted, auth0Env());
  });

  afterAll(async () => {
    await server?.stop();
    await network?.close();
    await issuer?.stop();
    converted?.remove();
  });

  it("the converted server builds with no diagnostics against its era's dependencies", () => {
    expect(converted.diagnostics).toEqual([]);
  });

  describe("accepts", () => {
    it("an existing user's verified email links the token to that user (REST and GraphQL)", async () => {
      const token = await ownerToken();
      const info = await graphql(server, USER_INFO, token);
      expect(info.json.errors).toBeUndefined();
      expect(info.json.data.userInfo.id).toBe(OWNER_ID);
      expect(info.json.data.userInfo.roles).toEqual(["admin"]);
      // A guarded REST route: authenticated, and the admin role grants the read.
      const list = await get(`${server.url}${c.entityRoute}`, token);
      expect(list.status).toBe(200);
      expect(JSON.parse(list.text)).toEqual([]);
      expect(countUsers(OWNER_EMAIL)).toBe(1);
      if (c.subjectColumn) {
        expect(
          pg.query(
            `${dbName}_converted`,
            `SELECT "${c.subjectColumn}" FROM "User" WHERE id = '${OWNER_ID}'`,
          ),
        ).toBe("owner");
      }
    });

    it("a first request creates exactly one user, with no roles; later requests find it", async () => {
      const email = emailOf("alice");
      expect(countUsers(email)).toBe(0);
      const token = await tokenFor("alice");
      const first = await graphql(server, USER_INFO, token);
      expect(first.json.errors).toBeUndefined();
      expect(first.json.data.userInfo.roles).toEqual([]);
      const again = await graphql(server, USER_INFO, token);
      expect(again.json.data.userInfo.id).toBe(first.json.data.userInfo.id);
      expect(countUsers(email)).toBe(1);
      // Authenticated, granted nothing: a 403 that says so, with no data; not the 500 the
      // generated ACL (accesscontrol throws on an empty role list) gave, not 200 and not 401.
      const noRole = `Signed in as ${email}, but no role has been granted to this account yet: ask an administrator to grant you one`;
      const list = await get(`${server.url}${c.entityRoute}`, token);
      expect(list.status).toBe(403);
      expect(JSON.parse(list.text)).toEqual({
        statusCode: 403,
        message: noRole,
        error: "Forbidden",
      });
      const query = await graphql(server, c.entityQuery, token);
      expect(query.json.data).toBeNull();
      expect(query.json.errors).toHaveLength(1);
      expect(query.json.errors[0].message).toBe(noRole);
      expect(query.json.errors[0].extensions.code).toBe("FORBIDDEN");
    });

    // Three new users, so a race between the lookup and the create has more than one chance.
    it.each(["bob", "gina", "hank"])(
      "10 concurrent first requests of %s create exactly one user",
      async (who) => {
        const token = await tokenFor(who);
        // 15 ms apart, across the time one request takes to look the user up and create it
        // (over the 5 ms network): later requests look it up while it is being created. The
        // race this found (a user just bound to this very `sub` refused as "bound to another")
        // fails this test on every run when the fix is taken out.
        const replies = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            await new Promise((resolve) => setTimeout(resolve, i * 15));
            return graphql(server, USER_INFO, token);
          }),
        );
        for (const reply of replies) expect(reply.json.errors).toBeUndefined();
        const ids = new Set(replies.map((r) => r.json.data.userInfo.id));
        expect(ids.size).toBe(1);
        expect(countUsers(emailOf(who))).toBe(1);
      },
    );

    it("the lowercase `bearer` scheme", async () => {
      const token = await ownerToken();
      expect(
        (await get(`${server.url}${c.entityRoute}`, token, "bearer")).status,
      ).toBe(200);
    });

    it("a jose-minted token with valid claims (the control of the minted rejections below)", async () => {
      const token = await mint({ claims: validClaims("carol") });
      expect(
        (await graphql(server, USER_INFO, token)).json.errors,
      ).toBeUndefined();
      expect(countUsers(emailOf("carol"))).toBe(1);
    });

    it.each(["JWT", "jwt", "at+jwt", "application/at+jwt", "AT+JWT"])(
      "typ %s (Auth0's default and RFC 9068 profiles, in any case)",
      async (typ) => {
        const token = await mint({ claims: validClaims("carol"), typ });
        const info = await graphql(server, USER_INFO, token);
        expect(info.json.errors).toBeUndefined();
      },
    );

    it("the provider's own access tokens, typ at+jwt (RFC 9068)", async () => {
      const token = await ownerToken();
      const header = JSON.parse(
        Buffer.from(token.split(".")[0]!, "base64url").toString(),
      );
      expect(header.typ).toBe("at+jwt");
      expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
        200,
      );
    });

    it("iat 3 s in the future (within the 5 s clock tolerance)", async () => {
      const token = await mint({
        claims: { ...validClaims("carol"), iat: now() + 3 },
      });
      expect((await graphql(server, USER_INFO, token)).json.errors).toBe(
        undefined,
      );
    });

    it("Auth0's array aud: [our audience, https://<domain>/userinfo]", async () => {
      const token = await mint({
        claims: {
          ...validClaims("carol"),
          aud: [auth0.audience, `${issuer.issuer}userinfo`],
        },
      });
      expect((await graphql(server, USER_INFO, token)).json.errors).toBe(
        undefined,
      );
    });

    if (c.subjectColumn) {
      it("a bound user is found by `sub`, even when the token's email changed", async () => {
        const token = await tokenFor(
          "owner",
          "owner-renamed@example.test",
          true,
          ["admin"],
        );
        const info = await graphql(server, USER_INFO, token);
        expect(info.json.data?.userInfo.id).toBe(OWNER_ID);
        expect(countUsers("owner-renamed@example.test")).toBe(0);
      });
    }
  });

  if (auth0.rolesClaim) {
    describe('roles from the token (user.roles.source "auth0")', () => {
      it("a roles claim of [user] reads; the same user with the claim emptied gets 403 at the next request, and the row shows no role", async () => {
        const email = emailOf("ivy");
        const withUser = await tokenFor("ivy", email, true, ["user"]);
        expect(
          (await get(`${server.url}${c.entityRoute}`, withUser)).status,
        ).toBe(200);
        expect(rolesOf(email)).toEqual(["user"]);

        const emptied = await tokenFor("ivy", email, true, []);
        const reply = await get(`${server.url}${c.entityRoute}`, emptied);
        expect(reply.status).toBe(403);
        expect(JSON.parse(reply.text).message).toMatch(
          `Signed in as ${email}, but no role has been granted`,
        );
        expect(rolesOf(email)).toEqual([]);
      });

      it("a role that src/grants.json does not know is ignored, and logged once by name", async () => {
        const email = emailOf("kim");
        const token = await tokenFor("kim", email, true, ["user", "auditor-x"]);
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          200,
        );
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          200,
        );
        expect(rolesOf(email)).toEqual(["user"]);
        expect(server.logs().split('"auditor-x"').length - 1).toBe(1);
      });

      it("a token without the claim gives no roles, never the stale ones in the database", async () => {
        const email = emailOf("jack");
        insertWithEmail("jack-id", email, ["admin"]);
        const token = await tokenFor("jack", email);
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          403,
        );
        const info = await graphql(server, USER_INFO, token);
        expect(info.json.errors).toBeUndefined();
        expect(info.json.data.userInfo.roles).toEqual([]);
        expect(rolesOf(email)).toEqual([]);
        // the server says why, once (many tokens of this suite lack the claim)
        expect(
          server
            .logs()
            .split(
              `A token has no list in its ${JSON.stringify(auth0.rolesClaim)} claim, so its user has no role`,
            ).length - 1,
        ).toBe(1);
      });
    });
  } else {
    it('with user.roles.source "database", a roles claim in the token grants nothing', async () => {
      const token = await tokenFor("ivy", emailOf("ivy"), true, ["admin"]);
      expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
        403,
      );
      expect(rolesOf(emailOf("ivy"))).toEqual([]);
    });

    it("a stored role src/grants.json does not have is ignored: alone it is no role (403, not the access control's 500), beside a known one it changes nothing", async () => {
      insertWithEmail("legacy-id", emailOf("olga"), ["legacy"]);
      const alone = await get(
        `${server.url}${c.entityRoute}`,
        await mintWithEmail("olga", emailOf("olga")),
      );
      expect(alone.status).toBe(403);
      expect(alone.text).toContain("no role has been granted");
      insertWithEmail("mixed-id", emailOf("pavel"), ["legacy", "admin"]);
      const token = await mintWithEmail("pavel", emailOf("pavel"));
      expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
        200,
      );
      const info = await graphql(server, USER_INFO, token);
      expect(info.json.data.userInfo.roles).toEqual(["admin"]);
      expect(server.logs()).toContain(
        'Ignoring the role "legacy" of a stored user: it is not in src/grants.json',
      );
    });
  }

  if (!auth0.rolesClaim && config.user.admins.length > 0) {
    it("the converted seed script creates the configured admin (twice: an upsert), who reads and writes every resource; no admin/admin user", async () => {
      const admin = config.user.admins[0]!;
      expect(scriptDiagnostics(converted, c.workspace)).toEqual([]);
      for (let run = 0; run < 2; run++) {
        const exit = await runSeed(converted, c.workspace, {
          [c.databaseVariable]: databaseUrl,
        });
        expect(exit).toEqual({
          status: 0,
          output: expect.stringContaining("Seeded database successfully"),
        });
      }
      expect(rolesOf(admin)).toEqual(["admin", "user"]);
      expect(countUsers(admin)).toBe(1);
      expect(
        pg.query(
          `${dbName}_converted`,
          `SELECT count(*) FROM "User" WHERE username = 'admin'`,
        ),
      ).toBe("0");

      const token = await tokenFor("root", admin);
      for (const route of c.resourceRoutes) {
        expect((await get(`${server.url}${route}`, token)).status).toBe(200);
      }
      const created = await request(`${server.url}${c.entityRoute}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(c.newEntity),
      });
      expect(created.status).toBe(201);
    });
  }

  describe("rejects with 401 and a body that does not say why", () => {
    /**
     * Each row: the valid token with one defect. `email` is the address the token carries.
     * A row whose `kid` the server does not know makes it fetch the JWKS, twice (REST and
     * GraphQL), and the converted server allows 10 fetches a minute: with the first fetch and
     * the rotation test this file uses 7. More such rows would make the rotation test fail for
     * the limiter's sake, not the server's.
     */
    const rows: Array<{
      name: string;
      email?: string;
      token: () => Promise<string>;
      send?: "header" | "query";
    }> = [
      {
        name: "wrong audience",
        email: emailOf("r-aud"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-aud"),
              aud: "https://other-api.example",
            },
          }),
      },
      {
        name: "wrong issuer, signed with our key",
        email: emailOf("r-iss"),
        token: () =>
          mint({
            claims: { ...validClaims("r-iss"), iss: issuer.otherIssuer },
          }),
      },
      {
        name: "a token of another real issuer (its own key)",
        email: emailOf("dave"),
        token: async () => {
          const token = await issuer.token({
            issuer: "b",
            client: "dave",
            email: emailOf("dave"),
            email_verified: true,
          });
          sentTokens.add(token);
          return token;
        },
      },
      {
        name: "issuer without the trailing slash",
        email: emailOf("r-slash"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-slash"),
              iss: issuer.issuer.replace(/\/$/, ""),
            },
          }),
      },
      {
        name: "expired (beyond the 5 s clock tolerance)",
        email: emailOf("r-exp"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-exp"),
              iat: now() - 400,
              exp: now() - 60,
            },
          }),
      },
      {
        name: "no exp",
        email: emailOf("r-noexp"),
        token: () => {
          const { exp: _exp, ...claims } = validClaims("r-noexp");
          return mint({ claims });
        },
      },
      {
        name: "nbf in the future",
        email: emailOf("r-nbf"),
        token: () =>
          mint({ claims: { ...validClaims("r-nbf"), nbf: now() + 120 } }),
      },
      {
        name: "alg: none",
        email: emailOf("r-none"),
        token: () => mint({ claims: validClaims("r-none"), alg: "none" }),
      },
      {
        name: "HS256 keyed with our public key",
        email: emailOf("r-hs256"),
        token: () =>
          mint({ claims: validClaims("r-hs256"), alg: "HS256-public-key" }),
      },
      {
        name: "RS384 with our key",
        email: emailOf("r-rs384"),
        token: () => mint({ claims: validClaims("r-rs384"), alg: "RS384" }),
      },
      {
        name: "unknown kid",
        email: emailOf("r-kid"),
        token: () => mint({ claims: validClaims("r-kid"), key: "other" }),
      },
      {
        name: "signed by another key under our kid",
        email: emailOf("r-forged"),
        token: () =>
          mint({
            claims: validClaims("r-forged"),
            key: "other",
            kid: issuer.kids.k1,
          }),
      },
      {
        name: "an ID token (aud = the client id)",
        email: emailOf("r-idtoken"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-idtoken"),
              aud: auth0.clientId,
              nonce: "n-0S6_WzA2Mj",
            },
            typ: "JWT",
          }),
      },
      {
        name: "token only in the query string",
        email: emailOf("erin"),
        token: () => tokenFor("erin"),
        send: "query",
      },
      {
        name: "missing email claim",
        token: () => tokenFor("frank", null),
      },
      {
        name: "email_verified: false",
        email: emailOf("mallory"),
        token: () => tokenFor("mallory", emailOf("mallory"), false),
      },
      {
        name: "not a JWT",
        token: async () => "not.a.jwt",
      },
      {
        name: "typ id_token+jwt (not an access token's)",
        email: emailOf("r-typ"),
        token: () =>
          mint({ claims: validClaims("r-typ"), typ: "id_token+jwt" }),
      },
      {
        name: "typ logout+jwt",
        email: emailOf("r-logout"),
        token: () =>
          mint({ claims: validClaims("r-logout"), typ: "logout+jwt" }),
      },
      {
        name: "no typ (Auth0 sets one on every access token)",
        email: emailOf("r-notyp"),
        token: () => mint({ claims: validClaims("r-notyp"), typ: null }),
      },
      {
        name: "a crit header (no extension is understood)",
        email: emailOf("r-crit"),
        token: () =>
          mint({
            claims: validClaims("r-crit"),
            header: { crit: ["urn:example:ext"], "urn:example:ext": true },
          }),
      },
      {
        name: "no iat",
        email: emailOf("r-noiat"),
        token: () => {
          const { iat: _iat, ...claims } = validClaims("r-noiat");
          return mint({ claims });
        },
      },
      {
        name: "iat 1 hour in the future",
        email: emailOf("r-iat"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-iat"),
              iat: now() + 3600,
              exp: now() + 3900,
            },
          }),
      },
      // The user-object style reads user.email: the namespaced claims alone are no email.
      ...(userObject
        ? [
            {
              name: "user-object style: the email only in namespaced claims",
              email: emailOf("r-namespaced"),
              token: () => {
                const { user: _user, ...claims } = validClaims("r-namespaced");
                return mint({
                  claims: {
                    ...claims,
                    [`${namespace}email`]: emailOf("r-namespaced"),
                    [`${namespace}email_verified`]: true,
                  },
                });
              },
            },
          ]
        : []),
      {
        name: "an aud array without ours",
        email: emailOf("r-audarray"),
        token: () =>
          mint({
            claims: {
              ...validClaims("r-audarray"),
              aud: ["https://other-api.example", `${issuer.issuer}userinfo`],
            },
          }),
      },
    ];

    it.each(rows)("$name", async (row) => {
      const usersBefore = countAllUsers();
      const token = await row.token();
      const reply =
        row.send === "query"
          ? await get(
              `${server.url}${c.entityRoute}?access_token=${encodeURIComponent(token)}`,
            )
          : await get(`${server.url}${c.entityRoute}`, token);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text)).toEqual(UNAUTHORIZED_BODY);

      const info =
        row.send === "query"
          ? await graphql(server, USER_INFO)
          : await graphql(server, USER_INFO, token);
      expect(info.json.data).toBeNull();
      expect(info.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(info.json.errors[0].message).toBe("Unauthorized");
      expect(info.text).not.toMatch(REASONS);

      if (row.email) expect(countUsers(row.email)).toBe(0);
      expect(countAllUsers()).toBe(usersBefore);
    });

    if (c.subjectColumn) {
      it("of 6 different `sub`s racing to link one unbound user by email, exactly one wins", async () => {
        const db = `${dbName}_converted`;
        insertUser(db, {
          id: "shared-id",
          username: "shared",
          email: "shared@example.test",
          password: "unused",
          roles: [],
        });
        const tokens = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            mint({
              claims: {
                ...validClaims(`contender-${i}`),
                ...emailClaims("shared@example.test"),
              },
            }),
          ),
        );
        const replies = await Promise.all(
          tokens.map((token) => graphql(server, USER_INFO, token)),
        );
        const winners = replies.filter((r) => !r.json.errors);
        expect(winners).toHaveLength(1);
        expect(winners[0]!.json.data.userInfo.id).toBe("shared-id");
        const boundTo = pg.query(
          db,
          `SELECT "${c.subjectColumn}" FROM "User" WHERE id = 'shared-id'`,
        );
        expect(boundTo).toMatch(/^auth0\|contender-\d$/);
        // The winner keeps it; every other contender stays refused.
        for (const [i, token] of tokens.entries()) {
          const status = (await get(`${server.url}${c.entityRoute}`, token))
            .status;
          expect(status).toBe(`auth0|contender-${i}` === boundTo ? 403 : 401);
        }
      });

      it("another `sub` with a bound user's verified email (never re-linked)", async () => {
        const token = await mint({
          claims: {
            ...validClaims("intruder"),
            ...emailClaims(OWNER_EMAIL),
          },
        });
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          401,
        );
        expect(
          pg.query(
            `${dbName}_converted`,
            `SELECT "${c.subjectColumn}" FROM "User" WHERE id = '${OWNER_ID}'`,
          ),
        ).toBe("owner");
      });
    }
  });

  describe("emails match in any case", () => {
    it("a token whose email differs from the stored one only in case finds that user, both ways; no second row", async () => {
      insertWithEmail("lena-id", "Lena.Case@Example.test", ["user"]);
      insertWithEmail("max-id", "max.case@example.test", ["user"]);
      for (const [who, email, id] of [
        ["lena", "lena.case@example.test", "lena-id"],
        ["max", "Max.Case@EXAMPLE.test", "max-id"],
      ] as const) {
        const token = await mintWithEmail(who, email);
        const info = await graphql(server, USER_INFO, token);
        expect(info.json.errors).toBeUndefined();
        expect(info.json.data.userInfo.id).toBe(id);
        // And again, once a subject field is bound.
        const again = await graphql(server, USER_INFO, token);
        expect(again.json.data.userInfo.id).toBe(id);
        expect(countUsersAnyCase(email)).toBe(1);
      }
    });

    it("LIKE's wildcards are plain characters: Under_Score finds under_score, Wild_Card does not find wildxcard", async () => {
      insertWithEmail("under-id", "under_score@example.test");
      insertWithEmail("wild-id", "wildxcard@example.test");
      const under = await graphql(
        server,
        USER_INFO,
        await mintWithEmail("under", "Under_Score@example.test"),
      );
      expect(under.json.data.userInfo.id).toBe("under-id");
      const wild = await graphql(
        server,
        USER_INFO,
        await mintWithEmail("wild", "Wild_Card@example.test"),
      );
      expect(wild.json.errors).toBeUndefined();
      expect(wild.json.data.userInfo.id).not.toBe("wild-id");
      expect(countUsers("Wild_Card@example.test")).toBe(1);
      expect(countUsers("wildxcard@example.test")).toBe(1);
    });

    it("two users whose emails differ only in case: a token matching neither exactly is refused (401), none created", async () => {
      insertWithEmail("twin-a", "twin@example.test");
      insertWithEmail("twin-b", "Twin@Example.test");
      const before = countAllUsers();
      const token = await mintWithEmail("twin", "TWIN@example.test");
      const reply = await get(`${server.url}${c.entityRoute}`, token);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text)).toEqual(UNAUTHORIZED_BODY);
      expect(countAllUsers()).toBe(before);
    });
  });

  if (c.emailColumn === "email") {
    it("a first login whose username (the email) another user holds is a 409 that says so; no row created, nothing linked", async () => {
      insertUser(`${dbName}_converted`, {
        id: "holder-id",
        username: "newcomer@example.test",
        email: "holder@example.test",
        password: "unused",
        roles: [],
      });
      const before = countAllUsers();
      const token = await mintWithEmail("newcomer", "newcomer@example.test");
      const message =
        'Signed in as newcomer@example.test, but a user with the username "newcomer@example.test" already exists: ask an administrator to link it to this account or rename it';
      const reply = await get(`${server.url}${c.entityRoute}`, token);
      expect(reply.status).toBe(409);
      expect(JSON.parse(reply.text)).toEqual({
        statusCode: 409,
        message,
        error: "Conflict",
      });
      const info = await graphql(server, USER_INFO, token);
      expect(info.json.data).toBeNull();
      expect(info.json.errors[0].message).toBe(message);
      expect(countAllUsers()).toBe(before);
      expect(countUsers("newcomer@example.test")).toBe(0);
      if (c.subjectColumn) {
        expect(
          pg.query(
            `${dbName}_converted`,
            `SELECT "${c.subjectColumn}" IS NULL FROM "User" WHERE id = 'holder-id'`,
          ),
        ).toBe("t");
      }
    });
  }

  if (!c.subjectColumn) {
    it("email mode: two different `sub`s with one verified email are the same user (as documented; `check` warns)", async () => {
      const shared = "shared-mailbox@example.test";
      const first = await graphql(
        server,
        USER_INFO,
        await mintWithEmail("social-a", shared),
      );
      const second = await graphql(
        server,
        USER_INFO,
        await mintWithEmail("database-b", shared),
      );
      expect(first.json.errors).toBeUndefined();
      expect(second.json.data.userInfo.id).toBe(first.json.data.userInfo.id);
      expect(countUsers(shared)).toBe(1);
    });
  }

  // Rows that no user setting changes: once per fixture, not again for its variants.
  if (!variant) {
    describe("the old local login is gone", () => {
      it("POST /api/login is 404", async () => {
        const response = await request(`${server.url}/api/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "owner", password: "unused" }),
        });
        expect(response.status).toBe(404);
      });

      it("the GraphQL login mutation does not exist", async () => {
        const reply = await graphql(
          server,
          'mutation { login(credentials: { username: "owner", password: "unused" }) { accessToken } }',
        );
        expect(reply.json.errors[0].message).toMatch(
          /Cannot query field "login" on type "Mutation"/,
        );
      });
    });

    describe("JWKS", () => {
      afterEach(async () => {
        await issuer.setJwks({ mode: "up", keys: ["k1"] });
      });

      it("a JWKS outage lets nothing through on a cold cache (401), and the warm cache keeps working", async () => {
        const token = await ownerToken();
        // Warm: this server has fetched k1 already.
        await issuer.setJwks({ mode: "down" });
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          200,
        );

        // Cold: a second instance that has never fetched the keys.
        const cold = await startServer(converted, auth0Env());
        try {
          const before = (await issuer.state()).jwksRequests;
          const reply = await get(`${cold.url}${c.entityRoute}`, token);
          expect(reply.status).toBe(401);
          expect(JSON.parse(reply.text)).toEqual(UNAUTHORIZED_BODY);
          expect((await issuer.state()).jwksRequests).toBeGreaterThan(before);
          // Back up: the same instance accepts the token, no restart.
          await issuer.setJwks({ mode: "up" });
          expect((await get(`${cold.url}${c.entityRoute}`, token)).status).toBe(
            200,
          );
          expect(cold.logs()).not.toMatch(/eyJ/);
        } finally {
          await cold.stop();
        }
      });

      it("key rotation: a token under a new kid is accepted once the JWKS has it, without restart", async () => {
        const token = await mint({ claims: validClaims("carol"), key: "k2" });
        expect((await get(`${server.url}${c.entityRoute}`, token)).status).toBe(
          401,
        );
        await issuer.setJwks({ keys: ["k1", "k2"] });
        const info = await graphql(server, USER_INFO, token);
        expect(info.json.errors).toBeUndefined();
        expect(info.json.data.userInfo.username).toBeDefined();
      });
    });

    describe("refuses to start with a clear message", () => {
      const cases: Array<[string, Record<string, string | undefined>, RegExp]> =
        [
          [
            "AUTH0_AUDIENCE missing",
            { AUTH0_AUDIENCE: undefined },
            /AUTH0_AUDIENCE is not set/,
          ],
          [
            "AUTH0_AUDIENCE empty",
            { AUTH0_AUDIENCE: " " },
            /AUTH0_AUDIENCE is not set/,
          ],
          [
            "AUTH0_ISSUER_URL missing",
            { AUTH0_ISSUER_URL: undefined },
            /AUTH0_ISSUER_URL is not set/,
          ],
          [
            "AUTH0_ISSUER_URL not a URL",
            { AUTH0_ISSUER_URL: "tenant.eu.auth0.com" },
            /AUTH0_ISSUER_URL "tenant.eu.auth0.com" is not a URL/,
          ],
          [
            "AUTH0_ISSUER_URL without the trailing slash",
            { AUTH0_ISSUER_URL: "https://tenant.eu.auth0.com" },
            /must be the issuer itself, ending with "\/"/,
          ],
          [
            "AUTH0_ISSUER_URL over http to a remote host",
            { AUTH0_ISSUER_URL: "http://tenant.eu.auth0.com/" },
            /must use https:\/\//,
          ],
        ];

      it.each(cases)("%s", async (_name, overrides, message) => {
        const exit = await runUntilExit(converted, {
          ...auth0Env(),
          ...overrides,
        });
        expect(exit.signal).toBeNull();
        expect(exit.code).not.toBe(0);
        expect(exit.logs).toMatch(message);
      });
    });
  }

  it("no access token appears in the server's logs", () => {
    expect(sentTokens.size).toBeGreaterThan(10);
    const logs = server.logs();
    expect(logs).toMatch(/Nest application successfully started/);
    expect(logs).not.toMatch(/eyJ/);
    for (const token of sentTokens) expect(logs).not.toContain(token);
  });
}

describe.each(APPS)("$app", (c) => convertedServerRows(c));

/**
 * Each fixture again with the other roles source (issue 14): server-2022 with roles from Auth0
 * (and the `user-object` claim style of the Amplication plugin's tenants), billing-2025-server
 * with roles from the database and a first administrator for its seed script.
 */
const VARIANTS: Array<{ c: AppCase; variant: Variant }> = [
  {
    c: APPS[0]!,
    variant: {
      name: "roles-auth0-user-object",
      user: { roles: { source: "auth0" }, claims: { style: "user-object" } },
    },
  },
  {
    c: APPS[1]!,
    variant: {
      name: "roles-database",
      user: { roles: { source: "database" }, admins: ["root@example.test"] },
    },
  },
];

describe.each(VARIANTS)(
  "$c.app converted with $variant.name",
  ({ c, variant }) => convertedServerRows(c, variant),
);

/**
 * A required unique field copied from a claim (user.claimMapping): billing-2025-server's
 * User.username, from a `nickname` claim. A new user whose token lacks the claim is refused
 * (403 naming the claim) and not created, where a stand-in value would make the second such user
 * collide; an existing user needs no claim. Its own server, since every other row creates users
 * from tokens that carry only the email claims.
 */
describe("billing-2025-server with a required unique field copied from a claim", () => {
  const c = APPS[1]!;
  const fixture = path.join(FIXTURES, c.app);
  const fixtureConfig = JSON.parse(
    fs.readFileSync(path.join(fixture, "auth0.config.json"), "utf8"),
  ) as { user: Record<string, unknown> };
  const nicknameClaim = "https://api.billing.example/nickname";
  const configText = JSON.stringify({
    ...fixtureConfig,
    user: { ...fixtureConfig.user, claimMapping: { username: nicknameClaim } },
  });
  const auth0 = resolveAuth0(parseConfig(configText, "auth0.config.json"));
  const dbName = "billing_2025_server_claim_mapping";
  let issuer: Issuer;
  let converted: BuiltServer;
  let server: RunningServer;

  const usersWithEmail = (email: string) =>
    Number(
      pg.query(
        dbName,
        `SELECT count(*) FROM "User" WHERE email = ${sqlText(email)}`,
      ),
    );
  /** A valid access token of `who`, verified email, with the nickname claim when given. */
  const tokenOf = (who: string, nickname?: string) =>
    issuer.mint({
      typ: "JWT",
      claims: {
        iss: issuer.issuer,
        aud: auth0.audience,
        sub: `auth0|${who}`,
        iat: now(),
        exp: now() + 300,
        [auth0.emailClaim]: `${who}@example.test`,
        [auth0.emailVerifiedClaim]: true,
        ...(nickname === undefined ? {} : { [nicknameClaim]: nickname }),
      },
    });

  beforeAll(async () => {
    issuer = await startIssuer({
      audience: auth0.audience,
      namespace: auth0.emailClaim.slice(0, -"email".length),
    });
    converted = await convertAndBuild(c, configText);
    const databaseUrl = pg.createDatabase(
      dbName,
      fs.readFileSync(path.join(fixture, "runtime.sql"), "utf8"),
    );
    insertUser(dbName, {
      id: OWNER_ID,
      username: "owner",
      email: OWNER_EMAIL,
      password: "unused",
      roles: ["admin"],
    });
    server = await startServer(converted, {
      [c.databaseVariable]: databaseUrl,
      AUTH0_AUDIENCE: auth0.audience,
      AUTH0_ISSUER_URL: issuer.issuer,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await issuer?.stop();
    converted?.remove();
  });

  it("builds with no diagnostics", () => {
    expect(converted.diagnostics).toEqual([]);
  });

  it("a first login with the claim creates the user with the claim's value", async () => {
    const info = await graphql(
      server,
      USER_INFO,
      await tokenOf("nina", "nina-b"),
    );
    expect(info.json.errors).toBeUndefined();
    expect(info.json.data.userInfo.username).toBe("nina-b");
    expect(
      pg.query(
        dbName,
        `SELECT username FROM "User" WHERE email = 'nina@example.test'`,
      ),
    ).toBe("nina-b");
  });

  it("a first login without the claim is a 403 naming the claim, REST and GraphQL; no user is created", async () => {
    const token = await tokenOf("omar");
    const before = Number(pg.query(dbName, `SELECT count(*) FROM "User"`));
    const reply = await get(`${server.url}${c.entityRoute}`, token);
    expect(reply.status).toBe(403);
    const { message } = JSON.parse(reply.text) as { message: string };
    expect(message).toContain(`"${nicknameClaim}" claim`);
    expect(message).toContain("username");
    const info = await graphql(server, USER_INFO, token);
    expect(info.json.data).toBeNull();
    expect(info.json.errors[0].message).toBe(message);
    expect(usersWithEmail("omar@example.test")).toBe(0);
    expect(Number(pg.query(dbName, `SELECT count(*) FROM "User"`))).toBe(
      before,
    );
  });

  it("an existing user needs no such claim", async () => {
    const info = await graphql(server, USER_INFO, await tokenOf("owner"));
    expect(info.json.errors).toBeUndefined();
    expect(info.json.data.userInfo.id).toBe(OWNER_ID);
  });
});

describe.each(APPS)(
  "control: the unconverted $app logs in locally in the same harness",
  (c) => {
    const fixture = path.join(FIXTURES, c.app);
    const tables = fs.readFileSync(path.join(fixture, "runtime.sql"), "utf8");
    const dbName = `${c.app.replace(/-/g, "_")}_input`;
    const password = "correct horse battery staple";
    let input: BuiltServer;
    let server: RunningServer;

    beforeAll(async () => {
      input = buildServer(path.join(fixture, "input", c.server), c.workspace);
      const databaseUrl = pg.createDatabase(dbName, tables);
      // Hashed with the workspace's own bcrypt, as the app's PasswordService does.
      const bcrypt = createRequire(
        path.join(ensureWorkspace(c.workspace), "package.json"),
      )("bcrypt") as { hashSync(data: string, rounds: number): string };
      insertUser(dbName, {
        id: "admin-id",
        username: "admin",
        ...(c.emailColumn === "email" ? { email: "admin@example.test" } : {}),
        password: bcrypt.hashSync(password, 4),
        roles: ["admin"],
      });
      server = await startServer(input, { [c.databaseVariable]: databaseUrl });
    });

    afterAll(async () => {
      await server?.stop();
      input?.remove();
    });

    it("builds; the only diagnostics are the era's own", () => {
      // NestJS 8 types its parameter decorators for TypeScript 4 (the 2022 app pinned 4.3, which
      // cannot read Prisma 7's types); TypeScript 5 reports TS1239 at `@Inject(JWT_SECRET_KEY)` in
      // the generated jwt.strategy.ts, which the conversion removes. The emitted JavaScript is
      // the same either way.
      for (const line of input.diagnostics) {
        expect(line).toMatch(/jwt\.strategy\.ts\(\d+,\d+\): error TS1239:/);
      }
    });

    it("POST /api/login returns a token the guarded routes accept; a wrong password is 401", async () => {
      const login = (pass: string) =>
        request(`${server.url}/api/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "admin", password: pass }),
        });
      const ok = await login(password);
      expect(ok.status).toBe(201);
      const { accessToken } = (await ok.json()) as { accessToken: string };
      expect(accessToken).toMatch(/^eyJ/);
      expect(
        (await get(`${server.url}${c.entityRoute}`, accessToken)).status,
      ).toBe(200);
      expect((await get(`${server.url}${c.entityRoute}`)).status).toBe(401);
      expect((await login("wrong")).status).toBe(401);
    });

    it("the GraphQL login mutation returns a token userInfo accepts", async () => {
      const reply = await graphql(
        server,
        `mutation { login(credentials: { username: "admin", password: "${password}" }) { accessToken } }`,
      );
      expect(reply.json.errors).toBeUndefined();
      const token = reply.json.data.login.accessToken as string;
      const info = await graphql(server, USER_INFO, token);
      expect(info.json.data.userInfo.username).toBe("admin");
    });
  },
);
