import type { ClassDeclaration, Collection, JSCodeshift } from "jscodeshift";
import { refuse } from "./refusal";

/** A member of a class body as the transforms read it: recast's node, typed loosely. */
export type ClassMember = {
  type: string;
  key?: { name?: string };
  kind?: string;
  params?: Array<Record<string, unknown>>;
  body?: unknown;
};

/** The one class `name` of a file, and its members; refuses when there is not exactly one. */
export function theClass(
  j: JSCodeshift,
  root: Collection,
  name: string,
): { node: ClassDeclaration; members: ClassMember[] } {
  const classes = root.find(j.ClassDeclaration, { id: { name } });
  if (classes.size() !== 1)
    refuse(`no class ${name} was found`, `restore the generated ${name}`);
  const node = classes.get().node as ClassDeclaration;
  return { node, members: node.body.body as unknown as ClassMember[] };
}
