/**
 * Checks on a staged result before anything is written: every changed file still parses.
 * (The second, must-be-empty conversion pass lives in the engine, which owns the passes.)
 */
import { Worker } from "node:worker_threads";
import { babelParserFor, babelSetup } from "../../transforms/lib/parser";
import type { StagedTree } from "../tree/tree";

export class VerificationError extends Error {}

/** A changed file to parse: .ts/.tsx with Babel (by parser name), .json with JSON.parse. */
interface Job {
  file: string;
  text: string;
  kind: "ts" | "tsx" | "json";
}

function jobs(tree: StagedTree): Job[] {
  const out: Job[] = [];
  for (const { file, after } of tree.diff()) {
    if (after === undefined) continue;
    if (/\.(ts|tsx)$/.test(file))
      out.push({
        file,
        text: after,
        kind: file.endsWith(".tsx") ? "tsx" : "ts",
      });
    else if (file.endsWith(".json"))
      out.push({ file, text: after, kind: "json" });
  }
  return out;
}

function failure(file: string, message: string): VerificationError {
  return new VerificationError(
    `${file}: the converted file does not parse (${message}); nothing was written`,
  );
}

/**
 * Parses every changed .ts/.tsx file with the parser the rules parse it with (jscodeshift's
 * Babel and options for its extension, see transforms/lib/parser.ts; recast's copy of the tree
 * for reprinting is not needed to tell whether it parses) and every changed .json file with
 * JSON.parse; throws for the first, in path order, that does not parse.
 */
export function reparseChanged(tree: StagedTree): void {
  parseAll(jobs(tree));
}

function parseAll(work: Job[]): void {
  for (const { file, text, kind } of work) {
    try {
      if (kind === "json") JSON.parse(text);
      else babelParserFor(file).parse(text);
    } catch (error) {
      throw failure(file, (error as Error).message);
    }
  }
}

/**
 * The same check on a worker thread, so that the engine's second pass can run meanwhile: the
 * texts as they are now, the same parser and options, the same first failure. Resolves when
 * every file parses and rejects with the VerificationError reparseChanged would throw. Should
 * the worker not run to its end, the check runs here instead.
 */
export function reparseChangedAside(tree: StagedTree): Promise<void> {
  const work = jobs(tree);
  if (work.length === 0) return Promise.resolve();
  return new Promise<{ file: string; message: string } | null>(
    (resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER, {
          eval: true,
          workerData: {
            jobs: work,
            setups: { ts: babelSetup("ts"), tsx: babelSetup("tsx") },
          },
        });
      } catch (error) {
        reject(error);
        return;
      }
      let answered = false;
      worker.once(
        "message",
        (answer: { file: string; message: string } | null) => {
          answered = true;
          resolve(answer);
        },
      );
      worker.once("error", (error) => reject(error));
      worker.once("exit", () => {
        if (!answered) reject(new Error("the parse worker stopped early"));
      });
    },
  ).then(
    (answer) => {
      if (answer) throw failure(answer.file, answer.message);
    },
    () => parseAll(work), // no answer from the worker: parse here
  );
}

/** The worker, as plain JavaScript (it runs from source text, under the tests too). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { jobs, setups } = workerData;
const parsers = {};
let answer = null;
for (const { file, text, kind } of jobs) {
  try {
    if (kind === "json") JSON.parse(text);
    else {
      const setup = setups[kind];
      parsers[kind] = parsers[kind] || require(setup.module);
      parsers[kind].parse(text, setup.options);
    }
  } catch (error) {
    answer = { file, message: error && error.message };
    break;
  }
}
parentPort.postMessage(answer);
`;
