/** A RuleContext for unit fixtures: the fixtures' config and a 2025-shape User service. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseConfig } from "./config";
import { resolveAuth0 } from "../../src/config/resolve";
import type { AppProfile } from "../../src/detect/detect";
import type { RuleContext } from "../../src/plan/rule";
import { DiskTree } from "../../src/tree/disk-tree";
import { SourceParser } from "../../transforms/lib/parser";
import { SourceSearch } from "../../transforms/lib/source-files";

export const TESTFIXTURES = path.resolve(__dirname, "../../__testfixtures__");

export const PROFILE_2025: AppProfile = {
  name: "shop",
  server: {
    root: "apps/shop-server",
    auth: "jwt",
    findings: ["DefaultAuthGuard extends JwtAuthGuard"],
    entity: {
      name: "User",
      camel: "user",
      findMethod: "user",
      findManyMethod: "users",
      createMethod: "createUser",
      updateMethod: "updateUser",
    },
    strategyConstructor: "secret-first",
    secretConstant: "JWT_SECRET_KEY_PROVIDER_NAME",
    serviceMethods: "entity-named",
    basicStrategyRegistered: false,
    secretsManager: true,
    converted: false,
  },
  admin: {
    root: "apps/shop-admin",
    bundler: "vite",
    reactAdminMajor: 5,
    loginForm: true,
    authProvider: "jwtAuthProvider",
    converted: false,
  },
  listed: false,
};

/**
 * @param configFile the case's config, default __testfixtures__/auth0.config.json
 * @param treeDir a repository the rule may look at (the case's `<case>.tree/` folder); none by default
 */
export function fixtureContext(
  configFile = path.join(TESTFIXTURES, "auth0.config.json"),
  treeDir = path.join(TESTFIXTURES, "__no_repo__"),
): RuleContext {
  const config = parseConfig(fs.readFileSync(configFile, "utf8"), configFile);
  const tree = new DiskTree(treeDir);
  return {
    config,
    auth0: resolveAuth0(config),
    profile: PROFILE_2025,
    tree,
    parser: new SourceParser(),
    sources: new SourceSearch(tree),
  };
}
