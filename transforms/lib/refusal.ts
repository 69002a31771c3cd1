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
