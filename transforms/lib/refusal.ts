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
