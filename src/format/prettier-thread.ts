/**
 * Prettier on a worker thread, for a CLI run. The thread loads Prettier and formats a warm-up
 * text while the main thread loads the rules and reads the app; then the main thread hands it
 * each text to format and goes on with the next rules, and takes the result only when a rule
 * reads that file again or the pass ends (StagedTree.writeLater). Loading Prettier and its
 * first formats (the JIT's cold start) cost about 0.3 s of one core at any app size, and the
 * formats another 0.1 to 0.2 s (node --cpu-prof, BENCHMARKS.md round 11): on a second core
 * that time leaves the run's path. Prettier is a function of the text and the options, so where
 * it runs changes no byte.
 *
 * The results are taken synchronously (Atomics.wait and receiveMessageOnPort, as
 * src/tree/prefetch.ts takes the worker's reads), since a tree read is synchronous.
 */
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";

type Options = Record<string, unknown>;

/** The slot of the shared state: how many texts the thread answered. */
const ANSWERED = 0;

/**
 * How long a result may take before the run gives up on the thread (a thread that died
 * answers nothing): far more than any format takes on a busy machine.
 */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * The thread, as plain JavaScript (as src/tree/prefetch.ts's): it runs from source text, so it
 * needs no build step and no transpiler under the tests. It formats one text at a time, in the
 * order asked, and answers each on the port, then counts it in the shared state.
 */
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { port, state, prettier: prettierPath } = workerData;
const { prettier, loadError } = (() => {
  try {
    return { prettier: require(prettierPath) };
  } catch (error) {
    return { loadError: error };
  }
})();
// A text with what the rules' outputs hold (imports, a decorated class, async methods, an
// object, JSX), formatted once so that the parser and printer are compiled when the first real
// text comes.
const WARM_UP = ${JSON.stringify(warmUpText())};
// one text at a time, in the order asked
const line = {
  last: (prettier ? prettier.format(WARM_UP, { filepath: "warm-up.tsx" }) : Promise.resolve())
    .catch(() => undefined),
};
const answer = (message) => {
  port.postMessage(message);
  Atomics.add(state, ${ANSWERED}, 1);
  Atomics.notify(state, ${ANSWERED});
};
parentPort.on("message", ({ id, source, options }) => {
  line.last = line.last.then(async () => {
    try {
      if (loadError) throw loadError;
      answer({ id, output: await prettier.format(source, options) });
    } catch (error) {
      const { name, message, stack, loc } = error ?? {};
      answer({ id, error: { name, message: String(message ?? error), stack, loc } });
    }
  });
});
`;

function warmUpText(): string {
  return [
    'import { Injectable, UnauthorizedException } from "@nestjs/common";',
    'import { PassportStrategy } from "@nestjs/passport";',
    'import * as React from "react";',
    "",
    "@Injectable()",
    "export class WarmUpStrategy extends PassportStrategy(Object) {",
    "  constructor(protected readonly service: { find(args: { where: { id: string } }): Promise<unknown> }) { super(); }",
    "  async validate(payload: { sub?: string; email?: string }): Promise<unknown> {",
    "    if (!payload.sub) throw new UnauthorizedException();",
    "    const user = await this.service.find({ where: { id: payload.sub } });",
    "    return user ?? { username: payload.email, roles: [] as string[] };",
    "  }",
    "}",
    "",
    "export const WarmUp = ({ title }: { title: string }): React.ReactElement => (",
    '  <div className="warm-up"><span>{title}</span></div>',
    ");",
    "",
  ].join("\n");
}

type Answer = { output: string } | { error: Record<string, unknown> };

export class PrettierThread {
  private readonly worker?: Worker;
  private readonly port?: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly answers = new Map<number, Answer>();
  private nextId = 0;
  private closed = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    try {
      this.worker = new Worker(THREAD, {
        eval: true,
        workerData: {
          port: port2,
          state: this.state,
          prettier: require.resolve("prettier"),
        },
        transferList: [port2],
      });
      this.port = port1;
      // nothing waits for it asynchronously: the run takes every answer synchronously
      this.worker.unref();
      this.worker.on("error", () => undefined); // a result not answered fails the run (see take)
    } catch {
      this.closed = true;
      port1.close();
    }
  }

  /**
   * Hands Prettier's `format(source, options)` to the thread, and returns what takes its result
   * (blocking until the thread has answered; it throws Prettier's error). Undefined when the
   * thread cannot take the text: it could not start or was closed, or the options do not cross
   * to it (a config with plugin objects); the caller formats in this thread then.
   */
  formatLater(source: string, options: Options): (() => string) | undefined {
    if (this.closed || !this.worker || !crossesToThread(options))
      return undefined;
    const id = this.nextId++;
    this.worker.postMessage({ id, source, options });
    let result: Answer | undefined;
    return () => {
      result ??= this.take(id);
      if ("output" in result) return result.output;
      throw Object.assign(new Error(), result.error);
    };
  }

  private take(id: number): Answer {
    if (this.closed) throw new Error("Prettier's worker thread was closed");
    const began = Date.now();
    for (;;) {
      const answer = this.answers.get(id);
      if (answer) {
        this.answers.delete(id);
        return answer;
      }
      const answered = Atomics.load(this.state, ANSWERED);
      for (
        let received = receiveMessageOnPort(this.port!);
        received;
        received = receiveMessageOnPort(this.port!)
      ) {
        const { id: answeredId, ...rest } = received.message as {
          id: number;
        } & Answer;
        this.answers.set(answeredId, rest);
      }
      if (this.answers.has(id)) continue;
      if (Date.now() - began > ANSWER_TIMEOUT_MS)
        throw new Error(
          `Prettier's worker thread did not answer in ${ANSWER_TIMEOUT_MS / 1000} s (it may have run out of memory); nothing was written`,
        );
      // answered before counted: a count that moved means a message to take
      Atomics.wait(this.state, ANSWERED, answered, 100);
    }
  }

  /** Ends the thread; a text asked for after this is formatted by the caller. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port?.close();
    void this.worker?.terminate();
  }
}

/** Plain data only: a config's plugin objects or functions cannot be copied to a thread. */
function crossesToThread(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return true;
    case "object":
      return Array.isArray(value)
        ? value.every(crossesToThread)
        : Object.getPrototypeOf(value) === Object.prototype &&
            Object.values(value as object).every(crossesToThread);
    default:
      return false;
  }
}
