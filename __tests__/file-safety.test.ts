/**
 * What apply does with the files it finds on disk, on copies of the billing-2025-server
 * whole-app fixture (and of shop-2025, for an admin): links leading outside the repository are
 * refused with their path, or not followed where the run has no need of them, and nothing
 * outside is touched; links that loop outside any service are skipped; a BOM and CRLF line ends are kept; invalid UTF-8 and file-system errors
 * are refusals naming the file, never internal errors, every one of a run in one refusal.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { init } from "../src/cli/init";
import { run } from "../src/engine/run";
import { RunRefusals } from "../src/engine/refusals";
import { FileRefusal, FileRefusals } from "../src/tree/file-error";
import { copyTree, readTree, tempDir, writeFiles } from "./helpers/files";

const FIXTURE = path.resolve(__dirname, "../fixtures/apps/billing-2025-server");
const SERVER = "apps/billing-server";
const configFile = path.join(FIXTURE, "auth0.config.json");

/** A repository (a copy of the fixture) beside a folder that is not part of it. */
function repoAndOutside(): { repo: string; outside: string } {
  const base = tempDir("file-safety-");
  const repo = copyTree(path.join(FIXTURE, "input"), path.join(base, "repo"));
  const outside = path.join(base, "outside");
  fs.mkdirSync(outside);
  return { repo, outside };
}

/** Every file under dir with a hash of its bytes and its mode. */
function fingerprint(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of readTree(dir).keys()) {
    const full = path.join(dir, file);
    files[file] =
      `${(fs.statSync(full).mode & 0o777).toString(8)} ` +
      createHash("sha256").update(fs.readFileSync(full)).digest("hex");
  }
  return files;
}

/** Moves a repository folder outside and leaves a link to it in its place. */
function moveOutside(repo: string, folder: string, outside: string): void {
  const target = path.join(outside, path.basename(folder));
  fs.renameSync(path.join(repo, folder), target);
  fs.symlinkSync(target, path.join(repo, folder));
}

async function refusal(
  repo: string,
  config = configFile,
): Promise<FileRefusal> {
  const error = await run({
    root: repo,
    configFile: config,
    command: "apply",
  }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FileRefusal);
  return error as FileRefusal;
}

describe("links that lead outside the repository", () => {
  it.each([
    ["the service's src folder", `${SERVER}/src`],
    ["the service folder", SERVER],
    ["src/auth/jwt", `${SERVER}/src/auth/jwt`],
  ])(
    "%s: refused naming the link, nothing outside touched",
    async (_, linked) => {
      const { repo, outside } = repoAndOutside();
      moveOutside(repo, linked, outside);
      const before = fingerprint(outside);
      const error = await refusal(repo);
      expect(refusedFiles(error)).toEqual([linked]); // once, for every file read through it
      expect(error.message).toContain(
        `${linked}: is a symbolic link that leads outside the repository`,
      );
      expect(fingerprint(outside)).toEqual(before);
    },
  );

  it("a services.server path in the config that is a link to outside: refused", async () => {
    const { repo, outside } = repoAndOutside();
    fs.mkdirSync(path.join(repo, "vendor"));
    fs.renameSync(
      path.join(repo, SERVER),
      path.join(outside, "billing-server"),
    );
    fs.symlinkSync(
      path.join(outside, "billing-server"),
      path.join(repo, "vendor/billing-server"),
    );
    const config = path.join(repo, "auth0.config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        ...JSON.parse(fs.readFileSync(configFile, "utf8")),
        $schema: undefined,
        services: [{ server: "vendor/billing-server" }],
      }),
    );
    const before = fingerprint(outside);
    const error = await refusal(repo, config);
    expect(error.file).toBe("vendor/billing-server");
    expect(fingerprint(outside)).toEqual(before);
  });

  // What the link leads to looks like a server: the run would find it if it followed the link.
  it.each([
    ["at the repository's root", "docs", false],
    ["in a folder that holds no service", "tools/vendor", false],
    ["at the repository's root, with the services listed", "docs", true],
  ])(
    "a folder link that leads outside (%s) is not followed: the run converts as without it, nothing outside touched",
    async (_, link, listed) => {
      const { repo, outside } = repoAndOutside();
      writeFiles(outside, {
        "package.json": JSON.stringify({
          dependencies: { "@nestjs/core": "^10.0.0" },
        }),
        "prisma/schema.prisma": "model User {\n  id String @id\n}\n",
      });
      fs.mkdirSync(path.dirname(path.join(repo, link)), { recursive: true });
      fs.symlinkSync(outside, path.join(repo, link));
      let config = configFile;
      if (listed) {
        config = path.join(repo, "auth0.config.json");
        fs.writeFileSync(
          config,
          JSON.stringify({
            ...JSON.parse(fs.readFileSync(configFile, "utf8")),
            $schema: undefined,
            services: [{ server: SERVER }],
          }),
        );
      }
      const before = fingerprint(outside);
      const result = await run({
        root: repo,
        configFile: config,
        command: "apply",
      });
      expect(result.services.map((profile) => profile.server.root)).toEqual([
        SERVER,
      ]);
      expect(result.written).toBe(true);
      expect(fingerprint(outside)).toEqual(before);
    },
  );

  /**
   * A server the walk finds at apps/legacy-server besides SERVER, and a config that lists SERVER
   * alone; returns the config's path.
   */
  function configListingOnlyTheServer(repo: string): string {
    writeFiles(repo, {
      "apps/legacy-server/package.json": JSON.stringify({
        dependencies: { "@nestjs/core": "^10.0.0" },
      }),
      "apps/legacy-server/prisma/schema.prisma":
        "model User {\n  id String @id\n}\n",
    });
    const config = path.join(repo, "auth0.config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        ...JSON.parse(fs.readFileSync(configFile, "utf8")),
        $schema: undefined,
        services: [{ server: SERVER }],
      }),
    );
    return config;
  }

  it("a service the config does not list, whose src leads outside, is reported as left alone; the listed one is converted", async () => {
    const { repo, outside } = repoAndOutside();
    const config = configListingOnlyTheServer(repo);
    writeFiles(outside, { "src/auth/auth.module.ts": "export {};\n" });
    fs.symlinkSync(
      path.join(outside, "src"),
      path.join(repo, "apps/legacy-server/src"),
    );
    const before = fingerprint(outside);
    const result = await run({
      root: repo,
      configFile: config,
      command: "apply",
    });
    expect(result.written).toBe(true);
    const legacy = result.services.find(
      (profile) => profile.server.root === "apps/legacy-server",
    );
    expect(legacy?.listed).toBe(false);
    expect(legacy?.unsupported).toContain(
      'it is not listed under "services" in the config, and apps/legacy-server/src is a symbolic link that leads outside the repository',
    );
    expect(fingerprint(outside)).toEqual(before);
  });

  it("a service the config does not list, with two files detection reads linked outside: the report names both", async () => {
    const { repo, outside } = repoAndOutside();
    const config = configListingOnlyTheServer(repo);
    writeFiles(outside, {
      "auth.module.ts": "export {};\n",
      "defaultAuth.guard.ts": "export {};\n",
    });
    for (const file of ["auth.module.ts", "defaultAuth.guard.ts"]) {
      fs.mkdirSync(path.join(repo, "apps/legacy-server/src/auth"), {
        recursive: true,
      });
      fs.symlinkSync(
        path.join(outside, file),
        path.join(repo, "apps/legacy-server/src/auth", file),
      );
    }
    const result = await run({
      root: repo,
      configFile: config,
      command: "check",
    });
    const legacy = result.services.find(
      (profile) => profile.server.root === "apps/legacy-server",
    );
    expect(legacy?.unsupported).toMatch(
      /apps\/legacy-server\/src\/auth\/auth\.module\.ts is a symbolic link that leads outside the repository .*; apps\/legacy-server\/src\/auth\/defaultAuth\.guard\.ts is a symbolic link that leads outside the repository/,
    );
  });

  it("init: a folder link that leads outside is not followed, the config lists the service", () => {
    const { repo, outside } = repoAndOutside();
    fs.symlinkSync(outside, path.join(repo, "docs"));
    const { text } = init(repo, path.join(repo, "auth0.config.json"));
    expect(JSON.parse(text).services).toEqual([
      { name: "billing", server: SERVER },
    ]);
  });

  // A loop in a folder of no service stopped the search for services (ELOOP), and every command.
  it("links that loop in folders of no service (docs/loop -> loop, a -> b -> a) are skipped: init, check and apply run as without them", async () => {
    const { repo } = repoAndOutside();
    fs.mkdirSync(path.join(repo, "docs"));
    fs.symlinkSync("loop", path.join(repo, "docs/loop"));
    fs.symlinkSync("b", path.join(repo, "a"));
    fs.symlinkSync("a", path.join(repo, "b"));
    const { text } = init(repo, path.join(repo, "auth0.config.json"));
    expect(JSON.parse(text).services).toEqual([
      { name: "billing", server: SERVER },
    ]);
    const checked = await run({ root: repo, configFile, command: "check" });
    expect(checked.changes.length).toBeGreaterThan(0);
    const applied = await run({ root: repo, configFile, command: "apply" });
    expect(applied.written).toBe(true);
  });

  it("a file link to a file inside the repository stays a link; its target is written", async () => {
    const { repo } = repoAndOutside();
    const env = path.join(repo, SERVER, ".env");
    fs.renameSync(env, path.join(repo, SERVER, "env.shared"));
    fs.symlinkSync("env.shared", env);
    await run({ root: repo, configFile, command: "apply" });
    expect(fs.lstatSync(env).isSymbolicLink()).toBe(true);
    const written = fs.readFileSync(
      path.join(repo, SERVER, "env.shared"),
      "utf8",
    );
    expect(written).toContain("AUTH0_AUDIENCE");
    expect(written).not.toContain("JWT_SECRET_KEY");
  });
});

/** A copy of a whole-app fixture beside a folder outside it, and the fixture's config. */
function fixtureAndOutside(name: string): {
  repo: string;
  outside: string;
  config: string;
} {
  const fixture = path.resolve(__dirname, "../fixtures/apps", name);
  const base = tempDir("file-safety-");
  const repo = copyTree(path.join(fixture, "input"), path.join(base, "repo"));
  const outside = path.join(base, "outside");
  fs.mkdirSync(outside);
  return { repo, outside, config: path.join(fixture, "auth0.config.json") };
}

/** Moves a repository file outside and leaves a link to it in its place. */
function linkOutside(repo: string, file: string, outside: string): void {
  const target = path.join(outside, file.replace(/\//g, "-"));
  fs.renameSync(path.join(repo, file), target);
  fs.symlinkSync(target, path.join(repo, file));
}

/** The files a run's refusal names, in its order. */
function refusedFiles(error: FileRefusal): string[] {
  return (error instanceof FileRefusals ? error.refusals : [error]).map(
    (refusal) => refusal.file,
  );
}

describe("every file problem of a run in one refusal", () => {
  // Each link leading outside stopped the run where it was first read: it took a run per link,
  // then one more for the commit's checks, to see them all.
  it("links leading outside (two .env files, a folder of the sources), a read-only file and one not valid UTF-8: apply names them all, nothing written", async () => {
    const { repo, outside, config } = fixtureAndOutside("shop-2025");
    const SHOP_SERVER = "apps/shop-server";
    linkOutside(repo, `${SHOP_SERVER}/.env`, outside);
    linkOutside(repo, "apps/shop-admin/.env", outside);
    fs.chmodSync(path.join(repo, "apps/shop-admin/src/App.tsx"), 0o444);
    const authModule = path.join(repo, SHOP_SERVER, "src/auth/auth.module.ts");
    fs.writeFileSync(
      authModule,
      Buffer.concat([
        Buffer.from("// caf"),
        Buffer.from([0xe9]), // Latin-1 é
        Buffer.from("\n"),
        fs.readFileSync(authModule),
      ]),
    );
    const before = fingerprint(repo);
    fs.mkdirSync(path.join(outside, "vendor"));
    const vendor = path.join(repo, SHOP_SERVER, "src/vendor");
    fs.symlinkSync(path.join(outside, "vendor"), vendor);
    const outsideBefore = fingerprint(outside);

    const error = await refusal(repo, config);
    expect(refusedFiles(error).sort()).toEqual([
      "apps/shop-admin/.env",
      "apps/shop-admin/src/App.tsx",
      `${SHOP_SERVER}/.env`,
      `${SHOP_SERVER}/src/auth/auth.module.ts`,
      `${SHOP_SERVER}/src/vendor`,
    ]);
    expect(error.message).toContain(
      "apps/shop-admin/src/App.tsx: is read-only (mode 0444)",
    );
    expect(error.message).toContain(
      `${SHOP_SERVER}/src/auth/auth.module.ts: is not valid UTF-8`,
    );
    // check writes nothing, and so makes none of the commit's checks: the links only
    const checked = await run({
      root: repo,
      configFile: config,
      command: "check",
    }).then(
      () => undefined,
      (thrown: unknown) => thrown as FileRefusal,
    );
    expect(refusedFiles(checked!).sort()).toEqual([
      "apps/shop-admin/.env",
      `${SHOP_SERVER}/.env`,
      `${SHOP_SERVER}/src/vendor`,
    ]);
    fs.unlinkSync(vendor);
    expect(fingerprint(repo)).toEqual(before);
    expect(fingerprint(outside)).toEqual(outsideBefore);
  });

  it("a file detection reads, linked outside in one service, and a .env linked outside in another: both named", async () => {
    const { repo, outside, config } = fixtureAndOutside("shop-2025");
    fs.cpSync(
      path.join(repo, "apps/shop-server"),
      path.join(repo, "apps/stock-server"),
      { recursive: true },
    );
    linkOutside(repo, "apps/shop-server/src/auth/auth.module.ts", outside);
    linkOutside(repo, "apps/stock-server/.env", outside);
    const error = await refusal(repo, config);
    expect(refusedFiles(error)).toEqual([
      "apps/shop-server/src/auth/auth.module.ts",
      "apps/stock-server/.env",
    ]);
  });

  // The rule's refusal was dropped while a file could not be read: the next run showed it.
  it("a file detection reads, linked outside in one service, and a rule's refusal in another: both named, nothing written", async () => {
    const { repo, outside, config } = fixtureAndOutside("shop-2025");
    fs.cpSync(
      path.join(repo, "apps/shop-server"),
      path.join(repo, "apps/stock-server"),
      { recursive: true },
    );
    linkOutside(repo, "apps/shop-server/src/auth/auth.module.ts", outside);
    fs.appendFileSync(
      path.join(repo, "apps/stock-server/.env"),
      "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n",
    );
    const before = fingerprint(repo);
    for (const command of ["apply", "check"] as const) {
      const error = await run({ root: repo, configFile: config, command }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(RunRefusals);
      const { files, rules } = error as RunRefusals;
      expect(files.map((refusal) => refusal.file)).toEqual([
        "apps/shop-server/src/auth/auth.module.ts",
      ]);
      expect(rules.map(({ file, rule }) => [file, rule])).toEqual([
        ["apps/stock-server/.env", "server/env-auth0"],
      ]);
    }
    expect(fingerprint(repo)).toEqual(before);
  });
});

describe("files the report reads besides the conversion", () => {
  // The warning about root files that still pass the local login's settings reads them; one
  // leading outside is not read (were it, the warning would name it), and refused nothing.
  it("a .env link at the repository's root that leads outside is not read: the run converts, without a warning about it", async () => {
    const { repo, outside } = repoAndOutside();
    fs.writeFileSync(path.join(outside, ".env"), "JWT_SECRET_KEY=secret\n");
    fs.symlinkSync(path.join(outside, ".env"), path.join(repo, ".env"));
    const before = fingerprint(outside);
    const result = await run({ root: repo, configFile, command: "apply" });
    expect(result.written).toBe(true);
    expect(result.notes.filter((note) => note.startsWith(".env"))).toEqual([]);
    expect(fingerprint(outside)).toEqual(before);
  });

  it("a .env or docker-compose link at the repository's root that loops is not read: the run converts, without a warning about it", async () => {
    const { repo } = repoAndOutside();
    fs.symlinkSync(".env", path.join(repo, ".env"));
    fs.symlinkSync(
      "docker-compose.b.yml",
      path.join(repo, "docker-compose.a.yml"),
    );
    fs.symlinkSync(
      "docker-compose.a.yml",
      path.join(repo, "docker-compose.b.yml"),
    );
    const result = await run({ root: repo, configFile, command: "apply" });
    expect(result.written).toBe(true);
    expect(
      result.notes.filter((note) => !/not in a git repository/.test(note)),
    ).toEqual([]);
  });

  // The security warnings read the admin's Vite config; refused after the commit, the run
  // had written the conversion and said it wrote nothing.
  it("a file only the security warnings read, linked outside (an admin's vite.config.js), is refused before anything is written", async () => {
    const { repo, outside, config } = fixtureAndOutside("shop-2025");
    const admin = path.join(repo, "apps/shop-admin");
    const vite = path.join(outside, "vite.config.js");
    fs.renameSync(path.join(admin, "vite.config.ts"), vite);
    fs.symlinkSync(vite, path.join(admin, "vite.config.js"));
    const before = fingerprint(repo);
    const error = await refusal(repo, config);
    expect(error.file).toBe("apps/shop-admin/vite.config.js");
    expect(fingerprint(repo)).toEqual(before);
  });
});

describe("encodings and line ends", () => {
  /** The fixture converted as it is, for comparison. */
  let plain: Map<string, string>;
  beforeAll(async () => {
    const { repo } = repoAndOutside();
    await run({ root: repo, configFile, command: "apply" });
    plain = readTree(repo);
  });

  it.each([".env", "docker-compose.yml"])(
    "%s with a BOM and CRLF line ends is converted with both kept",
    async (name) => {
      const { repo } = repoAndOutside();
      const file = path.join(repo, SERVER, name);
      const text = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, `\uFEFF${text.replace(/\n/g, "\r\n")}`);
      await run({ root: repo, configFile, command: "apply" });
      const converted = plain.get(`${SERVER}/${name}`)!;
      expect(converted).not.toBe(text); // the rules did change it
      expect(fs.readFileSync(file, "utf8")).toBe(
        `\uFEFF${converted.replace(/\n/g, "\r\n")}`,
      );
      // and the second run finds nothing to do
      const again = await run({ root: repo, configFile, command: "check" });
      expect(again.changes).toEqual([]);
    },
  );

  it("a .env that is not valid UTF-8 is refused with its byte offset, never rewritten", async () => {
    const { repo } = repoAndOutside();
    const file = path.join(repo, SERVER, ".env");
    const bytes = Buffer.concat([
      Buffer.from("# caf"),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from("\n"),
      fs.readFileSync(file),
    ]);
    fs.writeFileSync(file, bytes);
    const error = await refusal(repo);
    expect(error.message).toContain(
      `${SERVER}/.env: is not valid UTF-8 (the first bad byte is at offset 5)`,
    );
    expect(fs.readFileSync(file)).toEqual(bytes);
  });
});

describe("file-system errors are refusals naming the path", () => {
  it("EISDIR: a folder where .env should be", async () => {
    const { repo } = repoAndOutside();
    const env = path.join(repo, SERVER, ".env");
    fs.rmSync(env);
    fs.mkdirSync(env);
    const error = await refusal(repo);
    expect(error.file).toBe(`${SERVER}/.env`);
    expect(error.message).toContain("(EISDIR)");
  });

  it("ELOOP: a .env that links to itself", async () => {
    const { repo } = repoAndOutside();
    const env = path.join(repo, SERVER, ".env");
    fs.rmSync(env);
    fs.symlinkSync(".env", env);
    const error = await refusal(repo);
    expect(error.file).toBe(`${SERVER}/.env`);
    expect(error.message).toContain("(ELOOP)");
  });
});
