/**
 * Text splices: a transform that changes a few tokens of a large file can write them into the
 * text instead of having recast reprint the file and Prettier format all of it.
 *
 * A splice keeps every other byte of the file, so a formatted file stays formatted as long as
 * the edited lines are printed by Prettier as they are written: the transform checks that for
 * everything but the print width (whole lines of the shape Prettier prints: an edit replaces the
 * rest of one line, and may add lines after it), and the engine checks the width against the
 * file's Prettier config before it skips Prettier (see src/format/format.ts). Any other output
 * of a transform is formatted as before. The splice is a value the transform hands over
 * (recordSplice), not state kept here.
 */

export interface Splice {
  /** The file's content after the edits. */
  output: string;
  /** The widest line an edit produced, in characters (the edited lines hold no tabs). */
  width: number;
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits. Undefined unless every edit replaces the rest of one line that
 * holds nothing else but spaces before it, and the text has no carriage return or tab (it may
 * hold new lines: lines added).
 */
export function splice(
  source: string,
  edits: readonly Edit[],
): Splice | undefined {
  if (source.includes("\r")) return undefined;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let output = "";
  let at = 0;
  let width = 0;
  for (const edit of sorted) {
    if (edit.start < at || edit.end < edit.start) return undefined;
    const lineStart = source.lastIndexOf("\n", edit.start - 1) + 1;
    const lineEnd = source.indexOf("\n", edit.start);
    if (lineEnd === -1 || edit.end !== lineEnd) return undefined;
    const indent = source.slice(lineStart, edit.start);
    if (!/^ *$/.test(indent) || /[\r\t]/.test(edit.text)) return undefined;
    const [first, ...added] = edit.text.split("\n");
    width = Math.max(
      width,
      indent.length + first.length,
      ...added.map((line) => line.length),
    );
    output += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  output += source.slice(at);
  return { output, width };
}

/**
 * Hands a splice to whoever ran the transform (options.recordSplice: the engine, through
 * src/plan/run-rule.ts) and returns its output, the transform's result. Under the jscodeshift
 * CLI nobody records it: the output is formatted as any other.
 */
export function recordSplice(options: unknown, made: Splice): string {
  (
    options as { recordSplice?: (splice: Splice) => void } | undefined
  )?.recordSplice?.(made);
  return made.output;
}
