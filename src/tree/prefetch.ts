/**
 * Reading ahead on another thread: a worker walks folders of the repository the way
 * transforms/lib/source-files.ts does and reads every .ts/.tsx file it meets, while the main
 * thread goes on with the run; the caching DiskTree takes what it found when it needs a whole
 * folder (see DiskTree.prefetch and settle). The walk and the reads are the same the main thread
 * would make, only earlier and elsewhere: on a 25,000-file app, opening and reading every file
 * costs about 0.3 s of system time, which a second core can take. So does looking for the
 * strings the rules will search for (Rule.searches) in those bytes, once the run has said
 * which (Prefetch.expect): 0.05 to 0.1 s more at that size (node --cpu-prof), which the main
 * thread then spends only looking the answers up.
 */
import { findTogether } from "./find-together";
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

/**
 * What the worker found under one of the folders it was given, or one part of it: the files
 * whose bytes filled one of its buffers, and the folders it listed meanwhile.
 */
export interface Prefetched {
  /** The folder, as given. */
  dir: string;
  listings: Listing[];
  files: string[];
  /** Where each file's bytes start in `bytes`; the last one ends at bytes.length. */
  offsets: number[];
  bytes: Buffer;
  /**
   * The strings the worker looked for in these bytes as it read them (those the run expected
   * in this folder by then: see Prefetch.expect), and per string the indexes (in `files`) of
   * the files that hold it.
   */
  searched?: { needles: string[]; hits: number[][] };
}

/** Per folder given to the worker, the strings to look for in its files (ASCII only). */
export type Needles = Record<string, readonly string[]>;

/** The size of the worker's buffers: a folder's files come in as many as they fill. */
export const SLAB_BYTES = 1 << 23;

/** Slots of the shared state: the worker has started; folders done; the worker is done. */
const STARTED = 0;
const FOLDERS = 1;
const FINISHED = 2;

/**
 * The worker, as plain JavaScript: it runs from source text, so it needs no build step and no
 * transpiler under the tests. It answers folder by folder, in the order given. An error ends
 * the walk of that folder or the read of that file and nothing else: what it did not get, the
 * tree gets itself, with its own error handling (and its own refusal of links leading outside).
 */
const WORKER = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const { root, dirs, port, state, slabBytes: SLAB } = workerData;
// find-together.ts's function, from its source text: the one search, on either thread.
const findTogether = (${findTogether.toString()});
// What to look for, per folder: the latest word from the run (Prefetch.expect).
let needles = workerData.needles;
// A buffer with less room than this is full: the next file starts a new one.
const ROOM = Math.min(1 << 16, SLAB >> 2);
Atomics.store(state, ${STARTED}, 1);
let realRoot = root;
try {
  realRoot = fs.realpathSync(root);
} catch {}
// A folder reached through a link to outside the repository is not read here: the tree's own
// read of it refuses it, naming the link. Below it, links are not followed.
const outside = (top) => {
  try {
    const real = fs.realpathSync(path.join(root, top));
    return real !== realRoot && !real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
};
try {
  for (const top of dirs) {
    // Every file's bytes go straight into a slab, which is handed over whole (transferred, not
    // copied) once full, with the files and listings found since the last one: no Buffer per
    // file, no stat per file (readFileSync sizes its buffer with fstat), no concatenation, and
    // no copy of a growing buffer (on a 25,000-file app, doubling one took a tenth of the
    // worker's time). A file that does not fit moves to the next slab, alone.
    let listings = [];
    let files = [];
    let offsets = [];
    let slab = Buffer.allocUnsafeSlow(SLAB);
    let size = 0;
    const post = (end, last) => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
        needles = m.message.needles;
      const wanted = needles[top] || [];
      // Searched here, on the second core, while the bytes are at hand: the run's main thread
      // then only looks the answers up (ByteSearch.keep).
      const searched =
        wanted.length > 0 && files.length > 0
          ? { needles: wanted, hits: findTogether(slab.toString("latin1", 0, end), offsets, wanted) }
          : undefined;
      const bytes = slab.buffer;
      port.postMessage({ dir: top, listings, files, offsets, bytes, size: end, last, searched }, [bytes]);
      listings = [];
      files = [];
      offsets = [];
    };
    // Where the file being read starts in the slab: it moves when the file goes to a new one.
    let start = 0;
    const readInto = (fd) => {
      for (;;) {
        if (slab.length - size < ROOM) {
          const kept = size - start; // the bytes of this file read so far
          const next = Buffer.allocUnsafeSlow(Math.max(SLAB, 2 * kept + ROOM));
          slab.copy(next, 0, start, size);
          if (start > 0) post(start, false);
          slab = next;
          size = kept;
          start = 0;
        }
        const read = fs.readSync(fd, slab, size, slab.length - size, null);
        if (read === 0) return;
        size += read;
      }
    };
    const walk = (dir) => {
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
          start = size;
          let fd;
          try {
            fd = fs.openSync(path.join(root, child), "r");
            readInto(fd);
            files.push(child);
            offsets.push(start);
          } catch {
            size = start; // what it did not get whole, the tree reads itself
          } finally {
            try {
              if (fd !== undefined) fs.closeSync(fd);
            } catch {}
          }
        } else if (!name.includes(".") && entry.isDirectory()) walk(child);
      }
    };
    try {
      if (!outside(top)) walk(top);
    } catch {}
    post(size, true);
    Atomics.add(state, ${FOLDERS}, 1);
    Atomics.notify(state, ${FOLDERS});
  }
} finally {
  Atomics.store(state, ${FINISHED}, 1);
  Atomics.notify(state, ${FOLDERS});
}
`;

/** How long to wait for a worker that has not even started before doing without it. */
const START_TIMEOUT_MS = 5000;

export class Prefetch {
  private readonly port: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker?: Worker;
  /** Folders whose answers were taken. */
  private taken = 0;
  private closed = false;

  /**
   * Starts walking and reading `dirs` (repository-relative) under `root` on a worker, into
   * buffers of `slabBytes` (the tests make them small, to cut folders into many parts).
   */
  constructor(
    root: string,
    readonly dirs: readonly string[],
    slabBytes = SLAB_BYTES,
    needles: Needles = {},
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    try {
      this.worker = new Worker(WORKER, {
        eval: true,
        workerData: {
          root,
          dirs,
          port: port2,
          state: this.state,
          slabBytes,
          needles,
        },
        transferList: [port2],
      });
      this.worker.unref(); // a run that ends early does not wait for it
      this.worker.on("error", () => undefined);
    } catch {
      this.worker = undefined;
      this.close();
    }
  }

  /**
   * Tells the worker what to look for in each folder's files from now on (it searches each
   * buffer as it hands it over); a buffer handed over before it heard is searched by the
   * main thread when asked (ByteSearch).
   */
  expect(needles: Needles): void {
    if (!this.closed) this.port.postMessage({ needles });
  }

  /** Whether every folder's answer was taken (or will never come). */
  get done(): boolean {
    return this.closed;
  }

  /**
   * Blocks until the worker has answered for every folder of `wanted` it was given (all of
   * them when undefined) and returns the answers that came in since the last call, in order.
   * Fewer when the worker could not start or stopped: then the tree reads the rest itself.
   */
  take(wanted?: readonly string[]): Prefetched[] {
    if (this.closed) return [];
    const last = wanted
      ? Math.max(-1, ...wanted.map((dir) => this.dirs.indexOf(dir)))
      : this.dirs.length - 1;
    const answers: Prefetched[] = [];
    const began = Date.now();
    let gaveUp = false;
    while (this.taken <= last) {
      const folders = Atomics.load(this.state, FOLDERS);
      if (folders > this.taken) {
        const received = receiveMessageOnPort(this.port);
        if (!received) break; // posted before counted, so never missing
        const { bytes, size, last, ...message } = received.message as Omit<
          Prefetched,
          "bytes"
        > & { bytes: ArrayBuffer; size: number; last: boolean };
        answers.push({ ...message, bytes: Buffer.from(bytes, 0, size) });
        // A folder's parts are all posted before it is counted: the last one closes it.
        if (last) this.taken += 1;
        continue;
      }
      if (Atomics.load(this.state, FINISHED) === 1) break;
      if (
        Atomics.load(this.state, STARTED) === 0 &&
        Date.now() - began > START_TIMEOUT_MS
      ) {
        gaveUp = true;
        break;
      }
      Atomics.wait(this.state, FOLDERS, folders, 100);
    }
    const ended =
      Atomics.load(this.state, FINISHED) === 1 &&
      Atomics.load(this.state, FOLDERS) === this.taken;
    if (this.taken === this.dirs.length || ended || gaveUp) this.close();
    return answers;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    void this.worker?.terminate();
  }
}
