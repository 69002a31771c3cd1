/**
 * Hostile config values (issue 16, point 6): each is refused as a config problem naming its
 * JSON path, never an internal error, and the CLI exits 2 with every problem listed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../src/config/load";
import { parseConfig } from "./helpers/config";
import { hashTree, tempDir } from "./helpers/files";
import { runCli } from "./helpers/cli";

const auth0 = {
  domain: "acme.eu.auth0.com",
  clientId: "abc123",
  audience: "https://api.acme.example",
};

/** The JSON path → message of each problem, or the non-config error that escaped. */
function problemsOf(config: unknown): Array<[string, string]> {
  try {
    parseConfig(
      typeof config === "string" ? config : JSON.stringify(config),
      "auth0.config.json",
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => [p.path, p.message]);
  }
  return [];
}

/** `levels` arrays, one inside the other, written as text (JSON.stringify would overflow). */
const nested = (levels: number) =>
  `{"auth0": ${JSON.stringify(auth0)}, "user": {"defaultValues": {"deep": ${"[".repeat(levels)}1${"]".repeat(levels)}}}}`;

const rows: Array<{
  name: string;
  config: unknown;
  path: string;
  message: RegExp;
}> = [
  {
    name: "claimMapping onto the email field (a nickname would link accounts)",
    config: { auth0, user: { claimMapping: { email: "nickname" } } },
    path: "user.claimMapping.email",
    message: /cannot set the email field/,
  },
  {
    name: "claimMapping onto a renamed email field",
    config: {
      auth0,
      user: { emailField: "username", claimMapping: { username: "name" } },
    },
    path: "user.claimMapping.username",
    message: /cannot set the email field/,
  },
  {
    name: "claimMapping onto the subject field",
    config: {
      auth0,
      user: { subjectField: "auth0Id", claimMapping: { auth0Id: "nickname" } },
    },
    path: "user.claimMapping.auth0Id",
    message: /cannot set the subject field/,
  },
  {
    name: "claimMapping onto roles",
    config: { auth0, user: { claimMapping: { roles: "https://x/roles" } } },
    path: "user.claimMapping.roles",
    message: /cannot set roles/,
  },
  {
    name: "claimMapping onto password (a claim would become a password its holder knows)",
    config: { auth0, user: { claimMapping: { password: "https://x/secret" } } },
    path: "user.claimMapping.password",
    message:
      /cannot set password, which a user created on first login gets at random/,
  },
  {
    name: "a domain with a port beyond 65535",
    config: { auth0: { ...auth0, domain: "acme.auth0.com:99999" } },
    path: "auth0.domain",
    message: /port outside 1-65535/,
  },
  {
    name: "a domain with port 0",
    config: { auth0: { ...auth0, domain: "acme.auth0.com:0" } },
    path: "auth0.domain",
    message: /port outside 1-65535/,
  },
  {
    name: "an http issuer on a loopback address the server does not accept",
    config: { auth0: { ...auth0, issuer: "http://127.0.0.2/" } },
    path: "auth0.issuer",
    message:
      /plain http:\/\/ is accepted only for localhost, 127\.0\.0\.1, \[::1\]/,
  },
  {
    name: 'an audience with " (written to .env with escapes dotenv keeps)',
    config: { auth0: { ...auth0, audience: 'https://api"acme' } },
    path: "auth0.audience",
    message: /written to \.env files, which cannot carry .*quotes/,
  },
  {
    name: "an issuer with a backslash",
    config: { auth0: { ...auth0, issuer: "https://acme\\.eu.auth0.com/" } },
    path: "auth0.issuer",
    message: /backslashes/,
  },
  {
    name: "an audience with # (a comment in .env)",
    config: { auth0: { ...auth0, audience: "https://api.acme.example/#x" } },
    path: "auth0.audience",
    message: /"#"/,
  },
  {
    name: "a client id with $ (expanded by the admins' bundlers)",
    config: { auth0: { ...auth0, clientId: "abc$HOME" } },
    path: "auth0.clientId",
    message: /"\$"/,
  },
  {
    name: "a javascript: callback URL",
    config: { auth0, admin: { callbackUrl: "javascript:alert(1)//" } },
    path: "admin.callbackUrl",
    message: /must use https:\/\/ \(or http:\/\/\), not javascript:/,
  },
  {
    name: "a data: logout URL",
    config: { auth0, admin: { logoutUrl: "data:text/html,hi" } },
    path: "admin.logoutUrl",
    message: /not data:/,
  },
  {
    name: "a callback URL with a fragment",
    config: {
      auth0,
      admin: { callbackUrl: "https://admin.acme.example/#/auth-callback" },
    },
    path: "admin.callbackUrl",
    message: /"#"/,
  },
  {
    name: "a NUL in the audience",
    config: { auth0: { ...auth0, audience: "https://api.acme.example\u0000" } },
    path: "auth0.audience",
    message: /control or invisible/,
  },
  {
    name: "a zero-width space in the client id",
    config: { auth0: { ...auth0, clientId: "abc\u200b123" } },
    path: "auth0.clientId",
    message: /control or invisible/,
  },
  {
    name: "a bidi override in a default role",
    config: { auth0, user: { defaultRoles: ["user\u202enimda"] } },
    path: "user.defaultRoles.0",
    message: /control or invisible/,
  },
  {
    name: "a newline in a provisioning name",
    config: { auth0, provision: { apiName: "API\nX-Injected: 1" } },
    path: "provision.apiName",
    message: /control or invisible/,
  },
  {
    name: "a zero-width joiner in a service path",
    config: { auth0, services: [{ server: "apps/shop\u200d-server" }] },
    path: "services.0.server",
    message: /control or invisible/,
  },
  {
    name: "JSON nested 100,000 levels deep",
    config: nested(100_000),
    path: "user.defaultValues.deep" + ".0".repeat(29),
    message: /nested more than 32 levels deep/,
  },
];

describe("hostile config values", () => {
  it.each(rows)("$name: refused at $path", ({ config, path, message }) => {
    const found = problemsOf(config);
    expect(found).toContainEqual([path, expect.stringMatching(message)]);
  });

  it("the values the rows alter are accepted in their plain form (the control)", () => {
    expect(
      problemsOf({
        auth0: {
          ...auth0,
          domain: "acme.auth0.com:8443",
          issuer: "http://[::1]:4010/",
        },
        user: {
          subjectField: "auth0Id",
          claimMapping: { firstName: "given_name" },
          defaultRoles: ["user"],
        },
        admin: {
          callbackUrl: "https://admin.acme.example/auth-callback",
          logoutUrl: "http://localhost:3001/login",
        },
        provision: { apiName: "Acme API" },
        services: [{ server: "apps/shop-server" }],
      }),
    ).toEqual([]);
  });
});

describe("the CLI on hostile configs", () => {
  async function cli(...args: string[]) {
    const { code, err } = await runCli(args);
    return { code, err };
  }

  function repoWithConfig(text: string): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "auth0.config.json"), text);
    return dir;
  }

  it.each([
    ["check", nested(100_000), ["user.defaultValues.deep.0"]],
    [
      "apply",
      JSON.stringify({
        auth0: { ...auth0, domain: "acme.auth0.com:99999" },
        user: { claimMapping: { email: "nickname" } },
        admin: { callbackUrl: "javascript:alert(1)//" },
      }),
      ["auth0.domain", "user.claimMapping.email", "admin.callbackUrl"],
    ],
    [
      "check",
      JSON.stringify({
        auth0: { ...auth0, audience: 'a"b\\c', issuer: "http://127.0.0.2/" },
      }),
      ["auth0.audience", "auth0.issuer"],
    ],
  ])(
    "%s exits 2 and lists every problem with its path, writing nothing",
    async (command, text, paths) => {
      const dir = repoWithConfig(text);
      const hash = hashTree(dir);
      const flags = command === "apply" ? ["--allow-dirty"] : [];
      const { code, err } = await cli(command, dir, ...flags);
      expect(err).not.toMatch(/internal error/);
      expect(code).toBe(2);
      expect(err).toContain("auth0.config.json: invalid configuration");
      for (const at of paths) expect(err).toContain(`✖ ${at}`);
      expect(hashTree(dir)).toBe(hash);
    },
  );
});
