/**
 * server/auth-module-local-login: AuthModule stops wiring the local login path (JwtModule and
 * its secret, the secrets manager it read the secret from, AuthService, TokenService, the secret
 * factory, AuthController, a leftover BasicStrategy) and registers AuthResolver, which serves
 * the `userInfo` query. PasswordService stays: entity services and the seed still hash with it.
 * Anything else a user registered stays where it is.
 */
import type { API, FileInfo, Transform } from "jscodeshift";
import { removeUnusedImports } from "../lib/imports";
import {
  arrayProperty,
  elementName,
  moduleMetadataOrRefuse,
  removeElements,
} from "../lib/nest-module";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";

const REMOVED_IMPORTS = new Set(["JwtModule", "SecretsManagerModule"]);
const REMOVED_PROVIDERS = new Set([
  "AuthService",
  "TokenService",
  "jwtSecretFactory",
  "BasicStrategy",
]);
const REMOVED_CONTROLLERS = new Set(["AuthController"]);
const REMOVED_EXPORTS = new Set(["AuthService", "TokenService", "JwtModule"]);
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
  if (changed === 0) return undefined;
  removeUnusedImports(j, root);
  return root.toSource({ quote: "double", trailingComma: true });
};

export default transform;
