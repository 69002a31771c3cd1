/**
 * The verb of the rules that take settings out of a service's .env once no source of the
 * server reads them (quotes their name): a secret nobody uses is a secret to leak for nothing.
 */
import type { FileEdit, Rule } from "../../src/plan/rule";
import { removeEnvVariables } from "../lib/dotenv";
import { unreadVariables } from "../lib/quoted-in-sources";

/** The row's searches (the names) and operation. */
export function removeUnreadEnv(
  variables: readonly string[],
): Pick<Rule, "searches" | "operation"> {
  return {
    searches: variables,
    operation: { kind: "edit", load: () => removeUnreadEnvEdit(variables) },
  };
}

export function removeUnreadEnvEdit(variables: readonly string[]): FileEdit {
  return (source, context) => {
    if (source === undefined) return undefined;
    const next = removeEnvVariables(
      source,
      unreadVariables(context, variables),
    );
    return next === source ? undefined : next;
  };
}
