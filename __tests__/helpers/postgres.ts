/**
 * A throw-away PostgreSQL cluster for one test file: initdb into a temp folder, started on a free
 * port on 127.0.0.1 with trust authentication, stopped and removed at the end. Uses the server
 * binaries of the Debian `postgresql` package (.ci/run installs it when missing) and `psql`.
 *
 * initdb refuses to run as root, so as root every server command runs as the `postgres` user
 * (runuser), on a folder that user owns.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface Postgres {
  readonly port: number;
  /** A connection URL for `database` (user postgres, no password: trust on loopback). */
  url(database: string): string;
  /** Creates a database and runs `sql` in it (tables, indexes); returns its URL. */
  createDatabase(name: string, sql: string): string;
  /** Runs `sql` in `database`; returns psql's unaligned, tuples-only output, trimmed. */
  query(database: string, sql: string): string;
  stop(): void;
}

const PG_ROOT = "/usr/lib/postgresql";

/** The bin folder of the newest installed PostgreSQL server. */
export function postgresBinDir(): string {
  const versions = fs.existsSync(PG_ROOT)
    ? fs
        .readdirSync(PG_ROOT)
        .filter((v) => fs.existsSync(path.join(PG_ROOT, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `no PostgreSQL server under ${PG_ROOT}: install it with "apt-get install -y postgresql" (.ci/run does)`,
    );
  }
  return path.join(PG_ROOT, versions[0]!, "bin");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], asPostgres: boolean): string {
  const [file, argv] = asPostgres
    ? ["runuser", ["-u", "postgres", "--", command, ...args]]
    : [command, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinDir();
  const asPostgres = process.getuid?.() === 0;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-pg-"));
  const data = path.join(scratch, "data");
  const sockets = path.join(scratch, "sock");
  fs.mkdirSync(sockets);
  if (asPostgres) {
    fs.chmodSync(scratch, 0o711);
    run("chown", ["postgres", scratch, sockets], false);
  }
  const port = await freePort();
  run(
    path.join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
    asPostgres,
  );
  run(
    path.join(bin, "pg_ctl"),
    [
      "-D",
      data,
      "-o",
      `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "-l",
      path.join(scratch, "server.log"),
      "-w",
      "start",
    ],
    asPostgres,
  );

  const psql = (database: string, sql: string) =>
    run(
      "psql",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-d",
        database,
        "-v",
        "ON_ERROR_STOP=1",
        "-qAt",
        "-c",
        sql,
      ],
      false,
    ).trim();
  const url = (database: string) =>
    `postgresql://postgres@127.0.0.1:${port}/${database}`;

  let stopped = false;
  return {
    port,
    url,
    createDatabase(name, sql) {
      psql("postgres", `CREATE DATABASE "${name}"`);
      psql(name, sql);
      return url(name);
    },
    query: psql,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(
          path.join(bin, "pg_ctl"),
          ["-D", data, "-m", "immediate", "-w", "stop"],
          asPostgres,
        );
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}

export interface LatencyProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that delays every chunk the database sends back by `delayMs`, as a
 * database across a network would: concurrent requests then overlap the way they do in
 * production, and races between a lookup and a create show up.
 */
export async function latencyProxy(
  targetPort: number,
  delayMs: number,
): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    // Same delay for every chunk: timers fire in order, so the byte stream keeps its order.
    upstream.on("data", (chunk: Buffer) =>
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs),
    );
    upstream.on("end", () => setTimeout(() => client.end(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
