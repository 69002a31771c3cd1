/**
 * The verb of the rules that give a service's .env the settings its converted code reads: each
 * variable is set to the run's value where it is, or added (transforms/lib/dotenv.ts keeps
 * everything else byte for byte). A variable defined twice is refused: dotenv keeps the first,
 * so which value counts would depend on a line the user may not see.
 */
import type { FileEdit, RuleContext, RuleOperation } from "../../src/plan/rule";
import { duplicateKeys, setEnvVariables } from "../lib/dotenv";
import { refuse } from "../lib/refusal";

export interface EnvSettings {
  /** The variables and their values, from the run's config. */
  variables: (context: RuleContext) => Record<string, string>;
}

export function setEnv(settings: EnvSettings): RuleOperation {
  return { kind: "edit", load: () => setEnvEdit(settings) };
}

export function setEnvEdit({ variables }: EnvSettings): FileEdit {
  return (source, context, file) => {
    const values = variables(context);
    const duplicates = duplicateKeys(source ?? "", Object.keys(values));
    if (duplicates.length > 0) {
      const { key, lines } = duplicates[0];
      refuse(
        `${key} is defined more than once (lines ${lines.join(", ")}); dotenv keeps the first, so the result would be ambiguous`,
        `keep one ${key} line in ${file} and run again`,
      );
    }
    const next = setEnvVariables(source ?? "", values);
    return next === source ? undefined : next;
  };
}
