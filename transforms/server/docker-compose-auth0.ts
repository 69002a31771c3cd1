/**
 * server/docker-compose-auth0: the `server` service of docker-compose.yml passes AUTH0_AUDIENCE
 * and AUTH0_ISSUER_URL through from .env, and no longer the JWT secret nobody reads.
 * Edited through the yaml library's document model, which keeps comments and layout.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Document,
} from "yaml";
import type { FileEdit } from "../../src/plan/rule";
import { refuse, UnreadableText } from "../lib/refusal";
import { unreadVariables } from "../lib/quoted-in-sources";
import { JWT_VARIABLES } from "./env-names";

const AUTH0_VARIABLES = ["AUTH0_AUDIENCE", "AUTH0_ISSUER_URL"];

const dockerComposeAuth0: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml's message ends with its own position and an excerpt of the file
    const problem = error.message.replace(
      / at line \d+, column \d+:[\s\S]*$/,
      "",
    );
    throw new UnreadableText("YAML", at.line, at.col, problem);
  }
  const server = doc.getIn(["services", "server"]);
  if (!isMap(server)) return undefined; // no `server` service: nothing to pass through
  let environment: unknown = server.get("environment", true);
  if (environment === undefined) {
    environment = new YAMLMap();
    server.set("environment", environment);
  }
  if (isAlias(environment)) {
    refuse(
      `services.server.environment is the alias *${environment.source}, shared with what else uses it, so the Auth0 settings cannot be added to the server alone`,
      `write it as a mapping that merges the anchor ("<<: *${environment.source}") and run again`,
    );
  }
  const drop = new Set(unreadVariables(context, JWT_VARIABLES));
  if (isMap(environment)) {
    // A variable brought in by a merge key (`<<: *env`) goes where it is defined, the anchor.
    for (const map of [environment, ...mergedMaps(doc, environment, file)])
      for (const name of drop) map.delete(name);
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
    refuse(
      "services.server.environment is neither a mapping nor a list",
      "make it a mapping of variables",
    );
  }
  const next = doc.toString({ lineWidth: 0 });
  return next === source ? undefined : next;
};

/**
 * The mappings a merge key (`<<`) of `map` brings in, as the document defines them (an alias,
 * a list of aliases or a mapping written in place), and theirs in turn. docker compose applies
 * YAML 1.1 merge keys; the yaml library leaves `<<` an ordinary key.
 */
function mergedMaps(
  doc: Document,
  map: YAMLMap,
  file: string,
  seen = new Set<unknown>(),
): YAMLMap[] {
  const maps: YAMLMap[] = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== "<<") continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const target = isAlias(source) ? source.resolve(doc) : source;
      if (!isMap(target)) {
        refuse(
          "a merge key (<<) in services.server.environment brings in something other than a mapping",
          "merge only mappings of variables into the server's environment",
        );
      }
      if (seen.has(target)) continue;
      seen.add(target);
      maps.push(target, ...mergedMaps(doc, target, file, seen));
    }
  }
  return maps;
}

export default dockerComposeAuth0;
