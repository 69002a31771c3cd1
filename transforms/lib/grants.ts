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
  if (last?.file === file && last.text === text) return last.result;
  const result = rolesOf(file, text);
  last = { file, text, result };
  return result;
}

type GrantRoles = ReturnType<typeof grantRoles>;

/**
 * The last file's answer: several rules and both passes read the same grants.json, which lists
 * every entity's grants (about 1 MB for 1,000 entities).
 */
let last: { file: string; text: string; result: GrantRoles } | undefined;

function rolesOf(file: string, text: string): GrantRoles {
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
