/**
 * `amplication-auth0 provision` on the command line: flags, exit codes, output, secrets.
 *
 * The Auth0 Management API cannot be reached from here; the loopback server of
 * helpers/management-api.ts stands in for it and the real SDK talks to it (see
 * provision.test.ts for the behaviour against the tenant).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  emptyTenant,
  M2M_CLIENT_ID,
  M2M_CLIENT_SECRET,
  MANAGEMENT_TOKEN,
  startManagementApi,
  TENANT_DOMAIN,
  type ManagementApi,
  type ManagementApiOptions,
} from "./helpers/management-api";
import { copyTree, tempDir } from "./helpers/files";
import { runCli, type CliRun } from "./helpers/cli";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const AUDIENCE = "https://api.acme.example";

const servers: ManagementApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tenant(options: ManagementApiOptions = {}) {
  const api = await startManagementApi(emptyTenant(), options);
  servers.push(api);
  return api;
}

const noWait = { sleep: async () => undefined, now: () => Date.now() };

function cli(
  api: ManagementApi | undefined,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<CliRun> {
  return runCli(args, {
    provision: { env, fetch: api?.fetch, clock: noWait },
  });
}

const token = { AUTH0_MANAGEMENT_TOKEN: MANAGEMENT_TOKEN };

function repo(auth0: Record<string, string> = {}): {
  dir: string;
  file: string;
} {
  const dir = tempDir("aa0-provision-cli-");
  const file = path.join(dir, "auth0.config.json");
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        auth0: {
          domain: TENANT_DOMAIN,
          clientId: "REPLACE_ME",
          audience: AUDIENCE,
          ...auth0,
        },
      },
      null,
      2,
    ) + "\n",
  );
  return { dir, file };
}

describe("provision command", () => {
  it("--help lists its flags and where credentials come from", async () => {
    const { code, out } = await cli(undefined, {}, "provision", "--help");
    expect(code).toBe(0);
    for (const word of [
      "--config",
      "--dry-run",
      "--json",
      "--no-color",
      "--update-application",
      "--update-action",
      "--domain",
      "--audience",
      "--management-domain",
      "--apply",
      "AUTH0_MANAGEMENT_TOKEN",
      "AUTH0_M2M_CLIENT_ID",
      "AUTH0_M2M_CLIENT_SECRET",
      "Set up Auth0 automatically",
    ])
      expect(out).toContain(word);
    expect((await cli(undefined, {}, "--help")).out).toContain("provision");
  });

  it("exits 2 without credentials, naming the variables, before any request", async () => {
    const api = await tenant();
    const { dir } = repo();
    const { code, err } = await cli(api, {}, "provision", dir);
    expect(code).toBe(2);
    expect(err).toContain(
      "no Management API credentials: set AUTH0_MANAGEMENT_TOKEN",
    );
    expect(err).toContain("AUTH0_M2M_CLIENT_ID and AUTH0_M2M_CLIENT_SECRET");
    expect(api.requests).toEqual([]);

    const half = await cli(
      api,
      { AUTH0_M2M_CLIENT_ID: M2M_CLIENT_ID },
      "provision",
      dir,
    );
    expect(half.code).toBe(2);
    expect(half.err).toContain("AUTH0_M2M_CLIENT_SECRET is not set");
  });

  it("exits 2 on a bad config and on --apply with --json", async () => {
    const api = await tenant();
    const { dir, file } = repo({ audience: "" });
    const bad = await cli(api, token, "provision", dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("auth0.audience: audience must not be empty");
    fs.rmSync(file);
    expect((await cli(api, token, "provision", dir)).err).toContain(
      "file not found",
    );
    const both = await cli(api, token, "provision", dir, "--apply", "--json");
    expect(both.code).toBe(2);
    expect(both.err).toContain("--apply cannot be combined with --json");
    expect(api.requests).toEqual([]);
  });

  it("provisions, prints what it created and wrote, exits 0; never prints the token", async () => {
    const api = await tenant();
    const { dir, file } = repo();
    const { code, out, err } = await cli(api, token, "provision", dir);
    expect(code).toBe(0);
    const clientId = api.state.clients[0].client_id;
    expect(out).toContain("created:");
    expect(out).toContain(`API "Amplication API"`);
    expect(out).toContain(`wrote ${file}:`);
    expect(out).toContain(`auth0.clientId = "${clientId}" (was "REPLACE_ME")`);
    expect(out + err).not.toContain(MANAGEMENT_TOKEN);
    expect(out).not.toMatch(/\x1b\[/); // not a TTY: no colors

    const again = await cli(api, token, "provision", dir);
    expect(again.code).toBe(0);
    expect(again.out).toContain("already in place:");
    expect(again.out).toContain("already holds these values");
  });

  it("--dry-run --json: the plan as JSON, no write request", async () => {
    const api = await tenant();
    const { dir } = repo();
    const { code, out } = await cli(
      api,
      token,
      "provision",
      dir,
      "--dry-run",
      "--json",
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      command: "provision",
      dryRun: true,
      tenant: TENANT_DOMAIN,
      exitCode: 0,
    });
    expect(
      report.steps.map(
        (s: { kind: string; change: string }) => `${s.change} ${s.kind}`,
      ),
    ).toEqual([
      "create api",
      "create application",
      "create action",
      "create binding",
    ]);
    expect(report.config.written).toBe(false);
    expect(api.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("exits 1 when a scope is missing, names it, and lists what was changed before", async () => {
    const api = await tenant({
      tokens: {
        [MANAGEMENT_TOKEN]: [
          "read:resource_servers",
          "create:resource_servers",
          "read:clients",
          "read:actions",
          "read:triggers",
        ],
      },
    });
    const { dir, file } = repo();
    const before = fs.readFileSync(file, "utf8");
    const { code, out, err } = await cli(api, token, "provision", dir);
    expect(code).toBe(1);
    expect(err).toContain(
      'failed create the application "Amplication Admin": the Management API token lacks the scope create:clients',
    );
    expect(err).toContain("changed in Auth0 before this failure");
    expect(err).toContain('API "Amplication API"');
    expect(err).toContain("the config file was not written");
    expect(out + err).not.toContain(MANAGEMENT_TOKEN);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("M2M credentials: the secret appears in no output", async () => {
    const api = await tenant();
    const { dir } = repo();
    const { code, out, err } = await cli(
      api,
      {
        AUTH0_M2M_CLIENT_ID: M2M_CLIENT_ID,
        AUTH0_M2M_CLIENT_SECRET: M2M_CLIENT_SECRET,
      },
      "provision",
      dir,
      "--json",
    );
    expect(code).toBe(0);
    expect(out + err).not.toContain(M2M_CLIENT_SECRET);
    expect(JSON.parse(out).steps).toHaveLength(4);
  });

  it("init, then provision --domain --audience --apply: a converted app wired to the new application", async () => {
    const api = await tenant();
    const dir = copyTree(path.join(EXAMPLE, "input"));
    expect((await cli(api, token, "init", dir)).code).toBe(0);
    const { code, out, err } = await cli(
      api,
      token,
      "provision",
      dir,
      "--domain",
      TENANT_DOMAIN,
      "--audience",
      AUDIENCE,
      "--apply",
      "--allow-dirty",
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    const clientId = api.state.clients[0].client_id;
    const config = JSON.parse(
      fs.readFileSync(path.join(dir, "auth0.config.json"), "utf8"),
    );
    expect(config.auth0).toEqual({
      domain: TENANT_DOMAIN,
      clientId,
      audience: AUDIENCE,
    });
    expect(config.services).toEqual([
      { name: "shop", server: "apps/shop-server", admin: "apps/shop-admin" },
    ]);
    expect(out).toContain("created:");
    const adminEnv = fs.readFileSync(
      path.join(dir, "apps/shop-admin/.env"),
      "utf8",
    );
    expect(adminEnv).toContain(`VITE_REACT_APP_AUTH0_CLIENT_ID=${clientId}`);
    expect(
      fs.readFileSync(path.join(dir, "apps/shop-server/.env"), "utf8"),
    ).toContain(`AUTH0_AUDIENCE=${AUDIENCE}`);
  });
});
