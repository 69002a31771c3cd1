/**
 * Re-applied after every Amplication build, end to end, with real git and no network: a bare
 * repository stands for GitHub, a script standing for Amplication pushes builds to the
 * `amplication` branch as `amplication[bot]`, and the job is the very `run:` lines of the workflow
 * `ci github` writes, executed with bash in a clone, as a GitHub runner would after checkout and
 * setup-node. The tool is "already installed": `amplication-auth0` on PATH runs the CLI from this
 * source; the install step (npm from the registry, where this package is not published) is the
 * one step not executed here.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DEFAULT_AUTHOR, TRAILER_KEY } from "../src/ci/git";
import { GITHUB_WORKFLOW_FILE, githubWorkflow } from "../src/ci/workflow";
import { packageVersion } from "../src/package-info";
import { readTree, tempDir } from "./helpers/files";
import { SOURCE_CLI } from "./helpers/source-cli";

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, "..");
const FIXTURE = path.join(ROOT, "fixtures/apps/shop-2025");
const AMPLICATION = { name: "amplication[bot]", email: "bot@amplication.com" };
const USER = { name: "Dana Developer", email: "dana@example.com" };

function git(cwd: string, args: string[], who = USER): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
    },
  });
}

/** The steps of the job after checkout and setup-node, with the install step left out. */
function jobSteps(workflow: string): Array<{ name?: string; run: string }> {
  const job = parse(workflow).jobs.convert;
  const steps = job.steps as Array<{
    name?: string;
    run?: string;
    uses?: string;
  }>;
  const afterSetup = steps.findIndex((step) =>
    step.uses?.startsWith("actions/setup-node@"),
  );
  return steps
    .slice(afterSetup + 1)
    .filter((step) => step.name !== "Install amplication-auth0")
    .map((step) => ({ name: step.name, run: step.run! }));
}

/**
 * A folder holding `amplication-auth0`, which runs the CLI of this checkout. The job's
 * environment is a runner's, so the script itself names the test run's scratch folder, where
 * helpers/register-ts.js keeps the sources it compiled for earlier starts.
 */
function installedTool(): string {
  const bin = tempDir("aa0-bin-");
  const scratch = process.env.AA0_TEST_SCRATCH;
  const cache = scratch ? `AA0_TEST_SCRATCH=${JSON.stringify(scratch)} ` : "";
  fs.writeFileSync(
    path.join(bin, "amplication-auth0"),
    `#!/bin/sh\n${cache}exec node ${SOURCE_CLI.map((arg) => JSON.stringify(arg)).join(" ")} "$@"\n`,
    { mode: 0o755 },
  );
  return bin;
}

describe("ci github: re-applied after every Amplication build", () => {
  const workflow = githubWorkflow({ version: packageVersion() });
  const bin = installedTool();
  let remote: string;
  let amplication: string; // Amplication's working copy
  let buildNumber = 0;

  /** Amplication pushes a build: the generated files of `build` over the branch, as its bot. */
  function pushBuild(build: (dir: string) => void): string {
    buildNumber += 1;
    git(amplication, ["fetch", "--quiet", "origin"]);
    const hasBranch = git(amplication, ["branch", "-r"]).includes(
      "origin/amplication",
    );
    git(amplication, [
      "checkout",
      "--quiet",
      "-B",
      "amplication",
      hasBranch ? "origin/amplication" : "origin/main",
    ]);
    build(amplication);
    git(amplication, ["add", "--all"]);
    git(
      amplication,
      [
        "commit",
        "--quiet",
        "--allow-empty",
        "--message",
        `Amplication build # b${buildNumber}\n\nhttps://app.amplication.com/build/b${buildNumber}`,
      ],
      AMPLICATION,
    );
    git(amplication, ["push", "--quiet", "origin", "amplication"]);
    return remoteHead();
  }

  function remoteHead(): string {
    return git(remote, ["rev-parse", "refs/heads/amplication"]).trim();
  }

  /** The job on a runner: a fresh clone of the pushed branch, then every run: line in order. */
  function runJob(): { ok: boolean; summary: string; log: string } {
    const runner = tempDir("aa0-runner-");
    const work = path.join(runner, "repo");
    git(runner, ["clone", "--quiet", "--branch", "amplication", remote, work]);
    const summaryFile = path.join(runner, "step-summary.md");
    fs.writeFileSync(summaryFile, "");
    let log = "";
    for (const step of jobSteps(workflow)) {
      const result = spawnSync("bash", ["-e", "-c", step.run], {
        cwd: work,
        encoding: "utf8",
        env: {
          // A runner's environment: no git identity configured, the tool on PATH.
          PATH: `${bin}${path.delimiter}${process.env.PATH}`,
          HOME: runner,
          GITHUB_STEP_SUMMARY: summaryFile,
          GITHUB_REF_NAME: "amplication",
          CI: "true",
          NO_COLOR: "1",
        },
      });
      log += `$ ${step.run}\n${result.stdout}${result.stderr}`;
      if (result.status !== 0)
        return {
          ok: false,
          summary: fs.readFileSync(summaryFile, "utf8"),
          log,
        };
    }
    return { ok: true, summary: fs.readFileSync(summaryFile, "utf8"), log };
  }

  function checkoutOf(ref: string): string {
    const dir = tempDir("aa0-look-");
    git(dir, ["clone", "--quiet", "--branch", ref, remote, "."]);
    return dir;
  }

  /** Copies the build's generated files over the working copy, as a build overwrites them. */
  const generated = (dir: string) =>
    fs.cpSync(path.join(FIXTURE, "input"), dir, { recursive: true });

  beforeAll(() => {
    remote = tempDir("aa0-github-");
    git(remote, ["init", "--quiet", "--bare", "--initial-branch=main"]);
    // The user's main branch: the config and the workflow `ci github` wrote.
    const user = tempDir("aa0-user-");
    git(user, ["clone", "--quiet", remote, "."]);
    git(user, ["checkout", "--quiet", "-b", "main"]);
    fs.copyFileSync(
      path.join(FIXTURE, "auth0.config.json"),
      path.join(user, "auth0.config.json"),
    );
    fs.mkdirSync(path.join(user, path.dirname(GITHUB_WORKFLOW_FILE)), {
      recursive: true,
    });
    fs.writeFileSync(path.join(user, GITHUB_WORKFLOW_FILE), workflow);
    git(user, ["add", "--all"]);
    git(user, ["commit", "--quiet", "--message", "Add Auth0 conversion"]);
    git(user, ["push", "--quiet", "origin", "main"]);
    amplication = tempDir("aa0-amplication-");
    git(amplication, ["clone", "--quiet", remote, "."]);
  });

  let converted: string;

  it("converts the first build in one commit by the configured author, expected/ byte for byte", () => {
    const build = pushBuild(generated);
    const job = runJob();
    expect(job).toMatchObject({ ok: true });
    converted = remoteHead();
    expect(converted).not.toBe(build);
    // One commit on top of the build, by the tool, naming itself, its version and the service.
    const look = checkoutOf("amplication");
    expect(git(look, ["rev-parse", "HEAD~1"]).trim()).toBe(build);
    expect(git(look, ["log", "-1", "--format=%an <%ae>|%cn"]).trim()).toBe(
      `${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}>|${DEFAULT_AUTHOR.name}`,
    );
    const message = git(look, ["log", "-1", "--format=%B"]);
    expect(message).toContain(`amplication-auth0 ${packageVersion()}`);
    expect(message).toContain("shop");
    expect(message).toContain(`${TRAILER_KEY}: amplication-auth0`);
    // The apps are expected/, byte for byte; besides them only the user's own files.
    const tree = readTree(look);
    const expected = readTree(path.join(FIXTURE, "expected"));
    const apps = new Map(
      [...tree].filter(([file]) => file.startsWith("apps/")),
    );
    expect(apps).toEqual(expected);
    expect(
      [...tree.keys()].filter((file) => !file.startsWith("apps/")),
    ).toEqual([GITHUB_WORKFLOW_FILE, "auth0.config.json"].sort());
    expect(job.summary).toContain("Converted `shop` to Auth0");
  });

  it("skips its own commit, and run again on it adds no commit", () => {
    // The job's `if`: the head commit's author and message, as GitHub evaluates them.
    const condition = parse(workflow).jobs.convert.if as string;
    const look = checkoutOf("amplication");
    const author = git(look, ["log", "-1", "--format=%an"]).trim();
    expect(condition).toContain(
      `github.event.head_commit.author.name != '${author}'`,
    );
    expect(condition).toContain(
      `!contains(github.event.head_commit.message, '${TRAILER_KEY}: amplication-auth0')`,
    );
    const job = runJob();
    expect(job.ok).toBe(true);
    expect(remoteHead()).toBe(converted);
    expect(job.summary).toContain("No commit");
  });

  it("converts a second build on top again (auth files back, an entity added) and keeps the user's commit", () => {
    // The user's own commit on the branch, which Amplication carries into the next build.
    const user = checkoutOf("amplication");
    fs.writeFileSync(path.join(user, "NOTES.md"), "Sign-in is Auth0 now.\n");
    git(user, ["add", "NOTES.md"]);
    git(user, ["commit", "--quiet", "--message", "Notes on sign-in"]);
    git(user, ["push", "--quiet", "origin", "HEAD:amplication"]);
    const userCommit = git(user, ["rev-parse", "HEAD"]).trim();

    const build = pushBuild((dir) => {
      generated(dir); // the generated auth files put back, base files overwritten
      addProductEntity(dir);
    });
    const job = runJob();
    expect(job).toMatchObject({ ok: true });
    const look = checkoutOf("amplication");
    expect(git(look, ["rev-parse", "HEAD~1"]).trim()).toBe(build);
    expect(git(look, ["log", "-1", "--format=%an"]).trim()).toBe(
      DEFAULT_AUTHOR.name,
    );
    expect(git(look, ["merge-base", "--is-ancestor", userCommit, "HEAD"])).toBe(
      "",
    );
    const tree = readTree(look);
    expect(tree.get("NOTES.md")).toBe("Sign-in is Auth0 now.\n");
    // Converted as the first build was; the entity's files as generated.
    const withEntity = tempDir("aa0-entity-");
    addProductEntity(withEntity);
    const want = new Map([
      ...readTree(path.join(FIXTURE, "expected")),
      ...readTree(withEntity),
    ]);
    const apps = new Map(
      [...tree].filter(([file]) => file.startsWith("apps/")),
    );
    expect(apps).toEqual(want);
  });

  it("adds no commit for a build that changes nothing", () => {
    const build = pushBuild(() => undefined);
    const job = runJob();
    expect(job.ok).toBe(true);
    expect(remoteHead()).toBe(build);
  });

  it("fails on a build the rules refuse, with the refusal in the summary, and leaves the branch as pushed", () => {
    const build = pushBuild((dir) => {
      generated(dir);
      // A JwtStrategy with a validate method the rules do not convert.
      fs.copyFileSync(
        path.join(
          ROOT,
          "__testfixtures__/server/jwt-strategy/handwritten-validate.error.ts",
        ),
        path.join(dir, "apps/shop-server/src/auth/jwt/jwt.strategy.ts"),
      );
    });
    const job = runJob();
    expect(job.ok).toBe(false);
    expect(remoteHead()).toBe(build);
    expect(job.summary).toContain("this build was not converted");
    expect(job.summary).toContain(
      "- **File:** `apps/shop-server/src/auth/jwt/jwt.strategy.ts`",
    );
    expect(job.summary).toContain("- **Rule:** `server/jwt-strategy`");
    expect(job.summary).toMatch(/- \*\*Reason:\*\* .*validate/);
    expect(job.summary).toMatch(/- \*\*Fix:\*\* \S/);
    expect(job.summary).toContain("Nothing was written or committed");
  });
});

/**
 * A second entity, `Product`, as a build adds one to the server: its module folder (the Order
 * entity's files, renamed) and its import in app.module.ts.
 */
function addProductEntity(dir: string): void {
  const server = "apps/shop-server/src";
  const rename = (text: string) =>
    text.replace(/Order/g, "Product").replace(/order/g, "product");
  const from = path.join(FIXTURE, "input", server, "order");
  for (const file of fs.readdirSync(from, { recursive: true }) as string[]) {
    const source = path.join(from, file);
    if (fs.statSync(source).isDirectory()) continue;
    const target = path.join(dir, server, "product", rename(file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, rename(fs.readFileSync(source, "utf8")));
  }
  const appModule = path.join(dir, server, "app.module.ts");
  const text = fs.readFileSync(
    path.join(FIXTURE, "input", server, "app.module.ts"),
    "utf8",
  );
  fs.mkdirSync(path.dirname(appModule), { recursive: true });
  fs.writeFileSync(
    appModule,
    text
      .replace(
        'import { OrderModule } from "./order/order.module";\n',
        'import { OrderModule } from "./order/order.module";\nimport { ProductModule } from "./product/product.module";\n',
      )
      .replace("    OrderModule,\n", "    OrderModule,\n    ProductModule,\n"),
  );
}
