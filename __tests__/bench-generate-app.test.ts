/**
 * The benchmark's synthetic apps (scripts/bench/generate-app.ts): deterministic, the fixture's
 * shape, and converted by apply like the fixture (a second run changes nothing).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "../src/engine/run";
import {
  entityNames,
  generateApp,
  generatedAppTsx,
  renameOrder,
} from "../scripts/bench/generate-app";
import { readTree, tempDir } from "./helpers/files";

const FIXTURE = path.resolve(__dirname, "../fixtures/apps/shop-2025/input");

describe("bench app generator", () => {
  it("N=2 (User + Order) is the fixture itself, plus its config", () => {
    const app = generateApp(2, tempDir("bench-app-"));
    const generated = readTree(app.dir);
    const fixture = readTree(FIXTURE);
    expect(JSON.parse(generated.get("auth0.config.json")!).auth0).toEqual(
      JSON.parse(
        fs.readFileSync(path.join(FIXTURE, "../auth0.config.json"), "utf8"),
      ).auth0,
    );
    generated.delete("auth0.config.json");
    expect(generated).toEqual(fixture);
  });

  it("is deterministic and has every entity's server and admin files", () => {
    const a = readTree(generateApp(40, tempDir("bench-app-")).dir);
    const b = readTree(generateApp(40, tempDir("bench-app-")).dir);
    expect(a).toEqual(b);
    // App.tsx alone, as the splice test takes it, is the one in the app.
    expect(generatedAppTsx(40)).toBe(a.get("apps/shop-admin/src/App.tsx"));
    const names = entityNames(40);
    expect(names).toHaveLength(39);
    expect(new Set(names.map((n) => n.camel)).size).toBe(39);
    const last = names[38]; // the 39th: the nouns come round again, numbered
    expect(last).toEqual({
      pascal: "Supplier2",
      camel: "supplier2",
      upper: "SUPPLIER2",
    });
    for (const file of [
      "apps/shop-server/src/supplier2/supplier2.module.ts",
      "apps/shop-server/src/supplier2/supplier2.service.ts",
      "apps/shop-server/src/supplier2/supplier2.controller.ts",
      "apps/shop-server/src/supplier2/supplier2.resolver.ts",
      "apps/shop-server/src/supplier2/base/supplier2.service.base.ts",
      "apps/shop-server/src/supplier2/base/Supplier2OrderByInput.ts",
      "apps/shop-server/src/supplier2/base/Supplier2WhereUniqueInput.ts",
      "apps/shop-admin/src/supplier2/Supplier2List.tsx",
      "apps/shop-admin/src/supplier2/Supplier2Create.tsx",
      "apps/shop-admin/src/supplier2/Supplier2Edit.tsx",
      "apps/shop-admin/src/supplier2/Supplier2Show.tsx",
      "apps/shop-admin/src/api/supplier2/Supplier2.ts",
    ]) {
      expect(a.has(file)).toBe(true);
    }
    expect(a.get("apps/shop-server/src/app.module.ts")).toContain(
      'import { Supplier2Module } from "./supplier2/supplier2.module";',
    );
    expect(a.get("apps/shop-admin/src/App.tsx")).toContain('name="Supplier2"');
    expect(a.get("apps/shop-server/prisma/schema.prisma")).toContain(
      "model Supplier2 {",
    );
    expect(JSON.parse(a.get("apps/shop-server/src/grants.json")!)).toHaveLength(
      40 * 8,
    );
  });

  it("renames the entity and leaves the generator's own Order words alone", () => {
    const to = { pascal: "Task", camel: "task", upper: "TASK" };
    expect(
      renameOrder(
        'import { SortOrder } from "../../util/SortOrder";\nclass OrderOrderByInput { orderBy?: Array<OrderOrderByInput>; orders = ORDER_TITLE_FIELD; }',
        to,
      ),
    ).toBe(
      'import { SortOrder } from "../../util/SortOrder";\nclass TaskOrderByInput { orderBy?: Array<TaskOrderByInput>; tasks = TASK_TITLE_FIELD; }',
    );
  });

  it("apply converts a generated app without refusal, and a second run changes nothing", async () => {
    const app = generateApp(12, tempDir("bench-app-"));
    const first = await run({
      root: app.dir,
      configFile: app.configFile,
      command: "apply",
      allowDirty: true,
    });
    expect(first.written).toBe(true);
    expect(
      first.records.filter((r) => r.status === "changed").length,
    ).toBeGreaterThan(20);
    const second = await run({
      root: app.dir,
      configFile: app.configFile,
      command: "check",
    });
    expect(second.changes).toEqual([]);
  });
});
