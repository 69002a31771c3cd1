/**
 * The in-file rules under the standard jscodeshift CLI:
 *
 *   npx jscodeshift -t node_modules/amplication-auth0-codemod/transforms \
 *     --auth-config=auth0.config.json --extensions=ts,tsx apps/shop-server/src
 *
 * Each file goes to the AST rules of the table whose file patterns match it, in table order.
 * This mode only rewrites files that exist: rules that create, delete or edit non-TypeScript
 * files (package.json, .env) need `amplication-auth0 apply`, and so do formatting, the
 * all-or-nothing write and the idempotency check.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { API, FileInfo, Options } from "jscodeshift";
import { loadConfigFile } from "../src/config/load";
import { resolveAuth0 } from "../src/config/resolve";
import type { Config } from "../src/config/schema";
import { detectService, type AppProfile } from "../src/detect/detect";
import type { Rule, RuleContext } from "../src/plan/rule";
import { RULES } from "../src/plan/rules";
import { DiskTree } from "../src/tree/tree";

const configs = new Map<string, Config>();
const profiles = new Map<string, { profile: AppProfile; tree: DiskTree }>();

export default function router(
  file: FileInfo,
  api: API,
  options: Options,
): string | undefined {
  const configFile = options["auth-config"] ?? options.authConfig;
  if (typeof configFile !== "string") {
    throw new Error("pass the config file: --auth-config=auth0.config.json");
  }
  const absolute = path.resolve(file.path);
  const match = findRoot(absolute);
  if (!match) return undefined; // not inside an Amplication server or admin
  const rules = (RULES as readonly Rule[]).filter(
    (rule) =>
      rule.operation.kind === "transform" &&
      rule.target === match.target &&
      rule.files.some(
        (pattern) => toPosix(path.relative(match.root, absolute)) === pattern,
      ),
  );
  if (rules.length === 0) return undefined;

  const config =
    configs.get(configFile) ?? loadConfigFile(path.resolve(configFile));
  configs.set(configFile, config);
  const { profile, tree } = profileOf(match, config);
  if (match.target === "server" && profile.unsupported) {
    api.report(`${file.path}: not converted: ${profile.unsupported}`);
    return undefined;
  }
  const context: RuleContext = {
    config,
    auth0: resolveAuth0(config),
    profile,
    tree,
  };

  let source = file.source;
  for (const rule of rules) {
    if (config.rules[rule.id as keyof Config["rules"]] === "off") continue;
    if (rule.operation.kind !== "transform") continue;
    const output = rule.operation.load()({ path: file.path, source }, api, {
      ...options,
      context,
    });
    if (typeof output === "string" && output !== "") source = output;
  }
  return source === file.source ? undefined : source;
}

/** The nearest folder above the file that is a NestJS server or a react-admin app. */
function findRoot(
  file: string,
): { root: string; target: "server" | "admin" } | undefined {
  for (
    let dir = path.dirname(file);
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    const pkg = path.join(dir, "package.json");
    if (!fs.existsSync(pkg)) continue;
    const text = fs.readFileSync(pkg, "utf8");
    if (text.includes('"@nestjs/core"')) return { root: dir, target: "server" };
    if (text.includes('"react-admin"')) return { root: dir, target: "admin" };
    return undefined;
  }
  return undefined;
}

function profileOf(
  match: { root: string; target: "server" | "admin" },
  config: Config,
): { profile: AppProfile; tree: DiskTree } {
  const key = `${match.target}:${match.root}`;
  let found = profiles.get(key);
  if (!found) {
    const tree = new DiskTree(path.dirname(match.root));
    const base = path.basename(match.root);
    const service =
      match.target === "server"
        ? { name: base, server: base }
        : { name: base, server: base, admin: base };
    found = { profile: detectService(tree, service, config), tree };
    profiles.set(key, found);
  }
  return found;
}

function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
