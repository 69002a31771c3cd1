/**
 * Whether a server's own sources still name a string in quotes: how the rules tell that an env
 * variable is still read (`process.env["X"]`, `configService.get("X")`) or a package still
 * imported (`from "x"`, `require('x')`), without resolving code. Found with the run's source
 * search, which looks at the few files that mention it at all.
 */
import type { RuleContext } from "../../src/plan/rule";
import { sourcesMentioning } from "./source-files";

export function quotedInSources(
  context: RuleContext,
  root: string,
  name: string,
): boolean {
  const quoted = new RegExp(
    `["'\`]${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["'\`]`,
  );
  return sourcesMentioning(context.sources, root, name).some((file) =>
    quoted.test(context.tree.read(file)!),
  );
}

/** The variables of `names` no source of the server quotes any more. */
export function unreadVariables(
  context: RuleContext,
  names: readonly string[],
): string[] {
  const root = context.profile.server.root;
  return names.filter((name) => !quotedInSources(context, root, name));
}
