/**
 * The plan: a rule turned off in the config turns off the rules that need it (Rule.needs), so
 * that the way out a refusal offers ("turn this rule off") leaves an app that still compiles.
 */
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
