/**
 * Reads and validates auth0.config.json. Every problem is collected (syntax, schema, leftover
 * placeholders) so the user fixes the file once, not once per run.
 */
import * as fs from "node:fs";
import type { z } from "zod";
import {
  configSchema,
  type Config,
  type ConfigSchema,
  type RuleIds,
} from "./schema";
import { ConfigResolutionError, resolveAuth0 } from "./resolve";

export const DEFAULT_CONFIG_FILE = "auth0.config.json";
/** What `init` writes where only the user can know the value; `apply` refuses it. */
export const PLACEHOLDER = "REPLACE_ME";

export interface ConfigProblem {
  /** JSON path such as "auth0.issuer", or "" for the whole file. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
    /** The file does not exist (or cannot be read): no configuration, rather than a bad one. */
    missing = false,
  ) {
    super(
      `${file}: ${missing ? "no configuration" : "invalid configuration"}\n` +
        problems
          .map((p) => `  ✖ ${p.path ? `${p.path}: ` : ""}${p.message}`)
          .join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** How `provision` reads a config that it is about to complete. Other commands pass nothing. */
export interface LoadOptions {
  /**
   * Values set at these JSON paths (such as "auth0.domain") before validation, e.g. from
   * command-line flags. They are validated like values from the file.
   */
  overrides?: Readonly<Record<string, string>>;
  /**
   * JSON paths (such as "auth0.clientId") where init's placeholder is accepted instead of
   * rejected, because the caller fills them in. The schema still checks the value.
   */
  allowPlaceholdersAt?: readonly string[];
}

/** Reads and validates configs whose rules are `ruleIds`: built by who knows the rules. */
export interface ConfigLoader {
  loadConfigFile(file: string, options?: LoadOptions): Config;
  parseConfig(text: string, file?: string, options?: LoadOptions): Config;
}

export function configLoader(ruleIds: RuleIds): ConfigLoader {
  const schema = configSchema(ruleIds);
  return {
    loadConfigFile: (file, options = {}) =>
      parseConfig(schema, readConfigText(file), file, options),
    parseConfig: (text, file = DEFAULT_CONFIG_FILE, options = {}) =>
      parseConfig(schema, text, file, options),
  };
}

function readConfigText(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "file not found"
        : String(error);
    throw new ConfigError(
      file,
      [
        {
          path: "",
          message: `${reason}. Create one with \`amplication-auth0 init\` or pass --config <file>.`,
        },
      ],
      true,
    );
  }
  return text;
}

function parseConfig(
  schema: ConfigSchema,
  text: string,
  file: string,
  options: LoadOptions,
): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [
      { path: "", message: describeJsonError(text, error as Error) },
    ]);
  }
  const tooDeep = pathDeeperThan(raw, MAX_DEPTH);
  if (tooDeep) {
    throw new ConfigError(file, [
      {
        path: tooDeep.join("."),
        message: `is nested more than ${MAX_DEPTH} levels deep; no setting is, so this is not a config the tool can use`,
      },
    ]);
  }
  for (const [at, value] of Object.entries(options.overrides ?? {}))
    raw = setAtPath(raw, at.split("."), value);
  const allowed = new Set(options.allowPlaceholdersAt ?? []);
  const placeholders = findPlaceholders(raw).filter(
    (p) => !allowed.has(p.path),
  );
  const placeholderPaths = new Set(placeholders.map((p) => p.path));
  const result = schema.safeParse(raw);
  // A placeholder explains its path better than the pattern it also fails.
  const problems: ConfigProblem[] = result.success
    ? []
    : result.error.issues
        .flatMap((issue) => describeIssue(schema, issue))
        .filter((p) => !placeholderPaths.has(p.path));
  problems.push(...placeholders);
  if (result.success && problems.length === 0) {
    try {
      resolveAuth0(result.data);
    } catch (error) {
      if (!(error instanceof ConfigResolutionError)) throw error;
      problems.push({ path: error.path, message: error.message });
    }
  }
  if (problems.length > 0 || !result.success)
    throw new ConfigError(file, problems);
  return result.data;
}

/**
 * The deepest a config goes is 4 levels (user.claims.namespace); far deeper JSON would only
 * overflow the stack of the recursive checks below, so it is refused first.
 */
const MAX_DEPTH = 32;

/** The path to the first value nested deeper than `limit`, walked without recursion. */
function pathDeeperThan(root: unknown, limit: number): string[] | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [
    { value: root, path: [] },
  ];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (!value || typeof value !== "object") continue;
    if (path.length >= limit) return path;
    for (const [key, item] of Object.entries(value))
      stack.push({ value: item, path: [...path, key] });
  }
  return undefined;
}

/**
 * A copy of `value` with `path` set to `leaf`, creating missing objects on the way. A value of
 * the wrong type is left alone, so the schema still reports it.
 */
function setAtPath(value: unknown, path: string[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  if (value === undefined) value = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  const [head, ...rest] = path;
  return { ...object, [head]: setAtPath(object[head], rest, leaf) };
}

/** JSON.parse reports a character offset; people want line and column. */
function describeJsonError(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const reason = error.message
    .replace(/\s*in JSON at position \d+.*$/, "")
    .replace(/ \(line \d+ column \d+\)$/, "");
  return `JSON syntax error at line ${line}, column ${column}: ${reason}`;
}

function describeIssue(
  schema: ConfigSchema,
  issue: z.core.$ZodIssue,
): ConfigProblem[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      const hint = guess
        ? `did you mean "${guess}"?`
        : known.length > 0
          ? `allowed here: ${known.join(", ")}`
          : "remove it";
      return {
        path: path ? `${path}.${key}` : key,
        message: `unknown key "${key}" (${hint})`,
      };
    });
  }
  if (
    issue.code === "invalid_type" &&
    issue.message.includes("received undefined")
  ) {
    return [{ path, message: "is required" }];
  }
  return [{ path, message: issue.message }];
}

function findPlaceholders(
  value: unknown,
  path: string[] = [],
): ConfigProblem[] {
  if (typeof value === "string") {
    return value.includes(PLACEHOLDER)
      ? [
          {
            path: path.join("."),
            message: `still holds the placeholder "${value}" written by \`init\`; replace it with ${placeholderWants(path)}`,
          },
        ]
      : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      findPlaceholders(item, [...path, String(i)]),
    );
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      findPlaceholders(item, [...path, key]),
    );
  }
  return [];
}

/** What replaces a placeholder: init writes them for the tenant and for the auth entity. */
function placeholderWants(path: string[]): string {
  if (path[0] === "user" && path[1] === "defaultValues")
    return "the value users created on first login get for this field";
  if (path[0] === "user" && path[1] === "claimMapping")
    return "the access-token claim to copy into this field (each user gets their own value)";
  return "your tenant's value";
}

/** Keys the schema allows at a path, to suggest the intended one for a typo. */
function knownKeysAt(schema: ConfigSchema, path: PropertyKey[]): string[] {
  let node: z.ZodType = schema;
  for (const segment of path) {
    node = unwrap(node);
    const def = (node as unknown as { def: Record<string, unknown> }).def;
    if (def.type === "object")
      node = (def.shape as Record<string, z.ZodType>)[String(segment)];
    else if (def.type === "array") node = def.element as z.ZodType;
    else return [];
    if (!node) return [];
  }
  node = unwrap(node);
  const def = (node as unknown as { def: Record<string, unknown> }).def;
  if (def.type === "object") return Object.keys(def.shape as object);
  // The rules: a record keyed by the rule ids.
  const keys = (def.keyType as { options?: unknown } | undefined)?.options;
  return def.type === "record" && Array.isArray(keys) ? keys.map(String) : [];
}

function unwrap(node: z.ZodType): z.ZodType {
  let current = node as unknown as {
    def: { type: string; innerType?: unknown };
  };
  while (
    ["default", "optional", "nullable", "prefault"].includes(
      current.def.type,
    ) &&
    current.def.innerType
  ) {
    current = current.def.innerType as typeof current;
  }
  return current as unknown as z.ZodType;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3))
    ? best
    : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length];
}
