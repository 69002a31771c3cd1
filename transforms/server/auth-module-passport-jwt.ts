/**
 * server/auth-module-passport-jwt: AuthModule imports `PassportModule.register({ defaultStrategy:
 * "jwt" })` instead of the bare `PassportModule`, so guards that name no strategy use the Auth0
 * JWT strategy.
 */
import type { API, FileInfo, ObjectExpression, Transform } from "jscodeshift";
import {
  arrayProperty,
  elementName,
  keyName,
  moduleMetadataOrRefuse,
} from "../lib/nest-module";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";

const transform: Transform = (file: FileInfo, api: API) => {
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const metadata = moduleMetadataOrRefuse(j, root, (reason) =>
    refuse(
      reason,
      "restore the generated AuthModule, or turn this rule off and register PassportModule yourself",
    ),
  );
  const elements = arrayProperty(metadata, "imports");
  if (!elements) {
    return refuse(
      "@Module() has no `imports: [...]` array literal",
      "restore the generated `imports` list of AuthModule",
    );
  }
  const index = elements.findIndex(
    (element) => elementName(element) === "PassportModule",
  );
  if (index === -1) {
    return refuse(
      "AuthModule does not import PassportModule",
      'add PassportModule (from "@nestjs/passport") to the AuthModule imports, or turn this rule off',
    );
  }
  const element = elements[index];
  if (element.type === "Identifier") {
    elements[index] = j.template
      .expression`PassportModule.register({ defaultStrategy: "jwt" })`;
    return root.toSource({ quote: "double", trailingComma: true });
  }
  // Already PassportModule.register(...): accept it when the default strategy is "jwt".
  const options = (element.arguments as ObjectExpression[] | undefined)?.[0];
  const strategy =
    options?.type === "ObjectExpression"
      ? options.properties.find(
          (p) =>
            (p.type === "ObjectProperty" || p.type === "Property") &&
            keyName(p.key) === "defaultStrategy",
        )
      : undefined;
  const value = (
    strategy as { value?: { type: string; value?: unknown } } | undefined
  )?.value;
  if (
    value &&
    (value.type === "StringLiteral" || value.type === "Literal") &&
    value.value === "jwt"
  )
    return undefined;
  return refuse(
    `PassportModule.register(...) is called with options this rule does not know (it needs defaultStrategy "jwt")`,
    'make it PassportModule.register({ defaultStrategy: "jwt" }), or turn this rule off',
  );
};

export default transform;
