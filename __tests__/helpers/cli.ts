/**
 * The CLI's main() in this process, with its output captured: what it wrote to stdout and
 * stderr, and its exit code.
 */
import { Writable } from "node:stream";
import { main, type CliIo } from "../../src/cli/main";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs main(args) with captured output; `io` adds to what main gets (e.g. provision's fetch). */
export async function runCli(
  args: string[],
  io: Omit<CliIo, "out" | "err"> = {},
): Promise<CliRun> {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    ...io,
    out: sink((s) => (out += s)),
    err: sink((s) => (err += s)),
  });
  return { code, out, err };
}
