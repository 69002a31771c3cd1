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
  ) {
    super(`${file}: rule ${rule} refused: ${reason}\n  fix: ${fix}`);
    this.name = "RuleRefusal";
  }
}

/**
 * More than one refusal in a run: the engine runs every rule it can before it stops, so the
 * user fixes every file in one go (a single refusal is thrown as the RuleRefusal itself).
 */
export class RuleRefusals extends Error {
  constructor(readonly refusals: RuleRefusal[]) {
    super(
      `${refusals.length} files refused:\n` +
        refusals.map((refusal) => refusal.message).join("\n"),
    );
    this.name = "RuleRefusals";
  }
}

/** Throws what was collected: nothing, the one refusal, or all of them. */
export function throwRefusals(refusals: RuleRefusal[]): void {
  if (refusals.length === 1) throw refusals[0];
  if (refusals.length > 1) throw new RuleRefusals(refusals);
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
  ) {
    super(
      `${file ? `${file}: ` : ""}not valid ${language} at line ${line}, column ${column}: ${problem}`,
    );
    this.name = "UnreadableText";
  }

  /** The same problem, in a file the reader's caller knows the name of. */
  in(file: string): UnreadableText {
    return new UnreadableText(
      this.language,
      this.line,
      this.column,
      this.problem,
      file,
    );
  }

  refusal(rule: string, ownFile: string): RuleRefusal {
    const file = this.file ?? ownFile;
    return new RuleRefusal(
      rule,
      file,
      `it is not valid ${this.language} at line ${this.line}, column ${this.column}: ${this.problem}`,
      `correct ${file} at line ${this.line} (or restore the generated file) and run again`,
    );
  }
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
