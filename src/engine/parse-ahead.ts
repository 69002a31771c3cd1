/**
 * The pieces of each Prisma schema the rules will read (the auth entity's model and the
 * datasource: transforms/lib/prisma-model.ts), handed to the CLI's thread as the run starts.
 * Loading the parser and parsing the User model of a 1,000-entity app (26 KB of relation
 * fields) took about 0.1 s of the main thread before the first rule could read it; the thread,
 * idle between Prettier's warm-up and the first formats, does it meanwhile. A piece it could
 * not parse, the rule parses itself and refuses as without it.
 */
import { inService } from "../config/service-path";
import type { AppProfile } from "../detect/detect";
import type { PrettierThread } from "../format/prettier-thread";
import type { ReadTree } from "../tree/read-tree";
import {
  piecesRead,
  prismaParserFile,
  type ParsedAhead,
} from "../../transforms/lib/prisma-model";

export function parseSchemasAhead(
  tree: ReadTree,
  profiles: readonly AppProfile[],
  thread: PrettierThread | undefined,
): ParsedAhead | undefined {
  if (!thread) return undefined;
  const takes = new Map<string, () => unknown>();
  for (const profile of profiles) {
    const entity = profile.server.entity?.name;
    if (!entity) continue;
    let schema: string | undefined;
    try {
      schema = tree.read(
        inService(profile.server.root, "prisma/schema.prisma"),
      );
    } catch {
      continue; // the rule's own read of it says why
    }
    if (schema === undefined) continue;
    for (const piece of piecesRead(schema, entity)) {
      if (takes.has(piece)) continue;
      const take = thread.parseSchemaLater(piece, prismaParserFile());
      if (take) takes.set(piece, take);
    }
  }
  return (piece) => {
    const take = takes.get(piece);
    if (!take) return undefined;
    try {
      return take() as ReturnType<ParsedAhead>;
    } catch {
      return undefined; // parsed again where the error is reported
    }
  };
}
