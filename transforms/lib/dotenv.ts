/**
 * .env editing that keeps comments, blank lines and the order of everything it does not touch:
 * lines it does not change come back byte for byte (line endings included). Amplication writes
 * .env sorted by key; new keys keep that order when the file has it.
 *
 * It reads the grammar of dotenv 16, which the generated servers load: `KEY=value` or
 * `KEY: value`, an optional `export ` prefix, `#` comments, and values in single, double or
 * backtick quotes that may span lines (a PEM key). A text it cannot be sure dotenv reads the
 * same way (an unclosed quote, text after a closing quote, a line that assigns nothing) is
 * refused with its line and column, never edited on a guess.
 */
import { UnreadableText } from "./refusal";

/** `export KEY=`, `KEY =`, `KEY: ` (dotenv 16 takes `[\w.-]+` keys and both separators). */
const ASSIGNMENT = /^(\s*(?:export\s+)?)([\w.-]+)(\s*=[ \t]*|:[ \t]+)/;
const QUOTES = ["'", '"', "`"];

export interface EnvEntry {
  key: string;
  /** The value as dotenv 16 reads it. */
  value: string;
  /** 0-based index of the line the assignment starts on. */
  line: number;
  /** 0-based index of its last line (a quoted value may span lines). */
  endLine: number;
  /** What comes before the key: indentation and `export `. */
  prefix: string;
}

/** Every assignment of the text, in order. Throws UnreadableText where the grammar is unsure. */
export function parseEnv(source: string): EnvEntry[] {
  return parseLines(source.split("\n"));
}

/** Keys defined more than once (which one dotenv uses surprises people). */
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

/** Sets each variable: rewrites its assignment in place, or inserts it (sorted when the file is sorted). */
export function setEnvVariables(
  source: string,
  variables: Record<string, string>,
): string {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  // Lines keep their own "\r": what is not touched is written back as it was.
  const cr = eol === "\r\n" ? "\r" : "";
  const lines = source === "" ? [] : source.split("\n");
  // The result ends with a line break; every line then carries its own "\r" (CRLF files).
  if (lines.at(-1) === "") lines.pop();
  else if (lines.length > 0) lines[lines.length - 1] += cr;

  for (const [key, value] of Object.entries(variables)) {
    const entries = parseLines(lines);
    const existing = entries.find((e) => e.key === key);
    if (existing) {
      if (existing.value === value) continue;
      lines.splice(
        existing.line,
        existing.endLine - existing.line + 1,
        `${existing.prefix}${key}=${quote(value)}${cr}`,
      );
      continue;
    }
    const keys = entries.map((e) => e.key);
    const sorted = keys.every((k, i) => i === 0 || keys[i - 1] <= k);
    const next = sorted ? entries.find((e) => e.key > key) : undefined;
    const at = next ? next.line : lastContentLine(lines, entries) + 1;
    lines.splice(at, 0, `${key}=${quote(value)}${cr}`);
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Removes every assignment of one of the keys, all its lines. */
export function removeEnvVariables(source: string, keys: string[]): string {
  const drop = new Set(keys);
  const lines = source.split("\n");
  for (const entry of parseLines(lines).reverse())
    if (drop.has(entry.key))
      lines.splice(entry.line, entry.endLine - entry.line + 1);
  return lines.join("\n");
}

function parseLines(lines: string[]): EnvEntry[] {
  const entries: EnvEntry[] = [];
  const unreadable = (line: number, column: number, problem: string) =>
    new UnreadableText(".env", line + 1, column + 1, problem);
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line].replace(/\r$/, "");
    if (/^\s*(#.*)?$/.test(text)) continue;
    const match = ASSIGNMENT.exec(text);
    if (!match) {
      throw unreadable(
        line,
        text.length - text.trimStart().length,
        "the line is neither KEY=value, a comment nor blank",
      );
    }
    const [assignment, prefix, key] = match;
    const rest = text.slice(assignment.length);
    const quote = rest[0];
    if (!QUOTES.includes(quote)) {
      // unquoted: up to a `#`, trimmed
      entries.push({
        key,
        value: rest.replace(/#.*$/, "").trim(),
        line,
        endLine: line,
        prefix,
      });
      continue;
    }
    // A quoted value ends at the next quote of its kind not escaped by a backslash; it may
    // span lines.
    const opened = { line, column: assignment.length };
    let body = "";
    let at = assignment.length + 1;
    let current = text;
    for (;;) {
      const close = closingQuote(current, at, quote);
      if (close !== -1) {
        body += current.slice(at, close);
        const after = current.slice(close + 1);
        if (!/^\s*(#.*)?$/.test(after)) {
          throw unreadable(
            line,
            close + 1,
            `text after the closing ${quote} of ${key}`,
          );
        }
        break;
      }
      body += current.slice(at) + "\n";
      if (++line >= lines.length) {
        throw unreadable(
          opened.line,
          opened.column,
          `the ${quote} that opens the value of ${key} is never closed`,
        );
      }
      // dotenv reads CRLF as LF, inside values too
      current = lines[line].replace(/\r$/, "");
      at = 0;
    }
    entries.push({
      key,
      value:
        quote === '"' ? body.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : body,
      line: opened.line,
      endLine: line,
      prefix,
    });
  }
  return entries;
}

/** Index of the quote that closes a value in `text` from `from` on, or -1. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\" && text[i + 1] === quote) i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** The last line that is not blank, and not inside a value. */
function lastContentLine(lines: string[], entries: EnvEntry[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].trim() === "") continue;
    return entries.find((e) => e.line <= i && i <= e.endLine)?.endLine ?? i;
  }
  return -1;
}

function quote(value: string): string {
  return /^[^\s"'#\\]*$/.test(value)
    ? value
    : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
