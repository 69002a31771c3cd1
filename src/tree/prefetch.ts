/**
 * Reading ahead on another thread: a worker walks folders of the repository the way
 * transforms/lib/source-files.ts does and reads every .ts/.tsx file it meets, while the main
 * thread goes on with the run; the caching DiskTree takes what it found when it needs the whole
 * app (see DiskTree.prefetch and settle). The walk and the reads are the same the main thread
 * would make, only earlier and elsewhere: on a 25,000-file app, opening and reading every file
 * costs about 0.3 s of system time, which a second core can take.
 */
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";

/** One folder as the worker listed it: entry names, sorted, and which are folders or files. */
export interface Listing {
  dir: string;
  names: string[];
  /** Per name: 1 a folder, 2 a file, 0 anything else (a link: the tree stats it itself). */
  kinds: number[];
}

export interface Prefetched {
  listings: Listing[];
  files: string[];
  /** Where each file's bytes start in `bytes`; the last one ends at bytes.length. */
  offsets: number[];
  bytes: Buffer;
}

const STARTED = 1;
const DONE = 2;

/**
 * The worker, as plain JavaScript: it runs from source text, so it needs no build step and no
 * transpiler under the tests. Every error ends the walk of that folder or the read of that file
 * and nothing else: what it did not get, the tree gets itself, with its own error handling.
 */
const WORKER = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const { root, dirs, port, state } = workerData;
Atomics.store(state, 0, ${STARTED});
const listings = [];
const files = [];
const offsets = [];
const chunks = [];
let size = 0;
function walk(dir) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch (error) {
    if (error && (error.code === "ENOENT" || error.code === "ENOTDIR"))
      listings.push({ dir, names: [], kinds: [] });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  listings.push({
    dir,
    names: entries.map((e) => e.name),
    kinds: entries.map((e) => (e.isDirectory() ? 1 : e.isFile() ? 2 : 0)),
  });
  for (const entry of entries) {
    const name = entry.name;
    if (name === "node_modules") continue;
    const child = dir + "/" + name;
    if (/\\.tsx?$/.test(name)) {
      if (!entry.isFile()) continue;
      try {
        const bytes = fs.readFileSync(path.join(root, child));
        files.push(child);
        offsets.push(size);
        chunks.push(bytes);
        size += bytes.length;
      } catch {}
    } else if (!name.includes(".") && entry.isDirectory()) walk(child);
  }
}
try {
  for (const dir of dirs) walk(dir);
} finally {
  const all = Buffer.concat(chunks, size);
  const bytes = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
  port.postMessage({ listings, files, offsets, bytes }, [bytes]);
  Atomics.store(state, 0, ${DONE});
  Atomics.notify(state, 0);
}
`;

/** How long to wait for a worker that has not even started before doing without it. */
const START_TIMEOUT_MS = 5000;

export class Prefetch {
  private readonly port: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker?: Worker;

  /** Starts walking and reading `dirs` (repository-relative) under `root` on a worker. */
  constructor(root: string, dirs: string[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    try {
      this.worker = new Worker(WORKER, {
        eval: true,
        workerData: { root, dirs, port: port2, state: this.state },
        transferList: [port2],
      });
      this.worker.unref(); // a run that ends early does not wait for it
      this.worker.on("error", () => undefined);
    } catch {
      this.worker = undefined;
    }
  }

  /**
   * Blocks until the worker is done and returns what it found, or undefined when there is no
   * worker (it could not start): then the tree reads everything itself, as without a prefetch.
   */
  take(): Prefetched | undefined {
    if (!this.worker) return undefined;
    const began = Date.now();
    for (;;) {
      const state = Atomics.load(this.state, 0);
      if (state === DONE) break;
      if (state !== STARTED && Date.now() - began > START_TIMEOUT_MS) {
        this.close();
        return undefined;
      }
      Atomics.wait(this.state, 0, state, 100);
    }
    const received = receiveMessageOnPort(this.port);
    this.close();
    if (!received) return undefined;
    const message = received.message as Omit<Prefetched, "bytes"> & {
      bytes: ArrayBuffer;
    };
    return { ...message, bytes: Buffer.from(message.bytes) };
  }

  private close(): void {
    this.port.close();
    void this.worker?.terminate();
  }
}
