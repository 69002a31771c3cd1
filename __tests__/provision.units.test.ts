/** The pieces of `provision` that need no Management API: Action code, runtime choice, config edit, credentials, rate-limit waits, scopes. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { ManagementError } from "auth0";
import { parseConfig } from "./helpers/config";
import { tempDir } from "./helpers/files";
import { resolveAuth0 } from "../src/config/resolve";
import {
  actionCode,
  pickPostLoginTarget,
  TriggerError,
} from "../src/provision/action-code";
import {
  setConfigValues,
  writeConfigValues,
} from "../src/provision/config-file";
import {
  CredentialsError,
  readCredentials,
} from "../src/provision/credentials";
import { rateLimitWait, scopeFromMessage } from "../src/provision/management";
import { OPERATION_SCOPES } from "../src/provision/scopes";

const AUDIENCE = "https://api.acme.example";

type Claims = Record<string, unknown>;

/** Runs the Action code the way Auth0 would, with a recording `api`. */
async function execute(code: string, event: object): Promise<Claims> {
  const claims: Claims = {};
  const sandbox = {
    exports: {} as {
      onExecutePostLogin?: (e: object, a: object) => Promise<void>;
    },
  };
  vm.runInNewContext(code, sandbox);
  await sandbox.exports.onExecutePostLogin!(event, {
    accessToken: {
      setCustomClaim: (name: string, value: unknown) => (claims[name] = value),
    },
    idToken: {
      setCustomClaim: () => {
        throw new Error("the Action must not touch the ID token");
      },
    },
  });
  return claims;
}

describe("the Action code", () => {
  const claims = resolveAuth0(
    parseConfig(
      JSON.stringify({
        auth0: {
          domain: "acme.eu.auth0.com",
          clientId: "abc",
          audience: AUDIENCE,
        },
      }),
    ),
  );
  const code = actionCode({
    audience: AUDIENCE,
    emailClaim: claims.emailClaim,
    emailVerifiedClaim: claims.emailVerifiedClaim,
  });
  const user = {
    email: "ada@acme.example",
    email_verified: true,
    name: "Ada",
    app_metadata: { plan: "pro" },
    identities: [{ provider: "github" }],
  };

  it("sets exactly the two claims the server reads, for our API only", async () => {
    const event = {
      authorization: { roles: [] },
      resource_server: { identifier: AUDIENCE },
      user,
    };
    expect(await execute(code, event)).toEqual({
      [claims.emailClaim]: "ada@acme.example",
      [claims.emailVerifiedClaim]: true,
    });
    expect(claims.emailClaim).toBe(`${AUDIENCE}/email`);
    expect(claims.emailVerifiedClaim).toBe(`${AUDIENCE}/email_verified`);
  });

  it("adds nothing to tokens for other APIs, to logins without an access token, or without an email", async () => {
    expect(
      await execute(code, {
        authorization: {},
        resource_server: { identifier: "https://other.example" },
        user,
      }),
    ).toEqual({});
    expect(
      await execute(code, { resource_server: { identifier: AUDIENCE }, user }),
    ).toEqual({});
    expect(await execute(code, { authorization: {}, user })).toEqual({});
    expect(
      await execute(code, {
        authorization: {},
        resource_server: { identifier: AUDIENCE },
        user: { name: "x" },
      }),
    ).toEqual({});
  });

  it('is the code README\'s "Setting up Auth0 by hand" shows (as Prettier prints it)', async () => {
    const readme = fs.readFileSync(
      path.resolve(__dirname, "../README.md"),
      "utf8",
    );
    const section = readme.slice(
      readme.indexOf("### Setting up Auth0 by hand"),
    );
    const shown = /```js\n([\s\S]*?)```/.exec(section)![1];
    const prettier = await import("prettier");
    const code = actionCode({
      audience: "https://api.acme.example",
      emailClaim: "https://api.acme.example/email",
      emailVerifiedClaim: "https://api.acme.example/email_verified",
      rolesClaim: "https://api.acme.example/roles",
    });
    expect(shown).toBe(await prettier.format(code, { parser: "babel" }));
  });

  it('with user.roles.source "auth0", also sets the roles claim from event.authorization.roles (none: an empty list)', async () => {
    const withRoles = actionCode({
      audience: AUDIENCE,
      emailClaim: claims.emailClaim,
      emailVerifiedClaim: claims.emailVerifiedClaim,
      rolesClaim: `${AUDIENCE}/roles`,
    });
    const event = (authorization: object) => ({
      authorization,
      resource_server: { identifier: AUDIENCE },
      user,
    });
    expect(
      await execute(withRoles, event({ roles: ["admin", "user"] })),
    ).toEqual({
      [claims.emailClaim]: "ada@acme.example",
      [claims.emailVerifiedClaim]: true,
      [`${AUDIENCE}/roles`]: ["admin", "user"],
    });
    expect((await execute(withRoles, event({})))[`${AUDIENCE}/roles`]).toEqual(
      [],
    );
  });

  it("email_verified is true only when Auth0 says exactly true", async () => {
    const event = (v: unknown) => ({
      authorization: {},
      resource_server: { identifier: AUDIENCE },
      user: { email: "a@b.c", email_verified: v },
    });
    expect(
      (await execute(code, event("true")))[claims.emailVerifiedClaim],
    ).toBe(false);
    expect(
      (await execute(code, event(undefined)))[claims.emailVerifiedClaim],
    ).toBe(false);
  });

  it("never hands the whole profile over, and quotes every value", () => {
    expect(code).not.toMatch(/event\.user\s*\)/);
    expect(code).not.toMatch(/setCustomClaim\(\s*["']user["']/);
    const tricky = actionCode({
      audience: 'https://x.example/"*/',
      emailClaim: "https://x.example/e",
      emailVerifiedClaim: "https://x.example/v",
    });
    expect(() => new vm.Script(tricky)).not.toThrow();
  });
});

describe("post-login trigger and runtime", () => {
  it("takes the current version and its newest Node runtime", () => {
    expect(
      pickPostLoginTarget([
        {
          id: "post-login",
          version: "v1",
          status: "DEPRECATED",
          runtimes: ["node12"],
          default_runtime: "node12",
        },
        {
          id: "post-login",
          version: "v2",
          status: "AVAILABLE",
          runtimes: ["node16", "node18"],
          default_runtime: "node18",
        },
        {
          id: "post-login",
          version: "v3",
          status: "CURRENT",
          runtimes: ["node18-actions", "node22", "node20"],
          default_runtime: "node22",
        },
        {
          id: "credentials-exchange",
          version: "v9",
          status: "CURRENT",
          runtimes: ["node24"],
          default_runtime: "node24",
        },
      ]),
    ).toEqual({ version: "v3", runtime: "node22" });
  });

  it("without a CURRENT one, takes the highest version that is not deprecated; prefers the default among equals", () => {
    expect(
      pickPostLoginTarget([
        {
          id: "post-login",
          version: "v2",
          status: "AVAILABLE",
          runtimes: ["node18", "node18-actions"],
          default_runtime: "node18-actions",
        },
        {
          id: "post-login",
          version: "v9",
          status: "DEPRECATED",
          runtimes: ["node99"],
        },
      ]),
    ).toEqual({ version: "v2", runtime: "node18-actions" });
  });

  it("fails clearly when there is no post-login trigger or no Node runtime", () => {
    expect(() => pickPostLoginTarget([])).toThrow(TriggerError);
    expect(() =>
      pickPostLoginTarget([{ id: "post-login", version: "v3", runtimes: [] }]),
    ).toThrow(/lists no Node runtime/);
  });
});

describe("writing values into the config file", () => {
  const text = `{
    "$schema": "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
    "auth0": {
        "domain": "REPLACE_ME.eu.auth0.com",
        "clientId": "REPLACE_ME",   "audience": "https://REPLACE_ME.example.com"
    },
    "services": [{ "name": "shop", "server": "apps/shop-server" }],
    "provision": { "socialConnections": ["github", "google-oauth2"] }
}`;

  it("replaces the values where they stand and leaves every other byte", () => {
    const next = setConfigValues(text, [
      { path: "auth0.clientId", value: "abc123" },
      { path: "auth0.domain", value: "acme.eu.auth0.com" },
    ]);
    expect(next).toBe(
      text
        .replace('"REPLACE_ME.eu.auth0.com"', '"acme.eu.auth0.com"')
        .replace('"clientId": "REPLACE_ME"', '"clientId": "abc123"'),
    );
  });

  it("adds a missing key (and object) with the file's indentation", () => {
    const base = `{\n  "auth0": {\n    "domain": "acme.eu.auth0.com"\n  }\n}\n`;
    expect(
      setConfigValues(base, [{ path: "auth0.clientId", value: "abc" }]),
    ).toBe(
      `{\n  "auth0": {\n    "domain": "acme.eu.auth0.com",\n    "clientId": "abc"\n  }\n}\n`,
    );
    expect(
      setConfigValues(`{\n  "user": {}\n}\n`, [
        { path: "auth0.audience", value: "https://a.example" },
      ]),
    ).toBe(
      `{\n  "user": {},\n  "auth0": {\n    "audience": "https://a.example"\n  }\n}\n`,
    );
    expect(
      setConfigValues(`{}`, [{ path: "auth0.domain", value: "d.example" }]),
    ).toBe(`{\n  "auth0": {\n    "domain": "d.example"\n  }\n}`);
  });

  it("keeps the file's CRLF line ends, in a key it adds too", () => {
    const lf = `{\n  "auth0": {\n    "domain": "REPLACE_ME.eu.auth0.com"\n  }\n}\n`;
    const file = path.join(tempDir("aa0-config-"), "auth0.config.json");
    fs.writeFileSync(file, lf.replace(/\n/g, "\r\n"));
    const values = [
      { path: "auth0.domain", value: "acme.eu.auth0.com" },
      { path: "auth0.clientId", value: "abc" },
    ];
    writeConfigValues(file, values);
    expect(fs.readFileSync(file, "utf8")).toBe(
      setConfigValues(lf, values).replace(/\n/g, "\r\n"),
    );
  });

  it("handles escapes in strings and values of other types", () => {
    const tricky = `{"a": "x\\"}{", "auth0": {"clientId": 5, "domain": "d"}}`;
    const next = setConfigValues(tricky, [
      { path: "auth0.clientId", value: 'q"r' },
    ]);
    expect(JSON.parse(next)).toEqual({
      a: 'x"}{',
      auth0: { clientId: 'q"r', domain: "d" },
    });
  });
});

describe("credentials", () => {
  it("reads a token, or an M2M id and secret, from the environment", () => {
    expect(
      readCredentials({ AUTH0_MANAGEMENT_TOKEN: " tok " }).credentials,
    ).toEqual({ kind: "token", token: "tok" });
    expect(
      readCredentials({
        AUTH0_M2M_CLIENT_ID: "id",
        AUTH0_M2M_CLIENT_SECRET: "s",
      }).credentials,
    ).toEqual({
      kind: "client-credentials",
      clientId: "id",
      clientSecret: "s",
    });
    expect(
      readCredentials({
        AUTH0_MANAGEMENT_TOKEN: "tok",
        AUTH0_M2M_CLIENT_ID: "id",
      }).notes[0],
    ).toContain("ignored");
  });

  it("refuses none, half an M2M pair, or a token with a Bearer prefix, without echoing values", () => {
    expect(() => readCredentials({})).toThrow(CredentialsError);
    expect(() => readCredentials({ AUTH0_MANAGEMENT_TOKEN: "  " })).toThrow(
      /no Management API credentials/,
    );
    expect(() =>
      readCredentials({ AUTH0_M2M_CLIENT_SECRET: "shh-secret" }),
    ).toThrow(/AUTH0_M2M_CLIENT_ID is not set/);
    try {
      readCredentials({ AUTH0_MANAGEMENT_TOKEN: "Bearer abc.def" });
    } catch (error) {
      expect(String(error)).toContain('without "Bearer "');
      expect(String(error)).not.toContain("abc.def");
    }
  });
});

describe("rate limits and scopes", () => {
  const tooMany = (headers: Record<string, string>) =>
    new ManagementError({
      statusCode: 429,
      body: {},
      rawResponse: {
        headers: new Headers(headers),
        redirected: false,
        status: 429,
        statusText: "",
        type: "basic",
        url: "",
      },
    });

  it("waits what Retry-After says (seconds or a date), else until X-RateLimit-Reset, else backs off", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(rateLimitWait(tooMany({ "Retry-After": "7" }), 0, now)).toBe(7000);
    expect(
      rateLimitWait(
        tooMany({ "Retry-After": "Wed, 01 Jan 2025 00:00:05 GMT" }),
        0,
        now,
      ),
    ).toBe(5000);
    expect(
      rateLimitWait(
        tooMany({ "X-RateLimit-Reset": String(now / 1000 + 3) }),
        0,
        now,
      ),
    ).toBe(3000);
    expect(rateLimitWait(tooMany({}), 2, now)).toBe(4000);
    expect(
      rateLimitWait(new ManagementError({ statusCode: 500 }), 0, now),
    ).toBeUndefined();
  });

  it("reads the scope from Auth0's 403 message", () => {
    expect(
      scopeFromMessage("Insufficient scope, expected any of: create:actions"),
    ).toBe("create:actions");
    expect(
      scopeFromMessage("Insufficient scope, expected: read:actions."),
    ).toBe("read:actions");
    expect(
      scopeFromMessage(
        "Insufficient scope, expected any of: update:triggers,update:actions",
      ),
    ).toBe("update:triggers or update:actions");
    expect(scopeFromMessage("Forbidden")).toBeUndefined();
  });

  it("the README lists every scope provision uses", () => {
    const readme = fs.readFileSync(
      path.join(__dirname, "../README.md"),
      "utf8",
    );
    const section = readme.slice(
      readme.indexOf("## Set up Auth0 automatically"),
    );
    expect(section.length).toBeLessThan(readme.length);
    for (const scope of new Set(Object.values(OPERATION_SCOPES)))
      expect(section).toContain(`\`${scope}\``);
  });
});
