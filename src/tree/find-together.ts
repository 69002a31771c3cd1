/**
 * The one search of the bytes read ahead, run by the prefetch worker and by ByteSearch.
 */

/**
 * Per needle, the indexes of the files (each starting at its offset in `text`, the last one
 * ending at its end) that contain it: a regular expression of them all finds each position
 * where one starts (bytes read as Latin-1, one character per byte), then each is tested there.
 * Self-contained (no name from outside its body), because the prefetch worker runs its source
 * text: it searches each buffer it fills with the strings the run expects (prefetch.ts), and
 * ByteSearch searches the buffers it had handed over before it heard.
 */
export function findTogether(
  text: string,
  offsets: readonly number[],
  needles: readonly string[],
): number[][] {
  const hits = needles.map(() => new Set<number>());
  if (needles.length === 0 || offsets.length === 0) return hits.map(() => []);
  const any = new RegExp(
    needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    "g",
  );
  let file = 0;
  for (let match = any.exec(text); match; match = any.exec(text)) {
    const at = match.index;
    while (file + 1 < offsets.length && offsets[file + 1] <= at) file++;
    const end = file + 1 < offsets.length ? offsets[file + 1] : text.length;
    needles.forEach((needle, n) => {
      if (at + needle.length <= end && text.startsWith(needle, at))
        hits[n].add(file);
    });
    any.lastIndex = at + 1; // needles may overlap
  }
  return hits.map((found) => [...found]);
}
