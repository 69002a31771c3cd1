/** Detection on fixture repositories written from amplication-facts.md §3. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ServiceSettings } from "../src/config/schema";
import {
  detectService,
  adminsLeftAlone,
  findServices,
  noServiceFound,
} from "../src/detect/detect";
import { DiskTree } from "../src/tree/disk-tree";
import { FileRefusal, FileRefusals } from "../src/tree/file-error";
import { type ReadTree } from "../src/tree/read-tree";
import { copyTree, tempDir, writeFiles } from "./helpers/files";

const DETECT = path.resolve(__dirname, "../fixtures/detect");

function profilesOf(name: string) {
  const tree = new DiskTree(path.join(DETECT, name));
  return findServices(tree).map((service) => detectService(tree, service));
}

/** Counts reads, to show detection reads a handful of marker files and not the app. */
function countingTree(root: string): ReadTree & { reads: string[] } {
  const disk = new DiskTree(root);
  const reads: string[] = [];
  return {
    reads,
    read: (file) => {
      reads.push(file);
      return disk.read(file);
    },
    isDirectory: (dir) => disk.isDirectory(dir),
    list: (dir) => disk.list(dir),
  };
}

describe("detect", () => {
  it("classifies a 2022 JWT app (era C): root server/ + admin-ui/, Basic registered too", () => {
    const [profile] = profilesOf("jwt-2022");
    expect(profile.name).toBe("server");
    expect(profile.server.root).toBe("server");
    expect(profile.admin?.root).toBe("admin-ui");
    expect(profile.server.auth).toBe("jwt");
    expect(profile.server.strategyConstructor).toBe("service-first");
    expect(profile.server.secretConstant).toBe("JWT_SECRET_KEY");
    expect(profile.server.basicStrategyRegistered).toBe(true);
    expect(profile.server.entity).toEqual({
      name: "User",
      camel: "user",
      findMethod: "findOne",
      findManyMethod: "findMany",
      createMethod: "create",
      updateMethod: "update",
    });
    expect(profile.admin).toMatchObject({
      bundler: "cra",
      reactAdminMajor: 3,
      loginForm: false,
      authProvider: "jwtAuthProvider",
    });
    expect(profile.era?.id).toBe("C");
    expect(profile.unsupported).toBeUndefined();
    expect(profile.server.converted).toBe(false);
  });

  it("classifies a 2023 app whose auth entity is Admin (era E)", () => {
    const [profile] = profilesOf("admin-entity-2023");
    expect(profile.name).toBe("crm");
    expect(profile.admin?.root).toBe("apps/crm-admin");
    expect(profile.server.strategyConstructor).toBe("secret-first");
    expect(profile.server.entity).toEqual({
      name: "Admin",
      camel: "admin",
      findMethod: "findOne",
      findManyMethod: "findMany",
      createMethod: "create",
      updateMethod: "update",
    });
    expect(profile.era?.id).toBe("E");
  });

  it("classifies the 2025 example app (era G): apps/<name>-server, secrets manager, entity-named methods, Vite", () => {
    const tree = new DiskTree(
      path.resolve(__dirname, "../fixtures/apps/shop-2025/input"),
    );
    const [profile] = findServices(tree).map((s) => detectService(tree, s));
    expect(profile.name).toBe("shop");
    expect(profile.server).toMatchObject({
      root: "apps/shop-server",
      auth: "jwt",
      secretConstant: "JWT_SECRET_KEY_PROVIDER_NAME",
      serviceMethods: "entity-named",
      secretsManager: true,
    });
    expect(profile.server.entity?.findMethod).toBe("user");
    expect(profile.server.entity?.createMethod).toBe("createUser");
    expect(profile.admin).toMatchObject({
      bundler: "vite",
      reactAdminMajor: 5,
      loginForm: true,
    });
    expect(profile.era?.id).toBe("G");
  });

  it("reports a Basic-only app as not convertible", () => {
    const [profile] = profilesOf("basic-only");
    expect(profile.server.auth).toBe("basic");
    expect(profile.unsupported).toMatch(/HTTP Basic authentication only/);
  });

  it("reports an app with no auth as having nothing to convert", () => {
    const [profile] = profilesOf("no-auth");
    expect(profile.name).toBe("catalog");
    expect(profile.server.auth).toBe("none");
    expect(profile.unsupported).toMatch(/no authentication/);
  });

  it("reports auth-core without a provider plugin as partial", () => {
    const [profile] = profilesOf("partial-core-only");
    expect(profile.server.auth).toBe("partial");
    // Each missing file named once, both of them.
    expect(profile.server.findings).toEqual([
      "src/auth/auth.module.ts and src/auth/defaultAuth.guard.ts are missing: auth-core without a provider plugin",
    ]);
    expect(profile.unsupported).toMatch(/incomplete/);
  });

  it("reports a provider plugin without auth-core as partial", () => {
    const [profile] = profilesOf("partial-provider-only");
    expect(profile.name).toBe("orders");
    expect(profile.server.auth).toBe("partial");
    expect(profile.unsupported).toMatch(
      /incomplete \(.*a provider plugin without auth-core\)/,
    );
  });

  it("recognises an app this tool converted", () => {
    const tree = new DiskTree(
      path.resolve(__dirname, "../fixtures/apps/shop-2025/expected"),
    );
    const [profile] = findServices(tree).map((s) => detectService(tree, s));
    expect(profile.server.auth).toBe("jwt");
    expect(profile.server.converted).toBe(true);
    expect(profile.server.strategyConstructor).toBe("auth0");
    expect(profile.admin?.converted).toBe(true);
    expect(profile.unsupported).toBeUndefined();
  });

  it.each([
    [
      "auth0-plugin-2023",
      "tickets",
      "findOne/create: the plugin's 2023 generation",
      false, // a Create React App admin
    ],
    [
      "auth0-plugin-2024",
      "shop",
      "entity-named methods: the plugin's 2024 generation",
      true,
    ],
  ])(
    "reports a service converted by Amplication's auth-auth0 plugin (%s): what it gets wrong, and the way back",
    (fixture, name, generation, viteAdmin) => {
      const [profile] = profilesOf(fixture);
      expect(profile.name).toBe(name);
      expect(profile.server.auth).toBe("auth0-plugin");
      expect(profile.server.converted).toBe(false);
      expect(profile.server.findings.at(-1)).toContain(generation);
      expect(profile.unsupported).toMatch(
        /^it was converted by Amplication's auth-auth0 plugin \(src\/auth\/jwt\/base\/User.ts declares Auth0User/,
      );
      expect(profile.unsupported).toContain("without checking email_verified");
      expect(profile.unsupported).toContain(
        "remove the auth-auth0 plugin (keep auth-core, add auth-jwt) in Amplication, re-generate, then run apply",
      );
      // what it does to a Vite admin is said of a Vite admin only
      expect(profile.unsupported!.includes("into a Vite admin")).toBe(
        viteAdmin,
      );
    },
  );

  // Seen on a real repository: the plugin's strategy rewritten by hand after it wrote it.
  it("names only the flaws of the plugin's output that the service's files still have", () => {
    const root = copyTree(
      path.join(DETECT, "auth0-plugin-2024"),
      path.join(tempDir(), "repo"),
    );
    const server = path.join(root, "apps/shop-server");
    const edit = (file: string, from: RegExp, to: string) => {
      const text = fs.readFileSync(path.join(server, file), "utf8");
      expect(text).toMatch(from);
      fs.writeFileSync(path.join(server, file), text.replace(from, to));
    };
    const flaws = () => {
      const tree = new DiskTree(root);
      return detectService(tree, findServices(tree)[0]).unsupported!;
    };
    expect(flaws()).toContain('the same username "admin"');
    expect(flaws()).toContain("leaves AuthResolver unregistered");
    // usernames from the token, AuthResolver registered
    edit(
      "src/auth/jwt/jwt.strategy.ts",
      /username: "admin"/,
      "username: email",
    );
    edit(
      "src/auth/auth.module.ts",
      /providers: \[/,
      "providers: [AuthResolver, ",
    );
    expect(flaws()).not.toContain('the same username "admin"');
    expect(flaws()).not.toContain("AuthResolver");
    expect(flaws()).toContain("without checking email_verified");
    expect(flaws()).toContain(
      "leaves the local login's JWT secret (JWT_SECRET_KEY in .env), @nestjs/jwt (package.json), passport-http (package.json) behind",
    );
    // what the files cannot show is still said
    expect(flaws()).toContain("replaces every other post-login Action");
    // the email read from another claim is still unchecked; checked, the flaw is gone
    const base = "src/auth/jwt/base/jwt.strategy.base.ts";
    edit(base, /payload\.user\.email/, "payload.email");
    expect(flaws()).toContain("without checking email_verified");
    edit(
      base,
      /payload\.email,/,
      "payload.email_verified ? payload.email : undefined,",
    );
    expect(flaws()).not.toContain("email_verified");
    // the local login's leftovers are named one by one, and only those still there
    edit(".env", /^JWT_SECRET_KEY=.*\n/m, "");
    edit("package.json", /^\s*"passport-http": .*\n/m, "");
    expect(flaws()).toContain(
      "leaves the local login's @nestjs/jwt (package.json) behind",
    );
    expect(flaws()).not.toContain("JWT secret");
    expect(flaws()).not.toContain("passport-http");
    edit("package.json", /^\s*"@nestjs\/jwt": .*\n/m, "");
    expect(flaws()).not.toContain("leaves the local login's");
  });

  it("names the syntax error, line and column, of a file whose shape it cannot read because it does not parse", () => {
    const root = tempDir("aa0-detect-");
    fs.cpSync(path.join(DETECT, "jwt-2022"), root, { recursive: true });
    const file = path.join(
      root,
      "server/src/auth/jwt/base/jwt.strategy.base.ts",
    );
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("constructor(");
    fs.writeFileSync(file, text.replace("constructor(", "constructor(("));
    const line = text.slice(0, text.indexOf("constructor(")).split("\n").length;
    const tree = new DiskTree(root);
    const [profile] = findServices(tree).map((service) =>
      detectService(tree, service),
    );
    expect(profile.unsupported).toMatch(
      new RegExp(
        `^server/src/auth/jwt/base/jwt\\.strategy\\.base\\.ts is not valid TypeScript at line ${line}, column \\d+: .*; correct server/src/auth/jwt/base/jwt\\.strategy\\.base\\.ts at line ${line} and run again`,
      ),
    );
  });

  // Detection stopped at the first file it could not read: a run per file to see them all.
  it("refuses every file of the service it cannot read at once: a link leading outside, a link loop, in the server and the admin", () => {
    const root = tempDir("aa0-detect-");
    fs.cpSync(path.join(DETECT, "jwt-2022"), root, { recursive: true });
    const outside = tempDir("aa0-outside-");
    for (const file of [
      "server/src/auth/auth.module.ts",
      "admin-ui/src/App.tsx",
    ]) {
      const target = path.join(outside, path.basename(file));
      fs.renameSync(path.join(root, file), target);
      fs.symlinkSync(target, path.join(root, file));
    }
    const guard = path.join(root, "server/src/auth/defaultAuth.guard.ts");
    fs.rmSync(guard);
    fs.symlinkSync("defaultAuth.guard.ts", guard);
    const tree = new DiskTree(root);
    const [service] = findServices(tree);
    const error = (() => {
      try {
        detectService(tree, service);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(FileRefusals);
    const refusals = (error as FileRefusals).refusals;
    expect(refusals.map((refusal) => refusal.file)).toEqual([
      "server/src/auth/auth.module.ts",
      "server/src/auth/defaultAuth.guard.ts",
      "admin-ui/src/App.tsx",
    ]);
    expect(refusals[0].reason).toMatch(
      /^is a symbolic link that leads outside the repository/,
    );
    expect(refusals[1].reason).toContain("(ELOOP)");
  });

  it("a constructor of another shape: the file by its path in the repository, and the way back", () => {
    const root = tempDir("aa0-detect-");
    fs.cpSync(path.join(DETECT, "jwt-2022"), root, { recursive: true });
    const file = path.join(
      root,
      "server/src/auth/jwt/base/jwt.strategy.base.ts",
    );
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(
          "protected readonly userService: UserService,",
          "protected readonly users: UserService,",
        ),
    );
    const tree = new DiskTree(root);
    const [profile] = findServices(tree).map((service) =>
      detectService(tree, service),
    );
    expect(profile.unsupported).toMatch(
      /^server\/src\/auth\/jwt\/base\/jwt\.strategy\.base\.ts has no constructor this tool knows .*; put back the generated file \(Amplication re-generates it\) and run again$/,
    );
  });

  it("reports a Keycloak server (same constructor shape as Auth0's) as not convertible", () => {
    const [profile] = profilesOf("keycloak-plugin");
    expect(profile.server.auth).toBe("other-provider");
    expect(profile.server.converted).toBe(false);
    expect(profile.unsupported).toMatch(
      /validates Keycloak tokens .*switch the service back to Amplication's auth-jwt plugin/,
    );
  });

  it.each([
    [
      "BasicStrategy",
      "basic",
      "it uses HTTP Basic authentication only; only JWT apps are converted: switch the service to JWT authentication in Amplication",
    ],
    [
      "JwtStrategy",
      "unknown",
      "AuthModule provides a JwtStrategy written by hand in place of the generated flat Basic strategy",
    ],
  ])(
    "a 2021 app with the flat Basic strategy whose AuthModule provides %s: %s, with the way to convert it",
    (strategy, auth, reason) => {
      const root = repo({ servers: ["server"] });
      writeFiles(path.join(root, "server/src/auth"), {
        "basic.strategy.ts": "export class BasicStrategy {}\n",
        "jwt.strategy.ts": "export class JwtStrategy {}\n",
        "auth.module.ts": `@Module({ providers: [AuthService, ${strategy}, PasswordService] })\nexport class AuthModule {}\n`,
      });
      const tree = new DiskTree(root);
      const [profile] = findServices(tree).map((service) =>
        detectService(tree, service),
      );
      expect(profile.server.auth).toBe(auth);
      expect(profile.unsupported).toContain(reason);
      expect(profile.unsupported).toMatch(/re-generate, then apply$/);
    },
  );

  it("reads a handful of marker files, not the app", () => {
    const tree = countingTree(
      path.resolve(__dirname, "../fixtures/apps/shop-2025/input"),
    );
    findServices(tree).forEach((service) => detectService(tree, service));
    expect(tree.reads.length).toBeLessThanOrEqual(15);
    expect(tree.reads.filter((f) => f.includes("/order/"))).toEqual([]);
  });
});

/** A package.json that depends on the given packages. */
function pkg(...deps: string[]): string {
  return JSON.stringify({
    dependencies: Object.fromEntries(deps.map((d) => [d, "*"])),
  });
}

/** A repository of service folders: a server has @nestjs/core and a Prisma schema. */
function repo(layout: {
  servers?: string[];
  admins?: string[];
  others?: Record<string, string>;
}): string {
  const files: Record<string, string> = { ...layout.others };
  for (const dir of layout.servers ?? []) {
    const at = (file: string) => (dir === "" ? file : `${dir}/${file}`);
    files[at("package.json")] = pkg("@nestjs/core", "@prisma/client");
    files[at("prisma/schema.prisma")] = "model User {\n  id String @id\n}\n";
  }
  for (const dir of layout.admins ?? [])
    files[`${dir}/package.json`] = pkg("react-admin", "react");
  return writeFiles(tempDir(), files);
}

function found(root: string) {
  return findServices(new DiskTree(root));
}

describe("service discovery by markers", () => {
  it.each([
    [["server"], ["admin-ui"], "server", "server", "admin-ui"],
    [["server"], ["admin"], "server", "server", "admin"],
    [["apps/crm"], ["apps/crm-admin"], "crm", "apps/crm", "apps/crm-admin"],
    [
      ["apps/crm-server"],
      ["apps/crm-admin"],
      "crm",
      "apps/crm-server",
      "apps/crm-admin",
    ],
    [
      ["apps/test-service"],
      ["apps/test-service-admin"],
      "test-service",
      "apps/test-service",
      "apps/test-service-admin",
    ],
    [
      ["packages/server"],
      ["packages/admin"],
      "server",
      "packages/server",
      "packages/admin",
    ],
    // Neither name pairs them: the only server and the only admin of one folder.
    [
      ["code/backend"],
      ["code/frontend"],
      "backend",
      "code/backend",
      "code/frontend",
    ],
    [["a/b/c/api"], ["a/b/c/api-admin"], "api", "a/b/c/api", "a/b/c/api-admin"],
  ])("finds %j with %j", (servers, admins, name, server, admin) => {
    expect(found(repo({ servers, admins }))).toEqual([{ name, server, admin }]);
  });

  it('takes the repository itself for a server (root ".") only when nothing is found below it', () => {
    expect(found(repo({ servers: [""] }))).toEqual([
      { name: "server", server: "." },
    ]);
    // Its admin in a folder of it: the only server and the only admin of one folder.
    expect(found(repo({ servers: [""], admins: ["admin-ui"] }))).toEqual([
      { name: "server", server: ".", admin: "admin-ui" },
    ]);
    // A workspace whose root lists @nestjs/core and holds a schema keeps its services.
    expect(
      found(repo({ servers: ["", "apps/crm"], admins: ["apps/crm-admin"] })),
    ).toEqual([{ name: "crm", server: "apps/crm", admin: "apps/crm-admin" }]);
  });

  it("pairs several services by name, and keeps a server without an admin", () => {
    const root = repo({
      servers: ["apps/orders-server", "apps/catalog-server", "apps/billing"],
      admins: ["apps/orders-admin", "apps/billing-admin"],
    });
    expect(found(root)).toEqual([
      { name: "billing", server: "apps/billing", admin: "apps/billing-admin" },
      { name: "catalog", server: "apps/catalog-server" },
      {
        name: "orders",
        server: "apps/orders-server",
        admin: "apps/orders-admin",
      },
    ]);
  });

  // Amplication lets users name each part's folder; they name the two alike, several services
  // side by side in one folder (seen on a real repository: five of each at its root).
  it("pairs folders the user named alike: the same name without server / admin (ui), case, spaces and punctuation", () => {
    const root = repo({
      servers: ["AServer", "Server1", "ProTestServer", "POCServer2"],
      admins: ["AAdmin UI", "Admin UI1", "ProTestAdmin", "POCAdmin UI"],
    });
    expect(
      Object.fromEntries(found(root).map((s) => [s.server, s.admin])),
    ).toEqual({
      AServer: "AAdmin UI",
      Server1: "Admin UI1",
      ProTestServer: "ProTestAdmin",
      // no name in common, but the only server and admin left in the folder
      POCServer2: "POCAdmin UI",
    });
    expect(adminsLeftAlone(new DiskTree(root), found(root))).toEqual([]);
  });

  it("a name two servers share pairs neither, and the admin left over is named, unless a service has it or it is converted", () => {
    const root = repo({
      servers: ["shop server", "ShopServer"],
      admins: ["ShopAdmin", "Backoffice"],
    });
    const services = found(root);
    expect(services.map((s) => s.admin)).toEqual([undefined, undefined]);
    const disk = new DiskTree(root);
    expect(adminsLeftAlone(disk, services)).toEqual([
      "Backoffice",
      "ShopAdmin",
    ]);
    // the config gives it to a server
    expect(
      adminsLeftAlone(disk, [{ ...services[0], admin: "ShopAdmin" }]),
    ).toEqual(["Backoffice"]);
    // already on Auth0's login: nothing left to say
    writeFiles(root, {
      "Backoffice/src/App.tsx":
        "<Admin authProvider={auth0AuthProvider} dataProvider={dataProvider} />\n",
      "Backoffice/src/auth-provider/ra-auth-auth0.ts": "export {};\n",
    });
    expect(adminsLeftAlone(new DiskTree(root), services)).toEqual([
      "ShopAdmin",
    ]);
  });

  it("two servers of the same name in different folders are named by their path, each name one the config takes", () => {
    const root = repo({
      servers: ["server", "packages/server", "apps/My_Shop-server"],
    });
    const names = found(root).map((s) => s.name);
    expect(names).toEqual(["my-shop", "packages-server", "server"]);
    for (const name of names)
      expect(ServiceSettings.safeParse({ name, server: "x" }).success).toBe(
        true,
      );
  });

  it("ignores node_modules, dot-folders, build output, folders deeper than 4 levels, and a NestJS package without a Prisma schema", () => {
    const root = repo({
      servers: [
        "node_modules/some-server",
        ".cache/server",
        "dist/server",
        "a/b/c/d/e/server",
        "apps/shop/src/server", // inside a package's sources
      ],
      admins: ["node_modules/ra-admin"],
      others: {
        "package.json": pkg("typescript"),
        "apps/shop/package.json": pkg("lodash"),
        "libs/nest-lib/package.json": pkg("@nestjs/core"),
      },
    });
    expect(found(root)).toEqual([]);
  });

  // A link leading outside the repository is not followed (nothing there is a service of this
  // repository), so an unrelated one stops no run; what it leads to looks like a server here,
  // which the walk would find if it followed the link.
  it("does not follow a link that leads outside the repository: neither lists nor reads through it", () => {
    const outside = repo({ servers: ["shop-server"] });
    const root = repo({
      servers: ["apps/crm"],
      admins: ["apps/crm-admin"],
      others: { "tools/README.md": "# tools\n" },
    });
    fs.symlinkSync(outside, path.join(root, "docs"));
    fs.symlinkSync(
      path.join(outside, "shop-server"),
      path.join(root, "apps/shop-server"),
    );
    fs.symlinkSync(
      path.join(outside, "shop-server/package.json"),
      path.join(root, "tools/package.json"),
    );
    const disk = new DiskTree(root);
    const looked: string[] = [];
    const tree: ReadTree = {
      read: (file) => (looked.push(file), disk.read(file)),
      list: (dir) => (looked.push(dir), disk.list(dir)),
      isDirectory: (dir) => disk.isDirectory(dir),
      outsideLink: (file) => disk.outsideLink(file),
    };
    const crm = { name: "crm", server: "apps/crm", admin: "apps/crm-admin" };
    expect(findServices(tree)).toEqual([crm]);
    expect(findServices(tree, { services: [{ server: "apps/crm" }] })).toEqual([
      { ...crm, listed: true, adminFound: true },
    ]);
    expect(
      looked.filter((file) =>
        /^(docs|apps\/shop-server|tools\/package\.json)(\/|$)/.test(file),
      ),
    ).toEqual([]);
  });

  // A loop was refused where the walk met it (ELOOP), which stopped init, check and apply.
  it("skips a link that loops in a folder of no service, as a folder, a package.json or a prisma folder", () => {
    const root = repo({
      servers: ["apps/crm"],
      admins: ["apps/crm-admin"],
      others: { "tools/README.md": "# tools\n" },
    });
    fs.mkdirSync(path.join(root, "docs"));
    fs.symlinkSync("loop", path.join(root, "docs/loop"));
    fs.symlinkSync("b", path.join(root, "a"));
    fs.symlinkSync("a", path.join(root, "b"));
    fs.symlinkSync("package.json", path.join(root, "tools/package.json"));
    // a NestJS library whose prisma folder loops: no schema, so no server
    writeFiles(root, { "libs/nest/package.json": pkg("@nestjs/core") });
    fs.symlinkSync("prisma", path.join(root, "libs/nest/prisma"));
    const crm = { name: "crm", server: "apps/crm", admin: "apps/crm-admin" };
    expect(found(root)).toEqual([crm]);
    expect(
      findServices(new DiskTree(root), { services: [{ server: "apps/crm" }] }),
    ).toEqual([{ ...crm, listed: true, adminFound: true }]);
    fs.rmSync(path.join(root, "apps"), { recursive: true });
    expect(noServiceFound(new DiskTree(root), root)).toMatch(
      /^no Amplication service found in /,
    );
  });

  it("refuses the links it did not follow when it finds no server (one may be the server), naming each", () => {
    const outside = repo({ servers: ["shop-server"] });
    const root = repo({ admins: ["apps/shop-admin"] });
    fs.symlinkSync(
      path.join(outside, "shop-server"),
      path.join(root, "apps/shop-server"),
    );
    fs.symlinkSync(outside, path.join(root, "docs"));
    const tree = new DiskTree(root);
    expect(findServices(tree)).toEqual([]);
    const error = (() => {
      try {
        noServiceFound(tree, root);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(FileRefusals);
    const refusals = (error as FileRefusals).refusals;
    expect(refusals.map((refusal) => refusal.file)).toEqual([
      "apps/shop-server",
      "docs",
    ]);
    expect(refusals[0].message).toContain(
      "apps/shop-server: is a symbolic link that leads outside the repository",
    );
    expect(refusals[0].fix).toContain(
      'if it holds no service, list the services under "services" in the config',
    );
  });

  it("refuses every folder the config lists that a link leads outside, at once", () => {
    const outside = repo({ servers: ["a", "b"] });
    const root = repo({});
    fs.mkdirSync(path.join(root, "apps"));
    for (const name of ["a", "b"])
      fs.symlinkSync(path.join(outside, name), path.join(root, "apps", name));
    const error = (() => {
      try {
        findServices(new DiskTree(root), {
          services: [{ server: "apps/a" }, { server: "./apps/b/" }],
        });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(FileRefusal);
    expect(
      (error as FileRefusals).refusals.map((refusal) => refusal.file),
    ).toEqual(["apps/a", "apps/b"]);
  });

  it("reads package.json files only, and does not enter a service it found", () => {
    const tree = countingTree(
      path.resolve(__dirname, "../fixtures/apps/shop-2025/input"),
    );
    const listed: string[] = [];
    const list = tree.list;
    tree.list = (dir) => {
      listed.push(dir);
      return list(dir);
    };
    expect(findServices(tree)).toHaveLength(1);
    expect(tree.reads.every((f) => f.endsWith("package.json"))).toBe(true);
    expect(listed.filter((d) => d.includes("/src"))).toEqual([]);
  });
});
