/**
 * The security summary of a run (src/report/security.ts): the settings it states, and a warning
 * for each weaker choice, read from the config and from the app's own files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseConfig } from "./helpers/config";
import { resolveAuth0 } from "../src/config/resolve";
import { securityNotes } from "../src/report/security";
import { DiskTree } from "../src/tree/disk-tree";
import { PROFILE_2025 } from "./helpers/context";

const SERVER = PROFILE_2025.server.root;
const ADMIN = PROFILE_2025.admin!.root;

let repo: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text);
}

function notesFor(settings: object, services = [PROFILE_2025]) {
  const config = parseConfig(
    JSON.stringify({
      auth0: {
        domain: "acme.eu.auth0.com",
        clientId: "abc123",
        audience: "https://api.acme.example",
      },
      // The first administrator is set, so that only the tests about it see its warning.
      user: { admins: ["ada@example.test"] },
      ...settings,
    }),
  );
  return securityNotes(
    config,
    resolveAuth0(config),
    services,
    new DiskTree(repo),
  );
}

/** The warning of every config without user.subjectField. */
const EMAIL_MODE =
  "users are found by email (email): any identity of the tenant with the same verified email, from any connection, signs in as the same user, admins included";

/** The warnings besides the email-mode one. */
const others = (notes: ReturnType<typeof notesFor>) =>
  notes.warnings.filter((w) => w.message !== EMAIL_MODE);

const grant = (role: string, resource: string, action: string) => ({
  role,
  resource,
  action,
  attributes: "*",
});

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "security-notes-"));
  write(
    `${SERVER}/src/grants.json`,
    JSON.stringify([
      grant("user", "User", "read:any"),
      grant("user", "Order", "delete:any"),
      grant("viewer", "Order", "read:own"),
    ]),
  );
  write(
    `${ADMIN}/vite.config.ts`,
    "export default defineConfig({ base: './' });\n",
  );
});

afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

test("the defaults: issuer, audience, claims, users, roles and admin tokens stated; email mode and no first administrator are the warnings", () => {
  const notes = notesFor({ user: {} });
  expect(Object.fromEntries(notes.settings)).toEqual({
    issuer: "https://acme.eu.auth0.com/",
    audience: "https://api.acme.example",
    "email claims":
      "https://api.acme.example/email, https://api.acme.example/email_verified",
    users:
      "found by verified email in email; created on first login with roles: none",
    roles: "from the database; first administrators: none",
    "admin tokens": "kept in memory, refresh tokens off",
  });
  expect(notes.warnings).toEqual([
    expect.objectContaining({ message: EMAIL_MODE }),
    {
      message:
        "user.admins is empty: nobody gets a role, so nobody can read or write anything until someone grants one by hand",
      fix: "add the first administrators' emails to user.admins: the converted scripts/seed.ts gives them user.adminRoles",
    },
  ]);
});

test("email mode is a warning that recommends user.subjectField; with a subject field it is gone", () => {
  const [warning] = notesFor({}).warnings;
  expect(warning!.message).toBe(EMAIL_MODE);
  expect(warning!.fix).toMatch(/set user\.subjectField/);
  expect(
    notesFor({
      user: { subjectField: "auth0Id", admins: ["ada@example.test"] },
    }).warnings,
  ).toEqual([]);
});

test("with roles from Auth0 and a first administrator: stated, no warning besides email mode", () => {
  const notes = notesFor({
    user: { roles: { source: "auth0" }, admins: ["ada@example.test"] },
  });
  expect(Object.fromEntries(notes.settings).roles).toBe(
    "from Auth0, in the token's https://api.acme.example/roles claim; first administrators: ada@example.test",
  );
  expect(others(notes)).toEqual([]);
});

test("a default role that may act on any record is a warning naming grants.json; an own-only role is not", () => {
  const notes = notesFor({ user: { defaultRoles: ["viewer", "user"] } });
  expect(others(notes)).toHaveLength(1);
  expect(others(notes)[0]!.file).toBe(`${SERVER}/src/grants.json`);
  expect(others(notes)[0]!.message).toContain(
    'new users get the role "user", which may delete/read any record of 2 resource(s)',
  );
});

test("a default role that may write any record of the auth entity says that a new user can give themselves any role", () => {
  write(
    `${SERVER}/src/grants.json`,
    JSON.stringify([
      grant("user", "User", "update:any"),
      grant("reader", "User", "read:any"),
    ]),
  );
  const [writer] = others(notesFor({ user: { defaultRoles: ["user"] } }));
  expect(writer!.message).toBe(
    'new users get the role "user", which may update any record of 1 resource(s), among them the User records whose roles field grants roles, so a new user can give themselves any role: anyone who can sign in to the tenant gets that',
  );
  const [reader] = others(notesFor({ user: { defaultRoles: ["reader"] } }));
  expect(reader!.message).not.toContain("give themselves");
});

test("no role warning when users are never created by a login", () => {
  const notes = notesFor({
    user: { createMissingUsers: false, admins: ["ada@example.test"] },
  });
  expect(others(notes)).toEqual([]);
  expect(Object.fromEntries(notes.settings).users).toContain(
    "never created by a login",
  );
});

test("tokens in localstorage and refresh tokens are warnings", () => {
  const notes = notesFor({
    admin: { cacheLocation: "localstorage", useRefreshTokens: true },
  });
  expect(others(notes).map((w) => w.message)).toEqual([
    'admin.cacheLocation is "localstorage": any script on the admin\'s pages can read the tokens, refresh tokens included',
    "admin.useRefreshTokens is on",
  ]);
});

test("an http issuer (a loopback test issuer) is a warning", () => {
  const notes = notesFor({
    auth0: {
      domain: "acme.eu.auth0.com",
      clientId: "abc123",
      audience: "https://api.acme.example",
      issuer: "http://127.0.0.1:4000/",
    },
  });
  expect(others(notes).map((w) => w.message)).toEqual([
    "the issuer http://127.0.0.1:4000/ is http: fine for a local test issuer, never for a real tenant",
  ]);
});

test("vite.config.ts defining process.env as the whole build environment is a warning", () => {
  write(
    `${ADMIN}/vite.config.ts`,
    'export default defineConfig({\n  define: {\n    "process.env": process.env,\n  },\n});\n',
  );
  const notes = notesFor({});
  expect(others(notes)).toEqual([
    expect.objectContaining({ file: `${ADMIN}/vite.config.ts` }),
  ]);
});

test("roles from Auth0: user.adminRoles naming a role grants.json does not have is a warning (provision would assign it, the server ignores it)", () => {
  const auth0Roles = (adminRoles?: string[]) =>
    others(
      notesFor({
        user: {
          admins: ["ada@example.test"],
          roles: { source: "auth0" },
          ...(adminRoles ? { adminRoles } : {}),
        },
      }),
    );
  expect(auth0Roles(["boss", "user"])).toEqual([
    {
      file: `${SERVER}/src/grants.json`,
      message: `user.adminRoles names "boss", which ${SERVER}/src/grants.json does not have: \`provision\` would assign it in Auth0, and the converted server ignores a role it does not know: the first administrators would not get it`,
      fix: `name roles of ${SERVER}/src/grants.json in user.adminRoles (it has "user", "viewer")`,
    },
  ]);
  expect(auth0Roles(["user"])).toEqual([]);
  expect(auth0Roles()).toEqual([]); // the default: every role of grants.json
});

test('roles from Auth0 in the "permissions" claim is a warning: Auth0 puts permission names there, the fix is the default claim', () => {
  const permissions = (claims = {}) =>
    others(
      notesFor({
        user: {
          admins: ["ada@example.test"],
          roles: { source: "auth0", claim: "permissions" },
          claims,
        },
      }),
    );
  const [warning, ...rest] = permissions();
  expect(rest).toEqual([]);
  expect(warning!.message).toBe(
    'user.roles.claim is "permissions": Auth0 puts the API\'s permission names there (such as read:orders), not role names, and the converted server keeps only the roles of src/grants.json: a user whose permissions name none of them gets no role (403 on every guarded route)',
  );
  expect(warning!.fix).toMatch(
    /^remove user\.roles\.claim: its default, "https:\/\/api\.acme\.example\/roles", is the claim the post-login Action of `provision`/,
  );
  // the default follows the namespace
  expect(
    permissions({ style: "namespaced", namespace: "https://acme.test/" })[0]!
      .fix,
  ).toContain('its default, "https://acme.test/roles",');
  // any other claim is the user's own choice
  for (const claim of ["https://api.acme.example/permissions", "app_roles"])
    expect(
      others(
        notesFor({
          user: {
            admins: ["ada@example.test"],
            roles: { source: "auth0", claim },
          },
        }),
      ),
    ).toEqual([]);
});

test("a service without an admin: no admin token setting or warning", () => {
  const settings = {
    admin: { cacheLocation: "localstorage", useRefreshTokens: true },
  };
  const adminWarnings = (notes: ReturnType<typeof notesFor>) =>
    notes.warnings.filter((w) =>
      /admin\.(cacheLocation|useRefreshTokens)/.test(w.message),
    );
  const serverOnly = notesFor(settings, [
    { ...PROFILE_2025, admin: undefined },
  ]);
  expect(serverOnly.settings.map(([name]) => name)).not.toContain(
    "admin tokens",
  );
  expect(adminWarnings(serverOnly)).toEqual([]);
  // with the admin, both warnings
  expect(adminWarnings(notesFor(settings))).toHaveLength(2);
});

test("the local login's rules turned off: a warning that the login route stays", () => {
  const notes = notesFor({
    user: { admins: ["ada@example.test"] },
    rules: { "server/remove-local-login": "off" },
  });
  expect(others(notes)).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(
        /^server\/remove-local-login is off: the local login stays beside Auth0: its route still checks usernames and passwords/,
      ),
    }),
  ]);
});
