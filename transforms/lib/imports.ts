/**
 * Import bookkeeping for transforms: after a rule removes code, the imports only that code used
 * go too; when it adds code, the imports it needs are added next to the others.
 */
import type { Collection, JSCodeshift } from "jscodeshift";

/** Drops import specifiers whose names no longer appear in the file, and emptied declarations. */
export function removeUnusedImports(j: JSCodeshift, root: Collection): void {
  // Text search rather than an AST walk: ast-types does not visit parameter decorators, so
  // `@UserData() x` would look unused. A name mentioned only in a comment keeps its import.
  const code = root
    .toSource()
    .replace(/^import\s[\s\S]*?from\s*["'][^"']+["'];?/gm, "");
  const used = {
    has: (name: string) =>
      new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(
        code,
      ),
  };
  root.find(j.ImportDeclaration).forEach((path) => {
    const specifiers = path.node.specifiers ?? [];
    if (specifiers.length === 0) return; // side-effect import: keep
    // Specifiers made with the builders have no `local`; their name is the imported one.
    const nameOf = (s: (typeof specifiers)[number]) =>
      String(
        s.local?.name ??
          (s as { imported?: { name?: string } }).imported?.name ??
          "",
      );
    const kept = specifiers.filter((s) => used.has(nameOf(s)));
    if (kept.length === specifiers.length) return;
    if (kept.length === 0) {
      // A file's header comment rides on its first statement: keep it. Comments of other
      // removed imports (such as a `// @ts-ignore` for that line) go with them.
      const body = path.parent.node.body;
      const comments = path.node.comments;
      if (comments && body[0] === path.node && body[1])
        body[1].comments = [...comments, ...(body[1].comments ?? [])];
      j(path).remove();
    } else {
      path.node.specifiers = kept;
    }
  });
}

/** Adds `import { name } from "source"` unless the name is already imported from there. */
export function ensureNamedImport(
  j: JSCodeshift,
  root: Collection,
  name: string,
  source: string,
): void {
  const existing = root.find(j.ImportDeclaration, {
    source: { value: source },
  });
  if (existing.size() > 0) {
    const declaration = existing.get().node;
    const has = (declaration.specifiers ?? []).some(
      (s: { type: string; imported?: { name: string } }) =>
        s.type === "ImportSpecifier" && s.imported?.name === name,
    );
    if (!has)
      declaration.specifiers = [
        ...(declaration.specifiers ?? []),
        j.importSpecifier(j.identifier(name)),
      ];
    return;
  }
  const declaration = j.importDeclaration(
    [j.importSpecifier(j.identifier(name))],
    j.stringLiteral(source),
  );
  // Spliced into the program body: insertAfter would print a blank line before it.
  const body = root.get().node.program.body as Array<{ type: string }>;
  let last = -1;
  body.forEach((node, index) => {
    if (node.type === "ImportDeclaration") last = index;
  });
  body.splice(last + 1, 0, declaration);
}

/**
 * recast prints a blank line before an import it did not parse; the generated files keep
 * their imports in one block, so new imports join the block they follow.
 */
export function joinNewImports(output: string, original: string): string {
  const lines = output.split("\n");
  for (let i = lines.length - 1; i >= 2; i--) {
    const isNewImport =
      lines[i].startsWith("import ") && !original.includes(lines[i]);
    if (
      isNewImport &&
      lines[i - 1] === "" &&
      /;\s*$/.test(lines[i - 2]) &&
      /^(import |\s|\})/.test(lines[i - 2])
    ) {
      lines.splice(i - 1, 1);
    }
  }
  return lines.join("\n");
}
