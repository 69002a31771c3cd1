/**
 * What a run tells its user: a readable summary (and diff for --dry-run), or JSON for scripts.
 */
import * as path from "node:path";
import { createTwoFilesPatch } from "diff";
import pc from "picocolors";
import type { AppProfile } from "../detect/detect";
import { isProblem, listsAny, type RunResult } from "../engine/run";
import { formatSecurityNotes } from "./security";
import { adminEnvNames } from "../../transforms/admin/env-names";
import { inService, isRepositoryRoot } from "../config/service-path";
import { SERVER_ENV_NAMES } from "../../transforms/server/env-names";

/** A service that could have been converted but was not (no-auth services are just reported). */
export function isRefused(profile: AppProfile): boolean {
  return profile.unsupported !== undefined && profile.server.auth !== "none";
}

/** The config lists its services (a service the walk finds besides them is only reported). */
export function listsServices(result: RunResult): boolean {
  return listsAny(result.services);
}

export function exitCodeOf(result: RunResult): 0 | 1 {
  const configLists = listsServices(result);
  if (result.services.some((profile) => isProblem(profile, configLists)))
    return 1;
  // Nothing in the repository is or can be converted: the run did nothing it was asked for.
  if (
    result.services.every((profile) => profile.unsupported) &&
    result.services.some(isRefused)
  )
    return 1;
  if (result.command === "check" && result.changes.length > 0) return 1;
  return 0;
}

/**
 * Why the run fails on its services (see isProblem), and what to do; undefined when none does.
 */
export function failingMessage(result: RunResult): string | undefined {
  const configLists = listsServices(result);
  const failing = result.services.filter((profile) =>
    isProblem(profile, configLists),
  );
  if (failing.length === 0) return undefined;
  const names = failing.map((profile) => profile.name).join(", ");
  if (failing.length === result.services.length)
    return `${names} cannot be converted as ${failing.length === 1 ? "it is" : "they are"} (see why above)`;
  return configLists
    ? `${names} ${failing.length === 1 ? "is" : "are"} listed under "services" in the config but cannot be converted (see above); take ${failing.length === 1 ? "it" : "them"} out of "services" to convert the others`
    : `${names} cannot be converted (see above); list the services to convert under "services" in the config`;
}

/** What the summary (and init) calls a service that is not converted. */
export function leftAloneLabel(profile: AppProfile): string {
  if (profile.server.auth === "none") return "nothing to convert";
  if (profile.server.auth === "auth0-plugin") return "left alone";
  return "not converted";
}

/** leftAloneLabel, for a run: a service the config does not list is left alone. */
function runLabel(profile: AppProfile, configLists: boolean): string {
  return configLists && !profile.listed
    ? "left alone"
    : leftAloneLabel(profile);
}

/** A service's folders, as the report names them: "server" or "server + admin". */
function foldersOf(profile: AppProfile): string {
  return [profile.server.root, profile.admin?.root].filter(Boolean).join(" + ");
}

/** A service the run does not convert, and why, on one line (the summary's, the jscodeshift route's). */
export function notConvertedLine(
  profile: AppProfile,
  configLists: boolean,
  c: ReturnType<typeof pc.createColors> = pc.createColors(false),
): string {
  const where = foldersOf(profile);
  const label = runLabel(profile, configLists);
  return `${c.bold(profile.name)} (${where}): ${isProblem(profile, configLists) ? c.red(label) : c.yellow(label)}: ${profile.unsupported}`;
}

/**
 * The run as JSON for scripts. `extra`: what the CLI adds after the run, such as `commit` (the
 * id of the commit `apply --commit` made, or null when nothing changed).
 */
export function toJson(
  result: RunResult,
  extra: Record<string, unknown> = {},
): string {
  const failing = failingMessage(result);
  return JSON.stringify(
    {
      command: result.command,
      dryRun: result.dryRun,
      written: result.written,
      exitCode: exitCodeOf(result),
      services: result.services.map((profile) => ({
        name: profile.name,
        listed: profile.listed,
        server: profile.server.root,
        admin: profile.admin?.root ?? null,
        adminFound: Boolean(profile.adminFound),
        auth: profile.server.auth,
        era: profile.era?.id ?? null,
        entity: profile.server.entity?.name ?? null,
        status: statusOf(profile, result),
        reason: profile.unsupported ?? null,
        findings: profile.server.findings,
      })),
      notes: result.notes,
      uncommitted: result.uncommitted,
      security: {
        settings: Object.fromEntries(result.security.settings),
        warnings: result.security.warnings,
      },
      // what the human report lists under "Next steps:", commands run from the repository's root
      nextSteps: result.written
        ? nextStepLines(result, ".")
            .filter((step) => !step.remark)
            .map(({ folder, text }) => ({ folder: folder ?? null, text }))
        : [],
      rules: result.records,
      files: result.changes.map((change) => ({
        file: change.file,
        action: actionOf(change),
      })),
      ...extra,
      ...(failing === undefined
        ? {}
        : { error: { kind: "not-convertible", message: failing } }),
    },
    null,
    2,
  );
}

/**
 * A convertible service is "pending" until its changes are written, then "converted". One that
 * is not is "refused" where it is why the run exits 1 (see exitCodeOf), else "not-applicable":
 * left alone and only reported, whatever its state (no auth, incomplete, another provider).
 */
function statusOf(profile: AppProfile, result: RunResult): string {
  if (profile.unsupported) {
    const failsRun =
      isProblem(profile, listsServices(result)) ||
      (result.services.every((p) => p.unsupported) && isRefused(profile));
    return failsRun ? "refused" : "not-applicable";
  }
  const changes = result.records.some(
    (record) => record.service === profile.name && record.status === "changed",
  );
  return changes && !result.written ? "pending" : "converted";
}

/**
 * The dry run's diff of every change. In a .env file only the values of the settings the
 * conversion writes (from the config: none is secret) are shown; every other value, a secret
 * or a database password the diff passes by, reads <hidden>: the diff goes to terminals and
 * CI logs.
 */
export function unifiedDiff(result: RunResult, color: boolean): string {
  return result.changes
    .map(({ file, before, after }) => {
      const diff = createTwoFilesPatch(
        before === undefined ? "/dev/null" : `a/${file}`,
        after === undefined ? "/dev/null" : `b/${file}`,
        before ?? "",
        after ?? "",
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, "");
      const patch = isDotenv(file) ? hideValues(diff) : diff;
      if (!color) return patch;
      return patch
        .split("\n")
        .map((line) =>
          line.startsWith("+") && !line.startsWith("+++")
            ? pc.green(line)
            : line.startsWith("-") && !line.startsWith("---")
              ? pc.red(line)
              : line.startsWith("@@")
                ? pc.cyan(line)
                : line,
        )
        .join("\n");
    })
    .join("\n");
}

/** .env, .env.local, .env.production, ...: where an app keeps its secrets. */
function isDotenv(file: string): boolean {
  return /^\.env(\..+)?$/.test(path.posix.basename(file));
}

/** The settings the conversion writes into .env files, whose values come from the config. */
const SHOWN_SETTINGS = new Set<string>([
  ...Object.values(SERVER_ENV_NAMES),
  ...Object.values(adminEnvNames("vite")),
  ...Object.values(adminEnvNames("cra")),
]);

/** A .env diff with every value but those of SHOWN_SETTINGS replaced by <hidden>. */
function hideValues(patch: string): string {
  return patch
    .split("\n")
    .map((line) => {
      if (!/^[ +-]/.test(line) || /^(---|\+\+\+) /.test(line)) return line;
      const text = line.slice(1);
      if (text.trim() === "" || text.trimStart().startsWith("#")) return line;
      const setting = /^(\s*(?:export\s+)?([\w.-]+)\s*=)/.exec(text);
      if (setting && SHOWN_SETTINGS.has(setting[2])) return line;
      // a line of a multi-line value has no name of its own: all of it is value
      return `${line[0]}${setting ? setting[1] : ""}<hidden>`;
    })
    .join("\n");
}

/**
 * The readable report: a line per changed file and per problem, then one summary line. With
 * `verbose`, every rule's outcome per service instead of the file lines. `apply` adds the
 * security settings and, once it has written, what to do next; `check` only the warnings.
 */
/**
 * @param repository the repository as seen from the working folder ("." there), for the
 *   commands of the next steps
 */
export function summary(
  result: RunResult,
  color: boolean,
  verbose = false,
  repository = ".",
): string {
  const c = color ? pc : pc.createColors(false);
  const lines: string[] = [];
  const configLists = listsServices(result);
  for (const profile of result.services) {
    const where = foldersOf(profile);
    if (profile.unsupported) {
      lines.push(notConvertedLine(profile, configLists, c));
      continue;
    }
    if (!profile.admin)
      lines.push(
        `${c.bold(profile.name)} (${where}): ${c.yellow("admin rules did not run")}: ${
          profile.listed
            ? "the config lists no admin for this service"
            : `no react-admin folder was found to pair with ${profile.server.root}`
        }; only the server is converted (list the admin under "services" if it is elsewhere)`,
      );
    if (profile.adminFound && profile.admin && !profile.admin.converted)
      lines.push(
        `${c.bold(profile.name)} (${where}): ${c.yellow(`admin ${profile.admin.root} found with its server`)}: ` +
          "the config lists no admin for this service, so the admin found beside its server is converted with it (it calls the server's login, which the conversion replaces); " +
          `add "admin": "${profile.admin.root}" to the service under "services" to list it`,
      );
    // Rules turned off change what the conversion gives (the local login may stay): said
    // without --verbose too, once per service.
    const off = result.records.filter(
      (r) => r.service === profile.name && r.status === "off",
    );
    if (off.length > 0 && !verbose)
      lines.push(
        `${c.bold(profile.name)} (${where}): ${c.yellow("rules off")}: ${off
          .map((r) =>
            r.reason === "turned off in the config"
              ? `${r.rule} (in the config)`
              : `${r.rule} (${(r.reason ?? "").replace(/, which it needs, is turned off in the config$/, " is off, and it needs it")})`,
          )
          .join(", ")}`,
      );
    if (!verbose) continue;
    const era = profile.era
      ? `era ${profile.era.id} (${profile.era.label})`
      : profile.server.converted
        ? "converted"
        : "era not in the table";
    lines.push(
      `${c.bold(profile.name)} (${where}): ${era}, auth entity ${profile.server.entity?.name}`,
    );
    for (const record of result.records.filter(
      (r) => r.service === profile.name,
    )) {
      const mark =
        record.status === "changed"
          ? c.green("✔ changed  ")
          : record.status === "unchanged"
            ? c.dim("· unchanged")
            : c.yellow(`- ${record.status.padEnd(9)}`);
      lines.push(
        `  ${mark} ${record.rule.padEnd(36)} ${record.file || record.reason}`,
      );
    }
  }
  if (!verbose)
    for (const change of result.changes)
      lines.push(`  ${actionOf(change).padEnd(6)} ${change.file}`);
  const converts = result.services.some((profile) => !profile.unsupported);
  if (converts && (verbose || result.command === "apply")) {
    lines.push("", formatSecurityNotes(result.security, c));
  } else if (converts) {
    for (const warning of result.security.warnings)
      lines.push(c.yellow(warningLine(warning)));
  }
  const changed = result.changes.length;
  const files = `${changed} file${changed === 1 ? "" : "s"}`;
  const convertible = result.services.filter((s) => !s.unsupported).length;
  const failing = failingMessage(result);
  const outcome = failing
    ? `${result.command === "apply" && !result.dryRun ? `nothing written${changed > 0 ? ` (${files} would change)` : ""}` : changed === 0 ? "nothing to change" : `${files} would change`}: ${failing}`
    : changed === 0
      ? convertible > 0
        ? "nothing to change: already converted"
        : "nothing to change"
      : result.command === "check"
        ? result.uncommitted.length > 0
          ? `${files} pending; the folders to convert hold uncommitted changes (such as ${result.uncommitted[0]}; a re-generation not yet committed?): ` +
            "commit them first, then run `amplication-auth0 apply` (or `apply --allow-dirty` to convert them uncommitted)"
          : `${files} pending (run \`amplication-auth0 apply\`: a re-generation, an edit of a file it writes, a change of the config, or a new version of this tool since the last apply)`
        : result.written
          ? `${files} written`
          : `${files} would change (dry run, nothing written)${
              result.uncommitted.length > 0
                ? `; apply would refuse: the folders to convert hold uncommitted changes (such as ${result.uncommitted[0]}): commit them first, or pass --allow-dirty`
                : ""
            }`;
  // Counted under the labels of the lines above.
  const counts = new Map<string, number>();
  for (const profile of result.services) {
    if (!profile.unsupported) continue;
    const label = runLabel(profile, configLists);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // A service with changes not written is pending, the others converted (statusOf); a run that
  // fails converts nothing.
  const pending = result.services.filter(
    (profile) => statusOf(profile, result) === "pending",
  ).length;
  if (lines.length > 0) lines.push("");
  lines.push(
    [
      failing
        ? `${outcome}; ${convertible} service(s) convertible`
        : `${outcome}; ${convertible - pending} service(s) converted${pending > 0 ? `, ${pending} pending` : ""}`,
      ...[...counts].map(
        ([label, count]) =>
          `${count} ${label === "nothing to convert" ? "with nothing to convert" : label}`,
      ),
    ].join(", "),
  );
  for (const note of result.notes) lines.push(c.yellow(`warning: ${note}`));
  if (result.written) lines.push("", nextSteps(result, repository));
  return lines.join("\n");
}

function actionOf(change: RunResult["changes"][number]): string {
  return change.before === undefined
    ? "create"
    : change.after === undefined
      ? "delete"
      : "update";
}

/** A security warning on one line, as `check` prints it (and the jscodeshift route). */
export function warningLine(
  warning: RunResult["security"]["warnings"][number],
): string {
  return `! ${warning.file ? `${warning.file}: ` : ""}${warning.message} (fix: ${warning.fix})`;
}

/** What the user does after a conversion is written: install, set up Auth0, deploy the env. */
function nextSteps(result: RunResult, repository: string): string {
  return [
    "Next steps:",
    ...nextStepLines(result, repository).map(({ text, remark }) =>
      remark ? `  (${text})` : `  ${text}`,
    ),
  ].join("\n");
}

/**
 * The next steps one by one, each with the service folder it is about (undefined for one about
 * the whole run), for the jscodeshift route to say each where it converts that folder; a remark
 * is said about the steps rather than being one. `repository` is the repository's root as the
 * user would type it.
 */
export function nextStepLines(
  result: Pick<RunResult, "services" | "changes">,
  repository: string,
): NextStep[] {
  const converted = result.services.filter((profile) => !profile.unsupported);
  const changed = new Set(result.changes.map((change) => change.file));
  const steps: NextStep[] = [];
  for (const dir of converted.flatMap((p) => [
    p.server.root,
    ...(p.admin ? [p.admin.root] : []),
  ]))
    if (changed.has(inService(dir, "package.json"))) {
      const folder = path.join(repository, isRepositoryRoot(dir) ? "." : dir);
      steps.push({
        folder: dir,
        text: `${folder === "." ? "" : `cd ${shellWord(folder)} && `}npm install   (its dependencies changed; commit the lock file it updates)`,
      });
    }
  steps.push({
    text: `amplication-auth0 provision${repository === "." ? "" : ` ${shellWord(repository)}`}   (if your Auth0 tenant has no API, single-page application and email-claims Action yet)`,
  });
  const serverVariables = Object.values(SERVER_ENV_NAMES).join(", ");
  for (const profile of converted) {
    // The admin is converted with it; any other client still posts a password to /api/login.
    const controller = inService(
      profile.server.root,
      "src/auth/auth.controller.ts",
    );
    if (
      result.changes.some(
        (change) => change.file === controller && change.after === undefined,
      )
    )
      steps.push({
        folder: profile.server.root,
        text: `update any other client of ${profile.server.root} (a mobile app, a script, an end-to-end test): its POST /api/login and GraphQL login mutation are gone; such a client signs in with Auth0 and sends the access token as "Authorization: Bearer <token>"`,
      });
    steps.push({
      folder: profile.server.root,
      text: `set in each deployed environment: ${profile.server.root}: ${serverVariables}`,
    });
    if (profile.admin?.bundler)
      steps.push({
        folder: profile.admin.root,
        text: `set at the admin's build: ${profile.admin.root}: ${Object.values(adminEnvNames(profile.admin.bundler)).join(", ")}`,
      });
  }
  steps.push({
    text: "the .env files hold this run's values for local development",
    remark: true,
  });
  return steps;
}

export interface NextStep {
  /** The service folder it is about; undefined for the whole run. */
  folder?: string;
  text: string;
  remark?: true;
}

/** A word for a POSIX shell: as it is when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text)
    ? text
    : `'${text.replace(/'/g, `'\\''`)}'`;
}
