/**
 * The plan: a rule turned off in the config turns off the rules that need it (Rule.needs), so
 * that the way out a refusal offers ("turn this rule off") leaves an app that still compiles.
 */
import { runOrder } from "../src/engine/convert";
import { planService } from "../src/plan/plan";
import type { Rule } from "../src/plan/rule";
import { RULES } from "../src/plan/rules";
import { fixtureContext, PROFILE_2025 } from "./helpers/context";

const rules = RULES as readonly Rule[];

function statusOf(off: string[]): Map<string, string> {
  const { config } = fixtureContext();
  const withOff = {
    ...config,
    rules: Object.fromEntries(off.map((id) => [id, "off"])),
  } as typeof config;
  return new Map(
    planService(PROFILE_2025, withOff).map((step) => [
      step.rule.id,
      step.status === "run" ? "run" : `${step.status}: ${step.reason}`,
    ]),
  );
}

it("every rule a rule needs is in the table, for the same side", () => {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const rule of rules)
    for (const needed of rule.needs ?? [])
      expect([rule.id, byId.get(needed)?.target]).toEqual([
        rule.id,
        rule.target,
      ]);
  expect(rules.some((rule) => (rule.needs ?? []).length > 0)).toBe(true);
});

it.each([
  ["server/remove-local-login", "server/auth-module-local-login"],
  ["server/jwt-strategy-base", "server/remove-jwt-strategy-spec"],
])("%s off turns %s off, saying why", (off, dependent) => {
  const status = statusOf([off]);
  expect(status.get(off)).toBe("off: turned off in the config");
  expect(status.get(dependent)).toBe(
    `off: ${off}, which it needs, is turned off in the config`,
  );
  // and nothing else
  expect([...status].filter(([, s]) => s !== "run").map(([id]) => id)).toEqual(
    rules.map((r) => r.id).filter((id) => id === off || id === dependent),
  );
});

it("with every rule on, every rule runs", () => {
  expect([...statusOf([]).values()].every((s) => s === "run")).toBe(true);
});

it("a rule listed after a searching rule of its side, and that does not search, writes no source file and none of the searching rule's files", () => {
  // What lets the engine run the searching rules last (runOrder) with the table order's output.
  let pairs = 0;
  rules.forEach((searching, i) => {
    if (!searching.searches) return;
    for (const later of rules.slice(i + 1)) {
      if (later.searches || later.target !== searching.target) continue;
      pairs++;
      for (const file of later.files) {
        expect([later.id, file, /\.tsx?$/.test(file)]).toEqual([
          later.id,
          file,
          false,
        ]);
        expect([
          searching.id,
          later.id,
          searching.files.includes(file),
        ]).toEqual([searching.id, later.id, false]);
      }
    }
  });
  expect(pairs).toBeGreaterThan(0);
});

it("runs a service's searching rules after its others, each part in the table's order", () => {
  const { config } = fixtureContext();
  const steps = planService(PROFILE_2025, config);
  const order = runOrder(steps).map((index) => steps[index].rule);
  expect(order.map((rule) => rule.id).sort()).toEqual(
    rules.map((rule) => rule.id).sort(),
  );
  const firstSearching = order.findIndex((rule) => rule.searches);
  expect(firstSearching).toBeGreaterThan(0);
  expect(order.slice(0, firstSearching).some((rule) => rule.searches)).toBe(
    false,
  );
  expect(order.slice(firstSearching).every((rule) => rule.searches)).toBe(true);
  const tableIndex = (rule: Rule) => rules.indexOf(rule);
  for (const part of [
    order.slice(0, firstSearching),
    order.slice(firstSearching),
  ])
    expect(part.map(tableIndex)).toEqual(
      [...part.map(tableIndex)].sort((a, b) => a - b),
    );
});
