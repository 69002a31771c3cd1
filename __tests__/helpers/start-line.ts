/**
 * Runs one of the loopback stand-ins of scripts/runtime/ (issuer.mjs, spa-issuer.mjs) as a child
 * process: each prints exactly one line of JSON on stdout when it is ready, and everything else on
 * stderr. A child process rather than an import: oidc-provider and jose 6 are ESM-only, and the
 * stand-ins are just other servers on loopback, next to the app under test.
 */
import { spawn } from "node:child_process";

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export interface StartedScript<T> {
  /** The start line, parsed. */
  start: T;
  /** Everything the process wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `script` with node and `env` added to this process's environment, and waits for its
 * start line. `exitWithStdin` names the variable that makes the script exit when its stdin ends,
 * so that a test runner that dies without stop() does not leave it behind.
 */
export async function startScript<T>(
  script: string,
  env: Record<string, string>,
  options: { name: string; exitWithStdin: string; startTimeoutMs?: number },
): Promise<StartedScript<T>> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, [options.exitWithStdin]: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const timeout = options.startTimeoutMs ?? START_TIMEOUT_MS;

  const start = await new Promise<T>((resolve, reject) => {
    let stdout = "";
    const fail = (reason: string) => {
      clearTimeout(timer);
      if (!hasExited()) child.kill("SIGKILL");
      reject(
        new Error(
          `${options.name} did not start: ${reason}\n--- ${options.name} stderr ---\n${stderr}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`no start line within ${timeout} ms`),
      timeout,
    );
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeListener("exit", onExit);
      try {
        resolve(JSON.parse(stdout.slice(0, newline)) as T);
      } catch {
        fail(`start line is not JSON: ${stdout.slice(0, newline)}`);
      }
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      // Let the stderr pipe drain so the message carries the process's last words.
      setImmediate(() => fail(`exited early (code ${code}, signal ${signal})`));
    child.once("exit", onExit);
    child.once("error", (error) => fail(error.message));
  });

  return {
    start,
    stderr: () => stderr,
    stop: async () => {
      if (hasExited()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
