/**
 * What a run tells its user: a readable summary (and diff for --dry-run), or JSON for scripts.
 */
import { createTwoFilesPatch } from "diff";
import pc from "picocolors";
import type { AppProfile } from "../detect/detect";
import type { RunResult } from "../engine/run";
import { formatSecurityNotes } from "./security";

/** A service that could have been converted but was not (no-auth services are just reported). */
export function isRefused(profile: AppProfile): boolean {
  return profile.unsupported !== undefined && profile.server.auth !== "none";
}

export function exitCodeOf(result: RunResult): 0 | 1 {
  if (result.services.some(isRefused)) return 1;
  if (result.command === "check" && result.changes.length > 0) return 1;
  return 0;
}

export function toJson(result: RunResult): string {
  return JSON.stringify(
    {
      command: result.command,
      dryRun: result.dryRun,
      written: result.written,
      exitCode: exitCodeOf(result),
      services: result.services.map((profile) => ({
        name: profile.name,
        server: profile.server.root,
        admin: profile.admin?.root ?? null,
        auth: profile.server.auth,
        era: profile.era?.id ?? null,
        entity: profile.server.entity?.name ?? null,
        converted: profile.server.converted,
        status: profile.unsupported
          ? isRefused(profile)
            ? "refused"
            : "not-applicable"
          : "converted",
        reason: profile.unsupported ?? null,
        findings: profile.server.findings,
      })),
      security: {
        settings: Object.fromEntries(result.security.settings),
        warnings: result.security.warnings,
      },
      rules: result.records,
      files: result.changes.map((change) => ({
        file: change.file,
        action:
          change.before === undefined
            ? "create"
            : change.after === undefined
              ? "delete"
              : "update",
      })),
    },
    null,
    2,
  );
}

export function unifiedDiff(result: RunResult, color: boolean): string {
  return result.changes
    .map(({ file, before, after }) => {
      const patch = createTwoFilesPatch(
        before === undefined ? "/dev/null" : `a/${file}`,
        after === undefined ? "/dev/null" : `b/${file}`,
        before ?? "",
        after ?? "",
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, "");
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

export function summary(result: RunResult, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const lines: string[] = [];
  for (const profile of result.services) {
    const where = [profile.server.root, profile.admin?.root]
      .filter(Boolean)
      .join(" + ");
    if (profile.unsupported) {
      const label = isRefused(profile)
        ? c.red("not converted")
        : c.yellow("nothing to convert");
      lines.push(
        `${c.bold(profile.name)} (${where}): ${label}: ${profile.unsupported}`,
      );
      continue;
    }
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
  if (result.services.some((profile) => !profile.unsupported)) {
    lines.push("", formatSecurityNotes(result.security, c));
  }
  const changed = result.changes.length;
  const files = `${changed} file${changed === 1 ? "" : "s"}`;
  const convertible = result.services.filter((s) => !s.unsupported).length;
  const outcome =
    changed === 0
      ? convertible > 0
        ? "nothing to change: already converted"
        : "nothing to change"
      : result.command === "check"
        ? `${files} pending`
        : result.written
          ? `${files} written`
          : `${files} would change (dry run, nothing written)`;
  const refused = result.services.filter(isRefused).length;
  lines.push("");
  lines.push(
    `${outcome}; ${convertible} service(s) convertible${refused > 0 ? `, ${refused} not converted` : ""}`,
  );
  if (result.command === "check" && changed > 0) {
    lines.push(
      c.yellow(
        "run `amplication-auth0 apply` to convert them (a re-generation may have undone the conversion)",
      ),
    );
  }
  return lines.join("\n");
}
