/**
 * What TypeScript 4.2 finds in a server that TypeScript 5.9 does not. Servers generated in 2022
 * and early 2023 pin TypeScript 4.2.3 (some 4.3.5), and their `npm run build` runs it, so what the
 * conversion writes must compile with it too: no narrowing only a later version makes, no syntax
 * only a later version knows.
 *
 * Today's typings of their dependencies (NestJS 10, Prisma 6, @types/node) do not parse under
 * TypeScript 4.2, so both versions check a copy of the server's sources against the same
 * stand-ins (every package an untyped module, Node's globals `any`), with the server's own
 * tsconfig otherwise, and only the errors the older version alone reports count. The real types
 * are typecheck-servers.ts's part, with TypeScript 5.9. An error whose message names `any` is
 * left out: the two versions relate types built on `any` (a stand-in's) differently.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureServerWorkspace } from "./typecheck-servers";
import { MAX_BUFFER } from "./workspace";

/** The compiler the older check runs: an npm alias in scripts/typecheck/server/package.json. */
export const OLDER_TYPESCRIPT = "typescript-4.2";

const STAND_INS = `// Every package, and Node's globals, as TypeScript knows nothing of them.
declare module "*";
declare const process: any;
declare const Buffer: any;
declare const console: any;
declare const require: any;
declare const module: any;
declare const __dirname: string;
declare function setTimeout(...args: any[]): any;
declare function clearTimeout(...args: any[]): any;
`;

/** The source folders of a server that are checked. */
const SOURCES = ["src", "scripts"];

/**
 * The errors (`file(line,col): error TSxxxx: message`, file relative to the server) TypeScript
 * 4.2 reports in `serverDir` and TypeScript 5.9 does not, on the stand-ins above.
 */
export function olderTypescriptOnlyErrors(serverDir: string): string[] {
  const workspace = ensureServerWorkspace();
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "older-ts-"));
  try {
    for (const entry of [...SOURCES, "tsconfig.json"])
      if (fs.existsSync(path.join(serverDir, entry)))
        fs.cpSync(path.join(serverDir, entry), path.join(copy, entry), {
          recursive: true,
        });
    fs.writeFileSync(path.join(copy, "stand-ins.d.ts"), STAND_INS);
    fs.writeFileSync(
      path.join(copy, "tsconfig.older.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: {
          types: [],
          noEmit: true,
          incremental: false,
          skipLibCheck: true,
        },
        include: [...SOURCES, "stand-ins.d.ts"],
      }),
    );
    const errors = (compiler: string) => {
      const result = spawnSync(
        process.execPath,
        [
          path.join(workspace, "node_modules", compiler, "bin", "tsc"),
          "--pretty",
          "false",
          "-p",
          "tsconfig.older.json",
        ],
        { cwd: copy, encoding: "utf8", maxBuffer: MAX_BUFFER },
      );
      if (result.error) throw result.error;
      const lines = new Map<string, string>();
      for (const line of result.stdout.split("\n")) {
        const match = /^(.+?\(\d+,\d+\): error TS\d+): /.exec(line);
        if (match) lines.set(match[1], line);
      }
      if (result.status !== 0 && lines.size === 0)
        throw new Error(
          `${compiler} failed:\n${result.stdout}${result.stderr}`,
        );
      return lines;
    };
    const current = errors("typescript");
    return [...errors(OLDER_TYPESCRIPT)]
      .filter(([key, line]) => !current.has(key) && !/\bany\b/.test(line))
      .map(([, line]) => line)
      .sort();
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
