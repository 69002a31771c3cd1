/**
 * admin/app-auth-provider: App.tsx passes the Auth0 provider to <Admin authProvider>, imported
 * from ./auth-provider/ra-auth-auth0. The import and the prop are changed in place; nothing
 * else in App.tsx changes (resources, routes, dashboard, theme, data provider wiring).
 */
import type { API, FileInfo, Transform } from "jscodeshift";
import { pickParser } from "../lib/parser";
import { RuleRefusal } from "../lib/refusal";

export const RULE_ID = "admin/app-auth-provider";

const OLD_PROVIDERS: Record<string, string> = {
  jwtAuthProvider: "./auth-provider/ra-auth-jwt",
};
const NEW_NAME = "auth0AuthProvider";
const NEW_SOURCE = "./auth-provider/ra-auth-auth0";

const transform: Transform = (file: FileInfo, api: API) => {
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const refuse = (reason: string, fix: string): never => {
    throw new RuleRefusal(RULE_ID, file.path, reason, fix);
  };
  const root = j(file.source);
  const props = root.find(j.JSXAttribute, { name: { name: "authProvider" } });
  if (props.size() !== 1) {
    return refuse(
      props.size() === 0
        ? "no <Admin authProvider={...}> was found"
        : "more than one authProvider prop was found",
      "restore the generated <Admin authProvider={jwtAuthProvider}> in App.tsx",
    );
  }
  const value = props.get().node.value;
  const current =
    value?.type === "JSXExpressionContainer" &&
    value.expression.type === "Identifier"
      ? value.expression.name
      : undefined;
  if (current === NEW_NAME) return undefined;
  if (!current || !(current in OLD_PROVIDERS)) {
    return refuse(
      `App.tsx passes ${current ?? "an expression"} as authProvider, not the generated jwtAuthProvider`,
      "restore authProvider={jwtAuthProvider}, or turn this rule off and pass auth0AuthProvider yourself",
    );
  }
  value.expression.name = NEW_NAME;

  const imports = root.find(j.ImportDeclaration, {
    source: { value: OLD_PROVIDERS[current] },
  });
  if (imports.size() === 0)
    return refuse(
      `${current} is not imported from ${OLD_PROVIDERS[current]}`,
      "restore the generated import",
    );
  const declaration = imports.get().node;
  const specifiers = declaration.specifiers ?? [];
  if (specifiers.length === 1) {
    // The generated import names only the provider: rewrite it in place (keeps its comments).
    declaration.source.value = NEW_SOURCE;
    const specifier = specifiers[0];
    if (specifier.type === "ImportSpecifier") {
      specifier.imported.name = NEW_NAME;
      if (specifier.local) specifier.local.name = NEW_NAME;
    }
  } else {
    declaration.specifiers = specifiers.filter(
      (s: { local?: { name?: unknown } | null }) => s.local?.name !== current,
    );
    imports.insertAfter(
      j.importDeclaration(
        [j.importSpecifier(j.identifier(NEW_NAME))],
        j.stringLiteral(NEW_SOURCE),
      ),
    );
  }
  return root.toSource({ quote: "double", trailingComma: true });
};

export default transform;
