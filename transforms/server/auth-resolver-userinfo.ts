/**
 * server/auth-resolver-userinfo: AuthResolver keeps only the `<entity>Info` query (`userInfo`
 * for User): the `login`
 * mutation and the AuthService it called go. Members a user added stay; where they still need
 * AuthService, the rule refuses (that code needs a new home first), unless the local login is
 * kept (server/remove-local-login off): then AuthService stays injected.
 */
import type { API, FileInfo, Transform } from "jscodeshift";
import type { RuleContext } from "../../src/plan/rule";
import { removeUnusedImports } from "../lib/imports";
import { pickParser } from "../lib/parser";
import { refuse } from "../lib/refusal";
import { theClass, type ClassMember } from "../lib/class-member";

const transform: Transform = (file: FileInfo, api: API, options) => {
  const entity = (options.context as RuleContext | undefined)?.profile.server
    .entity;
  const query = entity ? `${entity.camel}Info` : "userInfo";
  const j = api.jscodeshift.withParser(pickParser(file.path));
  const root = j(file.source);
  const { members: body } = theClass(j, root, "AuthResolver");
  if (!body.some((m) => m.key?.name === query)) {
    return refuse(
      `AuthResolver has no ${query} query`,
      `restore the generated ${query} query of AuthResolver`,
    );
  }

  let changed = false;
  const login = body.findIndex(
    (m) => m.type === "ClassMethod" && m.key?.name === "login",
  );
  if (login !== -1) {
    body.splice(login, 1);
    changed = true;
  }
  // Code a user added that still calls AuthService needs it: with the local login kept
  // (server/remove-local-login off), AuthService stays and so does its injection here; else
  // that code needs a new home first.
  const stillUsed = root
    .find(j.MemberExpression, {
      object: { type: "ThisExpression" },
      property: { name: "authService" },
    })
    .size();
  if (stillUsed > 0) {
    const localLoginKept =
      (options.context as RuleContext | undefined)?.config.rules[
        "server/remove-local-login"
      ] === "off";
    if (!localLoginKept)
      return refuse(
        "code a user added to AuthResolver still calls this.authService, which belongs to the local login being removed",
        'move that code off AuthService (Auth0 now signs users in), or turn this rule off, or keep the local login ("rules": { "server/remove-local-login": "off" }): AuthService then stays',
      );
  }
  const constructorIndex = body.findIndex(
    (m) => m.type === "ClassMethod" && m.kind === "constructor",
  );
  if (constructorIndex !== -1 && stillUsed === 0) {
    const ctor = body[constructorIndex];
    const params = ctor.params ?? [];
    const kept = params.filter((p) => parameterName(p) !== "authService");
    if (kept.length !== params.length) {
      changed = true;
      if (kept.length === 0) body.splice(constructorIndex, 1);
      else ctor.params = kept;
    }
  }
  if (!changed) return undefined;
  removeUnusedImports(j, root);
  return root.toSource({ quote: "double", trailingComma: true });
};

function parameterName(param: Record<string, unknown>): string | undefined {
  const inner = (
    param.type === "TSParameterProperty" ? param.parameter : param
  ) as { name?: string };
  return inner?.name;
}

export default transform;
