/**
 * Every NestJS server of every whole-app fixture, converted (expected/), compiles with TypeScript
 * 4.2 as far as TypeScript 5.9 does: servers generated in 2022 and early 2023 pin TypeScript
 * 4.2.3, and their build runs it (see scripts/typecheck/older-typescript.ts for how, and why on
 * stand-ins of the dependencies). A control proves the check finds what only 4.2 rejects.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { olderTypescriptOnlyErrors } from "../scripts/typecheck/older-typescript";
import { findServers } from "../scripts/typecheck/typecheck-servers";
import { fixtureTrees } from "../scripts/typecheck/workspace";
import { copyTree } from "./helpers/files";

// The first run may install the type-check workspace (see typecheck.test.ts).
jest.setTimeout(10 * 60 * 1000);

const servers = fixtureTrees()
  .filter((tree) => path.basename(tree) === "expected")
  .flatMap((tree) => findServers(tree));

test("there are converted servers to check, among them one of 2022", () => {
  expect(servers.some((dir) => dir.includes("server-2022"))).toBe(true);
});

test.each(servers.map((dir) => [path.relative(process.cwd(), dir), dir]))(
  "%s: no error TypeScript 4.2 reports and 5.9 does not",
  (_label, dir) => {
    expect(olderTypescriptOnlyErrors(dir)).toEqual([]);
  },
);

test("control: a narrowing of unknown that TypeScript 4.2 cannot make is found", () => {
  const server = copyTree(servers[0]);
  fs.writeFileSync(
    path.join(server, "src", "older-control.ts"),
    [
      'const header: unknown = JSON.parse("{}");',
      'export const critical = header === null || typeof header !== "object" ? false : "crit" in header;',
      "",
    ].join("\n"),
  );
  expect(olderTypescriptOnlyErrors(server)).toEqual([
    expect.stringMatching(
      /^src\/older-control\.ts\(2,\d+\): error TS2531: Object is possibly 'null'\./,
    ),
  ]);
});
