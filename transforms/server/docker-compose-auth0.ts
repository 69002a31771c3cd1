/**
 * server/docker-compose-auth0: the `server` service of docker-compose.yml passes AUTH0_AUDIENCE
 * and AUTH0_ISSUER_URL through from .env, and no longer the JWT secret nobody reads.
 * Edited through the yaml library's document model, which keeps comments and layout.
 */
import { isMap, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { FileEdit } from "../../src/plan/rule";
import { RuleRefusal } from "../lib/refusal";
import { unreadJwtVariables } from "./env-jwt-secret";

export const RULE_ID = "server/docker-compose-auth0";

const AUTH0_VARIABLES = ["AUTH0_AUDIENCE", "AUTH0_ISSUER_URL"];

const dockerComposeAuth0: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    throw new RuleRefusal(
      RULE_ID,
      file,
      `it is not valid YAML (${doc.errors[0].message})`,
      `fix the YAML syntax of ${file}`,
    );
  }
  const server = doc.getIn(["services", "server"]);
  if (!isMap(server)) return undefined; // no `server` service: nothing to pass through
  let environment: unknown = server.get("environment", true);
  if (environment === undefined) {
    environment = new YAMLMap();
    server.set("environment", environment);
  }
  const drop = new Set(unreadJwtVariables(context));
  if (isMap(environment)) {
    for (const name of drop) environment.delete(name);
    for (const name of AUTH0_VARIABLES)
      if (!environment.has(name)) environment.set(name, `\${${name}}`);
  } else if (isSeq(environment)) {
    const seq = environment as YAMLSeq<unknown>;
    const nameOf = (item: unknown) =>
      String(item instanceof Scalar ? item.value : item).split("=")[0];
    seq.items = seq.items.filter((item) => !drop.has(nameOf(item)));
    for (const name of AUTH0_VARIABLES) {
      if (!seq.items.some((item) => nameOf(item) === name))
        seq.add(`${name}=\${${name}}`);
    }
  } else {
    throw new RuleRefusal(
      RULE_ID,
      file,
      "services.server.environment is neither a mapping nor a list",
      "make it a mapping of variables",
    );
  }
  const next = doc.toString({ lineWidth: 0 });
  return next === source ? undefined : next;
};

export default dockerComposeAuth0;
