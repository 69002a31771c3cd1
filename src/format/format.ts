/**
 * Prettier over the files a transform rewrote: recast reprints touched nodes in its own style,
 * and the generated apps are Prettier-formatted. The app's own Prettier config wins when it has one.
 *
 * The config is looked for inside the repository only (Prettier's own search goes up to the file
 * system's root): a config above the repository would make the output depend on where the
 * clone lives, and a JavaScript config there would run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { dependencyMajor } from "../../transforms/lib/package-json";
import { realInside } from "../tree/file-error";
import type { Splice } from "../../transforms/lib/splice";
import type { PrettierThread } from "./prettier-thread";

type Prettier = typeof import("prettier");
let prettier: Prettier | undefined;

/** Prettier's default print width, used when the app's config sets none. */
const DEFAULT_PRINT_WIDTH = 80;

/** Only .ts/.tsx files are formatted; JSON and .env edits keep their own layout. */
export function isFormatted(file: string): boolean {
  return /\.(ts|tsx)$/.test(file);
}

function load(): Prettier {
  return (prettier ??= require("prettier") as Prettier); // loaded on first use: most check runs never need it
}

/**
 * Prettier's config file names, in the order its own search tries them in each folder
 * (prettier 3.x, src/config/prettier-config/config-searcher.js); package.json and package.yaml
 * count only with a "prettier" key.
 */
const CONFIG_FILES = [
  "package.json",
  "package.yaml",
  ".prettierrc",
  ".prettierrc.json",
  ".prettierrc.yml",
  ".prettierrc.yaml",
  ".prettierrc.json5",
  ".prettierrc.js",
  "prettier.config.js",
  ".prettierrc.ts",
  "prettier.config.ts",
  ".prettierrc.mjs",
  "prettier.config.mjs",
  ".prettierrc.mts",
  "prettier.config.mts",
  ".prettierrc.cjs",
  "prettier.config.cjs",
  ".prettierrc.cts",
  "prettier.config.cts",
  ".prettierrc.toml",
];

/** The folders from `file`'s up to `root`, nearest first; only `file`'s when it is not under root. */
function foldersUpTo(file: string, root: string): string[] {
  const top = path.resolve(root);
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    folders.push(dir);
    const relative = path.relative(top, dir);
    if (
      relative === "" ||
      relative.startsWith("..") ||
      path.dirname(dir) === dir
    )
      return folders;
  }
}

/** Whether a package.json or package.yaml holds a "prettier" key, as Prettier's search asks. */
function hasPrettierKey(file: string): boolean {
  try {
    const text = fs.readFileSync(file, "utf8");
    const data: unknown = file.endsWith(".json")
      ? JSON.parse(text)
      : parseYaml(text);
    return typeof data === "object" && data !== null && "prettier" in data;
  } catch {
    return false;
  }
}

/** The Prettier config that applies to `file`, searched from its folder up to `root`. */
function configFileFor(file: string, root: string): string | undefined {
  for (const dir of foldersUpTo(file, root)) {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (!fs.existsSync(candidate)) continue;
      // one linked outside is refused, as every file the run reads there
      realInside(
        fs.realpathSync(root),
        root,
        path.relative(root, candidate).split(path.sep).join("/"),
      );
      if (name.startsWith("package.") && !hasPrettierKey(candidate)) continue;
      return candidate;
    }
  }
  return undefined;
}

async function configFor(absolutePath: string, root: string) {
  const config = configFileFor(absolutePath, root);
  const options =
    (config &&
      (await load().resolveConfig(absolutePath, {
        config,
        editorconfig: false,
      }))) ||
    {};
  // Prettier 3 changed the default trailingComma from "es5" to "all": an app that formats with
  // Prettier 2 (Amplication's admins list ^2.8.8 for `npm run format`) gets its own style, so
  // that its next format run does not rewrite what the conversion wrote. One that lists no
  // Prettier (Amplication's servers) gets the style its code is in.
  if (options.trailingComma !== undefined) return options;
  const listed = prettierListedBy(absolutePath, root);
  if (
    (listed.major !== undefined && listed.major < 3) ||
    (listed.major === undefined &&
      !commasAfterLastArgument(absolutePath, listed.dir))
  )
    return { ...options, trailingComma: "es5" as const };
  return options;
}

/**
 * The major version of Prettier the nearest package.json above `file` (up to `root`) lists (in
 * dependencies or devDependencies), and its folder; no major when it lists none or its range
 * names no version. 3 (this tool's, with its defaults) without a package.json, or when it does
 * not parse (for the rules to refuse).
 */
function prettierListedBy(
  file: string,
  root: string,
): { major?: number; dir?: string } {
  for (const dir of foldersUpTo(file, root)) {
    let text: string | undefined;
    try {
      text = fs.readFileSync(path.join(dir, "package.json"), "utf8");
    } catch {
      continue; // none here: look further up
    }
    try {
      return { major: dependencyMajor(JSON.parse(text), "prettier"), dir };
    } catch {
      return { major: 3, dir };
    }
  }
  return { major: 3 };
}

/**
 * Whether the code is in Prettier 3's style of trailing commas ("all": after the last argument
 * or parameter of a call or signature broken over lines), which Prettier 2's "es5" never writes.
 * Looked for in the file as it is on disk (the run writes nothing before it is done) and in the
 * app's entry point (src/main.ts of a server, src/index.tsx of an admin), whose generated code
 * breaks a call over lines. Where neither shows it: "es5", as Amplication's generator formats.
 */
function commasAfterLastArgument(file: string, packageDir?: string): boolean {
  const samples = [
    file,
    ...(packageDir
      ? ["src/main.ts", "src/index.tsx"].map((entry) =>
          path.join(packageDir, entry),
        )
      : []),
  ];
  return samples.some((sample) => {
    try {
      return /,[ \t]*\r?\n[ \t]*\)/.test(fs.readFileSync(sample, "utf8"));
    } catch {
      return false; // not there (a new file, another layout)
    }
  });
}

/**
 * @param absolutePath where the file lives (or will live) on disk, to find the app's Prettier config
 * @param root the repository's root, where the search for that config stops
 */
export async function formatSource(
  source: string,
  absolutePath: string,
  root: string,
): Promise<string> {
  return formatWith(source, absolutePath, await configFor(absolutePath, root));
}

function formatWith(
  source: string,
  absolutePath: string,
  options: Awaited<ReturnType<typeof configFor>>,
): Promise<string> {
  return load().format(source, allOptions(absolutePath, options));
}

function allOptions(
  absolutePath: string,
  options: Awaited<ReturnType<typeof configFor>>,
) {
  return {
    ...options,
    // The rules' text ends its lines with "\n" whatever the app's endOfLine: the commit writes
    // each file with its own line ends (src/tree/encoding.ts), and a "\r\n" here would make the
    // output differ from the file read back, and apply never done.
    endOfLine: "lf" as const,
    filepath: path.basename(absolutePath),
  };
}

/**
 * Prettier's outputs by file name, options and text, the latest FORMATTED_KEPT of them: Prettier
 * is a function of the three, and a process that runs the conversion again (a second pass, the
 * tests, a jscodeshift worker) hands it the same texts: the files written from templates, the
 * reprints of converted files. Bounded, so a long-lived process does not keep every text.
 */
const formatted = new Map<string, Promise<string>>();
const FORMATTED_KEPT = 500;

/** formatSource for a run, each text formatted once per file name and Prettier config. */
export class Formatter {
  /**
   * @param root the repository's root, where the search for Prettier configs stops
   * @param thread where to run Prettier (a CLI run's); in this thread when undefined
   */
  constructor(
    private readonly root: string,
    private readonly thread?: PrettierThread,
  ) {}

  format(source: string, absolutePath: string): Promise<string> {
    return configFor(absolutePath, this.root).then((options) => {
      const key = `${JSON.stringify([path.basename(absolutePath), options])}\n${source}`;
      let result = formatted.get(key);
      if (result) {
        // the most recently used stays longest
        formatted.delete(key);
        formatted.set(key, result);
        return result;
      }
      result = formatWith(source, absolutePath, options);
      formatted.set(key, result);
      if (formatted.size > FORMATTED_KEPT)
        formatted.delete(formatted.keys().next().value!);
      result.catch(() => formatted.delete(key)); // a failure is not kept
      return result;
    });
  }

  /**
   * format(source, absolutePath) on the run's Prettier thread: what takes the result, which the
   * thread works out meanwhile (see StagedTree.writeLater). Undefined without a thread, or when
   * the thread cannot take the text; then format() it. Each text is handed over once per file
   * name and config in a run (its second pass formats the same texts).
   */
  async formatLater(
    source: string,
    absolutePath: string,
  ): Promise<(() => string) | undefined> {
    if (!this.thread) return undefined;
    const options = allOptions(
      absolutePath,
      await configFor(absolutePath, this.root),
    );
    const key = `${JSON.stringify(options)}\n${source}`;
    let later = this.handedOver.get(key);
    if (!later) {
      later = this.thread.formatLater(source, options);
      if (later) this.handedOver.set(key, later);
    }
    return later;
  }

  /** The texts handed to the thread in this run, by options and text. */
  private readonly handedOver = new Map<string, () => string>();
}

/**
 * Whether a splice keeps a formatted file formatted without running Prettier over it: its
 * transform checked that each edited line is printed as written as long as it fits, so what
 * is left is that its lines fit the print width of the file's Prettier config. A config with
 * plugins (import sorting, for one) may move lines: then Prettier runs, as for any output.
 */
export async function keepsFormat(
  splice: Splice,
  absolutePath: string,
  root: string,
): Promise<boolean> {
  const { printWidth, plugins } = await configFor(absolutePath, root);
  if (Array.isArray(plugins) && plugins.length > 0) return false;
  return (
    splice.width <=
    (typeof printWidth === "number" ? printWidth : DEFAULT_PRINT_WIDTH)
  );
}
