/**
 * Prettier over the files a transform rewrote: recast reprints touched nodes in its own style,
 * and the generated apps are Prettier-formatted. The app's own Prettier config wins when it has one.
 */
import * as path from "node:path";

type Prettier = typeof import("prettier");
let prettier: Prettier | undefined;

/** Only .ts/.tsx files are formatted; JSON and .env edits keep their own layout. */
export function isFormatted(file: string): boolean {
  return /\.(ts|tsx)$/.test(file);
}

/**
 * @param absolutePath where the file lives (or will live) on disk, to find the app's Prettier config
 */
export async function formatSource(
  source: string,
  absolutePath: string,
): Promise<string> {
  prettier ??= require("prettier") as Prettier; // loaded on first use: most check runs never need it
  const options =
    (await prettier.resolveConfig(absolutePath, { editorconfig: false })) ?? {};
  return prettier.format(source, {
    ...options,
    filepath: path.basename(absolutePath),
  });
}
