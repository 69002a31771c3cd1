/** jscodeshift parser per file: `tsx` cannot parse `<T>x` casts and `ts` cannot parse JSX. */
export function pickParser(file: string): "ts" | "tsx" {
  return file.endsWith(".tsx") ? "tsx" : "ts";
}
