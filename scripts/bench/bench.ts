/**
 * `npm run bench`: the cost of a conversion against the size of the app.
 *
 * For N entities (default 10, 100, 1000) it generates an app (generate-app.ts), makes it a git
 * repository with everything committed (as a user's repository is when they run apply), and
 * then, in each round and for each N, on a fresh clone of it:
 *   - noop:  the standard jscodeshift CLI (`--run-in-band`) with a transform that does nothing
 *            (noop-transform.js) over the server and admin src: the reference;
 *   - apply: `amplication-auth0 apply` as a whole process, from node start to exit;
 *   - check: `amplication-auth0 check` on the converted clone (must report nothing pending);
 *   - jscodeshift: the same conversion by the standard jscodeshift CLI with this package's
 *            transforms (default worker processes) on another fresh clone, which `check` must
 *            then find converted.
 * The jscodeshift CLI starts reading every file it is given at once, and holds them open near
 * the open-file limit (its graceful-fs retries an open that hits it): a pass that still dies
 * with EMFILE is recorded as the result of that pass, not as a bench failure.
 * Each is a wall-clock time of a child process, and for apply also its CPU time (user +
 * system, with the processes it waited for, such as git; Linux only, from /proc/self/stat).
 * Ratios are taken pair by pair within a round (apply/noop of the same clone;
 * apply(N)/apply(smallest N) of the same round), so a burst of load from other processes hits
 * both sides of a ratio alike. Prints a table and writes BENCHMARKS.md.
 *
 *   node dist/scripts/bench/bench.js [--sizes 10,100,1000] [--runs 7] [--warmup 1]
 *                                    [--no-git] [--out BENCHMARKS.md] [--no-write]
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../src/package-info";
import { generateApp, TEMPLATE_APP, type GeneratedApp } from "./generate-app";
import { TARGETS } from "./targets";

interface Options {
  sizes: number[];
  runs: number;
  warmup: number;
  git: boolean;
  out: string | undefined;
}

type Step = "noop" | "apply" | "check" | "jscodeshift";
const STEPS: Step[] = ["noop", "apply", "check", "jscodeshift"];

interface Sample {
  round: number;
  n: number;
  /** NaN where the pass failed in a way the bench reports (see failures). */
  ms: Record<Step, number>;
  failures: Partial<Record<Step, string>>;
  /** CPU time of apply in ms (user + system), where the platform tells. */
  applyCpu?: number;
  /** 1-minute load average when the round of this N started. */
  load: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [10, 100, 1000],
    runs: 7,
    warmup: 1,
    git: true,
    out: "BENCHMARKS.md",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--sizes") options.sizes = value().split(",").map(Number);
    else if (arg === "--runs") options.runs = Number(value());
    else if (arg === "--warmup") options.warmup = Number(value());
    else if (arg === "--no-git") options.git = false;
    else if (arg === "--out") options.out = value();
    else if (arg === "--no-write") options.out = undefined;
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 2))
    throw new Error("--sizes: integers of at least 2");
  if (!(options.runs >= 1)) throw new Error("--runs: at least 1");
  options.sizes.sort((a, b) => a - b);
  return options;
}

const root = packageRoot();
const CLI = path.join(root, "dist/src/cli/main.js");
const JSCODESHIFT = require.resolve("jscodeshift/bin/jscodeshift.js", {
  paths: [root],
});
const NOOP = path.join(root, "scripts/bench/noop-transform.js");
const TRANSFORMS = path.join(root, "transforms");

/** The shell's open-file limit (`ulimit -n`), which bounds what the jscodeshift CLI can read. */
function openFileLimit(): string {
  const result = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : "unknown";
}

/** A jscodeshift run that died of too many open files: what it is, for the table. */
function emfile({ result }: { result: SpawnSyncReturns<string> }) {
  return result.status !== 0 && /EMFILE/.test(result.stdout + result.stderr)
    ? `EMFILE (open-file limit ${openFileLimit()})`
    : undefined;
}

/**
 * CPU time used by the children this process has waited for, in ms (user + system): fields
 * cutime and cstime of /proc/self/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
 * Undefined elsewhere.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function run(
  command: string,
  args: string[],
  cwd: string,
): { ms: number; cpuMs?: number; result: SpawnSyncReturns<string> } {
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      // The no-op pass compiles its transform with @babel/register, which writes a cache file
      // into the home folder as the CLI exits, while the CLI may still hold most of the
      // open-file limit: at N=1000 under a limit of 20000 that write died with EMFILE (and the
      // bench should write nothing outside its work folder anyway).
      BABEL_DISABLE_CACHE: "1",
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  const cpuAfter = childrenCpuMs();
  const cpuMs =
    cpuBefore === undefined || cpuAfter === undefined
      ? undefined
      : cpuAfter - cpuBefore;
  return { ms, cpuMs, result };
}

function mustSucceed(
  what: string,
  { result }: { result: SpawnSyncReturns<string> },
  expect?: RegExp,
): void {
  if (result.status !== 0 || (expect && !expect.test(result.stdout))) {
    throw new Error(
      `${what} failed (exit ${result.status}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
    );
  }
}

function git(args: string[], cwd: string): void {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
}

/** A fresh copy of the template: a clone (clean work tree, fresh index) or a plain copy. */
function freshCopy(
  template: GeneratedApp,
  into: string,
  useGit: boolean,
): string {
  if (useGit)
    git(["clone", "--quiet", "--local", template.dir, into], os.tmpdir());
  else fs.cpSync(template.dir, into, { recursive: true });
  // The copy's 25,000 new files go to disk now, not while the next command is timed: the kernel
  // writing them back would share the two cores with it.
  if (process.platform !== "win32") spawnSync("sync");
  return into;
}

function measure(
  template: GeneratedApp,
  work: string,
  options: Options,
): Pick<Sample, "ms" | "failures" | "applyCpu"> {
  const dir = freshCopy(template, work, options.git);
  const config = path.join(dir, "auth0.config.json");
  const guard = options.git ? [] : ["--allow-dirty"];
  const sources = [
    path.join(template.server, "src"),
    path.join(template.admin, "src"),
  ];
  const failures: Sample["failures"] = {};
  try {
    const noop = run(
      process.execPath,
      [
        JSCODESHIFT,
        "-t",
        NOOP,
        "--run-in-band",
        "--extensions=ts,tsx",
        "--parser=tsx",
        ...sources,
      ],
      dir,
    );
    failures.noop = emfile(noop);
    if (!failures.noop) mustSucceed("jscodeshift no-op", noop, /\b0 errors\b/);
    const apply = run(
      process.execPath,
      [CLI, "apply", dir, "--config", config, "--no-color", ...guard],
      dir,
    );
    mustSucceed("apply", apply, /files? written/);
    const check = run(
      process.execPath,
      [CLI, "check", dir, "--config", config, "--no-color"],
      dir,
    );
    mustSucceed("check (a second run must change nothing)", check);
    fs.rmSync(dir, { recursive: true, force: true });

    freshCopy(template, dir, options.git);
    const whole = run(
      process.execPath,
      [
        JSCODESHIFT,
        "--no-babel",
        "-t",
        TRANSFORMS,
        "--extensions=ts,tsx",
        "--fail-on-error",
        ...(options.git ? [] : ["--allow-dirty=true"]),
        ...sources,
      ],
      dir,
    );
    failures.jscodeshift = emfile(whole);
    if (!failures.jscodeshift) {
      mustSucceed("jscodeshift with the transforms", whole, /\b0 errors\b/);
      mustSucceed(
        "check after jscodeshift (it must have converted everything)",
        run(process.execPath, [CLI, "check", dir, "--config", config], dir),
      );
    }
    return {
      ms: {
        noop: failures.noop ? NaN : noop.ms,
        apply: apply.ms,
        check: check.ms,
        jscodeshift: failures.jscodeshift ? NaN : whole.ms,
      },
      failures,
      applyCpu: apply.cpuMs,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const ratio = (r: number) => r.toFixed(2);
const showTime = (s: Spread) =>
  `${seconds(s.median)} s (${seconds(s.min)}–${seconds(s.max)})`;
const showRatio = (s: Spread) =>
  `${ratio(s.median)} (${ratio(s.min)}–${ratio(s.max)})`;

/** The spread of the passes that ran; undefined when none did. */
function spreadOfRuns(values: number[]): Spread | undefined {
  const ran = values.filter((value) => !Number.isNaN(value));
  return ran.length > 0 ? spread(ran) : undefined;
}

interface Row {
  n: number;
  files: number;
  noop?: Spread;
  apply: Spread;
  check: Spread;
  jscodeshift?: Spread;
  /** Why a pass failed in some rounds (EMFILE), by pass. */
  failures: Partial<Record<Step, string>>;
  applyVsNoop?: Spread;
  growth?: Spread;
  applyCpu?: Spread;
  cpuGrowth?: Spread;
}

function summarize(
  samples: Sample[],
  options: Options,
  files: Map<number, number>,
): Row[] {
  const smallest = options.sizes[0];
  return options.sizes.map((n) => {
    const mine = samples.filter((s) => s.n === n);
    const row: Row = {
      n,
      files: files.get(n)!,
      noop: spreadOfRuns(mine.map((s) => s.ms.noop)),
      apply: spread(mine.map((s) => s.ms.apply)),
      check: spread(mine.map((s) => s.ms.check)),
      jscodeshift: spreadOfRuns(mine.map((s) => s.ms.jscodeshift)),
      failures: Object.assign({}, ...mine.map((s) => s.failures)),
      applyVsNoop: spreadOfRuns(mine.map((s) => s.ms.apply / s.ms.noop)),
    };
    const base = (s: Sample) =>
      samples.find((other) => other.round === s.round && other.n === smallest)!;
    if (n !== smallest)
      row.growth = spread(mine.map((s) => s.ms.apply / base(s).ms.apply));
    if (mine.every((s) => s.applyCpu !== undefined)) {
      row.applyCpu = spread(mine.map((s) => s.applyCpu!));
      if (n !== smallest)
        row.cpuGrowth = spread(
          mine.map((s) => s.applyCpu! / base(s).applyCpu!),
        );
    }
    return row;
  });
}

function table(rows: Row[], smallest: number): string {
  const header = [
    "N entities",
    "source files",
    "apply",
    "check",
    "no-op jscodeshift",
    "jscodeshift with the transforms",
    "apply / no-op",
    `apply / apply(N=${smallest})`,
    "apply CPU",
    `apply CPU / apply CPU(N=${smallest})`,
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map((h, i) => (i < 2 ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const row of rows) {
    const time = (step: Step, s: Spread | undefined) => {
      const failure = row.failures[step];
      if (!failure) return s ? showTime(s) : "n/a";
      return s ? `${showTime(s)}; some runs: ${failure}` : `died: ${failure}`;
    };
    lines.push(
      `| ${[
        row.n,
        row.files,
        showTime(row.apply),
        showTime(row.check),
        time("noop", row.noop),
        time("jscodeshift", row.jscodeshift),
        row.applyVsNoop ? showRatio(row.applyVsNoop) : "n/a",
        row.growth ? showRatio(row.growth) : "1",
        row.applyCpu ? showTime(row.applyCpu) : "n/a",
        row.cpuGrowth ? showRatio(row.cpuGrowth) : row.applyCpu ? "1" : "n/a",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

function targets(rows: Row[], smallest: number): string[] {
  const big = rows.find((row) => row.n === 1000);
  const small = rows.find((row) => row.n === smallest);
  if (!big || !small || smallest !== 10)
    return [
      "(the targets are about N=10 and N=1000: run with both sizes to check them)",
    ];
  const line = (ok: boolean, text: string) =>
    `- ${ok ? "met" : "**missed**"}: ${text}`;
  return [
    line(
      big.growth!.median <= TARGETS.growth,
      `apply(N=1000) / apply(N=10) ≤ ${TARGETS.growth.toFixed(1)}: ${showRatio(big.growth!)}`,
    ),
    big.applyVsNoop
      ? line(
          big.applyVsNoop.median <= TARGETS.vsNoop,
          `apply(N=1000) ≤ ${TARGETS.vsNoop} × no-op jscodeshift: ${showRatio(big.applyVsNoop)}`,
        )
      : `- n/a: apply(N=1000) ≤ ${TARGETS.vsNoop} × no-op jscodeshift: the no-op pass died (${big.failures.noop})`,
    line(
      big.apply.median <= TARGETS.wallMs,
      `apply(N=1000) under ${seconds(TARGETS.wallMs)} s wall: ${showTime(big.apply)}`,
    ),
    `- installing for apply/check ≤ ${TARGETS.installMiB} MiB: measured by \`npm run bench:install\`, see "Install" below`,
  ];
}

/** The text between the markers in an existing BENCHMARKS.md: the notes a person wrote. */
const NOTES_START = "<!-- notes: kept by npm run bench -->";
const NOTES_END = "<!-- end of notes -->";

function keptNotes(file: string): string {
  if (!fs.existsSync(file)) return "";
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(NOTES_START);
  const end = text.indexOf(NOTES_END);
  return start >= 0 && end > start
    ? text.slice(start + NOTES_START.length, end).trim()
    : "";
}

function markdown(
  rows: Row[],
  options: Options,
  loads: number[],
  started: Date,
  notes: string,
): string {
  const smallest = options.sizes[0];
  const cpus = os.cpus();
  const load = spread(loads);
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench/bench.ts) on ${started.toISOString().slice(0, 10)}.
Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, ${os.platform()} ${os.arch()}.
1-minute load average while measuring: median ${load.median.toFixed(2)} (${load.min.toFixed(2)}–${load.max.toFixed(2)}); other jobs shared the machine, so times are noisy and ratios (taken pair by pair within a round) are the better guide.

Apps: generated by scripts/bench/generate-app.ts from ${TEMPLATE_APP} (apps/shop-server +
apps/shop-admin, 2025 shape, JWT auth): the auth entity User plus N-1 entities, each with its
module, service, controller, resolver, base files, DTOs and admin List/Create/Edit/Show pages;
"source files" counts the .ts/.tsx files under the server and admin src. ${options.git ? "Each run works on a fresh clone of a git repository holding the app, everything committed, as a user's repository is (so `apply` runs its uncommitted-changes check)." : "Each run works on a fresh copy of the app (not a git repository; apply runs with --allow-dirty)."} The copy is flushed to disk (\`sync\`) before anything is timed.

Per round and per N, each a whole process timed from spawn to exit: the no-op jscodeshift pass
(standard CLI, \`--run-in-band --extensions=ts,tsx --parser=tsx\`, transform
scripts/bench/noop-transform.js, over the server and admin src), \`apply\` on the fresh copy, and
\`check\` on the converted copy (must find nothing to change), and the whole conversion by the
standard CLI with this package's transforms (\`--no-babel --extensions=ts,tsx\`, default worker
processes, over the server and admin src) on another fresh copy, which \`check\` must then find
converted. The jscodeshift CLI starts reading every file it is given at once and holds them open
near the open-file limit (\`ulimit -n\`: ${openFileLimit()} here); a pass that still dies with EMFILE
says so in the table instead of a time. ${options.runs} rounds after ${options.warmup} warm-up round(s); median (min–max).
"apply CPU" is the user + system time of the apply process and of the processes it waited for
(git), read from /proc (Linux only): the work the cores share, which the host's other load does
not inflate as much as the wall time; with ${cpus.length} cores the wall time cannot go below it divided by ${cpus.length}.

${table(rows, smallest)}

Targets (issues 7 and 18):

${targets(rows, smallest).join("\n")}

${NOTES_START}
${notes}
${NOTES_END}
`;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const work = fs.mkdtempSync(
    path.join(os.tmpdir(), "amplication-auth0-bench-"),
  );
  console.log(
    `bench: sizes ${options.sizes.join(", ")}, ${options.runs} runs (+${options.warmup} warm-up), ` +
      `${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}; work in ${work}`,
  );
  try {
    const templates = new Map<number, GeneratedApp>();
    const files = new Map<number, number>();
    for (const n of options.sizes) {
      const app = generateApp(n, path.join(work, `app-${n}`));
      if (options.git) {
        git(["init", "--quiet"], app.dir);
        git(["add", "-A"], app.dir);
        git(
          [
            "-c",
            "user.name=bench",
            "-c",
            "user.email=bench@example.invalid",
            // No automatic gc in the background: it packs and prunes the loose objects that
            // the clones of each round link to.
            "-c",
            "gc.auto=0",
            "commit",
            "--quiet",
            "-m",
            `app with ${n} entities`,
          ],
          app.dir,
        );
      }
      templates.set(n, app);
      let count = 0;
      for (const dir of [app.server, app.admin]) {
        count += (
          fs.readdirSync(path.join(app.dir, dir, "src"), {
            recursive: true,
          }) as string[]
        ).filter((name) => /\.tsx?$/.test(name)).length;
      }
      files.set(n, count);
      console.log(
        `  generated N=${n}: ${app.files} files, ${count} source files`,
      );
    }

    const samples: Sample[] = [];
    const loads: number[] = [];
    for (let round = 1 - options.warmup; round <= options.runs; round++) {
      for (const n of options.sizes) {
        const load = os.loadavg()[0];
        const { ms, failures, applyCpu } = measure(
          templates.get(n)!,
          path.join(work, `run-${n}`),
          options,
        );
        const label = round < 1 ? "warm-up" : `round ${round}/${options.runs}`;
        console.log(
          `  ${label} N=${n}: ${STEPS.map((step) => `${step} ${failures[step] ?? `${seconds(ms[step])} s`}`).join(", ")}` +
            `${applyCpu === undefined ? "" : `, apply CPU ${seconds(applyCpu)} s`} (load ${load.toFixed(2)})`,
        );
        if (round >= 1) {
          samples.push({ round, n, ms, failures, applyCpu, load });
          loads.push(load);
        }
      }
    }

    const rows = summarize(samples, options, files);
    const smallest = options.sizes[0];
    console.log(
      `\n${table(rows, smallest)}\n\n${targets(rows, smallest).join("\n")}`,
    );
    if (options.out) {
      const out = path.resolve(root, options.out);
      const text = markdown(rows, options, loads, started, keptNotes(out));
      // Formatted as `npm run format` would, so the file stays as the project formats it.
      const prettier = require("prettier") as typeof import("prettier");
      fs.writeFileSync(out, await prettier.format(text, { filepath: out }));
      console.log(`\nwritten to ${path.relative(process.cwd(), out) || out}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
