/**
 * `amplication-auth0 provision`: sets up the Auth0 tenant the converted app needs (API,
 * single-page application, post-login Action and its binding, optional extras), safely and
 * idempotently, then writes auth0.domain / clientId / audience into the config file.
 *
 * The config may still hold init's "REPLACE_ME" client id: provisioning is what produces it.
 * The domain and the audience must be real, in the file or given with --domain / --audience.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ConfigError,
  configLoader,
  DEFAULT_CONFIG_FILE,
  PLACEHOLDER,
  type ConfigProblem,
} from "../config/load";
import { resolveAuth0 } from "../config/resolve";
import type { Config, RuleIds } from "../config/schema";
import { actionCode } from "./action-code";
import { writeConfigValues } from "./config-file";
import { readCredentials } from "./credentials";
import { realClock, Tenant, type Clock } from "./management";
import type { ConfigChange, ProvisionResult } from "./report";
import { rolesWanted } from "./roles";
import { applyPlan, plan, planReports, type Wanted } from "./steps";

export interface ProvisionOptions {
  /** Repository root. */
  root: string;
  /** Config file; default <root>/auth0.config.json. */
  configFile?: string;
  /** The ids of the rules a config may turn off (src/plan/rules.ts's RULE_IDS), from above. */
  ruleIds: RuleIds;
  /** Read the tenant and print the plan; change nothing (no write request, config untouched). */
  dryRun?: boolean;
  /** Add missing callback / logout / web-origin URLs to an existing application. */
  updateApplication?: boolean;
  /** Replace the code of an existing Action that differs, and deploy it. */
  updateAction?: boolean;
  /** Tenant domain, overriding (and written over) auth0.domain. */
  domain?: string;
  /** API identifier, overriding (and written over) auth0.audience. */
  audience?: string;
  /** Host of the Management API when auth0.domain is a custom domain. */
  managementDomain?: string;
  /** Where credentials are read from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Passed to the SDK; tests point it at a loopback server. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Time limit for an Action build. Default 120 s. */
  buildTimeoutMs?: number;
  /** Retries of one request after HTTP 429. Default 4. */
  maxRateLimitRetries?: number;
  /** Told about waits (rate limit), for a progress line. */
  onProgress?: (line: string) => void;
}

/** The fields provisioning fills in; init's placeholder is accepted in clientId only. */
const FILLED = ["auth0.domain", "auth0.clientId", "auth0.audience"] as const;

/** Auth0 drops custom claims namespaced under its own domains. */
const RESERVED_NAMESPACE = /(^|\.)(auth0\.com|webtask\.io|webtask\.run)$/i;

export async function provision(
  options: ProvisionOptions,
): Promise<ProvisionResult> {
  const root = path.resolve(options.root);
  const configFile = options.configFile ?? path.join(root, DEFAULT_CONFIG_FILE);
  const config = loadForProvisioning(configFile, options);
  const auth0 = resolveAuth0(config);
  const { credentials, notes } = readCredentials(options.env ?? process.env);
  // The repository is read before any request: a problem there stops the run unchanged.
  const roles = rolesWanted(root, config);
  const clock = options.clock ?? realClock;
  const domain = options.managementDomain ?? config.auth0.domain;
  const tenant = new Tenant({
    domain,
    credentials,
    fetch: options.fetch,
    clock,
    maxRateLimitRetries: options.maxRateLimitRetries,
    onRateLimit: (ms, what) =>
      options.onProgress?.(
        `rate-limited by the Management API (${what}); waiting ${Math.ceil(ms / 1000)} s as it asks`,
      ),
  });
  const configuredClientId = config.auth0.clientId?.includes(PLACEHOLDER)
    ? undefined
    : config.auth0.clientId;
  const wanted: Wanted = {
    audience: config.auth0.audience,
    apiName: config.provision.apiName,
    applicationName: config.provision.applicationName,
    clientId: configuredClientId,
    callbackUrl: config.admin.callbackUrl,
    logoutUrl: config.admin.logoutUrl,
    useRefreshTokens: config.admin.useRefreshTokens,
    actionName: config.provision.actionName,
    actionCode: actionCode({
      audience: auth0.audience,
      emailClaim: auth0.emailClaim,
      emailVerifiedClaim: auth0.emailVerifiedClaim,
      rolesClaim: auth0.rolesClaim,
    }),
    socialConnections: config.provision.socialConnections,
    passwordlessEmail: config.provision.passwordlessEmail,
    requireMfa: config.provision.requireMfa,
    updateApplication: options.updateApplication ?? false,
    updateAction: options.updateAction ?? false,
    roles,
  };

  const thePlan = await plan(tenant, wanted);
  const fileValues = readFileValues(configFile);
  const base = {
    tenant: domain,
    configFile,
    warnings: thePlan.warnings,
    notes: [
      ...notes,
      ...roles.notes,
      ...(domain !== config.auth0.domain
        ? [
            `Management API called on ${domain}; ${config.auth0.domain} is written to the config`,
          ]
        : []),
    ],
  };

  if (options.dryRun) {
    const clientId = thePlan.application.existing?.client_id;
    if (!clientId)
      base.notes.push(
        `auth0.clientId will be set to the client id of the new application`,
      );
    return {
      ...base,
      dryRun: true,
      steps: planReports(thePlan, wanted),
      configChanges: configChanges(fileValues, config, clientId),
      configWritten: false,
    };
  }

  const { steps, clientId } = await applyPlan(tenant, wanted, thePlan, {
    clock,
    timeoutMs: options.buildTimeoutMs,
  });
  const changes = configChanges(fileValues, config, clientId);
  if (changes.length > 0)
    writeConfigValues(
      configFile,
      changes.map((c) => ({ path: c.path, value: c.to })),
    );
  return {
    ...base,
    dryRun: false,
    steps,
    configChanges: changes,
    configWritten: changes.length > 0,
  };
}

function loadForProvisioning(file: string, options: ProvisionOptions): Config {
  const overrides: Record<string, string> = {};
  if (options.domain !== undefined) overrides["auth0.domain"] = options.domain;
  if (options.audience !== undefined)
    overrides["auth0.audience"] = options.audience;
  let config: Config;
  try {
    config = configLoader(options.ruleIds).loadConfigFile(file, {
      overrides,
      allowPlaceholdersAt: ["auth0.clientId"],
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // provision can take these two from flags: say so where init left a placeholder.
    const hint: Record<string, string> = {
      "auth0.domain": "--domain <tenant host>",
      "auth0.audience": "--audience <API identifier>",
    };
    throw new ConfigError(
      error.file,
      error.problems.map((p): ConfigProblem =>
        hint[p.path] && p.message.includes(PLACEHOLDER)
          ? { ...p, message: `${p.message}, or pass ${hint[p.path]}` }
          : p,
      ),
    );
  }
  const problems: ConfigProblem[] = [];
  if (config.user.claims.style !== "namespaced")
    problems.push({
      path: "user.claims.style",
      message:
        'provision sets up the namespaced email claims; "user-object" is only for tenants already set up by the ' +
        'Amplication plugin. Set it to "namespaced" (or remove it) to provision this tenant.',
    });
  else {
    const { emailClaim } = resolveAuth0(config);
    const host = safeHost(emailClaim);
    if (host && RESERVED_NAMESPACE.test(host))
      problems.push({
        path: "user.claims.namespace",
        message: `Auth0 drops custom claims namespaced under ${host}; set user.claims.namespace to a URL you own`,
      });
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** auth0.* as they stand in the file (before overrides), to know what to write. */
function readFileValues(file: string): Record<string, string | undefined> {
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as {
    auth0?: Record<string, unknown>;
  };
  const value = (key: string) =>
    typeof raw.auth0?.[key] === "string"
      ? (raw.auth0[key] as string)
      : undefined;
  return {
    "auth0.domain": value("domain"),
    "auth0.clientId": value("clientId"),
    "auth0.audience": value("audience"),
  };
}

function configChanges(
  fileValues: Record<string, string | undefined>,
  config: Config,
  clientId: string | undefined,
): ConfigChange[] {
  const final: Record<(typeof FILLED)[number], string | undefined> = {
    "auth0.domain": config.auth0.domain,
    "auth0.clientId": clientId,
    "auth0.audience": config.auth0.audience,
  };
  const changes: ConfigChange[] = [];
  for (const key of FILLED) {
    const to = final[key];
    if (to !== undefined && to !== fileValues[key])
      changes.push({ path: key, from: fileValues[key], to });
  }
  return changes;
}
