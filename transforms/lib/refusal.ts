/**
 * Thrown by a rule when a file does not have the shape the rule expects (usually because a user
 * edited it). The run then stops and writes nothing: a transform never guesses.
 */
export class RuleRefusal extends Error {
  constructor(
    readonly rule: string,
    readonly file: string,
    readonly reason: string,
    readonly fix: string,
    /** The file does not parse: the problem to fix first (see RuleRefusals). */
    readonly unparsable = false,
    /**
     * The files whose code still uses this one, where that is why it is refused: when the run
     * refused each of them too, this refusal follows from theirs (see describeRefusals).
     */
    readonly usedBy: readonly string[] = [],
    /** See Refusal.configProblems. */
    readonly configProblems: readonly ConfigMismatch[] = [],
  ) {
    super(`${file}: rule ${rule} refused: ${reason}\n  fix: ${fix}`);
    this.name = "RuleRefusal";
  }
}

/**
 * A setting of the config that does not fit the app (a default value of the wrong type for its
 * field, say): the JSON path to change and what is wrong, as config problems are reported.
 */
export interface ConfigMismatch {
  path: string;
  message: string;
}

/**
 * What a rule throws when a file does not have the shape it expects: the reason and the fix,
 * without the rule's id or the file. src/plan/run-rule.ts knows both and turns it into the
 * RuleRefusal the user sees, so a rule cannot name the wrong rule or file.
 */
export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
    /** The circumstance under which turning the rule off is the way out, if there is one. */
    readonly turnOffIf?: string,
    /** See RuleRefusal.usedBy. */
    readonly usedBy: readonly string[] = [],
    /**
     * When the refusal is only about settings of the config, each of them: a run refused for
     * such settings alone reports them as the config's problems (src/engine/run.ts).
     */
    readonly configProblems: readonly ConfigMismatch[] = [],
  ) {
    super(`refused: ${reason}\n  fix: ${fix}`);
    this.name = "Refusal";
  }

  /**
   * The refusal of rule `rule` for `file`. A fix that says "turn this rule off" says how, with
   * the rule's id, as the config takes it.
   */
  of(rule: string, file: string): RuleRefusal {
    const turnOff = `turn the rule off in the config ("rules": { "${rule}": "off" })`;
    const fix =
      this.turnOffIf === undefined
        ? this.fix.replaceAll("turn this rule off", turnOff)
        : `${this.fix}, or ${turnOff} if ${this.turnOffIf}`;
    return new RuleRefusal(
      rule,
      file,
      this.reason,
      fix,
      false,
      this.usedBy,
      this.configProblems,
    );
  }
}

/**
 * Refuses the file the rule works on. `turnOffIf` adds "or turn the rule off in the config
 * (...) if <turnOffIf>" to the fix, naming the rule's id; `usedBy` names the files whose use
 * of this one is the reason (see RuleRefusal.usedBy).
 */
export function refuse(
  reason: string,
  fix: string,
  options: {
    turnOffIf?: string;
    usedBy?: readonly string[];
    configProblems?: readonly ConfigMismatch[];
  } = {},
): never {
  throw new Refusal(
    reason,
    fix,
    options.turnOffIf,
    options.usedBy,
    options.configProblems,
  );
}

/** refuse(), as handed to a rule's helpers. */
export type Refuse = typeof refuse;

/**
 * More than one refusal in a run: the engine runs every rule it can before it stops, so the
 * user fixes every file in one go (a single refusal is thrown as the RuleRefusal itself).
 */
export class RuleRefusals extends Error {
  constructor(readonly refusals: RuleRefusal[]) {
    const first =
      refusals.some((refusal) => refusal.unparsable) &&
      refusals.some((refusal) => !refusal.unparsable);
    super(
      refusedCount(refusals) +
        "\n" +
        (first
          ? "(the files that do not parse come first: fix them first, as the refusals after them may follow from them)\n"
          : "") +
        describeRefusals(refusals),
    );
    this.name = "RuleRefusals";
  }
}

/** "N files refused:", or "N refusals in M files:" where a file is refused more than once. */
export function refusedCount(
  refusals: ReadonlyArray<{ file: string }>,
): string {
  const files = new Set(refusals.map((refusal) => refusal.file)).size;
  return files === refusals.length
    ? `${files} files refused:`
    : `${refusals.length} refusals in ${files} files:`;
}

/** The refusals' lines, one problem of several rules named once (see sameProblems). */
export function describeRefusals(refusals: RuleRefusal[]): string {
  const following = followers(refusals);
  const led = new Set([...following.values()].flat());
  return sameProblems(refusals.filter((refusal) => !led.has(refusal)))
    .map(([refusal, ...others]) => {
      const text =
        others.length === 0
          ? refusal.message
          : `${refusal.file}: rules ${[refusal, ...others].map((r) => r.rule).join(", ")} refused: ${refusal.reason}\n  fix: ${refusal.fix}`;
      const after = [refusal, ...others].flatMap((r) => following.get(r) ?? []);
      return after.length === 0 ? text : `${text}\n${followingLine(after)}`;
    })
    .join("\n");
}

/**
 * The refusals that follow from another of the run: a file refused because code that stays
 * still uses it (RuleRefusal.usedBy), where the run refused each of those users too (so that
 * code was not converted). Each goes under the refusal of its first such user's file, the
 * first refusal of that file: fixing that one clears it, and a line each would only repeat it.
 */
function followers(refusals: RuleRefusal[]): Map<RuleRefusal, RuleRefusal[]> {
  const firstOf = new Map<string, RuleRefusal>();
  for (const refusal of refusals)
    if (!firstOf.has(refusal.file)) firstOf.set(refusal.file, refusal);
  const found = new Map<RuleRefusal, RuleRefusal[]>();
  for (const refusal of refusals) {
    const users = refusal.usedBy.filter((file) => file !== refusal.file);
    if (users.length === 0 || !users.every((file) => firstOf.has(file)))
      continue;
    const leader = firstOf.get(users[0])!;
    // one that leads others is not led itself (two files refused for using each other)
    if (leader.usedBy.length > 0) continue;
    found.set(leader, [...(found.get(leader) ?? []), refusal]);
  }
  return found;
}

function followingLine(refusals: RuleRefusal[]): string {
  const rules = [...new Set(refusals.map((refusal) => refusal.rule))];
  const files = refusals.map((refusal) => refusal.file);
  return `  and so: rule${rules.length > 1 ? "s" : ""} ${rules.join(", ")} refused ${files.length === 1 ? "1 file" : `${files.length} files`} it still uses (they go once it is converted): ${files.join(", ")}`;
}

/** For each refusal that follows from another (see followers), that other one's file. */
export function followsFrom(refusals: RuleRefusal[]): Map<RuleRefusal, string> {
  const found = new Map<RuleRefusal, string>();
  for (const [leader, led] of followers(refusals))
    for (const refusal of led) found.set(refusal, leader.file);
  return found;
}

/** The refusals grouped by file, reason and fix (several rules refusing one file for one reason), in order. */
function sameProblems(refusals: RuleRefusal[]): RuleRefusal[][] {
  const groups = new Map<string, RuleRefusal[]>();
  for (const refusal of refusals) {
    const key = JSON.stringify([refusal.file, refusal.reason, refusal.fix]);
    const group = groups.get(key);
    if (group) group.push(refusal);
    else groups.set(key, [refusal]);
  }
  return [...groups.values()];
}

/**
 * Throws what was collected: nothing, the one refusal, or all of them, those of files that do
 * not parse first (a refusal elsewhere may follow from one: a file left unconverted).
 */
export function throwRefusals(refusals: RuleRefusal[]): void {
  const all = unparsableFirst(refusals);
  if (all.length === 1) throw all[0];
  if (all.length > 1) throw new RuleRefusals(all);
}

/** The refusals of files that do not parse first, each group in its order. */
export function unparsableFirst(refusals: RuleRefusal[]): RuleRefusal[] {
  return [
    ...refusals.filter((refusal) => refusal.unparsable),
    ...refusals.filter((refusal) => !refusal.unparsable),
  ];
}

/**
 * Thrown by the readers in transforms/lib (package.json, .env, Prisma schema) for a text they
 * cannot read. They do not know which rule asked: src/plan/run-rule.ts turns this into the
 * asking rule's RuleRefusal, for `file` when the reader was given another file than the
 * rule's own.
 */
export class UnreadableText extends Error {
  constructor(
    /** "JSON", "YAML", ".env", "Prisma schema", "TypeScript". */
    readonly language: string,
    /** 1-based, as editors count. */
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    readonly file?: string,
    /** The errors after the first one, where the reader could go on past it (TypeScript). */
    readonly more: readonly TextError[] = [],
    /** The first error is a merge conflict's marker: the conflict is what to resolve. */
    readonly conflict = false,
  ) {
    super(
      `${file ? `${file}: ` : ""}not valid ${language} ${describeErrors([{ line, column, problem }, ...more])}`,
    );
    this.name = "UnreadableText";
  }

  /** Every error found, the first one first. */
  get errors(): TextError[] {
    const { line, column, problem } = this;
    return [{ line, column, problem }, ...this.more];
  }

  /** The same problem, in a file the reader's caller knows the name of. */
  in(file: string): UnreadableText {
    return new UnreadableText(
      this.language,
      this.line,
      this.column,
      this.problem,
      file,
      this.more,
      this.conflict,
    );
  }

  /**
   * The same problem, said as the merge conflict it is when its line in `text` (the text read)
   * is a conflict marker (<<<<<<<, |||||||, =======, >>>>>>>): "Unexpected token" sends the user
   * to the wrong fix.
   */
  explainedBy(text: string): UnreadableText {
    const line = text.split("\n")[this.line - 1] ?? "";
    const marker = /^(<{7}|\|{7}|={7}|>{7})(?=\s|$)/.exec(line)?.[1];
    if (!marker) return this;
    return new UnreadableText(
      this.language,
      this.line,
      this.column,
      `a merge conflict marker (${marker}): the file holds a merge conflict that was not resolved`,
      this.file,
      [],
      true,
    );
  }

  refusal(rule: string, ownFile: string): RuleRefusal {
    const file = this.file ?? ownFile;
    const lines = [...new Set(this.errors.map((error) => error.line))];
    return new RuleRefusal(
      rule,
      file,
      `it is not valid ${this.language} ${describeErrors(this.errors)}`,
      this.conflict
        ? `resolve the merge conflict in ${file} (from line ${this.line}; \`git status\` lists every file still in conflict), commit, and run again`
        : `correct ${file} at line${lines.length > 1 ? "s" : ""} ${listed(lines.map(String))} and run again (or, if the error came with an edit of yours, put back Amplication's version of the file)`,
      true,
    );
  }
}

/** One syntax error: where (1-based) and what. */
export interface TextError {
  line: number;
  column: number;
  problem: string;
}

/** "at line 3, column 5: ...", and each further error after "; and at". */
function describeErrors(errors: readonly TextError[]): string {
  return errors
    .map(
      ({ line, column, problem }) =>
        `at line ${line}, column ${column}: ${problem}`,
    )
    .join("; and ");
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** 1-based line and column of a character offset into text. */
export function lineAndColumn(
  text: string,
  offset: number,
): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return {
    line: before.split("\n").length,
    column: offset - lineStart + 1,
  };
}
