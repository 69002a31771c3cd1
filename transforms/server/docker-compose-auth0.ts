/**
 * server/docker-compose-auth0: the `server` service of docker-compose.yml passes AUTH0_AUDIENCE
 * and AUTH0_ISSUER_URL through from .env, and no longer the JWT secret nobody reads.
 * Edited through the yaml library's document model, which keeps comments; where each edit is a
 * whole line of a block mapping or list, the same edits are made to the text, so that the rest
 * of the file keeps its bytes (the library reprints a whole document in its own style: a flow
 * list over several lines, as Prettier writes a healthcheck's `test`, comes out on one).
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
import { isDeepStrictEqual } from "node:util";
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
  // The same edits as text: the lines removed, and the lines added after a node.
  const removed: Node[] = [];
  let added: { after: Node | undefined; lines: string[] } | undefined;
  if (isMap(environment)) {
    // A variable brought in by a merge key (`<<: *env`) goes where it is defined, the anchor.
    for (const map of [environment, ...mergedMaps(doc, environment, file)])
      for (const name of drop) {
        const pair = map.items.find(
          (item) => isScalar(item.key) && item.key.value === name,
        );
        // a pair of a flow mapping ({ A: a, B: b }) is no line of its own
        if (pair)
          removed.push(map.flow ? {} : (pair.key as Node), pair.value as Node);
        map.delete(name);
      }
    const missing = AUTH0_VARIABLES.filter((name) => !environment.has(name));
    const first = environment.items[0]?.key as Node | undefined;
    added = {
      after: environment.flow
        ? undefined
        : (environment.items.at(-1)?.value as Node | undefined),
      lines: missing.map(
        (name) => `${indentOf(source, first)}${name}: \${${name}}`,
      ),
    };
    for (const name of missing) environment.set(name, `\${${name}}`);
  } else if (isSeq(environment)) {
    const seq = environment as YAMLSeq<unknown>;
    const nameOf = (item: unknown) =>
      String(item instanceof Scalar ? item.value : item).split("=")[0];
    removed.push(
      ...(seq.items.filter((item) => drop.has(nameOf(item))) as Node[]),
    );
    seq.items = seq.items.filter((item) => !drop.has(nameOf(item)));
    const missing = AUTH0_VARIABLES.filter(
      (name) => !seq.items.some((item) => nameOf(item) === name),
    );
    const first = seq.items[0] as Node | undefined;
    added = {
      after: seq.flow ? undefined : (seq.items.at(-1) as Node | undefined),
      lines: missing.map(
        (name) => `${indentOf(source, first)}- ${name}=\${${name}}`,
      ),
    };
    for (const name of missing) seq.add(`${name}=\${${name}}`);
  } else {
    refuse(
      "services.server.environment is neither a mapping nor a list",
      "make it a mapping of variables",
    );
  }
  const next =
    editLines(source, removed, added, doc) ?? doc.toString({ lineWidth: 0 });
  return next === source ? undefined : next;
};

/** A node of the document, with where it is in the text (start, end of value, end of node). */
type Node = { range?: [number, number, number] | null };

/** The spaces before the first item of a block collection (item: its key, or its value). */
function indentOf(source: string, item: Node | undefined): string {
  if (!item?.range) return "";
  const lineStart = source.lastIndexOf("\n", item.range[0] - 1) + 1;
  return source.slice(lineStart, item.range[0]).replace(/- $/, "");
}

/**
 * The edits made to the text itself: each removed node's line (a block item on a line of its
 * own: a `KEY: value` pair, whose key and value are both given, or a `- item`) taken out, and the
 * added lines put after `added.after`'s line. Undefined when a node is not such a line, or when
 * the result does not read as the edited document does (then the caller prints the document).
 */
function editLines(
  source: string,
  removed: Node[],
  added: { after: Node | undefined; lines: string[] } | undefined,
  doc: Document,
): string | undefined {
  if (source.includes("\r") || !added?.after?.range) return undefined;
  const lineOf = (node: Node) => {
    const [start, valueEnd] = node.range!;
    const lineStart = source.lastIndexOf("\n", start - 1) + 1;
    const lineEnd = source.indexOf("\n", valueEnd);
    return {
      start: lineStart,
      end: lineEnd === -1 ? source.length : lineEnd + 1,
    };
  };
  const cuts: Array<{ start: number; end: number; text: string }> = [];
  for (const node of removed) {
    if (!node?.range) return undefined;
    const line = lineOf(node);
    if (cuts.some((cut) => cut.end === line.end)) continue;
    // Comment lines right above the item, at its indent, are the item's: the model drops them
    // with it.
    const indent = /^ */.exec(source.slice(line.start))![0];
    let start = line.start;
    while (start > 0) {
      const above = source.lastIndexOf("\n", start - 2) + 1;
      if (!source.startsWith(`${indent}#`, above)) break;
      start = above;
    }
    cuts.push({ start, end: line.end, text: "" });
  }
  if (added.lines.length > 0) {
    const end = lineOf(added.after).end;
    if (end === source.length && !source.endsWith("\n")) return undefined;
    cuts.push({
      start: end,
      end,
      text: added.lines.map((l) => `${l}\n`).join(""),
    });
  }
  cuts.sort((a, b) => a.start - b.start || a.end - b.end);
  let text = "";
  let at = 0;
  for (const cut of cuts) {
    if (cut.start < at) return undefined; // two edits on one line
    text += source.slice(at, cut.start) + cut.text;
    at = cut.end;
  }
  text += source.slice(at);
  const edited = parseDocument(text);
  return edited.errors.length === 0 &&
    isDeepStrictEqual(edited.toJS(), doc.toJS())
    ? text
    : undefined;
}

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
