/**
 * Import bookkeeping for transforms: after a rule removes code, the imports only that code used
 * go too; when it adds code, the imports it needs are added next to the others.
 */
import type { Collection, JSCodeshift } from "jscodeshift";

/** Drops import specifiers whose names no longer appear in the file, and emptied declarations. */
export function removeUnusedImports(j: JSCodeshift, root: Collection): void {
  // Text search rather than an AST walk: ast-types does not visit parameter decorators, so
  // `@UserData() x` would look unused. A name mentioned only in a comment keeps its import.
  const code = root.toSource().replace(/^import\s[\s\S]*?from\s*["'][^"']+["'];?/gm, "");
  const used = { has: (name: string) => new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(code) };
  root.find(j.ImportDeclaration).forEach((path) => {
    const specifiers = path.node.specifiers ?? [];
    if (specifiers.length === 0) return; // side-effect import: keep
    const kept = specifiers.filter((s) => s.local && used.has(String(s.local.name)));
    if (kept.length === specifiers.length) return;
    if (kept.length === 0) {
      // A file's header comment rides on its first statement: keep it. Comments of other
      // removed imports (such as a `// @ts-ignore` for that line) go with them.
      const body = path.parent.node.body;
      const comments = path.node.comments;
      if (comments && body[0] === path.node && body[1]) body[1].comments = [...comments, ...(body[1].comments ?? [])];
      j(path).remove();
    } else {
      path.node.specifiers = kept;
    }
  });
}

/** Adds `import { name } from "source"` unless the name is already imported from there. */
export function ensureNamedImport(j: JSCodeshift, root: Collection, name: string, source: string): void {
  const existing = root.find(j.ImportDeclaration, { source: { value: source } });
  if (existing.size() > 0) {
    const declaration = existing.get().node;
    const has = (declaration.specifiers ?? []).some(
      (s: { type: string; imported?: { name: string } }) => s.type === "ImportSpecifier" && s.imported?.name === name,
    );
    if (!has) declaration.specifiers = [...(declaration.specifiers ?? []), j.importSpecifier(j.identifier(name))];
    return;
  }
  const declaration = j.importDeclaration([j.importSpecifier(j.identifier(name))], j.stringLiteral(source));
  const imports = root.find(j.ImportDeclaration);
  if (imports.size() > 0) imports.at(imports.size() - 1).insertAfter(declaration);
  else root.get().node.program.body.unshift(declaration);
}
