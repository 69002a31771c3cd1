/**
 * Finds the services of a repository and describes each one (an AppProfile) from paths and
 * cheap string markers in a handful of known files. It never parses or walks the whole app, so
 * its cost does not grow with the number of entities.
 */
import type { Config } from "../config/schema";
import type { ReadTree } from "../tree/tree";
import {
  classifyEra,
  type AdminBundler,
  type Era,
  type SecretConstant,
  type ServiceMethodStyle,
  type StrategyConstructor,
} from "./eras";

export type AuthKind =
  | "jwt"
  | "basic"
  | "none"
  | "partial"
  | "unknown"
  /** A JWKS strategy for an identity provider other than Auth0 (e.g. the auth-keycloak plugin). */
  | "other-provider";

export interface AuthEntity {
  /** PascalCase, e.g. "User" or "Admin". */
  name: string;
  /** camelCase, also the entity's folder under src/, e.g. "user". */
  camel: string;
  findMethod: string;
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
  secretsManager: boolean;
  converted: boolean;
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
}

export class DetectionError extends Error {}

/** The services of a repository: from the config when listed there, else from the known layouts. */
export function findServices(
  tree: ReadTree,
  config?: Pick<Config, "services">,
): Array<{ name: string; server: string; admin?: string }> {
  if (config?.services) {
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
      return {
        name: service.name ?? serviceName(service.server),
        server: service.server,
        admin: service.admin,
      };
    });
  }
  const found: Array<{ name: string; server: string; admin?: string }> = [];
  if (isNestServer(tree, "server")) {
    found.push({
      name: "server",
      server: "server",
      admin: isAdmin(tree, "admin-ui") ? "admin-ui" : undefined,
    });
  }
  for (const entry of tree.list("apps")) {
    const dir = `apps/${entry}`;
    if (entry.endsWith("-admin") || !isNestServer(tree, dir)) continue;
    const name = serviceName(dir);
    const admin = `apps/${name}-admin`;
    found.push({
      name,
      server: dir,
      admin: isAdmin(tree, admin) ? admin : undefined,
    });
  }
  return found;
}

function serviceName(serverDir: string): string {
  const base = serverDir.split("/").pop() ?? serverDir;
  return base === "server" ? "server" : base.replace(/-server$/, "");
}

function isNestServer(tree: ReadTree, dir: string): boolean {
  const pkg = tree.read(`${dir}/package.json`);
  return pkg !== undefined && pkg.includes('"@nestjs/core"');
}

function isAdmin(tree: ReadTree, dir: string): boolean {
  const pkg = tree.read(`${dir}/package.json`);
  return pkg !== undefined && pkg.includes('"react-admin"');
}

export function detectService(
  tree: ReadTree,
  service: { name: string; server: string; admin?: string },
  config?: Pick<Config, "user">,
): AppProfile {
  const server = detectServer(tree, service.server, config?.user.entity);
  const admin = service.admin ? detectAdmin(tree, service.admin) : undefined;
  const profile: AppProfile = { name: service.name, server, admin };
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
      return "it has no authentication (no src/auth folder); there is nothing to convert";
    case "basic":
      return "it uses HTTP Basic authentication only; only JWT apps are converted";
    case "partial":
      return `its authentication is incomplete (${server.findings.join("; ")}); the app does not compile as generated`;
    case "unknown":
      return `its authentication has a shape this tool does not know (${server.findings.join("; ")})`;
    case "other-provider":
      return `it does not sign in with the generated local JWT login (${server.findings.at(-1)}); to convert it, switch the service back to Amplication's auth-jwt plugin, re-generate, then apply`;
    case "jwt":
      if (!server.entity)
        return "the auth entity could not be found (no src/auth/<Entity>Info.ts); set user.entity in the config";
      if (!server.strategyConstructor)
        return "src/auth/jwt/base/jwt.strategy.base.ts has no constructor this tool knows";
      if (!server.serviceMethods)
        return `the ${server.entity.name} service methods could not be read from its base service`;
      return undefined;
  }
}

function detectServer(
  tree: ReadTree,
  root: string,
  configuredEntity?: string,
): ServerProfile {
  const read = (file: string) => tree.read(`${root}/${file}`);
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
  const authFiles = tree.list(`${root}/src/auth`);
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

  if (defaultGuard && /extends\s+JwtAuthGuard\b/.test(defaultGuard)) {
    findings.push("DefaultAuthGuard extends JwtAuthGuard");
    profile.auth = "jwt";
  } else if (defaultGuard && /extends\s+BasicAuthGuard\b/.test(defaultGuard)) {
    findings.push("DefaultAuthGuard extends BasicAuthGuard");
    profile.auth = "basic";
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
    findings.push("src/auth/defaultAuth.guard.ts is missing");
  } else {
    findings.push(
      "DefaultAuthGuard extends neither JwtAuthGuard nor BasicAuthGuard",
    );
  }

  if (profile.auth === "basic") return profile; // early apps have no auth-core split at all
  if (!hasCore && (authModule || defaultGuard)) {
    findings.push(
      "auth-core files (<Entity>Info.ts, IAuthStrategy.ts) are missing: a provider plugin without auth-core",
    );
    profile.auth = "partial";
  } else if (hasCore && (!authModule || !defaultGuard)) {
    findings.push(
      "auth.module.ts or defaultAuth.guard.ts is missing: auth-core without a provider plugin",
    );
    profile.auth = "partial";
  }
  if (profile.auth === "jwt" && !strategyBase) {
    findings.push("src/auth/jwt/base/jwt.strategy.base.ts is missing");
    profile.auth = "partial";
  }
  if (profile.auth !== "jwt") return profile;

  profile.strategyConstructor = strategyConstructorOf(strategyBase!);
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
  profile.converted = profile.strategyConstructor === "auth0";

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
        createMethod: `create${entityName}`,
        updateMethod: `update${entityName}`,
      };
    } else if (serviceBase && /\basync\s+findOne\s*[<(]/.test(serviceBase)) {
      profile.serviceMethods = "generic";
      profile.entity = {
        name: entityName,
        camel,
        findMethod: "findOne",
        createMethod: "create",
        updateMethod: "update",
      };
    } else {
      profile.entity = {
        name: entityName,
        camel,
        findMethod: "",
        createMethod: "",
        updateMethod: "",
      };
      findings.push(
        `src/${camel}/base/${camel}.service.base.ts has neither ${camel}() nor findOne()`,
      );
    }
  }
  return profile;
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
  const read = (file: string) => tree.read(`${root}/${file}`);
  const pkg = safeJson(read("package.json"));
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

function safeJson(text: string | undefined):
  | {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    }
  | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
