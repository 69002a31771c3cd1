/** Detection on fixture repositories written from amplication-facts.md §3. */
import * as path from "node:path";
import { detectService, findServices } from "../src/detect/detect";
import { DiskTree, type ReadTree } from "../src/tree/tree";

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
    expect(profile.unsupported).toMatch(/incomplete/);
  });

  it("recognises an app already converted to Auth0", () => {
    const [profile] = profilesOf("converted");
    expect(profile.server.auth).toBe("jwt");
    expect(profile.server.converted).toBe(true);
    expect(profile.server.strategyConstructor).toBe("auth0");
    expect(profile.admin?.converted).toBe(true);
    expect(profile.unsupported).toBeUndefined();
  });

  it("reports a Keycloak server (same constructor shape as Auth0's) as not convertible", () => {
    const [profile] = profilesOf("keycloak-plugin");
    expect(profile.server.auth).toBe("other-provider");
    expect(profile.server.converted).toBe(false);
    expect(profile.unsupported).toMatch(
      /validates Keycloak tokens .*switch the service back to Amplication's auth-jwt plugin/,
    );
  });

  it("reads a handful of marker files, not the app", () => {
    const tree = countingTree(
      path.resolve(__dirname, "../fixtures/apps/shop-2025/input"),
    );
    findServices(tree).forEach((service) => detectService(tree, service));
    expect(tree.reads.length).toBeLessThanOrEqual(15);
    expect(tree.reads.filter((f) => f.includes("/order/"))).toEqual([]);
  });
});
