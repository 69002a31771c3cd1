/**
 * admin/app-auth-provider: App.tsx passes the Auth0 provider to <Admin authProvider>, imported
 * from ./auth-provider/ra-auth-auth0. The import and the prop are changed in place; nothing
 * else in App.tsx changes (resources, routes, dashboard, theme, data provider wiring).
 *
 * App.tsx lists every entity of the app (400 KB at 1,000 entities), so the checks read Babel's
 * tree (the parser jscodeshift uses, without recast's copy for reprinting), and the generated
 * shapes (a one-line `import { jwtAuthProvider } from "./auth-provider/ra-auth-jwt";` and the
 * prop alone on its line) are edited as text: the same bytes recast and Prettier write for a
 * formatted App.tsx, without reprinting and formatting all of it (see ../lib/splice.ts). Any
 * other shape, and every refusal, goes the recast way below, as before.
 */
import type { API, FileInfo, JSCodeshift, Transform } from "jscodeshift";
import { pickParser, transformParser } from "../lib/parser";
import { refuse } from "../lib/refusal";
import { recordSplice, splice, type Edit } from "../lib/splice";
import { holdsAnyOf, occurrences } from "../lib/text-marks";

const OLD_PROVIDERS: Record<string, string> = {
  jwtAuthProvider: "./auth-provider/ra-auth-jwt",
};
const NEW_NAME = "auth0AuthProvider";
const NEW_SOURCE = "./auth-provider/ra-auth-auth0";

interface Located {
  start: number;
  end: number;
}

interface Node extends Located {
  type: string;
  [key: string]: unknown;
}

const transform: Transform = (file: FileInfo, api: API, options) => {
  const found = scan(
    api.jscodeshift,
    transformParser(options).readTree(file.path, file.source),
    file.source,
  );
  if (found && found.props.length === 1) {
    const prop = found.props[0];
    const name = providerName(prop);
    if (name === NEW_NAME) return withOwnImport(file.source, found.imports);
    if (name !== undefined && name in OLD_PROVIDERS) {
      const imports = found.imports.get(OLD_PROVIDERS[name]) ?? [];
      // Named nowhere else, not even in a comment: another use is for the recast way to judge.
      const edits =
        imports.length === 1 && occurrences(file.source, name).length === 2
          ? generatedEdits(file.source, prop, imports[0], name)
          : undefined;
      const made = edits && splice(file.source, edits);
      if (made) return recordSplice(options, made);
    }
  }
  return rewriteWithRecast(file, api);
};

/** Keys of Babel nodes that hold no nodes jscodeshift's find could reach. */
const NOT_CHILDREN = new Set([
  "loc",
  "start",
  "end",
  "range",
  "extra",
  "comments",
  "leadingComments",
  "trailingComments",
  "innerComments",
  "tokens",
  "errors",
]);

/**
 * What `find(j.JSXAttribute, { name: { name: "authProvider" } })` and
 * `find(j.ImportDeclaration, { source: { value } })` would find (imports by their source),
 * from one plain walk of Babel's tree instead of two walks with ast-types' visitor. The walk
 * goes through every property, a superset of the fields ast-types visits; a match counts only
 * when every step down to it is a field ast-types visits too, else the answer is undefined,
 * and so it is when a node on the way has a type ast-types does not know (its visitor throws).
 *
 * The walk enters only nodes whose text holds "authProvider" or "import": the attribute's
 * name is that word (a JSX name has no escapes) and an import declaration starts with its
 * keyword, so every match and all its ancestors hold one; the 1,000 <Resource> elements of a
 * large app hold neither and are passed by.
 */
function scan(
  j: JSCodeshift,
  ast: unknown,
  source: string,
): { props: Node[]; imports: Map<unknown, Node[]> } | undefined {
  const holdsMark = holdsAnyOf(source, ["authProvider", "import"]);
  const known = j.types.namedTypes as Record<string, unknown>;
  const props: Node[] = [];
  const imports = new Map<unknown, Node[]>();
  const trail: Array<{ node: Node; key: string }> = [];
  let unsure = false;
  const reachable = () =>
    trail.every(({ node, key }) => j.types.getFieldNames(node).includes(key));
  const visit = (value: object): void => {
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === "object") visit(item);
      return;
    }
    const node = value as Node;
    const typed = typeof node.type === "string";
    if (typed) {
      if (!holdsMark(node)) return;
      if (!Object.prototype.hasOwnProperty.call(known, node.type)) {
        unsure = true;
        return;
      }
      if (
        node.type === "JSXAttribute" &&
        (node.name as Node | undefined)?.name === "authProvider"
      ) {
        if (!reachable()) unsure = true;
        props.push(node);
      } else if (node.type === "ImportDeclaration") {
        if (!reachable()) unsure = true;
        const source = (node.source as Node | undefined)?.value;
        imports.set(source, [...(imports.get(source) ?? []), node]);
      }
    }
    for (const key in node) {
      if (NOT_CHILDREN.has(key)) continue;
      const child = node[key];
      if (!child || typeof child !== "object") continue;
      if (typed) trail.push({ node, key });
      visit(child);
      if (typed) trail.pop();
      if (unsure) return;
    }
  };
  visit(ast as object);
  return unsure ? undefined : { props, imports };
}

/**
 * App.tsx that passes auth0AuthProvider: converted where it imports it. A merge of an
 * Amplication build that took the build's import lines (new entities' imports beside ours) keeps
 * the prop but brings back the generated JWT import in place of ours: ours takes its place
 * again, or, with no JWT import left, goes after the last import. Anything else that names
 * either provider is refused: the JWT provider's file is gone after the conversion.
 */
function withOwnImport(
  source: string,
  imports: Map<unknown, Node[]>,
): string | undefined {
  if ((imports.get(NEW_SOURCE) ?? []).length > 0) return undefined;
  const [oldName, oldSource] = Object.entries(OLD_PROVIDERS)[0];
  const old = imports.get(oldSource) ?? [];
  const text = (node: Located) => source.slice(node.start, node.end);
  const generated =
    old.length === 1
      ? new RegExp(
          `^import \\{ ${oldName} \\} from (["'])${escape(oldSource)}\\1;$`,
        ).exec(text(old[0]))
      : null;
  const alone =
    occurrences(source, NEW_NAME).length === 1 &&
    occurrences(source, oldName).length === old.length;
  if (!alone || (old.length > 0 && !generated)) return refuseUnimported();
  const line = `import { ${NEW_NAME} } from ${generated?.[1] ?? '"'}${NEW_SOURCE}${generated?.[1] ?? '"'};`;
  if (generated)
    return source.slice(0, old[0].start) + line + source.slice(old[0].end);
  const last = Math.max(
    0,
    ...[...imports.values()].flat().map((node) => node.end),
  );
  return `${source.slice(0, last)}${last > 0 ? "\n" : ""}${line}${last > 0 ? "" : "\n"}${source.slice(last)}`;
}

/** App.tsx passes auth0AuthProvider in a shape withOwnImport does not put right. */
function refuseUnimported(): never {
  return refuse(
    `App.tsx passes ${NEW_NAME} as authProvider but does not import it from ${NEW_SOURCE}`,
    `import it (import { ${NEW_NAME} } from "${NEW_SOURCE}";) in place of any import from ${Object.values(OLD_PROVIDERS).join(" or ")}, which the conversion deletes`,
  );
}

/** The identifier passed as the prop's value, or undefined for anything else. */
function providerName(prop: Node): string | undefined {
  const value = prop.value as Node | null | undefined;
  const expression = value?.expression as Node | undefined;
  return value?.type === "JSXExpressionContainer" &&
    expression?.type === "Identifier"
    ? (expression.name as string)
    : undefined;
}

/**
 * The two edits as text, when the prop reads exactly `authProvider={jwtAuthProvider}` and its
 * provider is imported alone by one generated import line; otherwise undefined.
 */
function generatedEdits(
  source: string,
  prop: Located,
  declaration: Located,
  name: string,
): Edit[] | undefined {
  const text = (node: Located) => source.slice(node.start, node.end);
  if (text(prop) !== `authProvider={${name}}`) return undefined;
  const line = new RegExp(
    `^import \\{ ${name} \\} from (["'])${escape(OLD_PROVIDERS[name])}\\1;$`,
  ).exec(text(declaration));
  if (!line) return undefined;
  const quote = line[1];
  return [
    {
      start: declaration.start,
      end: declaration.end,
      text: `import { ${NEW_NAME} } from ${quote}${NEW_SOURCE}${quote};`,
    },
    { start: prop.start, end: prop.end, text: `authProvider={${NEW_NAME}}` },
  ];
}

/**
 * The line of the first place, other than the `own` identifiers (the prop's value and the
 * import's names), where the code refers to `name`: an identifier that is not a property name
 * (`x.name`, `{ name: 1 }`) nor the imported name of another import. A local binding that
 * shadows it counts too: better a refusal that names the line than an app that no longer builds.
 */
function otherUse(
  j: JSCodeshift,
  root: ReturnType<JSCodeshift>,
  name: string,
  own: unknown[],
): number | undefined {
  const lines: number[] = [];
  root.find(j.Identifier, { name }).forEach((path) => {
    const node = path.node;
    const parent = path.parent?.node as Record<string, unknown> | undefined;
    if (own.includes(node)) return;
    if (parent && !parent.computed) {
      const property =
        (parent.type === "MemberExpression" ||
          parent.type === "OptionalMemberExpression") &&
        parent.property === node;
      const key = "key" in parent && parent.key === node;
      if (property || key) return;
    }
    if (
      parent?.type === "ImportSpecifier" &&
      parent.imported === node &&
      parent.local !== node
    )
      return;
    lines.push(node.loc?.start.line ?? 0);
  });
  root.find(j.JSXIdentifier, { name }).forEach((path) => {
    const parent = path.parent?.node as Record<string, unknown> | undefined;
    if (parent?.type === "JSXMemberExpression" && parent.object === path.node)
      lines.push(path.node.loc?.start.line ?? 0);
  });
  return lines.length > 0 ? Math.min(...lines) : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Parse with recast, change the tree, reprint: every shape and every refusal (exported for tests). */
export function rewriteWithRecast(
  file: FileInfo,
  api: API,
): string | undefined {
  const j = api.jscodeshift.withParser(pickParser(file.path));
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
  if (current === NEW_NAME) {
    if (
      root.find(j.ImportDeclaration, { source: { value: NEW_SOURCE } }).size()
    )
      return undefined;
    return refuseUnimported();
  }
  if (!current || !(current in OLD_PROVIDERS)) {
    return refuse(
      `App.tsx passes ${current ?? "an expression"} as authProvider, not the generated jwtAuthProvider`,
      "restore authProvider={jwtAuthProvider}, or turn this rule off and pass auth0AuthProvider yourself",
    );
  }
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
  const line = otherUse(j, root, current, [
    value.expression,
    ...specifiers.flatMap((s: { imported?: unknown; local?: unknown }) => [
      s.imported,
      s.local,
    ]),
  ]);
  if (line !== undefined)
    return refuse(
      `App.tsx uses ${current} on line ${line}, not only as <Admin authProvider>; the JWT provider goes away with the conversion, so that line would no longer compile`,
      `remove that use of ${current} (auth0AuthProvider from ./auth-provider/ra-auth-auth0 takes its place), or turn this rule off`,
    );
  value.expression.name = NEW_NAME;

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
}

export default transform;
