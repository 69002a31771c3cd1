/** The config loader the tool uses, built with the rule table's ids, for tests that read configs. */
import { configLoader } from "../../src/config/load";
import { RULE_IDS } from "../../src/plan/rules";

export const { parseConfig, loadConfigFile } = configLoader(RULE_IDS);
