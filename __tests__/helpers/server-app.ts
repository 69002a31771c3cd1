/**
 * Builds a fixture's NestJS server with its own tsconfig.build.json against one of the runtime
 * workspaces (scripts/runtime/README.md) and runs it as a child process over real HTTP.
 *
 * The server runs with the variables of its own .env, overridden by the test's, and from an empty
 * working folder: @nestjs/config would otherwise read the copy's .env and fill in a variable a
 * test leaves out on purpose.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readDotenv } from "../../scripts/typecheck/workspace";
import {
  ensureWorkspace,
  prepareServerCopy,
  runTsc,
  type WorkspaceName,
} from "../../scripts/typecheck/typecheck-servers";
import { freePort } from "./postgres";

export interface BuiltServer {
  /** The copy that was built (its node_modules links into the workspace). */
  readonly dir: string;
  /** tsc's diagnostics; empty when the build was clean. */
  readonly diagnostics: string[];
  /** The variables of the server's own .env. */
  readonly dotenv: Record<string, string>;
  remove(): void;
}

/** Copies and builds `serverDir`; tsc writes its output even when it reports errors. */
export function buildServer(
  serverDir: string,
  workspace: WorkspaceName,
): BuiltServer {
  const dir = prepareServerCopy(serverDir, workspace);
  const result = runTsc(dir, workspace, { emit: true });
  if (!fs.existsSync(path.join(dir, "dist", "main.js"))) {
    throw new Error(
      `building ${serverDir} wrote no dist/main.js:\n${result.output}`,
    );
  }
  return {
    dir,
    diagnostics: result.output
      .split("\n")
      .filter((line) => /error TS\d+/.test(line)),
    dotenv: readDotenv(path.join(serverDir, ".env")),
    remove: () =>
      fs.rmSync(path.dirname(dir), { recursive: true, force: true }),
  };
}

export interface RunningServer {
  readonly url: string;
  /** Everything the server wrote to stdout and stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  logs: string;
}

function spawnServer(
  built: BuiltServer,
  env: Record<string, string | undefined>,
  port: number,
) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-cwd-"));
  const merged: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    ...built.dotenv,
    PORT: String(port),
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  const child = spawn(
    process.execPath,
    [path.join(built.dir, "dist", "main.js")],
    {
      cwd,
      env: merged,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let logs = "";
  child.stdout.on("data", (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on("exit", (code, signal) => {
      fs.rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal, logs });
    }),
  );
  return { child, exited, logs: () => logs };
}

/**
 * Starts the server and resolves once it answers HTTP. `env` overrides the .env values; an
 * `undefined` value removes the variable.
 */
export async function startServer(
  built: BuiltServer,
  env: Record<string, string | undefined>,
  { timeoutMs = 30_000 } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const { child, exited, logs } = spawnServer(built, env, port);
  const url = `http://127.0.0.1:${port}`;
  let exit: Exit | undefined;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) {
      throw new Error(
        `server exited before answering (code ${exit.code}, signal ${exit.signal}):\n${exit.logs}`,
      );
    }
    try {
      await fetch(`${url}/api`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(
          `server did not answer within ${timeoutMs} ms:\n${logs()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  return {
    url,
    logs,
    async stop() {
      if (!exit) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts the server expecting it to stop by itself (a bad configuration); resolves with its exit. */
export async function runUntilExit(
  built: BuiltServer,
  env: Record<string, string | undefined>,
  { timeoutMs = 30_000 } = {},
): Promise<Exit> {
  const port = await freePort();
  const { child, exited } = spawnServer(built, env, port);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}

/** The built server's `scripts/*.ts` type-checked with its own tsconfig (which covers src/ only). */
export function scriptDiagnostics(
  built: BuiltServer,
  workspace: WorkspaceName,
): string[] {
  const ts = workspaceTypeScript(workspace);
  const scripts = path.join(built.dir, "scripts");
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(built.dir, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram(
    scriptFiles(scripts).map((name) => path.join(scripts, name)),
    { ...parsed?.options, noEmit: true, incremental: false },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/**
 * Runs the built server's `scripts/seed.ts` as `npm run seed` would (ts-node is not in the
 * workspaces): the scripts are transpiled with the workspace's TypeScript next to the copy's
 * node_modules and run with `env` only, from an empty folder (no .env).
 */
export async function runSeed(
  built: BuiltServer,
  workspace: WorkspaceName,
  env: Record<string, string>,
): Promise<{ status: number | null; output: string }> {
  const ts = workspaceTypeScript(workspace);
  const scripts = path.join(built.dir, "scripts");
  const out = path.join(built.dir, "seed-js");
  fs.mkdirSync(out, { recursive: true });
  for (const name of scriptFiles(scripts)) {
    const { outputText } = ts.transpileModule(
      fs.readFileSync(path.join(scripts, name), "utf8"),
      {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2019,
          esModuleInterop: true,
        },
      },
    );
    fs.writeFileSync(path.join(out, name.replace(/\.ts$/, ".js")), outputText);
  }
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-seed-"));
  // Asynchronously: the database may be reached through a proxy in this very process.
  const child = spawn(process.execPath, [path.join(out, "seed.js")], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const status = await new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    return { status, output };
  } finally {
    clearTimeout(timer);
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

const scriptFiles = (dir: string) =>
  fs.readdirSync(dir).filter((name) => name.endsWith(".ts"));

function workspaceTypeScript(
  workspace: WorkspaceName,
): typeof import("typescript") {
  return require(
    path.join(ensureWorkspace(workspace), "node_modules", "typescript"),
  ) as typeof import("typescript");
}
