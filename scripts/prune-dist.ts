/**
 * Build step after tsc: removes what an earlier build left in dist/ for a module that no longer
 * exists, so `npm pack` never ships it. Files of live modules are never removed, not even for a
 * moment: other processes (the tests' `npm pack`, the built CLI) may read dist/ meanwhile.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CODE_CACHE_FILE } from "../src/cli/code-cache";

const ROOT = path.resolve(__dirname, "../..");
const DIST = path.join(ROOT, "dist");
/** What tsc and scripts/bundle-core.ts write for a module `<name>.ts`. */
const OUTPUTS = /(\.d\.ts|\.js|\.js\.map|\.d\.ts\.map|\.LICENSES\.txt)$/;

/** Repository-relative paths of the files removed (and of the folders left empty). */
export function pruneDist(root = ROOT, dist = DIST): string[] {
  const removed: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(file);
        if (fs.readdirSync(file).length === 0) {
          fs.rmdirSync(file);
          removed.push(path.relative(root, file));
        }
        continue;
      }
      // scripts/build-code-cache.ts replaces the code cache whole, after this step
      if (path.relative(dist, file) === path.basename(CODE_CACHE_FILE))
        continue;
      const module = path.relative(dist, file).replace(OUTPUTS, "");
      const live = [".ts", ".tsx"].some((extension) =>
        fs.existsSync(path.join(root, module + extension)),
      );
      if (!live) {
        fs.rmSync(file, { force: true }); // a build running beside this one may have pruned it
        removed.push(path.relative(root, file));
      }
    }
  };
  if (fs.existsSync(dist)) visit(dist);
  return removed;
}

if (require.main === module) pruneDist();
