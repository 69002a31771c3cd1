/** Reading and editing the metadata object of a NestJS `@Module({ ... })` class. */
import type { Collection, JSCodeshift, ObjectExpression } from "jscodeshift";

type Node = { type: string } & Record<string, unknown>;

export class ModuleShapeError extends Error {}

/** The object literal passed to the file's single @Module() decorator. */
export function moduleMetadata(
  j: JSCodeshift,
  root: Collection,
): ObjectExpression {
  const found: ObjectExpression[] = [];
  root.find(j.ClassDeclaration).forEach((path) => {
    const decorators =
      (path.node as unknown as { decorators?: Array<{ expression: Node }> })
        .decorators ?? [];
    for (const { expression } of decorators) {
      const callee = expression.callee as Node | undefined;
      const name =
        callee?.type === "Identifier"
          ? callee.name
          : (callee?.property as Node | undefined)?.name;
      if (expression.type !== "CallExpression" || name !== "Module") continue;
      const arg = (expression.arguments as Node[])[0];
      if (!arg || arg.type !== "ObjectExpression") {
        throw new ModuleShapeError(
          "the @Module() decorator has no object literal argument",
        );
      }
      found.push(arg as unknown as ObjectExpression);
    }
  });
  if (found.length === 0)
    throw new ModuleShapeError("no class decorated with @Module() was found");
  if (found.length > 1)
    throw new ModuleShapeError("more than one @Module() class was found");
  return found[0];
}

/** moduleMetadata, with a shape error handed to the rule's refusal. */
export function moduleMetadataOrRefuse(
  j: JSCodeshift,
  root: Collection,
  refuse: (reason: string) => never,
): ObjectExpression {
  try {
    return moduleMetadata(j, root);
  } catch (error) {
    if (error instanceof ModuleShapeError) return refuse(error.message);
    throw error;
  }
}

/** The elements of `key: [...]`, or undefined when the key is absent or not an array literal. */
export function arrayProperty(
  metadata: ObjectExpression,
  key: string,
): Node[] | undefined {
  const property = metadata.properties.find(
    (p) =>
      (p.type === "ObjectProperty" || p.type === "Property") &&
      keyName(p.key) === key,
  ) as { value: Node } | undefined;
  if (!property || property.value.type !== "ArrayExpression") return undefined;
  return property.value.elements as Node[];
}

export function keyName(key: unknown): string | undefined {
  const k = key as Node;
  if (k.type === "Identifier") return k.name as string;
  if (k.type === "StringLiteral" || k.type === "Literal")
    return String(k.value);
  return undefined;
}

/** The identifier an element stands for: `X`, `X.register(...)`, `forwardRef(() => X)`. */
export function elementName(node: Node): string | undefined {
  if (node.type === "Identifier") return node.name as string;
  if (node.type === "CallExpression") {
    const callee = node.callee as Node;
    if (callee.type === "MemberExpression")
      return elementName(callee.object as Node);
    if (callee.type === "Identifier" && callee.name === "forwardRef") {
      const body = ((node.arguments as Node[])[0] as Node | undefined)?.body as
        Node | undefined;
      return body ? elementName(body) : undefined;
    }
  }
  return undefined;
}

/** Removes, in place, the elements whose name is listed; returns how many went. */
export function removeElements(
  elements: Node[],
  names: ReadonlySet<string>,
): number {
  let removed = 0;
  for (let i = elements.length - 1; i >= 0; i--) {
    const name = elementName(elements[i]);
    if (name && names.has(name)) {
      elements.splice(i, 1);
      removed += 1;
    }
  }
  return removed;
}
