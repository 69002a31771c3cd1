/** Loading auth0.config.json: defaults, and one precise message per problem. */
import { ConfigError } from "../src/config/load";
import { parseConfig } from "./helpers/config";
import { resolveAuth0 } from "../src/config/resolve";

const minimal = {
  auth0: {
    domain: "acme.eu.auth0.com",
    clientId: "abc123",
    audience: "https://api.acme.example",
  },
};

function problems(text: string): string[] {
  try {
    parseConfig(text, "auth0.config.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map(
      (p) => `${p.path}: ${p.message}`,
    );
  }
  throw new Error("expected the config to be rejected");
}

const withAuth0 = (auth0: Record<string, unknown>) =>
  JSON.stringify({ auth0: { ...minimal.auth0, ...auth0 } });

describe("config", () => {
  it("accepts the smallest file of PRODUCT.md and fills the secure defaults", () => {
    const config = parseConfig(
      JSON.stringify({
        $schema:
          "./node_modules/amplication-auth0-codemod/schema/auth0-config.schema.json",
        ...minimal,
      }),
    );
    expect(config.user.defaultRoles).toEqual([]);
    expect(config.user.claims.style).toBe("namespaced");
    expect(config.admin.cacheLocation).toBe("memory");
    expect(config.admin.useRefreshTokens).toBe(false);
    expect(config.rules).toEqual({});
  });

  it("derives the issuer, the JWKS URL and the namespaced claims", () => {
    const resolved = resolveAuth0(parseConfig(JSON.stringify(minimal)));
    expect(resolved.issuer).toBe("https://acme.eu.auth0.com/");
    expect(resolved.jwksUri).toBe(
      "https://acme.eu.auth0.com/.well-known/jwks.json",
    );
    expect(resolved.emailClaim).toBe("https://api.acme.example/email");
    expect(resolved.emailVerifiedClaim).toBe(
      "https://api.acme.example/email_verified",
    );
  });

  it("reads the plugin's `user` object claim in compatibility mode", () => {
    const resolved = resolveAuth0(
      parseConfig(
        JSON.stringify({
          ...minimal,
          user: { claims: { style: "user-object" } },
        }),
      ),
    );
    expect(resolved.emailClaim).toBe("user.email");
  });

  it("names line and column of a JSON syntax error", () => {
    expect(
      problems('{\n  "auth0": {\n    "domain": "acme.eu.auth0.com",\n  }\n}'),
    ).toEqual([
      expect.stringMatching(/^: JSON syntax error at line 4, column 3: /),
    ]);
  });

  it("says a missing audience is required", () => {
    const { audience: _omitted, ...auth0 } = minimal.auth0;
    expect(problems(JSON.stringify({ auth0 }))).toEqual([
      expect.stringMatching(/^auth0\.audience: is required/),
    ]);
  });

  it("rejects an issuer without the trailing slash", () => {
    expect(
      problems(withAuth0({ issuer: "https://acme.eu.auth0.com" })),
    ).toEqual([
      'auth0.issuer: issuer must end with "/" (Auth0 issues tokens with iss = "https://<domain>/")',
    ]);
  });

  it("rejects a plain-http issuer unless it is loopback", () => {
    expect(
      problems(withAuth0({ issuer: "http://acme.eu.auth0.com/" })),
    ).toEqual([
      expect.stringContaining("auth0.issuer: issuer must use https://"),
    ]);
    expect(
      parseConfig(withAuth0({ issuer: "http://127.0.0.1:4010/" })).auth0.issuer,
    ).toBe("http://127.0.0.1:4010/");
  });

  it("rejects unknown keys and suggests the intended one", () => {
    expect(problems(JSON.stringify({ ...minimal, admn: {} }))).toEqual([
      'admn: unknown key "admn" (did you mean "admin"?)',
    ]);
    expect(problems(withAuth0({ audiance: "x" }))).toEqual([
      'auth0.audiance: unknown key "audiance" (did you mean "audience"?)',
    ]);
  });

  it("rejects wrong types, naming each path", () => {
    const text = JSON.stringify({
      ...minimal,
      user: { defaultRoles: "admin", createMissingUsers: "yes" },
    });
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^user\.createMissingUsers: Invalid input: expected boolean/,
      ),
      expect.stringMatching(
        /^user\.defaultRoles: Invalid input: expected array/,
      ),
    ]);
  });

  it("names the closest rule id for an unknown one", () => {
    expect(
      problems(
        JSON.stringify({ ...minimal, rules: { "server/env-auth": "off" } }),
      ),
    ).toEqual([
      'rules.server/env-auth: unknown key "server/env-auth" (did you mean "server/env-auth0"?)',
    ]);
  });

  it("lists every problem at once", () => {
    const text = JSON.stringify({
      auth0: {
        domain: "https://acme.eu.auth0.com",
        clientId: "",
        audience: "x",
      },
      rules: { "server/nope": "off" },
    });
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^auth0\.domain: domain must be the tenant host name only/,
        ),
        expect.stringMatching(/^auth0\.clientId: clientId must not be empty/),
        expect.stringMatching(/^rules/),
      ]),
    );
    expect(found.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses the placeholders that init writes", () => {
    expect(
      problems(
        withAuth0({
          clientId: "REPLACE_ME",
          domain: "REPLACE_ME.eu.auth0.com",
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^auth0\.domain: still holds the placeholder/),
      expect.stringMatching(/^auth0\.clientId: still holds the placeholder/),
    ]);
  });

  it("refuses init's placeholders for the auth entity, saying what goes there", () => {
    const text = JSON.stringify({
      ...minimal,
      user: {
        defaultValues: { age: "REPLACE_ME (Int)" },
        claimMapping: { handle: "REPLACE_ME" },
      },
    });
    expect(problems(text)).toEqual([
      'user.defaultValues.age: still holds the placeholder "REPLACE_ME (Int)" written by `init`; replace it with the value users created on first login get for this field',
      expect.stringMatching(
        /^user\.claimMapping\.handle: still holds the placeholder .*the access-token claim to copy/,
      ),
    ]);
  });

  it("user.defaultValues takes objects and arrays (Json fields), and checks the strings inside them", () => {
    const values = {
      preferences: { theme: "light", digest: { weekly: true } },
      tags: [],
      empty: {},
      note: null,
    };
    const config = parseConfig(
      JSON.stringify({ ...minimal, user: { defaultValues: values } }),
    );
    expect(config.user.defaultValues).toEqual(values);
    expect(
      problems(
        JSON.stringify({
          ...minimal,
          user: { defaultValues: { tags: ["ok", "bad\u202e"] } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^user\.defaultValues\.tags\.1: must not contain control or invisible/,
      ),
    ]);
  });

  it("asks for a claim namespace when the audience is not a URL", () => {
    expect(problems(withAuth0({ audience: "shop-api" }))).toEqual([
      expect.stringMatching(
        /^user\.claims\.namespace: .*is required because auth0\.audience "shop-api" is not a URL/,
      ),
    ]);
  });
  describe("roles", () => {
    const withUser = (user: Record<string, unknown>) =>
      JSON.stringify({ ...minimal, user });

    it("defaults to roles from the database, no admins, admin roles from grants.json", () => {
      const config = parseConfig(JSON.stringify(minimal));
      expect(config.user.roles).toEqual({ source: "database" });
      expect(config.user.admins).toEqual([]);
      expect(config.user.adminRoles).toBeUndefined();
      expect(config.provision.roles).toEqual([]);
      expect(resolveAuth0(config).rolesClaim).toBeUndefined();
    });

    it('with source "auth0", the roles claim is namespaced like the email claims, or the one given', () => {
      expect(
        resolveAuth0(parseConfig(withUser({ roles: { source: "auth0" } })))
          .rolesClaim,
      ).toBe("https://api.acme.example/roles");
      expect(
        resolveAuth0(
          parseConfig(
            withUser({
              roles: { source: "auth0" },
              claims: { namespace: "https://claims.acme.example/" },
            }),
          ),
        ).rolesClaim,
      ).toBe("https://claims.acme.example/roles");
      expect(
        resolveAuth0(
          parseConfig(
            withUser({
              roles: { source: "auth0", claim: "https://acme.example/r" },
            }),
          ),
        ).rolesClaim,
      ).toBe("https://acme.example/r");
    });

    it("refuses a roles claim Auth0 reserves (an Action cannot set it: no token would carry it), but not permissions, which Auth0 fills itself", () => {
      for (const claim of ["roles", "groups", "sub"])
        expect(
          problems(withUser({ roles: { source: "auth0", claim } })),
        ).toEqual([
          `user.roles.claim: "${claim}" is a claim Auth0 reserves: a post-login Action cannot set it (Auth0 leaves it out of the token without an error), so no user would get a role; leave user.roles.claim out for <namespace>roles, the claim the Action of \`provision\` sets, or name a claim under your namespace`,
        ]);
      for (const claim of [
        "permissions",
        "https://acme.example/roles",
        "app_roles",
      ])
        expect(
          resolveAuth0(
            parseConfig(withUser({ roles: { source: "auth0", claim } })),
          ).rolesClaim,
        ).toBe(claim);
    });

    it("refuses a claim namespace on an Auth0 domain (Auth0 drops those claims), given or taken from an audience of Auth0's own API", () => {
      expect(
        problems(
          withUser({ claims: { namespace: "https://acme.eu.auth0.com/" } }),
        ),
      ).toEqual([
        expect.stringMatching(
          /^user\.claims\.namespace: "https:\/\/acme\.eu\.auth0\.com\/" is on an Auth0 domain/,
        ),
      ]);
      expect(
        problems(withAuth0({ audience: "https://acme.eu.auth0.com/api/v2/" })),
      ).toEqual([
        expect.stringMatching(
          /^auth0\.audience: "https:\/\/acme\.eu\.auth0\.com\/api\/v2\/" is on an Auth0 domain \(an API of Auth0's own, such as its Management API\): the audience is the identifier of your app's API/,
        ),
      ]);
      // a look-alike host is not Auth0's
      expect(
        resolveAuth0(
          parseConfig(
            withUser({ claims: { namespace: "https://notauth0.com/" } }),
          ),
        ).emailClaim,
      ).toBe("https://notauth0.com/email");
    });

    it("rejects a bad source, admins that are not emails, empty admin roles and default roles with source auth0, all at once", () => {
      expect(
        problems(
          JSON.stringify({
            ...minimal,
            user: {
              roles: { source: "okta" },
              admins: ["root"],
              adminRoles: [],
            },
            provision: { roles: [" admin"] },
          }),
        ),
      ).toEqual([
        expect.stringMatching(/^user\.roles\.source: .*"database".*"auth0"/),
        "user.admins.0: must be an email address",
        "user.adminRoles: adminRoles must name at least one role",
        "provision.roles.0: role name must not start or end with spaces",
      ]);
      expect(
        problems(
          withUser({ roles: { source: "auth0" }, defaultRoles: ["user"] }),
        ),
      ).toEqual([
        expect.stringMatching(
          /^user\.defaultRoles: must be empty when user\.roles\.source is "auth0"/,
        ),
      ]);
    });

    it("refuses settings nothing would read: a roles claim with roles from the database, default roles when no user is created, the email claim as the roles claim", () => {
      expect(
        problems(
          withUser({
            roles: { source: "database", claim: "https://x.example/roles" },
            createMissingUsers: false,
            defaultRoles: ["user"],
          }),
        ),
      ).toEqual([
        'user.roles.claim: is read only when user.roles.source is "auth0" (roles from the token); remove it, or set user.roles.source to "auth0"',
        "user.defaultRoles: are the roles of users a first sign-in creates, and user.createMissingUsers is false, so none is created; remove them, or turn createMissingUsers on",
      ]);
      for (const claim of ["email", "email_verified"]) {
        expect(
          problems(
            withUser({
              claims: { style: "namespaced", namespace: "https://x.example/" },
              roles: { source: "auth0", claim: `https://x.example/${claim}` },
            }),
          ),
        ).toEqual([
          expect.stringMatching(
            new RegExp(
              `^user\\.roles\\.claim: "https://x\\.example/${claim}" is the claim of the email`,
            ),
          ),
        ]);
      }
      const roles = parseConfig(
        withUser({
          claims: { style: "namespaced", namespace: "https://x.example/" },
          roles: { source: "auth0", claim: "https://x.example/roles" },
        }),
      ).user.roles;
      expect(roles).toEqual({
        source: "auth0",
        claim: "https://x.example/roles",
      });
    });
  });
});
