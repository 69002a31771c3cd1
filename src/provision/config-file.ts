/**
 * Writes the values provisioning produced (auth0.domain, auth0.clientId, auth0.audience) into
 * the config file and leaves every other byte alone: a value already in the file is replaced
 * where it stands; a missing key is added with the file's own indentation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeText, encodeText } from "../tree/encoding";

export interface ConfigValue {
  /** Dot path such as "auth0.clientId"; every segment but the last names an object. */
  path: string;
  value: string;
}

interface Span {
  start: number;
  end: number;
}

/** `text` with each value set. `text` must be valid JSON whose root is an object. */
export function setConfigValues(
  text: string,
  values: readonly ConfigValue[],
): string {
  let result = text;
  for (const { path: at, value } of values) {
    const segments = at.split(".");
    const spans = scan(result);
    const span = spans.values.get(segments.join("\u0000"));
    if (span) {
      result =
        result.slice(0, span.start) +
        JSON.stringify(value) +
        result.slice(span.end);
      continue;
    }
    result = insertKey(result, spans, segments, value);
  }
  return result;
}

/**
 * Writes through a temporary file and a rename, so a crash leaves the old or the new file. The
 * values are set in text with "\n" line ends, written back with the file's own (CRLF in a
 * Windows checkout: a key added there would have had "\n" alone).
 */
export function writeConfigValues(
  file: string,
  values: readonly ConfigValue[],
): void {
  const { text, style } = decodeText(fs.readFileSync(file));
  const next = setConfigValues(text, values);
  if (next === text) return;
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.tmp`,
  );
  fs.writeFileSync(temporary, encodeText(next, style));
  fs.renameSync(temporary, file);
}

/** Adds the deepest missing key (and any missing parent objects) to the nearest existing object. */
function insertKey(
  text: string,
  spans: Scan,
  segments: string[],
  value: string,
): string {
  let depth = segments.length - 1;
  while (
    depth > 0 &&
    !spans.objects.has(segments.slice(0, depth).join("\u0000"))
  )
    depth--;
  const parent = spans.objects.get(segments.slice(0, depth).join("\u0000"));
  if (!parent)
    throw new Error(`cannot place ${segments.join(".")} in the config file`);
  const indentUnit = detectIndent(text);
  const level = depth + 1;
  let inner: unknown = value;
  for (let i = segments.length - 1; i > depth; i--)
    inner = { [segments[i]]: inner };
  const rendered = JSON.stringify(inner, null, indentUnit)
    .split("\n")
    .join(`\n${indentUnit.repeat(level)}`);
  const entry = `${JSON.stringify(segments[depth])}: ${rendered}`;
  const closing = parent.end - 1; // the "}"
  const body = text.slice(parent.start + 1, closing);
  const closingIndent = indentUnit.repeat(level - 1);
  if (body.trim() === "")
    return `${text.slice(0, parent.start + 1)}\n${indentUnit.repeat(level)}${entry}\n${closingIndent}${text.slice(closing)}`;
  // After the last member: keep the whitespace before "}" as it is.
  let last = closing;
  while (last > parent.start && /\s/.test(text[last - 1])) last--;
  return `${text.slice(0, last)},\n${indentUnit.repeat(level)}${entry}${text.slice(last)}`;
}

function detectIndent(text: string): string {
  const match = /\n([ \t]+)"/.exec(text);
  return match ? match[1] : "  ";
}

interface Scan {
  /** Span of each value (of any type), keyed by its path joined with NUL. */
  values: Map<string, Span>;
  /** Span of each object ("{" to "}" inclusive), keyed the same way ("" is the root). */
  objects: Map<string, Span>;
}

/** A small JSON reader that remembers where things are. Assumes valid JSON. */
function scan(text: string): Scan {
  const values = new Map<string, Span>();
  const objects = new Map<string, Span>();
  let i = 0;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (at: string[]): void => {
    skip();
    const key = at.join("\u0000");
    const c = text[i];
    if (c === "{") {
      const start = i;
      i++;
      skip();
      if (text[i] === "}") i++;
      else
        for (;;) {
          skip();
          const name = readString();
          skip();
          i++; // ":"
          readValue([...at, name]);
          skip();
          if (text[i++] === "}") break; // else ","
        }
      objects.set(key, { start, end: i });
      values.set(key, { start, end: i });
    } else if (c === "[") {
      const start = i;
      i++;
      skip();
      if (text[i] === "]") i++;
      else
        for (let index = 0; ; index++) {
          readValue([...at, String(index)]);
          skip();
          if (text[i++] === "]") break;
        }
      values.set(key, { start, end: i });
    } else if (c === '"') {
      const start = i;
      readString();
      values.set(key, { start, end: i });
    } else {
      const start = i;
      while (i < text.length && /[^\s,\]}]/.test(text[i])) i++;
      values.set(key, { start, end: i });
    }
  };
  readValue([]);
  return { values, objects };
}
