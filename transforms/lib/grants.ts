/**
 * The roles of a server: the `role` names of its src/grants.json (nest-access-control grants),
 * read at conversion time.
 */
import type { RuleContext } from "../../src/plan/rule";
import { inService } from "../../src/config/service-path";

export const GRANTS_FILE = "src/grants.json";

/** Sorted role names, or a reason why the file cannot give them. */
export function grantRoles({
  profile,
  tree,
}: Pick<RuleContext, "profile" | "tree">):
  { roles: string[] } | { problem: string } {
  const file = inService(profile.server.root, GRANTS_FILE);
  const text = tree.read(file);
  if (text === undefined) return { problem: `${file} does not exist` };
  let grants: unknown;
  try {
    grants = JSON.parse(text);
  } catch {
    return { problem: `${file} is not valid JSON` };
  }
  if (!Array.isArray(grants)) {
    return { problem: `${file} is not a list of grants` };
  }
  const roles = new Set<string>();
  for (const grant of grants) {
    const role = (grant as { role?: unknown } | null)?.role;
    if (typeof role !== "string" || role === "") {
      return { problem: `${file} has a grant without a role name` };
    }
    roles.add(role);
  }
  return { roles: [...roles].sort() };
}
