#!/usr/bin/env node
/**
 * The `amplication-auth0` command line. Exit codes: 0 done or nothing pending, 1 changes pending
 * (check) or something refused or failed, 2 bad usage or bad config.
 */
import { tuneV8ForShortRun } from "./v8-flags";
import { useCodeCache } from "./code-cache";
// Run as the command: V8 tuned for a short run, then the modules below load from the code cache
// the build made (recorded under the same flags, which V8 requires).
if (require.main === module) {
  tuneV8ForShortRun();
  useCodeCache();
}
import { PrettierThread } from "../format/prettier-thread";
// Run as the command, apply and check start Prettier's thread before the modules below load
// (about 0.1 s): the earlier it starts, the less of its start-up the run waits for.
const earlyPrettier =
  require.main === module && startsConversion(process.argv.slice(2))
    ? new PrettierThread()
    : undefined;
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import pc from "picocolors";
import { ConfigError, DEFAULT_CONFIG_FILE } from "../config/load";
import { inSubFolderMessage, repositoryAbove } from "../commit/git";
import { openRepository } from "../commit/journal";
import { run, type Command as RunCommand } from "../engine/run";
import { RULE_IDS, RULES } from "../plan/rules";
import {
  exitCodeOf,
  shellWord,
  summary,
  toJson,
  unifiedDiff,
} from "../report/report";
import { DetectionError } from "../detect/detect";
import { packageVersion } from "../package-info";
import { init, whyInitWritesNothing } from "./init";
import { errorJson, EXIT, reportError } from "./errors";
import { ci } from "./ci";
import {
  assertCommittableHere,
  assertGitWorkTree,
  commitChanges,
  commitMessage,
  CommitUsageError,
  convertedServices,
  DEFAULT_AUTHOR,
  formatAuthor,
  ignoredByGit,
  parseAuthor,
} from "../ci/git";
import {
  appendSummary,
  assertSummaryWritable,
  failureMarkdown,
  runMarkdown,
  SummaryFileError,
  SummaryNotWrittenError,
} from "../ci/summary";
import { assertManagementSdk } from "../provision/sdk";
import type { ProvisionOptions } from "../provision/provision";
import {
  summary as provisionSummary,
  toJson as provisionJson,
} from "../provision/report";

interface RunFlags {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  allowDirty?: boolean;
  color?: boolean;
  verbose?: boolean;
  commit?: boolean;
  message?: string;
  author?: string;
  summaryFile?: string;
}

export interface CliIo {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
  /** Seams for `provision` (tests): environment, fetch, timers. Default: the real ones. */
  provision?: Pick<
    ProvisionOptions,
    "env" | "fetch" | "clock" | "buildTimeoutMs" | "maxRateLimitRetries"
  >;
}

interface ProvisionFlags {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  color?: boolean;
  updateApplication?: boolean;
  updateAction?: boolean;
  domain?: string;
  audience?: string;
  managementDomain?: string;
  apply?: boolean;
  allowDirty?: boolean;
}

/**
 * @param prettier where apply and check run Prettier (see PrettierThread): the command starts
 *   the thread before its modules load; in this thread when undefined
 */
export async function main(
  argv: string[],
  io: CliIo = { out: process.stdout, err: process.stderr },
  prettier?: PrettierThread,
): Promise<number> {
  const write = (text: string) =>
    io.out.write(text.endsWith("\n") ? text : `${text}\n`);
  const fail = (text: string) =>
    io.err.write(text.endsWith("\n") ? text : `${text}\n`);
  let exitCode: number = EXIT.ok;

  const program = new Command("amplication-auth0")
    .description(
      "Convert an Amplication-generated app (NestJS server + react-admin admin UI)\n" +
        "from local JWT login to Auth0, again after every re-generation.",
    )
    .version(packageVersion())
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
    })
    .exitOverride()
    .showHelpAfterError("(run amplication-auth0 --help for usage)")
    .addHelpText(
      "after",
      `
[dir] is the repository root (default: the current directory). The config is
<dir>/${DEFAULT_CONFIG_FILE} unless --config names another file.

Exit codes:
  0  done, or nothing pending (services found but not listed are only reported)
  1  changes pending (check), a listed service or a file refused, no service in
     the repository convertible (apply, check, init: each is named with why), or a
     failed run (nothing written)
  2  bad usage, bad config, no service found, init in a sub-folder of a repository,
     or uncommitted changes to overwrite without --allow-dirty

Examples:
  amplication-auth0 init                 write auth0.config.json, then fill in the placeholders
  amplication-auth0 apply --dry-run      show the diff, write nothing
  amplication-auth0 apply                convert every detected service, all files or none
  amplication-auth0 check                in CI: fail when a re-generation undid the conversion
  amplication-auth0 ci github            write the workflow that re-applies after every Amplication build
  amplication-auth0 provision --dry-run  show what provision would create in your Auth0 tenant`,
    );

  const runOptions = (command: Command) =>
    command
      .argument("[dir]", "repository root", ".")
      .option(
        "-c, --config <file>",
        `config file (default: <dir>/${DEFAULT_CONFIG_FILE})`,
      )
      .option("--json", "print a machine-readable report on stdout")
      .option("-v, --verbose", "list every rule's outcome for each service")
      .addOption(new Option("--no-color", "plain output without colors"));

  /**
   * Runs a command that is not a conversion under the repository's lock, after finishing what an
   * interrupted run left (apply and check do the same in run()).
   */
  async function opened<T>(root: string, action: () => T): Promise<Awaited<T>> {
    const release = openRepository(root, fail);
    try {
      return await action();
    } finally {
      release();
    }
  }

  const execute = async (command: RunCommand, dir: string, flags: RunFlags) => {
    const root = path.resolve(dir);
    let result: Awaited<ReturnType<typeof run>>;
    const summaryFile = flags.summaryFile && path.resolve(flags.summaryFile);
    let commitLine: string | undefined;
    /** With --commit: the commit's id, null when nothing changed. */
    let committed:
      { commit: string | null; ignoredByGit: string[] } | undefined;
    try {
      // --commit's problems are usage errors, found before anything is written.
      const author = flags.author ? parseAuthor(flags.author) : DEFAULT_AUTHOR;
      if (flags.commit && flags.dryRun)
        throw new CommitUsageError(
          "--commit cannot be combined with --dry-run",
        );
      if (!flags.commit && (flags.message || flags.author))
        throw new CommitUsageError(
          `${flags.message ? "--message" : "--author"} goes with --commit, which this run was not given`,
        );
      // Before the run: a summary that fails after it would leave the written run unreported.
      if (summaryFile) assertSummaryWritable(summaryFile);
      if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory())
        throw new DetectionError(`${root}: no such folder`);
      if (flags.commit) assertGitWorkTree(root);
      // No config, and init would write none: say why, where the loader would say "run init".
      const defaultConfig = path.join(root, DEFAULT_CONFIG_FILE);
      const why =
        flags.config || fs.existsSync(defaultConfig)
          ? undefined
          : (inSubFolder(root, command) ?? whyInitWritesNothing(root));
      if (why)
        throw new ConfigError(
          defaultConfig,
          [{ path: "", message: `file not found, and ${why}` }],
          true,
        );
      result = await run({
        root,
        configFile: flags.config ? path.resolve(flags.config) : undefined,
        command,
        dryRun: flags.dryRun,
        allowDirty: flags.allowDirty,
        beforeWrite: flags.commit
          ? (changes, workTrees) =>
              assertCommittableHere(root, changes, workTrees)
          : undefined,
        say: fail,
        prettierThread: prettier,
      });
      /** What the run wrote, or with --commit committed (what git ignores left out). */
      let changes = result.changes;
      if (flags.commit) {
        // A run a failing service stopped wrote nothing: nothing to commit or call ignored.
        if (!result.written) changes = [];
        const ignored = ignoredByGit(root, changes);
        changes = changes.filter((change) => !ignored.includes(change.file));
        const services = convertedServices(result.services, changes);
        const commit = commitChanges(root, changes, {
          author,
          message: commitMessage({
            version: packageVersion(),
            services,
            files: changes.length,
            message: flags.message,
          }),
        });
        committed = { commit: commit ?? null, ignoredByGit: ignored };
        commitLine =
          (commit
            ? `committed ${commit.slice(0, 12)} as ${formatAuthor(author)}`
            : ignored.length > 0
              ? "no commit"
              : "nothing changed: no commit") +
          (ignored.length > 0
            ? `\nnot committed, as git ignores ${ignored.length === 1 ? "it" : "them"} (written in the working tree): ${ignored.join(", ")}`
            : "");
      }
      if (summaryFile) {
        const markdown = runMarkdown({
          version: packageVersion(),
          result,
          services: convertedServices(result.services, changes),
          files: changes.length,
          committing: Boolean(flags.commit),
          commit: committed?.commit ?? undefined,
          ignored: committed?.ignoredByGit,
        });
        try {
          appendSummary(summaryFile, markdown);
        } catch (error) {
          throw new SummaryNotWrittenError(summaryFile, error, {
            written: result.written,
            dryRun: result.dryRun,
            committing: Boolean(flags.commit),
            commit: committed?.commit ?? undefined,
          });
        }
      }
    } catch (error) {
      const aboutTheSummary =
        error instanceof SummaryFileError ||
        error instanceof SummaryNotWrittenError;
      if (summaryFile && !aboutTheSummary)
        try {
          appendSummary(summaryFile, failureMarkdown(packageVersion(), error));
        } catch (summaryError) {
          // The run's own failure is the one to report; the lost summary is said beside it.
          fail(
            `warning: --summary-file ${summaryFile} could not be written (${(summaryError as Error)?.message ?? String(summaryError)})`,
          );
        }
      if (!flags.json) throw error;
      // The message still goes to stderr; stdout gets the report a script reads.
      exitCode = reportError(error, fail, pc.createColors(false), command);
      write(errorJson(command, error, exitCode));
      return;
    }
    const color = flags.color !== false && Boolean(io.out.isTTY);
    if (flags.json) {
      write(toJson(result, committed));
    } else {
      if (flags.dryRun && result.changes.length > 0)
        write(unifiedDiff(result, color));
      write(
        summary(
          result,
          color,
          flags.verbose,
          dir, // as the user wrote it: the next steps' commands use it
        ),
      );
      if (commitLine) write(commitLine);
    }
    exitCode = exitCodeOf(result);
  };

  runOptions(
    program
      .command("apply")
      .description(
        "convert every detected service: writes every change or none",
      )
      .option(
        "-n, --dry-run",
        "print the unified diff and the summary, write nothing",
      )
      .option(
        "--allow-dirty",
        "run even when the folders to convert have uncommitted changes",
      )
      .option(
        "--commit",
        "commit exactly the files apply created, changed and deleted (no commit when nothing changed)",
      )
      .option(
        "--message <text>",
        "with --commit: the commit message (a Converted-by trailer is added)",
      )
      .option(
        "--author <name-and-email>",
        `with --commit: the commit author (default: "${formatAuthor(DEFAULT_AUTHOR)}")`,
      )
      .option(
        "--summary-file <file>",
        "append a Markdown account of the run, or of why it failed, to this file (in GitHub Actions: $GITHUB_STEP_SUMMARY)",
      ),
  ).action((dir: string, flags: RunFlags) => execute("apply", dir, flags));

  runOptions(
    program
      .command("check")
      .description(
        "exit 1 when apply would change something (for CI after a re-generation)",
      ),
  ).action((dir: string, flags: RunFlags) => execute("check", dir, flags));

  program
    .command("init")
    .description(
      `write <dir>/${DEFAULT_CONFIG_FILE} from what detection finds (never overwrites)`,
    )
    .argument("[dir]", "repository root", ".")
    .option("-c, --config <file>", "where to write the config")
    .option("--json", "print a machine-readable report on stdout")
    // init prints no colors; taken so that one set of flags serves every command
    .addOption(new Option("--no-color", "plain output without colors"))
    .action(async (dir: string, flags: { config?: string; json?: boolean }) => {
      const root = path.resolve(dir);
      const file = flags.config
        ? path.resolve(flags.config)
        : path.join(root, DEFAULT_CONFIG_FILE);
      const { text, notes } = await opened(root, () => init(root, file));
      if (flags.json) {
        write(
          JSON.stringify(
            {
              command: "init",
              written: true,
              exitCode: EXIT.ok,
              file,
              config: JSON.parse(text),
              notes,
            },
            null,
            2,
          ),
        );
        return;
      }
      write(`wrote ${path.relative(process.cwd(), file) || file}`);
      for (const note of notes) write(`  ${note}`);
      const where = [
        ...(dir === "." ? [] : [shellWord(dir)]),
        ...(flags.config ? ["--config", shellWord(flags.config)] : []),
      ];
      write(
        `replace every "REPLACE_ME" with your tenant's values, then run: ${["amplication-auth0 apply --dry-run", ...where].join(" ")}`,
      );
    });

  program
    .command("provision")
    .description(
      "set up the Auth0 tenant: API, single-page application, post-login Action and its binding, the roles of " +
        "src/grants.json (and, with user.roles.source auth0, those of user.admins); writes auth0.domain/clientId/audience into the config",
    )
    .argument("[dir]", "repository root", ".")
    .option(
      "-c, --config <file>",
      `config file (default: <dir>/${DEFAULT_CONFIG_FILE})`,
    )
    .option(
      "-n, --dry-run",
      "print the plan (create / update / keep per resource), change nothing",
    )
    .option(
      "--update-application",
      "add missing callback, logout and web-origin URLs to an existing application (nothing is removed)",
    )
    .option(
      "--update-action",
      "replace the code of an existing Action that differs from the email claims code, and deploy it",
    )
    .option(
      "--domain <host>",
      "tenant domain, e.g. acme.eu.auth0.com (overrides auth0.domain; written to the config)",
    )
    .option(
      "--audience <identifier>",
      "API identifier, e.g. https://api.acme.example (overrides auth0.audience; written to the config)",
    )
    .option(
      "--management-domain <host>",
      "host of the Management API when auth0.domain is a custom domain (default: auth0.domain)",
    )
    .option("--apply", "run apply after provisioning")
    .option(
      "--allow-dirty",
      "with --apply: run even when the folders to convert have uncommitted changes",
    )
    .option("--json", "print a machine-readable report on stdout")
    .addOption(new Option("--no-color", "plain output without colors"))
    .addHelpText(
      "after",
      `
Credentials come from the environment only, never from the config file:
  AUTH0_MANAGEMENT_TOKEN                         a Management API access token, or
  AUTH0_M2M_CLIENT_ID + AUTH0_M2M_CLIENT_SECRET  a machine-to-machine application
                                                 authorized for the Auth0 Management API
The scopes they need are listed in the README ("Set up Auth0 automatically").`,
    )
    .action(async (dir: string, flags: ProvisionFlags) => {
      if (flags.apply && flags.json)
        throw new CommanderError(
          EXIT.usage,
          "provision.usage",
          "--apply cannot be combined with --json: run `amplication-auth0 apply --json` afterwards",
        );
      const root = path.resolve(dir);
      // Loaded here: the Auth0 SDK takes a while to load and only this command needs it; it is
      // an optional peer dependency, so first say how to install it when it is missing.
      assertManagementSdk();
      const { provision } = await import("../provision/provision");
      const result = await opened(root, () =>
        provision({
          ...io.provision,
          root,
          ruleIds: RULE_IDS,
          configFile: flags.config ? path.resolve(flags.config) : undefined,
          dryRun: flags.dryRun,
          updateApplication: flags.updateApplication,
          updateAction: flags.updateAction,
          domain: flags.domain,
          audience: flags.audience,
          managementDomain: flags.managementDomain,
          onProgress: (line) => fail(line),
        }),
      );
      const color = flags.color !== false && Boolean(io.out.isTTY);
      if (flags.json) {
        write(provisionJson(result));
        return;
      }
      write(provisionSummary(result, color));
      if (!flags.apply) return;
      if (flags.dryRun) {
        write("--apply skipped: a dry run writes no config to apply");
        return;
      }
      write("");
      await execute("apply", dir, {
        config: flags.config,
        allowDirty: flags.allowDirty,
        color: flags.color,
      });
    });

  ci(program, write, fail);

  program
    .command("rules")
    .description(
      'list the rules, in the order they are reported (turn one off with "rules": { "<id>": "off" })',
    )
    .option("--json", "print the rules as a JSON array")
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        const rules = RULES.map(({ id, target, description, files }) => ({
          id,
          target,
          description,
          files,
        }));
        write(JSON.stringify(rules, null, 2));
        return;
      }
      for (const rule of RULES)
        write(
          `${rule.id.padEnd(36)} ${rule.target.padEnd(7)} ${rule.description}`,
        );
    });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    // Colors only on a terminal: picocolors alone would also color output piped in CI.
    const stderrIsTerminal =
      Boolean((io.err as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR;
    const code = reportError(
      error,
      fail,
      pc.createColors(stderrIsTerminal),
      argv.find((arg) => !arg.startsWith("-")),
    );
    // A script that asked for JSON gets it on stdout for a usage error (or init's) too.
    if (argv.includes("--json") && code !== EXIT.ok)
      write(
        errorJson(
          argv.find((arg) => !arg.startsWith("-")),
          error,
          code,
        ),
      );
    return code;
  }
  return exitCode;
}

if (require.main === module) {
  // A reader that stops early (`amplication-auth0 rules | head`) closes the pipe: what is left
  // to print has no reader, which is no failure of the run, and the run finishes as it would.
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  main(process.argv.slice(2), undefined, earlyPrettier)
    .finally(() => earlyPrettier?.close()) // unused when the command did not get as far as the run
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(`${String(error)}\n`);
        process.exitCode = EXIT.pending;
      },
    );
}

/** Whether the command line asks for apply or check (and not their help). */
function startsConversion(argv: readonly string[]): boolean {
  const command = argv.find((arg) => !arg.startsWith("-"));
  return (
    (command === "apply" || command === "check") &&
    !argv.some((arg) => arg === "--help" || arg === "-h")
  );
}

/**
 * Why a command run in a sub-folder of a git repository finds no config there: it runs in the
 * repository's root folder, where init writes the config. Undefined elsewhere.
 */
function inSubFolder(root: string, command: string): string | undefined {
  const top = repositoryAbove(root);
  return (
    top &&
    inSubFolderMessage(
      root,
      top,
      command,
      `${command} runs in the repository's root folder, where init writes the config`,
    )
  );
}
