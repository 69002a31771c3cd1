/**
 * admin/app-no-role-layout: App.tsx passes NoRoleLayout (src/NoRoleLayout.tsx, written by
 * admin/no-role-layout) to <Admin layout>, so a signed-in user without a role sees a page
 * saying so instead of pages the server refuses. One prop and one import are added as text;
 * nothing else in App.tsx changes.
 *
 * App.tsx lists every entity of the app (400 KB at 1,000 entities), so it is read with Babel's
 * tree alone (no recast copy), and in the generated shape (the last import on a line of its own,
 * the props one per line) the two lines go in as a splice (../lib/splice.ts), written as Prettier
 * writes them, so the engine need not format all of App.tsx; any other shape is formatted.
 */
import type { FileInfo, Transform } from "jscodeshift";
import { transformParser } from "../lib/parser";
import { refuse } from "../lib/refusal";
import { recordSplice, splice, type Edit } from "../lib/splice";
import { holdsAnyOf } from "../lib/text-marks";
import { NO_ROLE_LAYOUT, NO_ROLE_LAYOUT_MODULE } from "./no-role-layout";

const PROP = `layout={${NO_ROLE_LAYOUT}}`;
const IMPORT = `import { ${NO_ROLE_LAYOUT} } from "${NO_ROLE_LAYOUT_MODULE}";`;

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const transform: Transform = (file: FileInfo, _api, options) => {
  const source = file.source;
  const program = (
    transformParser(options).readTree(file.path, source) as unknown as {
      program: Node;
    }
  ).program;
  const admins: Node[] = [];
  collectAdminElements(program, holdsAnyOf(source, ["Admin"]), admins);
  if (admins.length !== 1) {
    return refuse(
      admins.length === 0
        ? "no <Admin> element was found"
        : "more than one <Admin> element was found",
      "keep the one generated <Admin> in App.tsx, or turn this rule off",
    );
  }
  const attributes = admins[0].attributes as Node[];
  const text = (node: Node) => source.slice(node.start, node.end);
  const imports = (program.body as Node[]).filter(
    (node) => node.type === "ImportDeclaration",
  );
  const layout = attributes.find(
    (a) => a.type === "JSXAttribute" && (a.name as Node).name === "layout",
  );
  if (layout) {
    const imported = imports.some(
      (i) =>
        (i.source as { value?: unknown }).value === NO_ROLE_LAYOUT_MODULE &&
        text(i).includes(NO_ROLE_LAYOUT),
    );
    if (text(layout) === PROP && imported) return undefined; // converted already
    // Ours, its import lost: a merge of an Amplication build that took the build's import lines
    // keeps the prop. The import goes back where nothing else in App.tsx has the name.
    if (text(layout) === PROP && source.split(NO_ROLE_LAYOUT).length === 2)
      return withImport(source, imports);
    return refuse(
      `<Admin> already has a layout (${text(layout)})`,
      `remove it, or turn this rule off and render ${NO_ROLE_LAYOUT}'s no-role check around your layout yourself`,
    );
  }
  if (source.includes(NO_ROLE_LAYOUT)) {
    return refuse(
      `App.tsx already names ${NO_ROLE_LAYOUT}`,
      `rename yours (the conversion imports ${NO_ROLE_LAYOUT} from ${NO_ROLE_LAYOUT_MODULE}), or turn this rule off`,
    );
  }

  const last = attributes[attributes.length - 1];
  const lastImport = imports[imports.length - 1];
  const edits =
    last && lastImport ? generatedEdits(source, last, lastImport) : [];
  const spliced = edits.length > 0 && splice(source, edits);
  if (spliced) return recordSplice(options, spliced);

  // The prop goes after the last one, on its own line when the props are one per line.
  const propAt = last ? last.end : (admins[0].name as Node).end;
  const lineStart = source.lastIndexOf("\n", (last ?? admins[0]).start - 1) + 1;
  const indent = source.slice(lineStart, (last ?? admins[0]).start);
  const propText =
    last && /^[ \t]*$/.test(indent) ? `\n${indent}${PROP}` : ` ${PROP}`;
  // Applied from the end, so that the first edit does not move the second.
  return [importEdit(imports), { at: propAt, text: propText }]
    .sort((a, b) => b.at - a.at)
    .reduce(
      (output, edit) =>
        output.slice(0, edit.at) + edit.text + output.slice(edit.at),
      source,
    );
};

/** NoRoleLayout's import, after the last import (or first in the file). */
function importEdit(imports: Node[]): { at: number; text: string } {
  return imports.length > 0
    ? { at: imports[imports.length - 1].end, text: `\n${IMPORT}` }
    : { at: 0, text: `${IMPORT}\n` };
}

function withImport(source: string, imports: Node[]): string {
  const { at, text } = importEdit(imports);
  return source.slice(0, at) + text + source.slice(at);
}

/**
 * The two edits as whole lines, written as Prettier writes them, when App.tsx has the generated
 * shape: the last import alone on its line (the new one takes its quotes and semicolon), and the
 * last prop of <Admin> alone on its line, but for the element's closing `>`. Otherwise none.
 */
function generatedEdits(source: string, last: Node, lastImport: Node): Edit[] {
  const lineOf = (node: Node) => ({
    start: source.lastIndexOf("\n", node.start - 1) + 1,
    end: source.indexOf("\n", node.end),
  });
  const importText = source.slice(lastImport.start, lastImport.end);
  const importLine = lineOf(lastImport);
  const quoted = /^import [^\n]* from (["'])[^"'\n]*\1(;?)$/.exec(importText);
  const propText = source.slice(last.start, last.end);
  const propLine = lineOf(last);
  const indent = source.slice(propLine.start, last.start);
  const rest = source.slice(last.end, propLine.end);
  if (
    !quoted ||
    importLine.start !== lastImport.start ||
    importLine.end !== lastImport.end ||
    propText.includes("\n") ||
    !/^ +$/.test(indent) ||
    (rest !== "" && rest !== ">")
  )
    return [];
  const [, quote, semicolon] = quoted;
  return [
    {
      start: lastImport.start,
      end: lastImport.end,
      text: `${importText}\nimport { ${NO_ROLE_LAYOUT} } from ${quote}${NO_ROLE_LAYOUT_MODULE}${quote}${semicolon}`,
    },
    {
      start: last.start,
      end: propLine.end,
      text: `${propText}\n${indent}${PROP}${rest}`,
    },
  ];
}

/**
 * Every `<Admin ...>` opening element under `node`, entering only nodes whose text holds
 * "Admin" (`holdsAdmin`): such an element holds its name, so it and all its ancestors do.
 */
function collectAdminElements(
  node: unknown,
  holdsAdmin: (node: Node) => boolean,
  found: Node[],
): void {
  if (Array.isArray(node)) {
    for (const item of node) collectAdminElements(item, holdsAdmin, found);
    return;
  }
  if (!node || typeof node !== "object") return;
  const typed = node as Node;
  if (typeof typed.type === "string" && !holdsAdmin(typed)) return;
  if (
    typed.type === "JSXOpeningElement" &&
    (typed.name as Node).type === "JSXIdentifier" &&
    (typed.name as Node).name === "Admin"
  ) {
    found.push(typed);
  }
  for (const key in typed) {
    if (key === "loc" || key === "extra" || key.endsWith("omments")) continue;
    collectAdminElements(typed[key], holdsAdmin, found);
  }
}

export default transform;
