/**
 * server/auth-module-local-login: AuthModule stops wiring the local login path (JwtModule and
 * its secret, the secrets manager it read the secret from, AuthService, TokenService, the secret
 * factory, AuthController, a leftover BasicStrategy) and registers AuthResolver, which serves
 * the `userInfo` query. PasswordService stays: entity services and the seed still hash with it.
 * Anything else a user registered stays where it is.
 */
import type {
  API,
  Collection,
  FileInfo,
  JSCodeshift,
  Transform,
} from "jscodeshift";
import { removeUnusedImports } from "../lib/imports";
import {
  arrayProperty,
  elementName,
  moduleMetadataOrRefuse,
  removeElements,
} from "../lib/nest-module";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";

/**
 * What the rule removes: each name, the module the generated AuthModule imports it from (a
 * package, or the end of a relative path), and the @Module() lists it is removed from. The
 * rule finds them by these names only.
 */
type ModuleList = "imports" | "providers" | "controllers" | "exports";
const REMOVED: ReadonlyArray<{
  name: string;
  from: string;
  lists: ModuleList[];
}> = [
  { name: "JwtModule", from: "@nestjs/jwt", lists: ["imports", "exports"] },
  {
    name: "SecretsManagerModule",
    from: "secretsManager.module",
    lists: ["imports"],
  },
  {
    name: "AuthService",
    from: "auth.service",
    lists: ["providers", "exports"],
  },
  {
    name: "TokenService",
    from: "token.service",
    lists: ["providers", "exports"],
  },
  { name: "jwtSecretFactory", from: "jwtSecretFactory", lists: ["providers"] },
  { name: "BasicStrategy", from: "basic.strategy", lists: ["providers"] },
  { name: "AuthController", from: "auth.controller", lists: ["controllers"] },
];
const removedFromList = (list: ModuleList) =>
  new Set(REMOVED.filter((r) => r.lists.includes(list)).map((r) => r.name));
const REMOVED_IMPORTS = removedFromList("imports");
const REMOVED_PROVIDERS = removedFromList("providers");
const REMOVED_CONTROLLERS = removedFromList("controllers");
const REMOVED_EXPORTS = removedFromList("exports");
const REQUIRED_PROVIDERS = ["JwtStrategy", "AuthResolver"];

const transform: Transform = (file: FileInfo, api: API) => {
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const metadata = moduleMetadataOrRefuse(j, root, (reason) =>
    refuse(reason, "restore the generated AuthModule"),
  );
  const providers = arrayProperty(metadata, "providers");
  if (!providers) {
    return refuse(
      "@Module() has no `providers: [...]` array literal",
      "restore the generated `providers` list of AuthModule",
    );
  }
  refuseUnnamedImports(j, root);
  let changed = 0;
  changed += removeElements(
    arrayProperty(metadata, "imports") ?? [],
    REMOVED_IMPORTS,
  );
  changed += removeElements(providers, REMOVED_PROVIDERS);
  changed += removeElements(
    arrayProperty(metadata, "controllers") ?? [],
    REMOVED_CONTROLLERS,
  );
  changed += removeElements(
    arrayProperty(metadata, "exports") ?? [],
    REMOVED_EXPORTS,
  );
  for (const name of REQUIRED_PROVIDERS) {
    if (providers.some((element) => elementName(element) === name)) continue;
    const imported =
      root.find(j.ImportSpecifier, { local: { name } }).size() > 0;
    if (!imported) {
      return refuse(
        `AuthModule neither provides nor imports ${name}`,
        `import ${name} in AuthModule and add it to its providers`,
      );
    }
    providers.push(j.identifier(name) as never);
    changed += 1;
  }
  refuseLeftUses(j, root);
  if (changed === 0) return undefined;
  removeUnusedImports(j, root);
  return root.toSource({ quote: "double", trailingComma: true });
};

/** The removed names a module stands for, if it is one the rule removes from. */
function removedFrom(source: string): string[] {
  const path = source.replace(/\.[jt]s$/, "");
  return REMOVED.filter(
    ({ from }) => path === from || path.endsWith(`/${from}`),
  ).map(({ name }) => name);
}

/**
 * Refuses a namespace, default or aliased import of what the rule removes: it finds JwtModule
 * and the others by those names, so `nestJwt.JwtModule.registerAsync(...)` would stay, with
 * the JWT secret it registers, while the rest of the local login goes.
 */
function refuseUnnamedImports(j: JSCodeshift, root: Collection): void {
  root.find(j.ImportDeclaration).forEach((path) => {
    const source = String(path.node.source.value);
    const names = removedFrom(source);
    if (names.length === 0) return;
    const line = path.node.loc?.start.line ?? 0;
    const generated = `import { ${names.join(", ")} } from "${source}"`;
    for (const specifier of path.node.specifiers ?? []) {
      const local = String(specifier.local?.name ?? "");
      if (specifier.type !== "ImportSpecifier") {
        const whole =
          specifier.type === "ImportNamespaceSpecifier"
            ? `* as ${local}`
            : local;
        refuse(
          `line ${line} imports "${source}" as a whole (import ${whole}); the rule removes ${names.join(", ")} only where the file names ${names.length > 1 ? "them" : "it"} directly, so ${local}.${names[0]} would stay and keep the local login wired`,
          `import by name, as Amplication generates it (${generated}), and write ${names[0]} for ${local}.${names[0]}, then run again`,
        );
      }
      const imported = String(specifier.imported.name);
      if (names.includes(imported) && local !== imported) {
        refuse(
          `line ${line} imports ${imported} as ${local}; the rule removes ${imported} only under its own name, so ${local} would stay and keep the local login wired`,
          `import it under its own name, as Amplication generates it (${generated}), and write ${imported} for ${local}, then run again`,
        );
      }
    }
  });
}

/**
 * Refuses a use of a removed name that is still in the file once the rule removed the
 * elements it knows (`x.JwtModule`, `const Jwt = JwtModule`): left there, it keeps what the
 * conversion takes away, and the rules after it see the JWT secret still in use.
 */
function refuseLeftUses(j: JSCodeshift, root: Collection): void {
  root.find(j.Identifier).forEach((path) => {
    const name = path.node.name;
    if (!REMOVED.some((removed) => removed.name === name)) return;
    if (j(path).closest(j.ImportDeclaration).size() > 0) return;
    const parent = path.parent?.node as Record<string, unknown> | undefined;
    // a key names a property, not what the rule removes (`{ AuthService: ... }`)
    const isKey =
      parent !== undefined &&
      "key" in parent &&
      parent.key === path.node &&
      !parent.computed &&
      !parent.shorthand;
    if (isKey) return;
    const text = j(
      parent?.type === "MemberExpression" ? path.parent : path,
    ).toSource();
    refuse(
      `line ${path.node.loc?.start.line ?? 0} uses ${name} (${text}), where the rule cannot remove it: it removes ${name} only as an element of the @Module() imports, providers, controllers or exports`,
      `remove that use of ${name} or write it as Amplication generates it, then run again`,
    );
  });
}

export default transform;
