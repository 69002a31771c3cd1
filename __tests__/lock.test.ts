/**
 * The repository lock under contention (src/commit/journal.ts openRepository), with real
 * processes (each loads journal.ts from its source, through helpers/register-ts.js): runs that find a dead run's lock at the same moment take it
 * over one at a time, never two holding it at once; a lock another run is still writing is not
 * taken for a dead one.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { BusyError, openRepository } from "../src/commit/journal";
import { tempDir } from "./helpers/files";

const JOURNAL = path.resolve(__dirname, "../src/commit/journal.ts");
const REGISTER_TS = path.join(__dirname, "helpers/register-ts.js");

/** A folder with a .git folder: the lock goes to .git/amplication-auth0/lock. */
function repository(): { root: string; lock: string } {
  const root = tempDir("lock-");
  fs.mkdirSync(path.join(root, ".git/amplication-auth0"), { recursive: true });
  return { root, lock: path.join(root, ".git/amplication-auth0/lock") };
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

/**
 * Each contender: once loaded, says "ready" and waits for the start time on stdin; spins until
 * then, takes the lock, holds it 150 ms, releases it.
 */
const CONTENDER = `
const fs = require("node:fs");
const { openRepository, BusyError } = require(process.env.JOURNAL);
fs.writeSync(1, "ready\\n");
let line = "";
const chunk = Buffer.alloc(64);
while (!line.includes("\\n")) {
  let read;
  try {
    read = fs.readSync(0, chunk);
  } catch (error) {
    if (error.code === "EAGAIN") continue;
    throw error;
  }
  if (read === 0) throw new Error("no start time");
  line += chunk.toString("utf8", 0, read);
}
const start = Number(line);
while (Date.now() < start) {}
const said = [];
let release;
try {
  release = openRepository(process.env.ROOT, (line) => said.push(line));
} catch (error) {
  if (!(error instanceof BusyError)) throw error;
  console.log(JSON.stringify({ busy: true, said }));
  process.exit(0);
}
const from = Date.now();
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
const to = Date.now();
release();
console.log(JSON.stringify({ from, to, said }));
`;

interface Contender {
  /** Settles once the contender has loaded journal.ts and waits for its start time. */
  ready: Promise<void>;
  /** Tells it the moment to go for the lock. */
  go(start: number): void;
  result: Promise<{ busy?: true; from?: number; to?: number; said?: string[] }>;
}

function contender(root: string): Contender {
  const child = spawn(process.execPath, ["-r", REGISTER_TS, "-e", CONTENDER], {
    env: { ...process.env, JOURNAL, ROOT: root },
  });
  let out = "";
  let err = "";
  let onReady!: () => void;
  let notReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    notReady = reject;
  });
  child.stdout.on("data", (chunk) => {
    out += chunk;
    if (out.startsWith("ready\n")) onReady();
  });
  child.stderr.on("data", (chunk) => (err += chunk));
  const result = new Promise<Awaited<Contender["result"]>>((resolve, reject) =>
    child.on("close", (code) => {
      const failed = new Error(`contender exited ${code}: ${err}`);
      notReady(failed);
      if (code === 0 && out.startsWith("ready\n"))
        resolve(JSON.parse(out.slice("ready\n".length)));
      else reject(failed);
    }),
  );
  // Awaited after every contender is ready; a failure before that fails the wait for ready.
  result.catch(() => undefined);
  return {
    ready,
    go: (start) => child.stdin.end(`${start}\n`),
    result,
  };
}

it("runs that find a dead run's lock at once: one takes it over, none holds it with another", async () => {
  for (let round = 0; round < 3; round++) {
    const { root, lock } = repository();
    const dead = deadPid();
    fs.writeFileSync(lock, JSON.stringify({ pid: dead, since: "earlier" }));
    const contenders = Array.from({ length: 6 }, () => contender(root));
    // Every one loaded and waiting before the start time is set; it leaves them time to be
    // spinning by then, so they go for the lock at the same moment.
    await Promise.all(contenders.map((each) => each.ready));
    const start = Date.now() + 200;
    for (const each of contenders) each.go(start);
    const results = await Promise.all(contenders.map((each) => each.result));
    const held = results
      .filter((result) => !result.busy)
      .sort((a, b) => a.from! - b.from!);
    expect(held.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < held.length; i++)
      expect({ round, overlap: held[i]!.from! < held[i - 1]!.to! }).toEqual({
        round,
        overlap: false,
      });
    // Said by the run that took it over, which may then have lost the free lock to another.
    const takeOvers = results.flatMap((result) => result.said ?? []);
    expect(takeOvers).toEqual([
      `took over the lock of an earlier run that is gone (pid ${dead})`,
    ]);
    expect(fs.existsSync(lock)).toBe(false);
  }
});

it("a lock another run is still writing (empty, just made) is not taken for a dead run's", async () => {
  const { root, lock } = repository();
  fs.writeFileSync(lock, "");
  // The other run: alive, it fills its lock in a moment.
  const other = spawn(process.execPath, [
    "-e",
    `setTimeout(() => require("fs").writeFileSync(${JSON.stringify(lock)}, JSON.stringify({ pid: process.pid, since: "now" })), 200); setTimeout(() => {}, 5000);`,
  ]);
  try {
    const said: string[] = [];
    expect(() => openRepository(root, (line) => said.push(line))).toThrow(
      BusyError,
    );
    expect(said).toEqual([]);
    expect(JSON.parse(fs.readFileSync(lock, "utf8")).pid).toBe(other.pid);
  } finally {
    other.kill();
  }
});

it("an empty lock that has stayed empty is a dead run's: taken over", () => {
  const { root, lock } = repository();
  fs.writeFileSync(lock, "");
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, old, old);
  const said: string[] = [];
  const release = openRepository(root, (line) => said.push(line));
  expect(said).toEqual([
    "took over the lock of an earlier run that is gone (pid unknown)",
  ]);
  expect(JSON.parse(fs.readFileSync(lock, "utf8")).pid).toBe(process.pid);
  release();
  expect(fs.existsSync(lock)).toBe(false);
});

it("the lock of a run killed a moment ago (a zombie its parent has not reaped yet) is a dead run's: taken over", async () => {
  // The shell, replaced by `sleep 5`, never reaps its child. The child outlives the exec
  // (`sleep 0`, which ended at once, was sometimes reaped by the shell before it, and its pid gone).
  const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 5"]);
  try {
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout.once("data", (chunk) => resolve(Number(String(chunk)))),
    );
    // wait until it is a zombie
    for (let i = 0; i < 100; i++) {
      const stat = fs.readFileSync(`/proc/${zombie}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { root, lock } = repository();
    fs.writeFileSync(
      lock,
      JSON.stringify({ pid: zombie, since: new Date().toISOString() }),
    );
    const said: string[] = [];
    const release = openRepository(root, (line) => said.push(line));
    expect(said).toEqual([
      `took over the lock of an earlier run that is gone (pid ${zombie})`,
    ]);
    release();
  } finally {
    parent.kill();
  }
});
