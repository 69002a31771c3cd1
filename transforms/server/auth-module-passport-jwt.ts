/**
 * server/auth-module-passport-jwt: AuthModule imports `PassportModule.register({ defaultStrategy:
 * "jwt" })` instead of the bare `PassportModule`, so guards that name no strategy use the Auth0
 * JWT strategy.
 */
import type {
  API,
  ASTPath,
  FileInfo,
  ObjectExpression,
  Transform,
} from "jscodeshift";
import { pickParser } from "../lib/parser";
import { RuleRefusal } from "../lib/refusal";

export const RULE_ID = "server/auth-module-passport-jwt";

const transform: Transform = (file: FileInfo, api: API) => {
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const refuse = (reason: string, fix: string): never => {
    throw new RuleRefusal(RULE_ID, file.path, reason, fix);
  };
  const root = j(file.source);

  const moduleArgs: ObjectExpression[] = [];
  root.find(j.ClassDeclaration).forEach((path: ASTPath) => {
    const decorators =
      (path.node as { decorators?: Array<{ expression: unknown }> })
        .decorators ?? [];
    for (const decorator of decorators) {
      const call = decorator.expression as {
        type: string;
        callee?: { type: string; name?: string; property?: { name?: string } };
        arguments?: unknown[];
      };
      const name =
        call.callee?.type === "Identifier"
          ? call.callee.name
          : call.callee?.property?.name;
      if (call.type === "CallExpression" && name === "Module") {
        const arg = call.arguments?.[0] as ObjectExpression | undefined;
        if (!arg || arg.type !== "ObjectExpression") {
          refuse(
            "the @Module() decorator has no object literal argument",
            "restore the generated @Module({ ... }) metadata",
          );
        }
        moduleArgs.push(arg!);
      }
    }
  });
  if (moduleArgs.length !== 1) {
    refuse(
      moduleArgs.length === 0
        ? "no class decorated with @Module() was found"
        : "more than one @Module() class was found",
      "restore the generated AuthModule, or turn this rule off and register PassportModule yourself",
    );
  }

  const importsProperty = moduleArgs[0].properties.find(
    (p) =>
      (p.type === "ObjectProperty" || p.type === "Property") &&
      keyName(p.key) === "imports",
  ) as { value: { type: string; elements: unknown[] } } | undefined;
  if (!importsProperty || importsProperty.value.type !== "ArrayExpression") {
    refuse(
      "@Module() has no `imports: [...]` array literal",
      "restore the generated `imports` list of AuthModule",
    );
  }
  const elements = importsProperty!.value.elements as Array<
    { type: string } & Record<string, unknown>
  >;

  const index = elements.findIndex((element) => isPassportModule(element));
  if (index === -1) {
    refuse(
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
  const options = (element.arguments as unknown[])[0] as
    ObjectExpression | undefined;
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

function isPassportModule(
  node: { type: string } & Record<string, unknown>,
): boolean {
  if (node.type === "Identifier") return node.name === "PassportModule";
  if (node.type !== "CallExpression") return false;
  const callee = node.callee as {
    type: string;
    object?: { type: string; name?: string };
    property?: { name?: string };
  };
  return (
    callee.type === "MemberExpression" &&
    callee.object?.type === "Identifier" &&
    callee.object.name === "PassportModule" &&
    callee.property?.name === "register"
  );
}

function keyName(key: unknown): string | undefined {
  const k = key as { type: string; name?: string; value?: unknown };
  if (k.type === "Identifier") return k.name;
  if (k.type === "StringLiteral" || k.type === "Literal")
    return String(k.value);
  return undefined;
}

export default transform;
