/**
 * Finds the services of a repository and describes each one (an AppProfile) from paths and
 * cheap string markers in a handful of known files. It never parses or walks the whole app, so
 * its cost does not grow with the number of entities.
 */
import type { Config } from "../config/schema";
import { FileRefusal, refusalsOf, throwAll } from "../tree/file-error";
import type { ReadTree } from "../tree/read-tree";
import { GENERATED_BANNER } from "../../transforms/lib/banner";
import {
  parsePackageJson,
  type PackageJson,
} from "../../transforms/lib/package-json";
import { SourceParser } from "../../transforms/lib/parser";
import { UnreadableText } from "../../transforms/lib/refusal";
import {
  classifyEra,
  type AdminBundler,
  type Era,
  type SecretConstant,
  type ServiceMethodStyle,
  type StrategyConstructor,
} from "./eras";
import { inService, normalRoot } from "../config/service-path";

export type AuthKind =
  | "jwt"
  | "basic"
  | "none"
  | "partial"
  | "unknown"
  /** A JWKS strategy for an identity provider other than Auth0 (e.g. the auth-keycloak plugin). */
  | "other-provider"
  /** Already on Auth0, converted by Amplication's own auth-auth0 plugin (not by this tool). */
  | "auth0-plugin";

export interface AuthEntity {
  /** PascalCase, e.g. "User" or "Admin". */
  name: string;
  /** camelCase, also the entity's folder under src/, e.g. "user". */
  camel: string;
  findMethod: string;
  /** The service method that takes `Prisma.<Entity>FindManyArgs` and returns a list ("" when none). */
  findManyMethod: string;
  createMethod: string;
  updateMethod: string;
}

export interface ServerProfile {
  root: string;
  auth: AuthKind;
  /** What detection found, in words, for reports and refusals. */
  findings: string[];
  entity?: AuthEntity;
  strategyConstructor?: StrategyConstructor;
  secretConstant?: SecretConstant;
  serviceMethods?: ServiceMethodStyle;
  basicStrategyRegistered: boolean;
  /**
   * For a server Amplication's auth-auth0 plugin converted: which of its output's known flaws
   * (AUTH0_PLUGIN_FLAWS) this server's files still have; a user may have fixed some.
   */
  pluginFlaws?: string[];
  secretsManager: boolean;
  converted: boolean;
  /**
   * Where a file detection could not read does not parse: its syntax error, line and column,
   * which is the problem to report rather than its shape.
   */
  unparsable?: string;
}

export interface AdminProfile {
  root: string;
  bundler?: AdminBundler;
  reactAdminMajor?: number;
  /** src/LoginForm.tsx exists (react-admin 5 admins split the form out of Login.tsx). */
  loginForm: boolean;
  /** The identifier App.tsx passes as authProvider, e.g. "jwtAuthProvider". */
  authProvider?: string;
  converted: boolean;
}

export interface AppProfile {
  name: string;
  server: ServerProfile;
  admin?: AdminProfile;
  era?: Era;
  /** Undefined when the service can be converted; otherwise why not. */
  unsupported?: string;
  /** Listed under "services" in the config; a service the walk found is only reported. */
  listed: boolean;
  /** Its admin is not in the config but paired with its listed server (FoundService.adminFound). */
  adminFound?: boolean;
}

export class DetectionError extends Error {}

/** A service to convert: its name, its server folder and its admin folder, if any. */
export interface FoundService {
  name: string;
  server: string;
  admin?: string;
  /** Listed under "services" in the config, rather than found by the walk. */
  listed?: boolean;
  /**
   * The admin is not in the config: the config lists the server without an admin, and the walk
   * pairs this one with it (an admin Amplication added in a later build, say).
   */
  adminFound?: boolean;
}

/**
 * The services of a repository: those listed in the config, or else those the walk finds
 * (discoverServices).
 */
export function findServices(
  tree: ReadTree,
  config?: Pick<Config, "services">,
): FoundService[] {
  if (!config?.services) return discoverServices(tree);
  // A listed folder is the conversion's own: one reached through a link that leads outside the
  // repository is refused before anything looks into it, every such folder at once.
  throwAll(
    config.services
      .flatMap((s) => [s.server, ...(s.admin ? [s.admin] : [])])
      .flatMap((dir) => tree.outsideLink?.(normalRoot(dir)) ?? []),
  );
  const listedAdmins = new Set(
    config.services.flatMap((s) => (s.admin ? [normalRoot(s.admin)] : [])),
  );
  let found: FoundService[] | undefined;
  /**
   * The admin the walk pairs with a listed server that the config lists without one: converting
   * the server takes away the login its admin calls, so the admin goes with it.
   */
  const pairedAdmin = (server: string) => {
    found ??= discoverServices(tree);
    const admin = found.find((f) => f.server === server)?.admin;
    return admin !== undefined && !listedAdmins.has(admin) ? admin : undefined;
  };
  return config.services.map((service) => {
    if (!tree.isDirectory(service.server)) {
      throw new DetectionError(
        `services: server path "${service.server}" is not a directory of the repository`,
      );
    }
    if (service.admin && !tree.isDirectory(service.admin)) {
      throw new DetectionError(
        `services: admin path "${service.admin}" is not a directory of the repository`,
      );
    }
    const server = normalRoot(service.server);
    const name = service.name ?? serviceName(server);
    if (service.admin !== undefined)
      return { name, server, admin: normalRoot(service.admin), listed: true };
    const admin = pairedAdmin(server);
    return admin === undefined
      ? { name, server, listed: true }
      : { name, server, admin, listed: true, adminFound: true };
  });
}

/** How deep below the repository root the walk looks for services. */
export const MAX_SERVICE_DEPTH = 4;

/** What the walk looks for, in words: for the messages that say where nothing was found. */
const SERVER_MARKER = `a folder at most ${MAX_SERVICE_DEPTH} levels below the root whose package.json depends on @nestjs/core and that has prisma/schema.prisma`;
export const SERVICE_MARKERS = `${SERVER_MARKER} (a server), or whose package.json depends on react-admin (an admin)`;

/** Folders that never hold a generated service: dependencies, build output, tool state. */
const NOT_SERVICE_FOLDERS = new Set([
  "node_modules",
  "dist",
  "build",
  "coverage",
]);

/**
 * Finds services by their markers, wherever Amplication's output paths put them: a server is a
 * folder whose package.json depends on @nestjs/core and that has prisma/schema.prisma; an admin
 * is a folder whose package.json depends on react-admin. The walk reads folder listings and
 * package.json files only; it does not enter a service it found, node_modules, build output,
 * dot-folders, or the src of a package, so its cost does not grow with the app's sources.
 */
export function discoverServices(tree: ReadTree): FoundService[] {
  const { servers, admins } = discoverFolders(tree);
  return pairServices(servers, admins);
}

/**
 * The admins the walk finds that pair with no server (pairServices) and that no service of the
 * run has, still on their login: an admin is converted with its server, so these are left as
 * they are, and once their server is converted their sign-in fails. The run names them.
 */
export function adminsLeftAlone(
  tree: ReadTree,
  services: readonly FoundService[],
): string[] {
  const { servers, admins } = discoverFolders(tree);
  const paired = new Set([
    ...pairServices(servers, admins).map((s) => s.admin),
    ...services.map((s) => s.admin),
  ]);
  const converted = (admin: string) => {
    try {
      return detectAdmin(tree, admin).converted;
    } catch (error) {
      if (error instanceof FileRefusal) return false; // it is only named
      throw error;
    }
  };
  return admins.filter((admin) => !paired.has(admin) && !converted(admin));
}

/** An admin adminsLeftAlone finds, as apply, check and init say it. */
export function adminLeftAlone(admin: string): string {
  return `${admin} is a react-admin app paired with no server, so it is left on its own login: once the server it signs in to is converted, that login fails; list it as that service's "admin" in the config (an admin is converted with its server)`;
}

/**
 * What to say when the walk finds no service in the repository at `root`: what it looked for,
 * or the admins it found without a server (an admin is converted with its server). Where the
 * walk passed links that lead outside the repository, one of them may be the server: it
 * throws their refusals instead.
 */
export function noServiceFound(
  tree: ReadTree,
  root: string,
  /** Amplication's build branches not checked out (amplicationBranches). */
  buildBranches: readonly string[] = [],
): string {
  const { admins, notFollowed } = discoverFolders(tree);
  throwAll(
    notFollowed.map(
      ({ file, reason, fix }) =>
        new FileRefusal(
          file,
          reason,
          `${fix}; if it holds no service, list the services under "services" in the config`,
        ),
    ),
  );
  // Amplication's first build waits on its branch until its pull request is merged.
  const elsewhere =
    buildBranches.length === 0
      ? ""
      : `; Amplication delivers its builds to the branch${buildBranches.length === 1 ? "" : "es"} ${buildBranches.slice(0, 3).join(", ")}${buildBranches.length > 3 ? ", ..." : ""}, which is not checked out here: merge its pull request (or check the branch out), then run again`;
  if (admins.length === 0)
    return `no Amplication service found in ${root}: looked for ${SERVICE_MARKERS}${elsewhere}`;
  return (
    `no Amplication server found in ${root}, only the admin${admins.length === 1 ? "" : "s"} ${admins.join(", ")}: ` +
    `an admin is converted with its server (${SERVER_MARKER})${elsewhere}`
  );
}

/**
 * The server and admin folders of the repository, each the shallowest of its kind, and the
 * refusals of the links leading outside it that the walk did not follow.
 */
function discoverFolders(tree: ReadTree): {
  servers: string[];
  admins: string[];
  notFollowed: FileRefusal[];
} {
  const servers: string[] = [];
  const admins: string[] = [];
  // A folder, package.json or prisma folder reached through a link that leads outside the
  // repository is not followed: nothing there is a service of this repository, and the tool
  // reads nothing outside, so an unrelated link (docs -> /usr/share/doc) stops no run. Where
  // the walk finds no server, noServiceFound refuses these links: one of them may be it.
  const notFollowed: FileRefusal[] = [];
  const inside = (path: string) => {
    const refusal = tree.outsideLink?.(path);
    if (refusal) notFollowed.push(refusal);
    return refusal === undefined;
  };
  // A link that loops (docs/loop -> loop) leads nowhere, so holds no service: the walk skips it
  // too, where reading it would refuse it (ELOOP) and stop the run.
  const unlessLoop = <T>(path: string, answer: () => T, none: T): T => {
    try {
      return answer();
    } catch (error) {
      if (tree.loops?.(path)) return none;
      throw error;
    }
  };
  const dependencies = (dir: string) => {
    const file = inService(dir, "package.json");
    return inside(file)
      ? dependenciesOf(unlessLoop(file, () => tree.read(file), undefined))
      : new Set<string>();
  };
  const isServer = (dir: string, deps = dependencies(dir)) => {
    const prisma = inService(dir, "prisma");
    return (
      deps.has("@nestjs/core") &&
      inside(prisma) &&
      unlessLoop(prisma, () => tree.list(prisma), []).includes("schema.prisma")
    );
  };
  const walk = (dir: string, depth: number) => {
    const entries = tree.list(dir);
    if (dir !== "" && entries.includes("package.json")) {
      const deps = dependencies(dir);
      if (isServer(dir, deps)) {
        servers.push(dir);
        return;
      }
      if (deps.has("react-admin")) {
        admins.push(dir);
        return;
      }
    }
    if (depth === MAX_SERVICE_DEPTH) return;
    const isPackage = entries.includes("package.json");
    for (const entry of entries) {
      if (entry.startsWith(".") || NOT_SERVICE_FOLDERS.has(entry)) continue;
      if (isPackage && entry === "src") continue; // a package's own sources
      const child = dir === "" ? entry : `${dir}/${entry}`;
      if (
        unlessLoop(child, () => tree.isDirectory(child), false) &&
        inside(child)
      )
        walk(child, depth + 1);
    }
  };
  walk("", 0);
  // No server below: the repository may be one server itself (root "."), its admin in a folder
  // of it. Only then, so that a workspace whose root package.json lists @nestjs/core keeps the
  // servers below it.
  if (servers.length === 0 && isServer(".")) servers.push(".");
  return { servers, admins, notFollowed };
}

/**
 * Pairs each server with its admin, as Amplication names them: <x> or <x>-server with
 * <x>-admin, server with admin-ui or admin; then by the names users give them in Amplication
 * (see nameKey); or else the only server and the only admin left in one parent folder.
 */
function pairServices(servers: string[], admins: string[]): FoundService[] {
  const free = new Set(admins);
  const take = (admin: string | undefined) => {
    if (admin === undefined || !free.has(admin)) return undefined;
    free.delete(admin);
    return admin;
  };
  const parentOf = (dir: string) => dir.split("/").slice(0, -1).join("/");
  const inParent = (parent: string, name: string) =>
    parent === "" ? name : `${parent}/${name}`;
  const paired = new Map<string, string | undefined>();
  for (const server of servers) {
    const parent = parentOf(server);
    const base = server.split("/").pop()!;
    const names =
      base === "server"
        ? ["admin-ui", "admin"]
        : [`${base.replace(/-server$/, "")}-admin`];
    paired.set(
      server,
      names.map((name) => take(inParent(parent, name))).find(Boolean),
    );
  }
  const leftIn = (parent: string) => ({
    servers: servers.filter(
      (s) => parentOf(s) === parent && paired.get(s) === undefined,
    ),
    admins: [...free].filter((a) => parentOf(a) === parent),
  });
  for (const server of servers) {
    if (paired.get(server) !== undefined) continue;
    const left = leftIn(parentOf(server));
    const key = nameKey(server, "server");
    const sameKey = (dirs: string[], kind: "server" | "admin") =>
      dirs.filter((dir) => nameKey(dir, kind) === key);
    // one server and one admin of the folder by that name, else it tells nothing
    const [admin, ...others] = sameKey(left.admins, "admin");
    if (
      admin &&
      others.length === 0 &&
      sameKey(left.servers, "server").length === 1
    )
      paired.set(server, take(admin));
  }
  for (const server of servers) {
    if (paired.get(server) !== undefined) continue;
    const left = leftIn(parentOf(server));
    if (left.servers.length === 1 && left.admins.length === 1)
      paired.set(server, take(left.admins[0]));
  }
  const names = servers.map(serviceName);
  return servers.map((server, i) => {
    // Two servers of the same name in different folders (a/server, b/server): the path tells them apart.
    const name =
      names.indexOf(names[i]) === names.lastIndexOf(names[i])
        ? names[i]
        : kebabCase(server);
    const admin = paired.get(server);
    return admin ? { name, server, admin } : { name, server };
  });
}

/**
 * A service folder's name without the word that says which part it is, and without case,
 * spaces and punctuation: Amplication lets users name each part's folder, and they name the
 * two alike (AServer and "AAdmin UI", Server1 and "Admin UI1", ShopServer and ShopAdmin).
 */
function nameKey(dir: string, kind: "server" | "admin"): string {
  const name = dir
    .split("/")
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  return name.replace(kind === "server" ? "server" : /adminui|admin/, "");
}

/** The names of a package.json's dependencies and devDependencies. */
function dependenciesOf(text: string | undefined): Set<string> {
  if (text === undefined) return new Set();
  try {
    const pkg = parsePackageJson(text);
    return new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.devDependencies ?? {}),
    ]);
  } catch {
    // It does not parse: the markers as text, so that the service is still found and the
    // rules that edit this package.json refuse it with the line and column.
    return new Set(
      ["@nestjs/core", "react-admin"].filter((name) =>
        text.includes(`"${name}"`),
      ),
    );
  }
}

function serviceName(serverDir: string): string {
  const base = serverDir.split("/").pop() ?? serverDir;
  return base === "server" || base === "."
    ? "server"
    : kebabCase(base.replace(/-server$/, ""));
}

/** A name as the config takes it (lower case, digits and dashes): init writes it there. */
function kebabCase(text: string): string {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "service"
  );
}

/**
 * The service's profile. A file it cannot read (a link that leads outside the repository, say)
 * refuses it, every such file of the service in one refusal.
 */
export function detectService(
  tree: ReadTree,
  service: FoundService,
  config?: Pick<Config, "user">,
): AppProfile {
  const unreadable: FileRefusal[] = [];
  const noting = notingUnreadable(tree, unreadable);
  const server = detectServer(noting, service.server, config?.user.entity);
  const admin = service.admin ? detectAdmin(noting, service.admin) : undefined;
  throwAll(unreadable);
  const profile: AppProfile = {
    name: service.name,
    server,
    admin,
    listed: Boolean(service.listed),
    ...(service.adminFound && admin ? { adminFound: true } : {}),
  };
  if (
    server.strategyConstructor &&
    server.strategyConstructor !== "auth0" &&
    server.secretConstant &&
    server.serviceMethods
  ) {
    profile.era = classifyEra(
      {
        strategyConstructor: server.strategyConstructor,
        secretConstant: server.secretConstant,
        serviceMethods: server.serviceMethods,
        basicStrategyRegistered: server.basicStrategyRegistered,
      },
      admin?.bundler ? { bundler: admin.bundler } : undefined,
    );
  }
  profile.unsupported = whyUnsupported(profile);
  return profile;
}

/**
 * The tree, where a file or folder it cannot read is noted in `unreadable` and answers as
 * missing: detection goes on past the first, and its profile is not used once one is noted. A
 * link leading outside is noted once, however many of the files read go through it.
 */
function notingUnreadable(tree: ReadTree, unreadable: FileRefusal[]): ReadTree {
  const noted = <T>(answer: () => T, missing: T): T => {
    try {
      return answer();
    } catch (error) {
      if (!(error instanceof FileRefusal)) throw error;
      for (const refusal of refusalsOf(error))
        if (!unreadable.some((known) => known.file === refusal.file))
          unreadable.push(refusal);
      return missing;
    }
  };
  return {
    read: (file) => noted(() => tree.read(file), undefined),
    isDirectory: (dir) => noted(() => tree.isDirectory(dir), false),
    list: (dir) => noted(() => tree.list(dir), []),
  };
}

/**
 * The name of the list method of a generated entity service: `users(args: Prisma.UserFindManyArgs)`
 * in current apps, `findMany` in older ones (whose `count` takes the same args but returns a number).
 */
function findManyMethod(serviceBase: string, entityName: string): string {
  const signature = new RegExp(
    `\\basync\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(\\s*args\\s*:[^)]*\\bPrisma\\.${entityName}FindManyArgs\\b[^)]*\\)\\s*:\\s*Promise<[^>]*\\[\\]\\s*>`,
  );
  return signature.exec(serviceBase)?.[1] ?? "";
}

function whyUnsupported(profile: AppProfile): string | undefined {
  const { server, admin } = profile;
  if (
    server.auth === "jwt" &&
    admin &&
    (!admin.bundler ||
      (admin.reactAdminMajor !== 3 && admin.reactAdminMajor !== 5))
  ) {
    return `its admin (${admin.root}) is neither react-admin 3 on Create React App nor react-admin 5 on Vite; list the service without its admin under "services" to convert the server alone`;
  }
  switch (server.auth) {
    case "none":
      return "it has no authentication (no src/auth folder)";
    case "basic":
      return "it uses HTTP Basic authentication only; only JWT apps are converted: switch the service to JWT authentication in Amplication (the auth-jwt plugin; before 2023, the service's authentication provider setting), re-generate, then apply";
    case "partial":
      return `its authentication is incomplete (${server.findings.join("; ")}); the app does not compile as generated`;
    case "unknown":
      return `its authentication has a shape this tool does not know (${server.findings.join("; ")}); to convert it, put back the authentication Amplication generates (the auth-jwt plugin), re-generate, then apply`;
    case "other-provider":
      return `it does not sign in with the generated local JWT login (${server.findings.at(-1)}); to convert it, switch the service back to Amplication's auth-jwt plugin, re-generate, then apply`;
    case "auth0-plugin":
      return (
        `it was converted by Amplication's auth-auth0 plugin (${server.findings.at(-1)}). ` +
        `Its output, as this service's files hold it, ${[
          ...(server.pluginFlaws ?? []),
          ...AUTH0_PLUGIN_FLAWS.filter(
            (flaw) => flaw.viteAdmin && admin?.bundler === "vite",
          ).map((flaw) => flaw.text),
        ].join("; ")}. ` +
        "To convert it with this tool: remove the auth-auth0 plugin (keep auth-core, add auth-jwt) in Amplication, re-generate, then run apply"
      );
    case "jwt":
      if (!server.entity)
        return "the auth entity could not be found (no src/auth/<Entity>Info.ts); set user.entity in the config";
      if (server.unparsable) return server.unparsable;
      if (!server.strategyConstructor)
        return `${inService(server.root, "src/auth/jwt/base/jwt.strategy.base.ts")} has no constructor this tool knows (the generated ones take the entity service and the secret, in either order, each named as generated); put back the generated file (Amplication re-generates it) and run again`;
      if (!server.serviceMethods)
        return `the ${server.entity.name} service methods could not be read from src/${server.entity.camel}/base/${server.entity.camel}.service.base.ts (neither ${server.entity.camel}() nor findOne()); set user.entity in the config if the auth entity is another`;
      return undefined;
  }
}

function detectServer(
  tree: ReadTree,
  root: string,
  configuredEntity?: string,
): ServerProfile {
  const read = (file: string) => tree.read(inService(root, file));
  const findings: string[] = [];
  const profile: ServerProfile = {
    root,
    auth: "unknown",
    findings,
    basicStrategyRegistered: false,
    secretsManager:
      read("src/providers/secrets/secretsNameKey.enum.ts") !== undefined,
    converted: false,
  };
  const authFiles = tree.list(inService(root, "src/auth"));
  if (authFiles.length === 0) {
    profile.auth = "none";
    findings.push("no src/auth folder");
    return profile;
  }

  const authModule = read("src/auth/auth.module.ts");
  const defaultGuard = read("src/auth/defaultAuth.guard.ts");
  const strategyBase = read("src/auth/jwt/base/jwt.strategy.base.ts");
  const infoFiles = authFiles.filter((name) =>
    /^[A-Z][A-Za-z0-9]*Info\.ts$/.test(name),
  );
  const hasCore =
    infoFiles.length > 0 && authFiles.includes("IAuthStrategy.ts");

  profile.basicStrategyRegistered =
    authModule !== undefined &&
    /\bBasicStrategy\b/.test(providersOf(authModule));

  // A 2021 flat Basic app (no defaultAuth.guard.ts, no jwt folder) whose AuthModule provides a
  // JwtStrategy instead: its login was rewritten by hand.
  const flatAuthRewritten =
    !defaultGuard &&
    authFiles.includes("basic.strategy.ts") &&
    !authFiles.includes("jwt") &&
    authModule !== undefined &&
    !profile.basicStrategyRegistered &&
    /\bJwtStrategy\b/.test(providersOf(authModule));

  if (defaultGuard && /extends\s+JwtAuthGuard\b/.test(defaultGuard)) {
    findings.push("DefaultAuthGuard extends JwtAuthGuard");
    profile.auth = "jwt";
  } else if (defaultGuard && /extends\s+BasicAuthGuard\b/.test(defaultGuard)) {
    findings.push("DefaultAuthGuard extends BasicAuthGuard");
    profile.auth = "basic";
  } else if (flatAuthRewritten) {
    findings.push(
      "AuthModule provides a JwtStrategy written by hand in place of the generated flat Basic strategy (src/auth/basic.strategy.ts)",
    );
    profile.auth = "unknown";
  } else if (
    !defaultGuard &&
    authFiles.includes("basic.strategy.ts") &&
    !authFiles.includes("jwt")
  ) {
    findings.push(
      "flat Basic strategy (src/auth/basic.strategy.ts), no jwt folder",
    );
    profile.auth = "basic";
  } else if (!defaultGuard) {
    // with auth-core, the partial case below names what is missing
    if (!hasCore) findings.push("src/auth/defaultAuth.guard.ts is missing");
  } else {
    findings.push(
      "DefaultAuthGuard extends neither JwtAuthGuard nor BasicAuthGuard",
    );
  }

  // Early apps have no auth-core split at all: neither a Basic one nor one rewritten by hand.
  if (profile.auth === "basic" || flatAuthRewritten) return profile;
  if (!hasCore && (authModule || defaultGuard)) {
    findings.push(
      "auth-core files (<Entity>Info.ts, IAuthStrategy.ts) are missing: a provider plugin without auth-core",
    );
    profile.auth = "partial";
  } else if (hasCore && (!authModule || !defaultGuard)) {
    const missing = [
      ...(authModule ? [] : ["src/auth/auth.module.ts"]),
      ...(defaultGuard ? [] : ["src/auth/defaultAuth.guard.ts"]),
    ];
    findings.push(
      `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} missing: auth-core without a provider plugin`,
    );
    profile.auth = "partial";
  }
  if (profile.auth === "jwt" && !strategyBase) {
    findings.push("src/auth/jwt/base/jwt.strategy.base.ts is missing");
    profile.auth = "partial";
  }
  if (profile.auth !== "jwt") return profile;

  profile.strategyConstructor = strategyConstructorOf(strategyBase!);
  if (!profile.strategyConstructor)
    profile.unparsable = syntaxErrorIn(
      inService(root, "src/auth/jwt/base/jwt.strategy.base.ts"),
      strategyBase!,
    );
  if (
    profile.strategyConstructor === "auth0" &&
    !/\bAUTH0_|\bAuth0/.test(strategyBase!)
  ) {
    // The same (configService, service) shape, but Auth0 is named nowhere: another provider.
    findings.push(
      /\bKEYCLOAK_|\bKeycloak/.test(strategyBase!)
        ? "JwtStrategyBase validates Keycloak tokens (Amplication's auth-keycloak plugin)"
        : "JwtStrategyBase validates tokens of an identity provider other than Auth0",
    );
    profile.auth = "other-provider";
    profile.strategyConstructor = undefined;
    return profile;
  }
  if (profile.strategyConstructor === "auth0") {
    if (strategyBase!.includes(GENERATED_BANNER)) {
      profile.converted = true;
    } else {
      const plugin = auth0PluginGeneration(tree, root, strategyBase!);
      findings.push(
        plugin ??
          "JwtStrategyBase validates Auth0 tokens, but neither this tool nor Amplication's auth-auth0 plugin wrote it",
      );
      profile.auth = plugin ? "auth0-plugin" : "unknown";
      profile.strategyConstructor = undefined;
      if (plugin)
        profile.pluginFlaws = AUTH0_PLUGIN_FLAWS.flatMap((flaw) => {
          if (flaw.viteAdmin) return [];
          const present =
            flaw.server?.({ read, authFiles, authModule }) ?? true;
          if (present === false) return [];
          return [typeof present === "string" ? present : flaw.text];
        });
      return profile;
    }
  }

  const constants = read("src/constants.ts") ?? "";
  profile.secretConstant = /\bJWT_SECRET_KEY_PROVIDER_NAME\b/.test(constants)
    ? "JWT_SECRET_KEY_PROVIDER_NAME"
    : /\bexport\s+const\s+JWT_SECRET_KEY\b/.test(constants)
      ? "JWT_SECRET_KEY"
      : "none";

  const entityName = configuredEntity ?? entityFrom(infoFiles, authModule);
  if (entityName) {
    const camel = entityName[0].toLowerCase() + entityName.slice(1);
    const serviceBase = read(`src/${camel}/base/${camel}.service.base.ts`);
    if (
      serviceBase &&
      new RegExp(`\\basync\\s+${camel}\\s*[<(]`).test(serviceBase)
    ) {
      profile.serviceMethods = "entity-named";
      profile.entity = {
        name: entityName,
        camel,
        findMethod: camel,
        findManyMethod: findManyMethod(serviceBase, entityName),
        createMethod: `create${entityName}`,
        updateMethod: `update${entityName}`,
      };
    } else if (serviceBase && /\basync\s+findOne\s*[<(]/.test(serviceBase)) {
      profile.serviceMethods = "generic";
      profile.entity = {
        name: entityName,
        camel,
        findMethod: "findOne",
        findManyMethod: findManyMethod(serviceBase, entityName),
        createMethod: "create",
        updateMethod: "update",
      };
    } else {
      profile.entity = {
        name: entityName,
        camel,
        findMethod: "",
        findManyMethod: "",
        createMethod: "",
        updateMethod: "",
      };
      findings.push(
        `src/${camel}/base/${camel}.service.base.ts has neither ${camel}() nor findOne()`,
      );
      if (serviceBase)
        profile.unparsable ??= syntaxErrorIn(
          inService(root, `src/${camel}/base/${camel}.service.base.ts`),
          serviceBase,
        );
    }
  }
  return profile;
}

/** A file's syntax error, as a refusal says it (line, column, fix), or undefined when it parses. */
function syntaxErrorIn(file: string, text: string): string | undefined {
  const error = new SourceParser().syntaxErrorOf(file, text);
  if (!error) return undefined;
  const { reason, fix } = error.refusal("detect", file);
  return `${file} ${reason.replace(/^it /, "")}; ${fix}`;
}

/**
 * What Amplication's auth-auth0 plugin gets wrong that this tool does right
 * (amplication-facts.md §1.10, §6.6), for the report of a service it converted.
 */
export const AUTH0_PLUGIN_FLAWS: ReadonlyArray<{
  text: string;
  /**
   * Whether the server's files still have it (a user may have fixed it by hand), or the words
   * for exactly what they still have; left out for what the files cannot show.
   */
  server?: (files: {
    read: (file: string) => string | undefined;
    authFiles: string[];
    authModule: string | undefined;
  }) => boolean | string;
  /** Only where the admin is a Vite one. */
  viteAdmin?: true;
}> = [
  {
    // the plugin's reads the email of a custom `user` claim; a rewrite may read another one
    text: "trusts the token's email without checking email_verified",
    server: ({ read }) => {
      const strategy = strategyTexts(read);
      return /\bemail\b/.test(strategy) && !/email_verified/.test(strategy);
    },
  },
  {
    text: 'gives every new user the same username "admin" (the second one collides on the unique field)',
    server: ({ read }) =>
      /\busername\s*:\s*["'`]admin["'`]/.test(strategyTexts(read)),
  },
  {
    text: "leaves AuthResolver unregistered",
    server: ({ authFiles, authModule }) =>
      authFiles.includes("auth.resolver.ts") &&
      !/\bAuthResolver\b/.test(providersOf(authModule ?? "")),
  },
  {
    text: "leaves the local login's JWT secret, @nestjs/jwt or passport-http behind",
    server: ({ read }) => {
      const deps = dependenciesOf(read("package.json"));
      const left = [
        /^\s*JWT_SECRET_KEY\s*=/m.test(read(".env") ?? "") &&
          "JWT secret (JWT_SECRET_KEY in .env)",
        deps.has("@nestjs/jwt") && "@nestjs/jwt (package.json)",
        deps.has("passport-http") && "passport-http (package.json)",
      ].filter((item): item is string => typeof item === "string");
      return (
        left.length > 0 && `leaves the local login's ${left.join(", ")} behind`
      );
    },
  },
  {
    text: "puts a react-admin 3 App.tsx and process.env into a Vite admin, and asks for the token with an audience variable the .env does not define",
    viteAdmin: true,
  },
  // the plugin's tenant set-up: nothing in the files tells whether it ran
  { text: "replaces every other post-login Action when it sets up the tenant" },
];

/** The plugin's two strategy files, where it reads the token and creates users. */
function strategyTexts(read: (file: string) => string | undefined): string {
  return [
    "src/auth/jwt/base/jwt.strategy.base.ts",
    "src/auth/jwt/jwt.strategy.ts",
  ]
    .map((file) => read(file) ?? "")
    .join("\n");
}

/**
 * Which generation of the auth-auth0 plugin wrote this Auth0 strategy, in words, or undefined
 * when it was not the plugin (amplication-facts.md §1.4, §1.11): the plugin writes the Auth0User
 * type to src/auth/jwt/base/User.ts; up to 1.0.12 it called findOne/create on the entity
 * service, from 1.0.13 (2024) the entity-named methods, with a replaced LoginForm.tsx.
 */
function auth0PluginGeneration(
  tree: ReadTree,
  root: string,
  strategyBase: string,
): string | undefined {
  const userType = tree.read(inService(root, "src/auth/jwt/base/User.ts"));
  if (!userType || !/\binterface\s+Auth0User\b/.test(userType))
    return undefined;
  const strategy =
    tree.read(inService(root, "src/auth/jwt/jwt.strategy.ts")) ?? "";
  return /\.findOne\s*\(/.test(strategyBase) || /\.create\s*\(/.test(strategy)
    ? "src/auth/jwt/base/User.ts declares Auth0User and the strategy calls findOne/create: the plugin's 2023 generation"
    : "src/auth/jwt/base/User.ts declares Auth0User and the strategy calls the entity-named methods: the plugin's 2024 generation";
}

/** The text of the `providers: [...]` list of an @Module, or "" when there is none. */
function providersOf(moduleSource: string): string {
  const match = /providers\s*:\s*\[([^\]]*)\]/.exec(moduleSource);
  return match ? match[1] : "";
}

function strategyConstructorOf(
  source: string,
): StrategyConstructor | undefined {
  const match = /constructor\s*\(([^)]*)\)/.exec(source);
  if (!match) return undefined;
  const first = match[1]
    .split(",")[0]
    .replace(/@\w+\([^)]*\)/g, "")
    .replace(/\b(protected|private|public|readonly)\b/g, "")
    .trim();
  if (/^configService\b/.test(first)) return "auth0";
  if (/^secret/i.test(first)) return "secret-first";
  if (/^\w+Service\b/.test(first)) return "service-first";
  return undefined;
}

function entityFrom(
  infoFiles: string[],
  authModule?: string,
): string | undefined {
  const fromModule =
    authModule &&
    /forwardRef\(\s*\(\)\s*=>\s*([A-Z]\w*)Module\s*\)/.exec(authModule)?.[1];
  if (fromModule && infoFiles.includes(`${fromModule}Info.ts`))
    return fromModule;
  if (infoFiles.length === 1) return infoFiles[0].replace(/Info\.ts$/, "");
  return fromModule || undefined;
}

function detectAdmin(tree: ReadTree, root: string): AdminProfile {
  const read = (file: string) => tree.read(inService(root, file));
  const pkg = packageJsonOf(tree, inService(root, "package.json"));
  const deps: Record<string, string> = {
    ...(pkg?.dependencies ?? {}),
    ...(pkg?.devDependencies ?? {}),
  };
  const bundler: AdminBundler | undefined =
    deps.vite || read("vite.config.ts") !== undefined
      ? "vite"
      : deps["react-scripts"]
        ? "cra"
        : undefined;
  const raVersion = /(\d+)/.exec(deps["react-admin"] ?? "")?.[1];
  const app = read("src/App.tsx") ?? "";
  const authProvider = /authProvider=\{\s*(\w+)\s*\}/.exec(app)?.[1];
  return {
    root,
    bundler,
    reactAdminMajor: raVersion ? Number(raVersion) : undefined,
    loginForm: read("src/LoginForm.tsx") !== undefined,
    authProvider,
    converted:
      authProvider === "auth0AuthProvider" &&
      read("src/auth-provider/ra-auth-auth0.ts") !== undefined,
  };
}

/**
 * The admin's package.json, which tells its bundler and react-admin version. One that does not
 * parse (merge conflict markers, say) is read for its `"name": "range"` pairs, so that the admin
 * is still told apart, and the rule that edits it refuses it with its line and column, together
 * with every other problem of the run (as the server's, see dependenciesOf).
 */
function packageJsonOf(tree: ReadTree, file: string): PackageJson | undefined {
  const text = tree.read(file);
  if (text === undefined) return undefined;
  try {
    return parsePackageJson(text);
  } catch (error) {
    if (!(error instanceof UnreadableText)) throw error;
    const dependencies: Record<string, string> = {};
    for (const [, name, range] of text.matchAll(
      /"([@\w./-]+)"\s*:\s*"([^"]*)"/g,
    ))
      dependencies[name] ??= range;
    return { dependencies };
  }
}
