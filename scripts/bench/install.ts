/**
 * `npm run bench:install`: what the CI job pays on every Amplication build to install the tool.
 *
 * Packs this package, installs the tarball into an empty folder with a warm npm cache (one
 * install first warms it; `--prefer-offline`), and reports the packages installed, their size
 * (disk usage as `du` counts it, and the bytes of the files), the install's wall time, and the
 * wall time of the first `apply` on the bundled example app (fixtures/apps/shop-2025, a fresh
 * git repository) with the installed CLI. Then the same with the optional Auth0 SDK that
 * `provision` needs. Writes its section of BENCHMARKS.md (between its markers, in the part
 * `npm run bench` keeps).
 *
 *   node dist/scripts/bench/install.js [--runs 3] [--out BENCHMARKS.md] [--no-write]
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../src/package-info";
import { sdkRange } from "../../src/provision/sdk";
import { TARGETS } from "./targets";

const START = "<!-- install: written by npm run bench:install -->";
const END = "<!-- /install -->";
const NPM_FLAGS = ["--no-audit", "--no-fund", "--prefer-offline"];

interface Footprint {
  packages: number;
  diskMiB: number;
  fileMB: number;
  installMs: number;
  /** The project it was installed into. */
  project: string;
}

function parseArgs(argv: string[]): { runs: number; out?: string } {
  const options: { runs: number; out?: string } = {
    runs: 3,
    out: "BENCHMARKS.md",
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") options.runs = Number(argv[++i]);
    else if (argv[i] === "--out") options.out = argv[++i];
    else if (argv[i] === "--no-write") options.out = undefined;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!(options.runs >= 1)) throw new Error("--runs: at least 1");
  return options;
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = work();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function npm(cwd: string, args: string[]): string {
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Disk usage (512-byte blocks, as du) and file bytes of a tree. */
function sizeOf(dir: string): { disk: number; bytes: number } {
  let disk = 0;
  let bytes = 0;
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const stat = fs.lstatSync(full);
      disk += stat.blocks * 512;
      if (entry.isDirectory()) walk(full);
      else bytes += stat.size;
    }
  };
  walk(dir);
  return { disk, bytes };
}

/** Installs `specs` into a new empty project; its footprint. */
function install(scratch: string, specs: string[]): Footprint {
  const project = fs.mkdtempSync(path.join(scratch, "project-"));
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "bench-install", private: true }),
  );
  const { ms } = timed(() => npm(project, ["install", ...NPM_FLAGS, ...specs]));
  const lock = JSON.parse(
    fs.readFileSync(
      path.join(project, "node_modules/.package-lock.json"),
      "utf8",
    ),
  );
  const size = sizeOf(path.join(project, "node_modules"));
  return {
    packages: Object.keys(lock.packages).filter((key) =>
      key.startsWith("node_modules/"),
    ).length,
    diskMiB: size.disk / 2 ** 20,
    fileMB: size.bytes / 1e6,
    installMs: ms,
    project,
  };
}

/** The first apply of the installed CLI on a fresh copy of the bundled example. */
function firstApply(scratch: string, project: string): number {
  const example = path.join(packageRoot(), "fixtures/apps/shop-2025");
  const app = fs.mkdtempSync(path.join(scratch, "app-"));
  fs.cpSync(path.join(example, "input"), app, { recursive: true });
  fs.copyFileSync(
    path.join(example, "auth0.config.json"),
    path.join(app, "auth0.config.json"),
  );
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: app, stdio: "ignore" });
  git("init", "--quiet");
  git("add", "--all");
  git(
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@example.com",
    "commit",
    "--quiet",
    "--message",
    "build",
  );
  const cli = path.join(project, "node_modules/.bin/amplication-auth0");
  const { value, ms } = timed(() =>
    spawnSync(cli, ["apply", app], { encoding: "utf8" }),
  );
  if (value.status !== 0)
    throw new Error(`apply failed (${value.status}): ${value.stderr}`);
  return ms;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const range = (values: number[], show: (n: number) => string) =>
  values.length === 1
    ? show(values[0])
    : `${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aa0-bench-install-"));
  try {
    const packed = JSON.parse(
      npm(packageRoot(), ["pack", "--json", "--pack-destination", scratch]),
    )[0];
    const tarball = path.join(scratch, packed.filename);
    const sdk = `auth0@${sdkRange()}`;
    // Warm the cache with everything either install fetches.
    install(scratch, [tarball, sdk]);

    const kinds = {
      "apply / check": [tarball],
      "with provision's Auth0 SDK": [tarball, sdk],
    };
    const loads: number[] = [];
    const results: Record<string, Array<Footprint & { applyMs: number }>> = {};
    for (const [kind, specs] of Object.entries(kinds)) {
      results[kind] = [];
      for (let run = 0; run < options.runs; run++) {
        loads.push(os.loadavg()[0]);
        const footprint = install(scratch, specs);
        results[kind].push({
          ...footprint,
          applyMs: firstApply(scratch, footprint.project),
        });
      }
    }

    const rows = Object.entries(results).map(([kind, samples]) => {
      const first = samples[0];
      return `| ${kind} | ${first.packages} | ${first.diskMiB.toFixed(1)} MiB | ${first.fileMB.toFixed(1)} MB | ${range(
        samples.map((s) => s.installMs),
        seconds,
      )} | ${range(
        samples.map((s) => s.applyMs),
        seconds,
      )} |`;
    });
    const applyOnly = results["apply / check"][0];
    const met = applyOnly.diskMiB <= TARGETS.installMiB;
    const section = [
      START,
      "",
      "## Install (issue 18)",
      "",
      `Written by \`npm run bench:install\` (scripts/bench/install.ts) on ${new Date().toISOString().slice(0, 10)}: ` +
        `${packed.filename} (${(packed.size / 1e3).toFixed(0)} kB packed) installed with npm ${npm(packageRoot(), ["--version"]).trim()} ` +
        `into an empty folder, cache warm (\`--prefer-offline\`), ${options.runs} run(s) each; median (min–max). ` +
        `Machine: ${os.cpus().length} cores, Node ${process.version}; 1-minute load average while measuring: ` +
        `${range(loads, (n) => n.toFixed(2))}. "Disk" is what \`du\` counts (whole blocks), "files" the bytes in them; ` +
        `"first apply" is \`amplication-auth0 apply\` of the installed CLI on a fresh git copy of fixtures/apps/shop-2025.`,
      "",
      "| install | packages | disk | files | install wall | first apply wall |",
      "| ------- | -------: | ---: | ----: | ------------ | ---------------- |",
      ...rows,
      "",
      `Target: installing for apply/check takes at most ${TARGETS.installMiB} MiB on disk: ` +
        `**${met ? "met" : "missed"}** (${applyOnly.diskMiB.toFixed(1)} MiB).`,
      "",
      END,
    ].join("\n");
    process.stdout.write(`${section}\n`);
    if (options.out) await writeSection(options.out, section);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Replaces this script's section of the file, or appends it. */
async function writeSection(file: string, section: string): Promise<void> {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  // Inside the notes `npm run bench` keeps, when the file has them.
  const notesEnd = text.indexOf("<!-- end of notes -->");
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + END.length)
      : notesEnd >= 0
        ? `${text.slice(0, notesEnd).trimEnd()}\n\n${section}\n${text.slice(notesEnd)}`
        : `${text.trimEnd()}\n\n${section}\n`;
  const prettier = await import("prettier");
  fs.writeFileSync(file, await prettier.format(next, { filepath: file }));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
