/**
 * admin/remove-jwt-auth-files: the JWT and HTTP auth providers and their localStorage helpers
 * go once nothing that stays imports them (App.tsx and the data provider no longer do).
 * A file some other code still imports stays where it is.
 */
import type { FileEdit } from "../../src/plan/rule";
import { importersOf } from "../lib/source-files";

export const JWT_AUTH_FILES = [
  "src/auth-provider/ra-auth-jwt.ts",
  "src/auth-provider/ra-auth-http.ts",
  "src/auth.ts",
  "src/constants.ts",
  "src/types.ts",
] as const;

const removeJwtAuthFiles: FileEdit = (source, context, file) => {
  if (source === undefined) return undefined;
  const root = context.profile.admin!.root;
  const candidates = JWT_AUTH_FILES.map((f) => `${root}/${f}`).filter(
    (f) => context.tree.read(f) !== undefined,
  );
  // These files import each other: one goes only when everything importing it goes too.
  const kept = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    const leaving = new Set(candidates.filter((f) => !kept.has(f)));
    for (const candidate of leaving) {
      if (importersOf(context.sources, root, candidate, leaving).length > 0) {
        kept.add(candidate);
        changed = true;
      }
    }
  }
  return kept.has(file) ? undefined : null;
};

export default removeJwtAuthFiles;
