/**
 * Where words stand in a source text, to pass over the parts of a large syntax tree that cannot
 * hold what a walk looks for: a node whose text holds none of the words (App.tsx's 1,000
 * <Resource> elements, say) is not entered.
 */

/** Where `word` starts in `text`, every time. */
export function occurrences(text: string, word: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1))
    found.push(at);
  return found;
}

/**
 * Whether a node's text ([start, end) of the source) holds the start of one of `words`. A node
 * without a position counts as holding one, so that it is entered.
 */
export function holdsAnyOf(
  text: string,
  words: readonly string[],
): (node: { start?: unknown; end?: unknown }) => boolean {
  const marks = words
    .flatMap((word) => occurrences(text, word))
    .sort((a, b) => a - b);
  return ({ start, end }) => {
    if (typeof start !== "number" || typeof end !== "number") return true;
    let low = 0;
    let high = marks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (marks[middle] < start) low = middle + 1;
      else high = middle;
    }
    return low < marks.length && marks[low] < end;
  };
}
