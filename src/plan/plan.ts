/**
 * The plan of a service: which rules of the table run, on which files, and why the others do not.
 */
import type { Config } from "../config/schema";
import type { AppProfile } from "../detect/detect";
import type { Rule } from "./rule";
import { RULES } from "./rules";
import { inService } from "../config/service-path";

export type PlanStep =
  | { rule: Rule; status: "run"; files: string[] }
  | { rule: Rule; status: "skipped" | "off"; reason: string };

export function planService(profile: AppProfile, config: Config): PlanStep[] {
  const isOff = (id: string) =>
    config.rules[id as keyof Config["rules"]] === "off";
  return (RULES as readonly Rule[]).map((rule): PlanStep => {
    if (isOff(rule.id)) {
      return { rule, status: "off", reason: "turned off in the config" };
    }
    const needed = rule.needs?.find(isOff);
    if (needed !== undefined) {
      return {
        rule,
        status: "off",
        reason: `${needed}, which it needs, is turned off in the config`,
      };
    }
    const root =
      rule.target === "server" ? profile.server.root : profile.admin?.root;
    if (root === undefined)
      return { rule, status: "skipped", reason: "the service has no admin UI" };
    return {
      rule,
      status: "run",
      files: rule.files.map((file) => inService(root, file)),
    };
  });
}
