/**
 * A file the run cannot read or write safely: outside the repository through a link, not valid
 * UTF-8, read-only, changed during the run, or an error of the file system. The run stops and
 * writes nothing; the message names the file, why, and what to do.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class FileRefusal extends Error {
  constructor(
    /** Repository-relative path. */
    readonly file: string,
    readonly reason: string,
    readonly fix: string,
    /** The rule whose change of the file was refused, where the engine knows it. */
    readonly rule?: string,
  ) {
    super(`${file}: ${reason}\n  fix: ${fix}`);
    this.name = "FileRefusal";
  }
}

/** Several refusals found together: a run reports every problem at once. */
export class FileRefusals extends FileRefusal {
  constructor(readonly refusals: FileRefusal[]) {
    super(
      refusals[0].file,
      refusals[0].reason,
      refusals[0].fix,
      refusals[0].rule,
    );
    this.message = refusals.map((refusal) => refusal.message).join("\n");
    this.name = "FileRefusals";
  }
}

/** A refusal's fix that may turn the rule off: namingRule names the rule there. */
export const TURN_OFF_ITS_RULE = "turn off the rule that changes it";

/**
 * The refusal with the rule that changes its file named: in --json, and in the fix where it says
 * to turn that rule off (TURN_OFF_ITS_RULE).
 */
export function namingRule(
  refusal: FileRefusal,
  ruleOf: (file: string) => string | undefined,
): FileRefusal {
  if (refusal instanceof FileRefusals)
    return new FileRefusals(
      refusal.refusals.map((one) => namingRule(one, ruleOf)),
    );
  const rule = ruleOf(refusal.file);
  if (rule === undefined) return refusal;
  return new FileRefusal(
    refusal.file,
    refusal.reason,
    refusal.fix.replace(
      TURN_OFF_ITS_RULE,
      `${TURN_OFF_ITS_RULE}, ${rule} ("rules": { "${rule}": "off" } in the config)`,
    ),
    rule,
  );
}

/**
 * One refusal, or all of them in one error; nothing when the list is empty. A file refused
 * twice for one reason (read by several rules) is named once.
 */
export function throwAll(refusals: FileRefusal[]): void {
  const unique = distinct(refusals);
  if (unique.length === 1) throw unique[0];
  if (unique.length > 1) throw new FileRefusals(unique);
}

/** The refusals without repeats: a file refused twice for one reason is named once. */
export function distinct(refusals: FileRefusal[]): FileRefusal[] {
  return [
    ...new Map(
      refusals.map((refusal) => [refusal.message, refusal] as const),
    ).values(),
  ];
}

/** The refusals one error holds: several (FileRefusals) or itself. */
export function refusalsOf(error: FileRefusal): FileRefusal[] {
  return error instanceof FileRefusals ? error.refusals : [error];
}

/** What a file-system error means for a path, as a refusal naming it (never "internal error"). */
export function fsRefusal(file: string, error: unknown): FileRefusal {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, [string, string]> = {
    EISDIR: [
      "is a folder where a file is expected",
      "remove or rename the folder",
    ],
    ENOTDIR: [
      "a part of the path is a file where a folder is expected",
      "fix the path",
    ],
    ELOOP: [
      "is a symbolic link that loops (or too many links deep)",
      "replace the link with the file it should point to",
    ],
    EACCES: [
      "permission denied",
      "give the user running the tool read and write access",
    ],
    EPERM: [
      "operation not permitted",
      "give the user running the tool read and write access",
    ],
    ENOSPC: ["no space left on the device", "free some space and run again"],
    EROFS: [
      "is on a read-only file system",
      "run on a writable copy of the repository",
    ],
  };
  const [reason, fix] = reasons[code ?? ""] ?? [
    `cannot be accessed (${(error as Error)?.message ?? String(error)})`,
    "check the file and run again",
  ];
  return new FileRefusal(file, `${reason} (${code ?? "error"})`, fix);
}

/** Whether the absolute path `real` is the folder `root` or inside it. */
export function isInside(real: string, root: string): boolean {
  return (
    real === root ||
    real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
  );
}

/**
 * Where a repository path really is, following every link on the way, or undefined when it does
 * not exist. Refuses (with the link that leads there) when that is outside the repository.
 */
export function realInside(
  realRoot: string,
  root: string,
  file: string,
): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(path.join(root, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw fsRefusal(file, error);
  }
  if (!isInside(real, realRoot)) throw outside(root, file, real);
  return real;
}

/** The refusal for a path that resolves outside the repository, naming the link on the way. */
export function outside(root: string, file: string, real: string): FileRefusal {
  const link = linkOnTheWay(root, file);
  const fix =
    "the tool reads and writes only inside the repository: replace the link with the folder or file itself, or run the tool in the repository it points to";
  if (!link)
    return new FileRefusal(
      file,
      `is outside the repository (it resolves to ${real})`,
      "name paths inside the repository (service paths in the config are relative to it)",
    );
  return new FileRefusal(
    link,
    `is a symbolic link that leads outside the repository (${link === file ? "to" : `${file} resolves to`} ${real})`,
    fix,
  );
}

/** The first symbolic link on a repository path, or undefined. */
function linkOnTheWay(root: string, file: string): string | undefined {
  const parts = file.split("/").filter((part) => part !== "" && part !== ".");
  for (let i = 1; i <= parts.length; i++) {
    const partial = parts.slice(0, i).join("/");
    try {
      if (fs.lstatSync(path.join(root, partial)).isSymbolicLink())
        return partial;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
