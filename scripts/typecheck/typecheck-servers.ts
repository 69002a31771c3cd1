/**
 * Type-checks the NestJS servers of the whole-app fixtures against real dependencies.
 *
 * - `ensureWorkspace(name)` installs one of WORKSPACES (package.json + package-lock.json) with
 *   `npm ci` into `<repo>/.tmp/workspaces/<name>/<hash of the lock>/` and reuses that folder while
 *   the lock (and package.json) stay the same. A server on Prisma 7 is checked against
 *   `runtime-nest10`, any other against `typecheck-server` (scripts/typecheck/server).
 * - `typecheckServer(dir)` copies one server folder to a temp dir, gives the copy a node_modules
 *   made of symlinks into the shared workspace, except for `@prisma/client`, which points at a
 *   client generated from the server's own `prisma/schema.prisma` (one generated client per
 *   distinct schema, cached inside the workspace folder), and runs the workspace's
 *   `tsc --noEmit -p <copy>/tsconfig.json`. The server's tsconfig is used unchanged.
 *
 * Offline notes:
 * - `npm ci` runs with `--ignore-scripts`: Prisma's install scripts (engine download, client
 *   placeholder) would only try to reach hosts that are not reachable. Only the packages a
 *   workspace names in `build` (bcrypt, for the runtime workspaces) are rebuilt afterwards.
 * - `prisma generate` runs with PRISMA_SCHEMA_ENGINE_BINARY=/bin/false,
 *   PRISMA_QUERY_ENGINE_LIBRARY=/bin/false, `--no-engine` before Prisma 7 (types only; Prisma 7
 *   has no query engine and runs on a driver adapter), and with
 *   PRISMA_GENERATE_SKIP_AUTOINSTALL=1 so that it can never fall back to running `npm install`.
 *
 * CLI: `node dist/scripts/typecheck/typecheck-servers.js [dir...]` type-checks every server found
 * under the given folders (default: every tree under fixtures/apps).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  checkAllCli,
  dependencyRange,
  findPackages,
  installWorkspace,
  isMarked,
  MAX_BUFFER,
  npmEnv,
  prepareCopy,
  publish,
  readJson,
  readPackageJson,
  removeCopy,
  sha256,
  type TypecheckResult,
} from "./workspace";
import { dependencyMajor } from "../../transforms/lib/package-json";

export type { TypecheckResult };

/**
 * The dependency sets a server can be type-checked (and, for the runtime proof, run) against, each
 * a package.json + package-lock.json folder of this repository, installed into
 * `.tmp/workspaces/<name>/<hash of the lock>/`:
 * - `typecheck-server`: NestJS 10 with Prisma 6, for every server on Prisma 6 or older;
 * - `runtime-nest10`, `runtime-nest8`: the exact dependencies of the 2025 and 2022 fixture
 *   servers with Prisma 7 (scripts/runtime/README.md). Servers on Prisma 7 are type-checked
 *   against `runtime-nest10`. Their install also builds bcrypt, which the servers run.
 */
export const WORKSPACES = {
  "typecheck-server": { source: "scripts/typecheck/server", build: [] },
  "runtime-nest10": { source: "scripts/runtime/nest10", build: ["bcrypt"] },
  "runtime-nest8": { source: "scripts/runtime/nest8", build: ["bcrypt"] },
} as const;
export type WorkspaceName = keyof typeof WORKSPACES;

const GENERATED_MARKER = ".typecheck-generated.json";
const PRISMA_CLIENTS_DIR = "prisma-clients";
/** Top-level folders of a server that are never copied (build output, installed packages). */
const SKIPPED_TOP_LEVEL = new Set(["node_modules", "dist", "coverage"]);
/** Entries of the workspace node_modules that are not linked into a server copy. */
const UNLINKED_ENTRIES = new Set([
  ".bin",
  ".package-lock.json",
  ".prisma",
  ".cache",
]);

/** The workspace of the server type-check harness (NestJS 10, Prisma 6). */
export function ensureServerWorkspace(): string {
  return ensureWorkspace("typecheck-server");
}

/**
 * Installs a workspace (once per lock file) and returns the folder whose node_modules holds it.
 * Only the named native packages run their install scripts (bcrypt compiles with node-gyp);
 * Prisma's would try to download engines from a host that is not reachable.
 */
export function ensureWorkspace(name: WorkspaceName): string {
  return installWorkspace({
    name,
    ...WORKSPACES[name],
    required: [
      "typescript/bin/tsc",
      "prisma/package.json",
      "@prisma/client/package.json",
    ],
  });
}

/** The major version of a package installed in a workspace. */
export function installedMajor(workspace: string, pkg: string): number {
  const manifest = readJson(
    path.join(workspace, "node_modules", pkg, "package.json"),
  ) as { version?: string } | undefined;
  return Number.parseInt(manifest?.version ?? "0", 10);
}

/** Servers on Prisma 7 need its driver adapter and its client; the others, Prisma 6's types. */
export function typecheckWorkspaceFor(serverDir: string): WorkspaceName {
  const manifest = readPackageJson(serverDir);
  return (manifest ? (dependencyMajor(manifest, "prisma") ?? 0) : 0) >= 7
    ? "runtime-nest10"
    : "typecheck-server";
}

/** The Prisma schema of a server: `prisma/schema.prisma`, or the path set in package.json "prisma.schema". */
export function findPrismaSchema(serverDir: string): string | undefined {
  const conventional = path.join(serverDir, "prisma", "schema.prisma");
  if (fs.existsSync(conventional)) return conventional;
  const pkg = readJson(path.join(serverDir, "package.json")) as
    { prisma?: { schema?: unknown } } | undefined;
  const configured = pkg?.prisma?.schema;
  if (
    typeof configured === "string" &&
    fs
      .statSync(path.join(serverDir, configured), { throwIfNoEntry: false })
      ?.isFile()
  ) {
    return path.join(serverDir, configured);
  }
  return undefined;
}

/**
 * Generates (once per distinct schema text) a Prisma client into
 * `<workspace>/prisma-clients/<hash>/node_modules/{@prisma/client,.prisma/client}` and returns the
 * `@prisma/client` folder. That folder is a real copy (its `.d.ts` files re-export
 * `.prisma/client/*`, which TypeScript resolves from the real path), so each schema gets its own
 * types; only its large `runtime/` folder is a symlink into the workspace.
 */
export function ensurePrismaClient(
  workspace: string,
  schemaPath: string,
): string {
  const schema = fs.readFileSync(schemaPath, "utf8");
  if (/generator\s+\w+\s*\{[^}]*\boutput\s*=/.test(schema)) {
    throw new Error(
      `${schemaPath}: a generator with a custom "output" is not supported by the type-check harness ` +
        "(it generates into node_modules/.prisma/client)",
    );
  }
  const key = sha256(schema).slice(0, 16);
  const base = path.join(workspace, PRISMA_CLIENTS_DIR);
  const dir = path.join(base, key);
  const clientIn = (root: string) =>
    path.join(root, "node_modules", "@prisma", "client");
  if (isMarked(dir, GENERATED_MARKER)) return clientIn(dir);

  fs.mkdirSync(base, { recursive: true });
  const stage = fs.mkdtempSync(path.join(base, `${key}.partial-`));
  try {
    const shared = path.join(workspace, "node_modules");
    const prismaMajor = installedMajor(workspace, "prisma");
    fs.mkdirSync(path.join(stage, "prisma"));
    fs.writeFileSync(path.join(stage, "prisma", "schema.prisma"), schema);
    const client = clientIn(stage);
    fs.mkdirSync(client, { recursive: true });
    for (const entry of fs.readdirSync(
      path.join(shared, "@prisma", "client"),
    )) {
      const from = path.join(shared, "@prisma", "client", entry);
      const to = path.join(client, entry);
      // Relative links keep working after the staging folder is renamed into place.
      if (entry === "runtime")
        fs.symlinkSync(path.relative(client, from), to, "dir");
      else fs.cpSync(from, to, { recursive: true });
    }
    // The CLI only accepts a @prisma/client that sits next to the prisma package it runs from.
    fs.symlinkSync(
      path.relative(
        path.join(stage, "node_modules"),
        path.join(shared, "prisma"),
      ),
      path.join(stage, "node_modules", "prisma"),
      "dir",
    );

    const generate = spawnSync(
      process.execPath,
      [
        path.join(shared, "prisma", "build", "index.js"),
        "generate",
        // Prisma 6 and older: types only, no query engine (it cannot be downloaded here).
        // Prisma 7 has no engine to leave out: its client runs on a driver adapter.
        ...(prismaMajor >= 7 ? [] : ["--no-engine"]),
        "--schema",
        path.join("prisma", "schema.prisma"),
      ],
      {
        cwd: stage,
        encoding: "utf8",
        maxBuffer: MAX_BUFFER,
        env: npmEnv({
          PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
          PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
          PRISMA_GENERATE_SKIP_AUTOINSTALL: "1",
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
          PRISMA_SKIP_POSTINSTALL_GENERATE: "1",
          CHECKPOINT_DISABLE: "1",
        }),
      },
    );
    const generated = path.join(
      stage,
      "node_modules",
      ".prisma",
      "client",
      "index.d.ts",
    );
    if (generate.error || generate.status !== 0 || !fs.existsSync(generated)) {
      throw new Error(
        `prisma generate failed for ${schemaPath} (${generate.error?.message ?? `exit ${generate.status}`}):\n` +
          `${generate.stdout ?? ""}${generate.stderr ?? ""}`,
      );
    }
    // The generated types import "@prisma/client/runtime/library" ("runtime/client" in Prisma 7);
    // a dangling link would be hidden by skipLibCheck and silently turn the client into `any`.
    const runtimeTypes = prismaMajor >= 7 ? "client.d.ts" : "library.d.ts";
    if (!fs.existsSync(path.join(client, "runtime", runtimeTypes))) {
      throw new Error(
        `generated Prisma client cannot reach its runtime types: ${path.join(client, "runtime")}`,
      );
    }
    fs.writeFileSync(
      path.join(stage, GENERATED_MARKER),
      JSON.stringify({ schema: schemaPath }, null, 2) + "\n",
    );
    publish(stage, dir, GENERATED_MARKER);
  } finally {
    if (fs.existsSync(stage))
      fs.rmSync(stage, { recursive: true, force: true });
  }
  return clientIn(dir);
}

/** A server is a folder whose package.json depends on @nestjs/core. */
export function isServerDir(dir: string): boolean {
  return dependencyRange(readPackageJson(dir), "@nestjs/core") !== undefined;
}

/** Every server folder under `root` (sorted; node_modules, dist and dot folders are skipped). */
export function findServers(root: string): string[] {
  return findPackages(root, isServerDir, SKIPPED_TOP_LEVEL);
}

/**
 * Copies `serverDir` into a new temp folder and links its node_modules to the workspace (with its
 * own Prisma client). Returns the copy; `removeCopy` removes it.
 */
export function prepareServerCopy(
  serverDir: string,
  workspaceName: WorkspaceName = typecheckWorkspaceFor(serverDir),
): string {
  const workspace = ensureWorkspace(workspaceName);
  const shared = path.join(workspace, "node_modules");
  const schema = findPrismaSchema(serverDir);
  const prismaClient = schema
    ? ensurePrismaClient(workspace, schema)
    : undefined;
  return prepareCopy(serverDir, {
    prefix: "typecheck-server-",
    skipped: SKIPPED_TOP_LEVEL,
    shared,
    unlinked: UNLINKED_ENTRIES,
    linkEntry: (entry, modules) => {
      if (entry !== "@prisma" || !prismaClient) return false;
      fs.mkdirSync(path.join(modules, entry));
      for (const sub of fs.readdirSync(path.join(shared, entry))) {
        const target =
          sub === "client" ? prismaClient : path.join(shared, entry, sub);
        fs.symlinkSync(target, path.join(modules, entry, sub), "dir");
      }
      return true;
    },
  });
}

/**
 * Runs a workspace's TypeScript on an already prepared copy (see prepareServerCopy): by default
 * `tsc --noEmit -p tsconfig.json`; with `emit`, the server's build (`-p tsconfig.build.json`,
 * written to its outDir).
 */
export function runTsc(
  copy: string,
  workspaceName: WorkspaceName = typecheckWorkspaceFor(copy),
  { emit = false }: { emit?: boolean } = {},
): TypecheckResult {
  const tsc = path.join(
    ensureWorkspace(workspaceName),
    "node_modules",
    "typescript",
    "bin",
    "tsc",
  );
  const project = emit ? "tsconfig.build.json" : "tsconfig.json";
  const result = spawnSync(
    process.execPath,
    [
      tsc,
      ...(emit ? [] : ["--noEmit"]),
      "--pretty",
      "false",
      "-p",
      path.join(copy, project),
    ],
    {
      cwd: copy,
      encoding: "utf8",
      maxBuffer: MAX_BUFFER,
    },
  );
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}`;
  return { ok: !result.error && result.status === 0, output: output.trim() };
}

/** Type-checks one server folder (left untouched) with `tsc --noEmit` against its workspace. */
export function typecheckServer(serverDir: string): TypecheckResult {
  if (!fs.existsSync(path.join(serverDir, "tsconfig.json"))) {
    return { ok: false, output: `${serverDir}: no tsconfig.json` };
  }
  const workspace = typecheckWorkspaceFor(serverDir);
  const copy = prepareServerCopy(serverDir, workspace);
  try {
    return runTsc(copy, workspace);
  } finally {
    removeCopy(copy);
  }
}

if (require.main === module) {
  process.exitCode = checkAllCli(
    process.argv.slice(2),
    "NestJS server",
    findServers,
    typecheckServer,
  );
}
