/**
 * A rule refuses with a reason and a fix only; runRule gives the refusal the rule's id and the
 * file, so a rule cannot name another rule or file.
 */
import { RULES } from "../src/plan/rules";
import type { Rule, RuleContext } from "../src/plan/rule";
import { runRule } from "../src/plan/run-rule";
import { refuse, RuleRefusal } from "../transforms/lib/refusal";

const context = {} as RuleContext;

function refusalOf(rule: Rule, file: string, source: string): RuleRefusal {
  try {
    runRule(rule, file, source, context);
  } catch (error) {
    if (error instanceof RuleRefusal) return error;
    throw error;
  }
  throw new Error("the rule did not refuse");
}

test("a refusal thrown by a rule comes out with that rule's id and file", () => {
  const rule: Rule = {
    id: "server/some-rule",
    target: "server",
    description: "refuses everything",
    files: ["a.json"],
    operation: {
      kind: "edit",
      load: () => () => refuse("it is wrong", "make it right"),
    },
  };
  const refusal = refusalOf(rule, "apps/x/a.json", "{}");
  expect(refusal.rule).toBe("server/some-rule");
  expect(refusal.file).toBe("apps/x/a.json");
  expect(refusal.message).toBe(
    "apps/x/a.json: rule server/some-rule refused: it is wrong\n  fix: make it right",
  );
});

test("turnOffIf names the refusing rule's id in the fix", () => {
  const rule = RULES.find((r) => r.id === "server/package-json-jwks-rsa")!;
  const file = "apps/shop-server/package.json";
  const refusal = refusalOf(
    rule,
    file,
    JSON.stringify({ dependencies: { "jwks-rsa": "^4.0.0" } }),
  );
  expect(refusal.rule).toBe("server/package-json-jwks-rsa");
  expect(refusal.file).toBe(file);
  expect(refusal.fix).toBe(
    'use "jwks-rsa": "^3.2.0", or turn the rule off in the config ("rules": { "server/package-json-jwks-rsa": "off" }) if the server runs Node >= 20.19',
  );
});

test('a fix that says "turn this rule off" says how, with the rule\'s id', () => {
  const rule: Rule = {
    id: "admin/some-rule",
    target: "admin",
    description: "refuses everything",
    files: ["a.json"],
    operation: {
      kind: "edit",
      load: () => () =>
        refuse("it is wrong", "restore the file, or turn this rule off"),
    },
  };
  expect(refusalOf(rule, "apps/x/a.json", "{}").fix).toBe(
    'restore the file, or turn the rule off in the config ("rules": { "admin/some-rule": "off" })',
  );
});
