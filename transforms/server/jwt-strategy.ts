/**
 * server/jwt-strategy: JwtStrategy (src/auth/jwt/jwt.strategy.ts, a file users edit) takes
 * `(configService, <entity>Service)` instead of the JWT secret, and its `validate` returns the
 * user of the token, created on first login. Members a user added to the class stay as they are.
 */
import type { API, FileInfo, Transform } from "jscodeshift";
import type { RuleContext } from "../../src/plan/rule";
import {
  ensureNamedImport,
  joinNewImports,
  removeUnusedImports,
} from "../lib/imports";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";
import { theClass, type ClassMember } from "../lib/class-member";

const transform: Transform = (file: FileInfo, api: API, options) => {
  const context = options.context as RuleContext;
  const entity = context.profile.server.entity!;
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const { node: klass, members: body } = theClass(j, root, "JwtStrategy");
  const superName = (klass.superClass as { name?: string } | null)?.name;
  if (superName !== "JwtStrategyBase") {
    return refuse(
      "JwtStrategy does not extend JwtStrategyBase",
      "restore `class JwtStrategy extends JwtStrategyBase`",
    );
  }
  const service = `${entity.camel}Service`;
  const stub = j(`class Stub extends JwtStrategyBase {
  constructor(
    protected readonly configService: ConfigService,
    protected readonly ${service}: ${entity.name}Service,
  ) {
    super(configService, ${service});
  }

  async validate(payload: Auth0Payload): Promise<${entity.name}Info> {
    return (await this.validateBase(payload)) ?? (await this.createFromToken(payload));
  }
}`)
    .find(j.ClassDeclaration)
    .get().node.body.body as ClassMember[];
  const [stubConstructor, stubValidate] = stub;

  let changed = false;
  const ctorIndex = body.findIndex(
    (m) => m.type === "ClassMethod" && m.kind === "constructor",
  );
  const current = ctorIndex === -1 ? undefined : body[ctorIndex];
  if (!current || !sameCode(j, current, stubConstructor)) {
    if (current && !isGeneratedConstructor(j, current)) {
      return refuse(
        "the JwtStrategy constructor has parameters or statements a user added",
        `make it take (configService: ConfigService, ${service}: ${entity.name}Service) and call super(configService, ${service}), or turn this rule off`,
      );
    }
    if (ctorIndex === -1) body.unshift(stubConstructor);
    else body[ctorIndex] = stubConstructor;
    changed = true;
  }
  const validate = body.find(
    (m) => m.type === "ClassMethod" && m.key?.name === "validate",
  );
  if (!validate) {
    body.splice(
      body.indexOf(body.find((m) => m.kind === "constructor")!) + 1,
      0,
      stubValidate,
    );
    changed = true;
  } else if (
    !j(validate as never)
      .toSource()
      .includes("this.validateBase(")
  ) {
    return refuse(
      "JwtStrategy has a validate method a user wrote, which does not call this.validateBase",
      "fold it into the Auth0 flow (call this.validateBase(payload) first), or turn this rule off",
    );
  }
  if (!changed) return undefined;

  ensureNamedImport(j, root, "ConfigService", "@nestjs/config");
  ensureNamedImport(j, root, "Auth0Payload", "./base/Auth0Payload");
  ensureNamedImport(j, root, `${entity.name}Info`, `../${entity.name}Info`);
  removeUnusedImports(j, root);
  return joinNewImports(
    root.toSource({ quote: "double", trailingComma: true }),
    file.source,
  );
};

/** The constructors Amplication generates: the secret and the entity service, passed to super. */
function isGeneratedConstructor(
  j: API["jscodeshift"],
  ctor: ClassMember,
): boolean {
  const source = j(ctor as never).toSource();
  const params = (ctor.params ?? []).length;
  const statements = ((ctor.body as { body?: unknown[] })?.body ?? []).length;
  return (
    params === 2 &&
    statements === 1 &&
    /super\(\s*\w+\s*,\s*\w+\s*\)/.test(source) &&
    (/secret/i.test(source) || /configService/.test(source))
  );
}

function sameCode(
  j: API["jscodeshift"],
  a: ClassMember,
  b: ClassMember,
): boolean {
  const normalize = (node: ClassMember) =>
    j(node as never)
      .toSource()
      .replace(/\s+/g, "");
  return normalize(a) === normalize(b);
}

export default transform;
