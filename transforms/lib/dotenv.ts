/**
 * Line-based .env editing that keeps comments, blank lines and the order of everything it does
 * not touch. Amplication writes .env sorted by key; new keys keep that order when the file has it.
 */

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;

export interface EnvEntry {
  key: string;
  value: string;
  /** 0-based line index. */
  line: number;
}

export function parseEnv(source: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  source.split("\n").forEach((text, line) => {
    const match = ASSIGNMENT.exec(text.replace(/\r$/, ""));
    if (match)
      entries.push({ key: match[2], value: unquote(match[3].trim()), line });
  });
  return entries;
}

/** Keys defined more than once (dotenv keeps the first, which surprises people). */
export function duplicateKeys(
  source: string,
  keys: string[],
): Array<{ key: string; lines: number[] }> {
  const entries = parseEnv(source);
  return keys
    .map((key) => ({
      key,
      lines: entries.filter((e) => e.key === key).map((e) => e.line + 1),
    }))
    .filter((d) => d.lines.length > 1);
}

/** Sets each variable: updates its line in place, or inserts it (sorted when the file is sorted). */
export function setEnvVariables(
  source: string,
  variables: Record<string, string>,
): string {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const lines = source === "" ? [] : source.replace(/\r\n/g, "\n").split("\n");
  const hadFinalNewline = lines.length > 0 && lines[lines.length - 1] === "";
  if (hadFinalNewline) lines.pop();

  for (const [key, value] of Object.entries(variables)) {
    const entries = parseLines(lines);
    const existing = entries.find((e) => e.key === key);
    if (existing) {
      if (existing.value === value) continue;
      const prefix = ASSIGNMENT.exec(lines[existing.line])![1];
      lines[existing.line] = `${prefix}${key}=${quote(value)}`;
      continue;
    }
    const keys = entries.map((e) => e.key);
    const sorted = keys.every((k, i) => i === 0 || keys[i - 1] <= k);
    const next = sorted ? entries.find((e) => e.key > key) : undefined;
    const at = next ? next.line : lastContentLine(lines) + 1;
    lines.splice(at, 0, `${key}=${quote(value)}`);
  }
  return lines.join(eol) + (hadFinalNewline || lines.length > 0 ? eol : "");
}

/** Removes every line that assigns one of the keys. */
export function removeEnvVariables(source: string, keys: string[]): string {
  const drop = new Set(keys);
  return source
    .split("\n")
    .filter((text) => {
      const match = ASSIGNMENT.exec(text.replace(/\r$/, ""));
      return !(match && drop.has(match[2]));
    })
    .join("\n");
}

function parseLines(lines: string[]): EnvEntry[] {
  return parseEnv(lines.join("\n"));
}

function lastContentLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--)
    if (lines[i].trim() !== "") return i;
  return -1;
}

function unquote(raw: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  if (quoted)
    return quoted[1] === '"'
      ? quoted[2].replace(/\\n/g, "\n").replace(/\\"/g, '"')
      : quoted[2];
  return raw.replace(/\s+#.*$/, "");
}

function quote(value: string): string {
  return /^[^\s"'#\\]*$/.test(value)
    ? value
    : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
