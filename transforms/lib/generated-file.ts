/**
 * The verb of the rules that write a file whole from the config (the server's JWT strategy base
 * and guard, the admin's no-role layout): the rendered text replaces what is there when that is
 * a shape the rule knows (the generated file, or its own earlier output), and anything else is
 * refused, never overwritten. No change when the file already holds the text.
 */
import type { FileEdit, RuleContext } from "../../src/plan/rule";
import { refuse } from "./refusal";

export interface GeneratedFile {
  /** Whether an existing file is one the rule may replace. */
  replaces(source: string): boolean;
  /** Why any other file is refused, and what to do about it. */
  refusal: { reason: string; fix: string };
  render(context: RuleContext, file: string): string;
}

export function generatedFile(spec: GeneratedFile): FileEdit {
  return (source, context, file) => {
    if (source !== undefined && !spec.replaces(source)) {
      refuse(spec.refusal.reason, spec.refusal.fix);
    }
    const content = spec.render(context, file);
    return content === source ? undefined : content;
  };
}
