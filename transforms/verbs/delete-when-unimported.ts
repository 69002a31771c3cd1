/**
 * The verb of the rules that delete the files of a login path Auth0 replaces: a file goes
 * when no code that stays imports it (found with the run's source search, importersOf). The
 * rules before rewrote the generated importers, so an importer left is code a user wrote.
 * Where the row says "refuse", the run then stops and names each importer and the members it
 * uses (server: the local login's services are gone for good); where it says "keep", the file
 * stays where it is, and files that import only one another go together (admin: a helper
 * kept by the user's code is harmless). A generated file a user extended with members of
 * their own is refused either way, where the row lists the generated members.
 */
import type { FileEdit, Rule } from "../../src/plan/rule";
import type { SourceParser } from "../lib/parser";
import { refuse } from "../lib/refusal";
import { importersOf, moduleName } from "../lib/source-files";
import { inService } from "../../src/config/service-path";

export interface Deletion {
  /** The files, relative to the target's root. */
  files: readonly string[];
  /** What an import from code that stays does to a file: stop the run, or keep the file. */
  whenImported: "refuse" | "keep";
  /** What the files are ("the local login path, which Auth0 replaces"), for refusals. */
  partOf: string;
  /** For "refuse": how to move code off the files. */
  fix?: string;
  /**
   * Per file: the class and the members the generator writes in it, and the names its code
   * holds besides the language's own ({Entity} and {entity}: the auth entity's name, and in
   * camelCase).
   */
  generatedMembers?: Readonly<
    Record<
      string,
      {
        className: string;
        members: readonly string[];
        /** When given, a name outside them (and the language's) is refused too. */
        names?: readonly string[];
      }
    >
  >;
}

/** The row's files, the module names to search for, and the operation. */
export function deleteWhenUnimported(
  deletion: Deletion,
): Pick<Rule, "files" | "searches" | "operation"> {
  return {
    files: deletion.files,
    searches: deletion.files.map(moduleName),
    operation: { kind: "edit", load: () => deleteWhenUnimportedEdit(deletion) },
  };
}

export function deleteWhenUnimportedEdit({
  files,
  whenImported,
  partOf,
  fix,
  generatedMembers = {},
}: Deletion): FileEdit {
  return (source, context, file) => {
    if (source === undefined) return undefined;
    // the target's root: what the plan put before the row's file
    const relative = files.find((f) => file === f || file.endsWith(`/${f}`));
    if (relative === undefined) return undefined;
    const root = file.slice(0, Math.max(0, file.length - relative.length - 1));
    const all = files.map((f) => inService(root, f));

    const generated = generatedMembers[relative];
    if (generated) {
      const added = classMembers(
        context.parser,
        file,
        source,
        generated.className,
      ).filter((m) => !generated.members.includes(m));
      if (added.length > 0) {
        refuse(
          `${generated.className} has members a user added (${added.join(", ")}); the file belongs to ${partOf}`,
          `move ${added.join(", ")} out of ${generated.className} into a service of your own, then run again`,
          { turnOffIf: "the file is to stay as it is" },
        );
      }
      // A generated member a user changed (a dependency injected, a lookup added to login):
      // its code names what the generator never writes.
      const foreign = generated.names
        ? foreignNames(source, generated.names, context.profile.server.entity!)
        : [];
      if (foreign.length > 0) {
        const shown =
          foreign.length > 8
            ? `${foreign.slice(0, 8).join(", ")} and ${foreign.length - 8} more`
            : foreign.join(", ");
        refuse(
          `${generated.className} holds code a user wrote (it names ${shown}, which the generated file does not); the file belongs to ${partOf}`,
          `move that code out of ${file} into a service of your own, then run again`,
          { turnOffIf: "the file is to stay as it is" },
        );
      }
    }

    if (whenImported === "keep") {
      // The files import one another: one goes only when everything importing it goes too.
      const candidates = all.filter((f) => context.tree.read(f) !== undefined);
      const kept = new Set<string>();
      for (let changed = true; changed;) {
        changed = false;
        const leaving = new Set(candidates.filter((f) => !kept.has(f)));
        for (const candidate of leaving) {
          if (
            importersOf(context.sources, root, candidate, leaving).length > 0
          ) {
            kept.add(candidate);
            changed = true;
          }
        }
      }
      return kept.has(file) ? undefined : null;
    }

    const importers = importersOf(context.sources, root, file, new Set(all));
    if (importers.length > 0) {
      const uses = importers.map(({ importer, names }) => {
        const members = membersUsed(context.tree.read(importer) ?? "", names);
        return `${importer} (imports ${names.join(", ")}${members.length ? `; uses ${members.join(", ")}` : ""})`;
      });
      refuse(
        `it belongs to ${partOf}, but code that stays still uses it: ${uses.join("; ")}`,
        fix ?? "move that code off it, then run again",
        {
          turnOffIf: "the file is to stay as it is",
          usedBy: importers.map(({ importer }) => importer),
        },
      );
    }
    return null;
  };
}

/** Words of the language and its types that say nothing of what the code does. */
const LANGUAGE_NAMES = [
  "any",
  "as",
  "async",
  "await",
  "boolean",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "constructor",
  "continue",
  "default",
  "do",
  "else",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "from",
  "function",
  "get",
  "if",
  "implements",
  "import",
  "in",
  "instanceof",
  "interface",
  "let",
  "new",
  "null",
  "number",
  "of",
  "private",
  "Promise",
  "protected",
  "public",
  "readonly",
  "return",
  "set",
  "static",
  "string",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "type",
  "typeof",
  "undefined",
  "unknown",
  "var",
  "void",
  "while",
];

/**
 * The names `source` uses that are neither the language's nor among `names` (the generated
 * file's, {Entity} and {entity} standing for the auth entity's name and its camelCase).
 */
function foreignNames(
  source: string,
  names: readonly string[],
  entity: { name: string; camel: string },
): string[] {
  const known = new Set([
    ...LANGUAGE_NAMES,
    ...names.map((name) =>
      name.replace("{Entity}", entity.name).replace("{entity}", entity.camel),
    ),
  ]);
  return namesIn(source).filter((name) => !known.has(name));
}

/**
 * The names the code of a TypeScript text uses, in order of first use: its identifiers and
 * property names, outside comments, strings and template literals.
 */
function namesIn(source: string): string[] {
  // one pass, so that whichever starts first wins: "//" inside a string, a quote in a comment
  const code = source.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g,
    " ",
  );
  return [...new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? [])];
}

/**
 * Method and property names declared in a class, from the file's syntax tree (indentation,
 * tabs or spaces, says nothing); none when the file has no such class or does not parse (the
 * deletion's other checks read the text).
 */
function classMembers(
  parser: SourceParser,
  file: string,
  source: string,
  className: string,
): string[] {
  let program: { body: unknown[] };
  try {
    program = (parser.readTree(file, source) as { program: typeof program })
      .program;
  } catch (error) {
    if ((error as { loc?: unknown }).loc === undefined) throw error;
    return []; // a syntax error: refused as such where the file is parsed
  }
  type Node = {
    type: string;
    declaration?: Node;
    id?: { name?: string };
    body?: { body: Node[] };
    key?: { type: string; name?: string; value?: unknown };
  };
  for (const statement of program.body as Node[]) {
    const declaration =
      statement.type === "ExportNamedDeclaration" ||
      statement.type === "ExportDefaultDeclaration"
        ? statement.declaration
        : statement;
    if (
      declaration?.type !== "ClassDeclaration" ||
      declaration.id?.name !== className
    )
      continue;
    return [
      ...new Set(
        (declaration.body?.body ?? []).flatMap((member) =>
          member.key?.type === "Identifier" && member.key.name
            ? [member.key.name]
            : member.key?.type === "StringLiteral"
              ? [String(member.key.value)]
              : [],
        ),
      ),
    ];
  }
  return [];
}

/** `tokenService.createRefreshToken`-style calls on instances of the imported classes. */
function membersUsed(source: string, names: string[]): string[] {
  const found = new Set<string>();
  for (const name of names) {
    if (name === "default" || name === "*") continue;
    const instance = name[0].toLowerCase() + name.slice(1);
    for (const match of source.matchAll(
      new RegExp(`\\b(?:this\\.)?${instance}\\.(\\w+)`, "g"),
    )) {
      found.add(`${instance}.${match[1]}`);
    }
  }
  return [...found];
}
