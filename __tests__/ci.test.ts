/**
 * `ci github` / `ci gitlab` and `apply --commit`: the workflow passes a real GitHub workflow
 * linter (@action-validator/cli), the file is written once and never replaced by accident, and
 * the commit holds exactly the files apply wrote.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { GITHUB_WORKFLOW_FILE, githubWorkflow } from "../src/ci/workflow";
import { packageVersion } from "../src/package-info";
import { copyTree, hashTree, readTree, tempDir } from "./helpers/files";
import { runCli } from "./helpers/cli";
import { committedCopy, superprojectWith } from "./helpers/submodule";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLE = path.join(ROOT, "fixtures/apps/shop-2025");
const LINTER = path.join(ROOT, "node_modules/.bin/action-validator");

const cli = (...args: string[]) => runCli(args);

function lint(workflow: string): { ok: boolean; output: string } {
  const file = path.join(tempDir("aa0-lint-"), "workflow.yml");
  fs.writeFileSync(file, workflow);
  const result = spawnSync(LINTER, [file], { encoding: "utf8" });
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Dana",
      GIT_AUTHOR_EMAIL: "dana@example.com",
      GIT_COMMITTER_NAME: "Dana",
      GIT_COMMITTER_EMAIL: "dana@example.com",
    },
  });
}

/** The example app with its config, committed in a fresh git repository. */
function exampleRepository(): string {
  const dir = copyTree(path.join(EXAMPLE, "input"));
  fs.copyFileSync(
    path.join(EXAMPLE, "auth0.config.json"),
    path.join(dir, "auth0.config.json"),
  );
  git(dir, "init", "--quiet");
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--message", "Amplication build # 1");
  return dir;
}

describe("ci github", () => {
  it("writes a workflow that the GitHub workflow linter accepts", () => {
    const workflow = githubWorkflow({ version: packageVersion() });
    expect(lint(workflow)).toEqual({ ok: true, output: "" });
    const custom = githubWorkflow({
      version: packageVersion(),
      author: { name: "Ci: O'Brien # 2", email: "ci@example.com" },
    });
    expect(lint(custom)).toEqual({ ok: true, output: "" });
    // The author survives YAML and the shell quoting.
    const job = parse(custom).jobs.convert;
    expect(job.if).toContain("author.name != 'Ci: O''Brien # 2'");
    expect(job.steps.map((step: { run?: string }) => step.run)).toContain(
      `amplication-auth0 apply --commit --author 'Ci: O'\\''Brien # 2 <ci@example.com>' --summary-file "$GITHUB_STEP_SUMMARY"`,
    );
  });

  it("the linter is real: it rejects a broken workflow", () => {
    const broken = githubWorkflow({ version: packageVersion() }).replace(
      "contents: write",
      "contents: writ",
    );
    expect(lint(broken).ok).toBe(false);
  });

  it("runs on amplication and amplication-*, with permission to push, and pushes to the same branch", () => {
    const workflow = parse(githubWorkflow({ version: "1.2.3" }));
    expect(workflow.on.push.branches).toEqual(["amplication", "amplication-*"]);
    expect(workflow.permissions).toEqual({ contents: "write" });
    const steps = workflow.jobs.convert.steps;
    expect(steps[0]).toMatchObject({
      uses: "actions/checkout@v4",
      with: { "fetch-depth": 0 },
    });
    expect(steps[1].uses).toBe("actions/setup-node@v4");
    expect(steps.at(-1).run).toBe('git push origin "HEAD:$GITHUB_REF_NAME"');
  });

  it("installs the version that wrote it, or the one the repository pins", () => {
    const install = parse(githubWorkflow({ version: "1.2.3" })).jobs.convert
      .steps[2];
    // npm stands in for the registry, where this package is not published: it records its
    // arguments.
    const bin = tempDir("aa0-npm-");
    fs.writeFileSync(
      path.join(bin, "npm"),
      `#!/bin/sh\necho "$@" > "${bin}/args"\n`,
      { mode: 0o755 },
    );
    const installedVersion = (repo: string) => {
      execFileSync("bash", ["-e", "-c", install.run], {
        cwd: repo,
        env: {
          ...process.env,
          ...install.env,
          PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        },
      });
      return fs.readFileSync(path.join(bin, "args"), "utf8").trim();
    };
    const repo = tempDir("aa0-pin-");
    expect(installedVersion(repo)).toBe(
      "install --global --no-audit --no-fund amplication-auth0-codemod@1.2.3",
    );
    fs.writeFileSync(
      path.join(repo, "package.json"),
      JSON.stringify({
        devDependencies: { "amplication-auth0-codemod": "1.0.7" },
      }),
    );
    expect(installedVersion(repo)).toMatch(
      /amplication-auth0-codemod@1\.0\.7$/,
    );
  });

  it("twice changes nothing, never replaces a different file without --force, and --dry-run writes nothing", async () => {
    const repo = tempDir("aa0-ci-");
    const file = path.join(repo, GITHUB_WORKFLOW_FILE);

    const dry = await cli("ci", "github", "--dry-run", repo);
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(githubWorkflow({ version: packageVersion() }));
    expect(fs.existsSync(file)).toBe(false);

    expect((await cli("ci", "github", repo)).code).toBe(0);
    const written = fs.readFileSync(file, "utf8");
    expect(written).toBe(githubWorkflow({ version: packageVersion() }));
    const again = await cli("ci", "github", repo);
    expect(again.code).toBe(0);
    expect(again.out).toContain("up to date");
    expect(fs.readFileSync(file, "utf8")).toBe(written);

    fs.writeFileSync(file, "# the user's own workflow\n");
    const refused = await cli("ci", "github", repo);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(GITHUB_WORKFLOW_FILE);
    expect(refused.err).toContain("--force");
    expect(fs.readFileSync(file, "utf8")).toBe("# the user's own workflow\n");

    expect((await cli("ci", "github", "--force", repo)).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(written);
    // written whole under a temporary name, then renamed: none is left beside it
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it("in a checkout with CRLF line ends (core.autocrlf), twice changes nothing, and --force keeps them", async () => {
    const repo = tempDir("aa0-ci-");
    const file = path.join(repo, GITHUB_WORKFLOW_FILE);
    const workflow = githubWorkflow({ version: packageVersion() });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, workflow.replace(/\n/g, "\r\n"));

    const again = await cli("ci", "github", repo);
    expect(again.code).toBe(0);
    expect(again.out).toContain("up to date");

    fs.writeFileSync(file, "# the user's own workflow\r\n");
    expect((await cli("ci", "github", "--force", repo)).code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(workflow.replace(/\n/g, "\r\n"));
  });

  it("never writes through a .github link that leads outside the repository", async () => {
    const repo = tempDir("aa0-ci-");
    git(repo, "init", "--quiet");
    const outside = tempDir("aa0-outside-");
    fs.symlinkSync(outside, path.join(repo, ".github"));
    for (const force of [[], ["--force"]]) {
      const linked = await cli("ci", "github", ...force, repo);
      expect(linked.code).toBe(2);
      expect(linked.err).toContain(
        `.github is a symbolic link that leads outside the repository (to ${fs.realpathSync(outside)})`,
      );
      expect(linked.err).toContain("replace the link with a folder");
      expect(fs.readdirSync(outside)).toEqual([]);
    }
    // the same through the workflows folder
    fs.rmSync(path.join(repo, ".github"));
    fs.mkdirSync(path.join(repo, ".github"));
    fs.symlinkSync(outside, path.join(repo, ".github/workflows"));
    const workflows = await cli("ci", "github", repo);
    expect(workflows.code).toBe(2);
    expect(workflows.err).toContain(
      ".github/workflows is a symbolic link that leads outside the repository",
    );
    expect(fs.readdirSync(outside)).toEqual([]);
    // a broken link, which creating the folders would have followed
    fs.rmSync(path.join(repo, ".github"), { recursive: true });
    fs.symlinkSync(path.join(outside, "gone"), path.join(repo, ".github"));
    const broken = await cli("ci", "github", repo);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(
      ".github is a symbolic link that leads outside the repository",
    );
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it("never reads or replaces a workflow file that is a link, even with --force", async () => {
    const repo = tempDir("aa0-ci-");
    git(repo, "init", "--quiet");
    const file = path.join(repo, GITHUB_WORKFLOW_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const outside = tempDir("aa0-outside-");
    const theirs = path.join(outside, "theirs.yml");
    fs.writeFileSync(theirs, "# another repository's workflow\n");
    fs.symlinkSync(theirs, file);
    for (const force of [[], ["--force"]]) {
      const linked = await cli("ci", "github", ...force, repo);
      expect(linked.code).toBe(2);
      expect(linked.err).toContain(
        `${GITHUB_WORKFLOW_FILE} is a symbolic link that leads outside the repository (to ${fs.realpathSync(theirs)})`,
      );
      expect(linked.err).toContain("replace the link with the file itself");
      expect(linked.err).not.toContain("differs"); // it was not read
      expect(fs.readdirSync(outside)).toEqual(["theirs.yml"]);
      expect(fs.readFileSync(theirs, "utf8")).toBe(
        "# another repository's workflow\n",
      );
    }
    // A link to a file inside the repository is refused too: writing would replace the link.
    const inside = path.join(repo, "workflow.yml");
    fs.writeFileSync(inside, "# kept here\n");
    fs.rmSync(file);
    fs.symlinkSync(inside, file);
    const local = await cli("ci", "github", "--force", repo);
    expect(local.code).toBe(2);
    expect(local.err).toContain(
      `${GITHUB_WORKFLOW_FILE} is a symbolic link (to workflow.yml)`,
    );
    expect(fs.readFileSync(inside, "utf8")).toBe("# kept here\n");
  });

  it("refuses a folder that is not there, and creates none", async () => {
    const missing = path.join(tempDir("aa0-ci-"), "missing");
    const { code, err } = await cli("ci", "github", missing);
    expect(code).toBe(2);
    expect(err).toContain(`${missing}: no such folder`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("follows a .github link that stays inside the repository", async () => {
    const repo = tempDir("aa0-ci-");
    git(repo, "init", "--quiet");
    fs.mkdirSync(path.join(repo, "ci"));
    fs.symlinkSync("ci", path.join(repo, ".github"));
    const linked = await cli("ci", "github", repo);
    expect([linked.code, linked.err]).toEqual([0, ""]);
    expect(
      fs.readFileSync(
        path.join(repo, "ci/workflows/amplication-auth0.yml"),
        "utf8",
      ),
    ).toBe(githubWorkflow({ version: packageVersion() }));
    expect(fs.lstatSync(path.join(repo, ".github")).isSymbolicLink()).toBe(
      true,
    );
  });
});

describe("ci github and gitlab with the repository's pin", () => {
  const TARBALL = "amplication-auth0-codemod-0.1.0.tgz";
  const pinned = (pin: string) => {
    const repo = tempDir("aa0-pin-");
    fs.writeFileSync(
      path.join(repo, "package.json"),
      JSON.stringify({ devDependencies: { "amplication-auth0-codemod": pin } }),
    );
    return repo;
  };
  const inRepo = async <T>(repo: string, run: () => Promise<T>) => {
    const before = process.cwd();
    process.chdir(repo);
    try {
      return await run();
    } finally {
      process.chdir(before);
    }
  };

  it("refuses a tarball pinned outside the repository (README's first install), which a CI checkout lacks", async () => {
    const repo = pinned(`file:../amplication-auth0-codemod/${TARBALL}`);
    const github = await cli("ci", "github", repo);
    expect(github.code).toBe(2);
    expect(github.err).toContain(
      `package.json installs amplication-auth0-codemod from ../amplication-auth0-codemod/${TARBALL}, outside the repository`,
    );
    expect(github.err).toContain("npm install --save-dev ./vendor/");
    expect(fs.existsSync(path.join(repo, GITHUB_WORKFLOW_FILE))).toBe(false);
    const gitlab = await inRepo(repo, () => cli("ci", "gitlab"));
    expect(gitlab.code).toBe(2);
    expect(gitlab.out).toBe("");
    // a path in the repository that is not there
    const missing = await cli("ci", "github", pinned(`file:vendor/${TARBALL}`));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`vendor/${TARBALL}, which is not there`);
  });

  it("reads no package.json and follows no vendor/ link that leads outside the repository", async () => {
    const outside = tempDir("aa0-outside-");
    fs.writeFileSync(path.join(outside, TARBALL), "");
    const repo = pinned(`file:vendor/${TARBALL}`);
    fs.symlinkSync(outside, path.join(repo, "vendor"));
    const viaLink = await cli("ci", "github", repo);
    expect(viaLink.code).toBe(2);
    expect(viaLink.err).toContain(
      `package.json installs amplication-auth0-codemod from vendor/${TARBALL}, outside the repository`,
    );
    const linked = tempDir("aa0-pin-");
    fs.writeFileSync(
      path.join(outside, "package.json"),
      JSON.stringify({
        devDependencies: { "amplication-auth0-codemod": "1.0.0" },
      }),
    );
    fs.symlinkSync(
      path.join(outside, "package.json"),
      path.join(linked, "package.json"),
    );
    const manifest = await cli("ci", "github", linked);
    expect(manifest.code).toBe(2);
    expect(manifest.err).toContain(
      "package.json is a symbolic link that leads outside the repository",
    );
    expect(fs.existsSync(path.join(linked, GITHUB_WORKFLOW_FILE))).toBe(false);
  });

  it("a file where the workflow's folder goes (or a folder where the file goes) is a usage error that says so", async () => {
    const repo = tempDir("aa0-ci-");
    fs.writeFileSync(path.join(repo, ".github"), "");
    const file = await cli("ci", "github", repo);
    expect([file.code, file.err]).toEqual([
      2,
      expect.stringContaining(".github is a file where a folder goes"),
    ]);
    fs.rmSync(path.join(repo, ".github"));
    fs.mkdirSync(path.join(repo, GITHUB_WORKFLOW_FILE), { recursive: true });
    const folder = await cli("ci", "github", repo);
    expect([folder.code, folder.err]).toEqual([
      2,
      expect.stringContaining(
        `${GITHUB_WORKFLOW_FILE} is a folder where the workflow file goes`,
      ),
    ]);
  });

  it("refuses a tarball in the repository that git ignores (a checkout would lack it), and takes it once tracked", async () => {
    const repo = pinned(`file:vendor/${TARBALL}`);
    fs.mkdirSync(path.join(repo, "vendor"));
    fs.writeFileSync(path.join(repo, "vendor", TARBALL), "");
    fs.writeFileSync(path.join(repo, ".gitignore"), "*.tgz\n");
    git(repo, "init", "--quiet");
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "--message", "vendor");
    const ignored = await cli("ci", "github", repo);
    expect(ignored.code).toBe(2);
    expect(ignored.err).toContain(
      `package.json installs amplication-auth0-codemod from vendor/${TARBALL}, which git ignores (.gitignore): a checkout of the repository would not have it`,
    );
    expect(ignored.err).toContain(`git add -f vendor/${TARBALL}`);
    git(repo, "add", "-f", `vendor/${TARBALL}`);
    git(repo, "commit", "--quiet", "--message", "the tarball");
    expect((await cli("ci", "github", repo)).code).toBe(0);
  });

  it("takes a tarball kept in the repository, and says when the job installs from the registry", async () => {
    const repo = pinned(`file:vendor/${TARBALL}`);
    fs.mkdirSync(path.join(repo, "vendor"));
    fs.writeFileSync(path.join(repo, "vendor", TARBALL), "");
    const github = await cli("ci", "github", repo);
    expect([github.code, github.err]).toEqual([0, ""]);
    expect(github.out).not.toContain("npm registry");
    const gitlab = await inRepo(repo, () => cli("ci", "gitlab"));
    expect([gitlab.code, gitlab.err]).toEqual([0, ""]);
    const dry = await cli("ci", "github", "--dry-run", repo);
    expect([dry.code, dry.err]).toEqual([0, ""]);

    const registry = `the job installs amplication-auth0-codemod@${packageVersion()} from the npm registry (package.json pins none)`;
    const unpinned = tempDir("aa0-pin-");
    const bare = await cli("ci", "github", unpinned);
    expect(bare.code).toBe(0);
    expect(bare.out).toContain(registry);
    // the printed workflow and job stay as they are, to pipe; the note goes beside them
    const bareDry = await cli("ci", "github", "--dry-run", unpinned);
    expect(bareDry.code).toBe(0);
    expect(bareDry.out).toBe(githubWorkflow({ version: packageVersion() }));
    expect(bareDry.err).toContain(registry);
    const bareGitlab = await inRepo(unpinned, () => cli("ci", "gitlab"));
    expect(bareGitlab.code).toBe(0);
    expect(bareGitlab.out).not.toContain("npm registry");
    expect(bareGitlab.err).toContain(registry);
  });
});

describe("ci gitlab", () => {
  it("prints a job that runs apply --commit on amplication branches and pushes without a new pipeline", async () => {
    const { code, out } = await cli("ci", "gitlab");
    expect(code).toBe(0);
    const job = parse(out)["amplication-auth0"];
    expect(job.rules[0].if).toContain("/^amplication(-.+)?$/");
    expect(job.rules[0].if).toContain("/^amplication-auth0\\[bot\\] </");
    expect(job.script).toContain("amplication-auth0 apply --commit");
    expect(job.script.at(-1)).toMatch(/^git push -o ci\.skip /);
    expect(job.variables.AMPLICATION_AUTH0_VERSION).toBe(packageVersion());
  });
});

describe("apply --commit", () => {
  it("commits exactly the files it created, changed and deleted, by the configured author", async () => {
    const repo = exampleRepository();
    // Someone else's work: a staged file and a dirty one outside the converted folders.
    fs.writeFileSync(path.join(repo, "staged.txt"), "staged\n");
    git(repo, "add", "staged.txt");
    fs.writeFileSync(path.join(repo, "auth0.config.json.bak"), "dirty\n");

    const { code, out } = await cli(
      "apply",
      "--commit",
      "--author",
      "Release Bot <release@example.com>",
      "--message",
      "chore: Auth0 again",
      repo,
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /committed [0-9a-f]{12} as Release Bot <release@example.com>/,
    );
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>").trim()).toBe(
      "Release Bot <release@example.com>|Release Bot <release@example.com>",
    );
    expect(git(repo, "log", "-1", "--format=%B").trim()).toBe(
      `chore: Auth0 again\n\nConverted-by: amplication-auth0 ${packageVersion()}`,
    );
    const committed = git(repo, "show", "--name-status", "--format=", "HEAD")
      .trim()
      .split("\n")
      .sort();
    // Created, changed and deleted files are in it; nothing else is.
    expect(committed).toContain(
      "A\tapps/shop-admin/src/auth-provider/ra-auth-auth0.ts",
    );
    expect(committed).toContain("M\tapps/shop-server/src/auth/auth.module.ts");
    expect(committed).toContain(
      "D\tapps/shop-server/src/auth/auth.controller.ts",
    );
    expect(committed.every((line) => /^[AMD]\tapps\//.test(line))).toBe(true);
    // The work tree is clean where apply wrote, and the other work is as it was.
    expect(git(repo, "status", "--porcelain").split("\n").sort()).toEqual(
      ["", "?? auth0.config.json.bak", "A  staged.txt"].sort(),
    );
  });

  it("names the tool, its version and the services by default; no commit when nothing changed", async () => {
    // The files the conversion creates, changes or deletes: where input/ and expected/ differ.
    const input = readTree(path.join(EXAMPLE, "input"));
    const output = readTree(path.join(EXAMPLE, "expected"));
    const changedFiles =
      new Set([...input.keys(), ...output.keys()]).size -
      [...input].filter(([file, text]) => output.get(file) === text).length;
    const repo = exampleRepository();
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    expect(
      (await cli("apply", "--commit", "--summary-file", summary, repo)).code,
    ).toBe(0);
    expect(git(repo, "log", "-1", "--format=%an%n%B")).toBe(
      `amplication-auth0[bot]\namplication-auth0 ${packageVersion()}: convert shop to Auth0\n\n` +
        `amplication-auth0 apply created, changed or deleted ${changedFiles} files.\n\n` +
        `Converted-by: amplication-auth0 ${packageVersion()}\n\n`,
    );
    const head = git(repo, "rev-parse", "HEAD");
    const again = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect(again.code).toBe(0);
    expect(again.out).toContain("nothing changed: no commit");
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    const markdown = fs.readFileSync(summary, "utf8");
    expect(markdown).toContain(
      `Converted \`shop\` to Auth0: ${changedFiles} files in commit`,
    );
    expect(markdown).toContain("already converted to Auth0. No commit.");
  });

  it("--json gives the commit's id, and null when nothing changed", async () => {
    const repo = exampleRepository();
    const first = await cli("apply", "--commit", "--json", repo);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).commit).toBe(
      git(repo, "rev-parse", "HEAD").trim(),
    );
    const again = await cli("apply", "--commit", "--json", repo);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).commit).toBeNull();
    // Without --commit the key is absent: no commit was asked for.
    expect(
      JSON.parse((await cli("apply", "--json", repo)).out),
    ).not.toHaveProperty("commit");
  });

  it("puts every refusal into the summary file, and writes and commits nothing", async () => {
    const repo = exampleRepository();
    const server = path.join(repo, "apps/shop-server/src/auth");
    const refused = (fixture: string, file: string) =>
      fs.copyFileSync(
        path.join(ROOT, "__testfixtures__/server", fixture),
        path.join(server, file),
      );
    refused(
      "jwt-strategy/handwritten-validate.error.ts",
      "jwt/jwt.strategy.ts",
    );
    refused(
      "auth-module-passport-jwt/no-passport-module.error.ts",
      "auth.module.ts",
    );
    git(
      repo,
      "commit",
      "--quiet",
      "--all",
      "--message",
      "Amplication build # 2",
    );
    const head = git(repo, "rev-parse", "HEAD");
    const before = hashTree(repo);
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");

    const { code } = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(hashTree(repo)).toBe(before);
    const markdown = fs.readFileSync(summary, "utf8");
    const listed = markdown.match(/^- \*\*File:\*\* /gm) ?? [];
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(markdown).toContain(`Rules refused ${listed.length} files`);
    for (const [file, rule] of [
      ["apps/shop-server/src/auth/jwt/jwt.strategy.ts", "server/jwt-strategy"],
      [
        "apps/shop-server/src/auth/auth.module.ts",
        "server/auth-module-passport-jwt",
      ],
    ]) {
      expect(markdown).toContain(
        `- **File:** \`${file}\`\n- **Rule:** \`${rule}\``,
      );
    }
    expect(markdown).toContain("AuthModule does not import PassportModule");
    expect(markdown).toContain("Nothing was written or committed");
  });

  it("with --allow-dirty: leaves out a deleted file git never tracked, and commits nothing when the files end as HEAD has them", async () => {
    const repo = exampleRepository();
    // An untracked copy of a file the conversion deletes.
    const untracked = "apps/shop-server/src/auth/token.service.ts";
    git(repo, "rm", "--quiet", "--cached", untracked);
    git(repo, "commit", "--quiet", "--message", "untrack");
    const first = await cli("apply", "--commit", "--allow-dirty", repo);
    expect(first.code).toBe(0);
    expect(fs.existsSync(path.join(repo, untracked))).toBe(false);
    expect(git(repo, "show", "--name-only", "--format=", "HEAD")).not.toContain(
      untracked,
    );
    expect(git(repo, "status", "--porcelain")).toBe("");

    // A converted file put back as generated, not committed: converting it again gives HEAD's.
    const env = "apps/shop-server/.env";
    fs.copyFileSync(path.join(EXAMPLE, "input", env), path.join(repo, env));
    const head = git(repo, "rev-parse", "HEAD");
    const again = await cli("apply", "--commit", "--allow-dirty", repo);
    expect(again.code).toBe(0);
    expect(again.out).toContain("nothing changed: no commit");
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("leaves a file git ignores out of the commit and says so: a server .env its .gitignore lists, which a CI checkout lacks", async () => {
    const repo = exampleRepository();
    const env = "apps/shop-server/.env";
    git(repo, "rm", "--quiet", "--cached", env);
    fs.appendFileSync(path.join(repo, "apps/shop-server/.gitignore"), ".env\n");
    git(repo, "commit", "--quiet", "--all", "--message", ".env is local");
    fs.rmSync(path.join(repo, env)); // a fresh checkout has none
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    const first = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect([first.code, first.err]).toEqual([0, ""]);
    expect(first.out).toMatch(/committed [0-9a-f]{12} as amplication-auth0/);
    expect(first.out).toContain(
      `not committed, as git ignores it (written in the working tree): ${env}`,
    );
    expect(fs.readFileSync(path.join(repo, env), "utf8")).toContain(
      "AUTH0_AUDIENCE=",
    );
    const committed = git(repo, "show", "--name-only", "--format=", "HEAD");
    expect(committed).toContain("apps/shop-server/src/auth/auth.module.ts");
    expect(committed).not.toContain(env);
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(fs.readFileSync(summary, "utf8")).toContain(
      `Written but not committed, as git ignores it: \`${env}\`.`,
    );

    // Again on a fresh checkout of the converted branch: only the .env is written.
    fs.rmSync(path.join(repo, env));
    const head = git(repo, "rev-parse", "HEAD");
    const again = await cli("apply", "--commit", "--json", repo);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({
      commit: null,
      ignoredByGit: [env],
    });
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
  });

  it("a commit git refuses (a failing hook): exit 1, and --json says the conversion was written", async () => {
    const repo = exampleRepository();
    const hook = path.join(repo, ".git/hooks/pre-commit");
    fs.writeFileSync(hook, "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n");
    fs.chmodSync(hook, 0o755);
    const head = git(repo, "rev-parse", "HEAD");
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    const { code, out, err } = await cli(
      "apply",
      "--commit",
      "--json",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    expect(fs.readFileSync(summary, "utf8")).toContain(
      ": this build was converted but not committed",
    );
    expect(JSON.parse(out)).toMatchObject({
      written: true,
      exitCode: 1,
      error: { kind: "commit" },
    });
    expect(err).toContain(
      "--commit: the conversion was written but git did not commit it: lint failed",
    );
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(
      fs.existsSync(
        path.join(repo, "apps/shop-admin/src/auth-provider/ra-auth-auth0.ts"),
      ),
    ).toBe(true);
  });

  it('--summary-file: a build whose only service cannot be converted says so and why, never "already converted"', async () => {
    const repo = exampleRepository();
    fs.rmSync(path.join(repo, "apps/shop-server/src/auth/jwt"), {
      recursive: true,
    });
    git(
      repo,
      "commit",
      "--quiet",
      "--all",
      "--message",
      "a provider-less build",
    );
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    const { code } = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    const markdown = fs.readFileSync(summary, "utf8");
    expect(markdown).toContain(": this build was not converted");
    expect(markdown).toContain(
      "- `shop`: its authentication is incomplete (DefaultAuthGuard extends JwtAuthGuard; src/auth/jwt/base/jwt.strategy.base.ts is missing)",
    );
    expect(markdown).toContain("Nothing was written or committed");
    expect(markdown).not.toContain("already converted");
  });

  it("--summary-file: a run that refuses files it cannot write safely and files a rule refuses lists each with its reason and fix", async () => {
    const repo = exampleRepository();
    const outside = tempDir("aa0-outside-");
    fs.renameSync(
      path.join(repo, "apps/shop-admin/.env"),
      path.join(outside, ".env"),
    );
    fs.symlinkSync(
      path.join(outside, ".env"),
      path.join(repo, "apps/shop-admin/.env"),
    );
    fs.appendFileSync(
      path.join(repo, "apps/shop-server/.env"),
      "AUTH0_AUDIENCE=a\nAUTH0_AUDIENCE=b\n",
    );
    git(repo, "commit", "--quiet", "--all", "--message", "edits");
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    const { code } = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    const markdown = fs.readFileSync(summary, "utf8");
    expect(markdown).toContain(
      "The run refused 2 files (files it cannot read or write safely come first):",
    );
    expect(markdown).toMatch(
      /- \*\*File:\*\* `apps\/shop-admin\/\.env`\n- \*\*Reason:\*\* is a symbolic link that leads outside the repository/,
    );
    expect(markdown).toMatch(
      /- \*\*File:\*\* `apps\/shop-server\/\.env`\n- \*\*Rule:\*\* `server\/env-auth0`\n- \*\*Reason:\*\* AUTH0_AUDIENCE is defined more than once/,
    );
    expect(markdown).not.toContain("```");
  });

  it("--summary-file without --commit says what apply wrote, and a dry run what it would", async () => {
    const repo = exampleRepository();
    const summary = path.join(tempDir("aa0-summary-"), "summary.md");
    expect(
      (await cli("apply", "--dry-run", "--summary-file", summary, repo)).code,
    ).toBe(0);
    expect(fs.readFileSync(summary, "utf8")).toMatch(
      /Dry run: would convert `shop` to Auth0: \d+ files; nothing written\./,
    );
    expect((await cli("apply", "--summary-file", summary, repo)).code).toBe(0);
    expect(fs.readFileSync(summary, "utf8")).toMatch(
      /\n\nConverted `shop` to Auth0: \d+ files written\.\n/,
    );
  });

  it("--summary-file that cannot be written: refused before the run, nothing converted", async () => {
    const repo = exampleRepository();
    const head = git(repo, "rev-parse", "HEAD");
    const before = hashTree(repo);
    const missing = path.join(tempDir("aa0-summary-"), "missing");
    const summary = path.join(missing, "summary.md");
    const human = await cli(
      "apply",
      "--commit",
      "--summary-file",
      summary,
      repo,
    );
    expect(human.code).toBe(2);
    expect(human.err).toContain(
      `--summary-file ${summary} cannot be written: its folder ${missing} does not exist (ENOENT)`,
    );
    expect(human.err).toContain("fix: ");
    expect(human.err).not.toContain("internal error");
    const json = await cli("apply", "--json", "--summary-file", summary, repo);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({
      written: false,
      exitCode: 2,
      error: { kind: "summary-file", file: summary },
    });
    // a folder where the file should be
    const folder = await cli("apply", "--summary-file", tempDir(), repo);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain("cannot be written: it is a folder (EISDIR)");
    expect(hashTree(repo)).toBe(before);
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("--summary-file that fails after the conversion was written: says it was written and committed, exit 1", async () => {
    const repo = exampleRepository();
    const head = git(repo, "rev-parse", "HEAD");
    const folder = tempDir("aa0-summary-");
    const summary = path.join(folder, "summary.md");
    // The summary's folder goes away between the check before the run and the summary.
    const hook = path.join(repo, ".git/hooks/post-commit");
    fs.writeFileSync(hook, `#!/bin/sh\nrm -r '${folder}'\n`);
    fs.chmodSync(hook, 0o755);
    const { code, out, err } = await cli(
      "apply",
      "--commit",
      "--json",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    const commit = git(repo, "rev-parse", "HEAD").trim();
    expect(commit).not.toBe(head.trim());
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(JSON.parse(out)).toMatchObject({
      written: true,
      exitCode: 1,
      error: { kind: "summary-file", file: summary, commit },
    });
    expect(err).toContain(
      `--summary-file ${summary} could not be written (ENOENT: no such file or directory`,
    );
    expect(err).toContain(
      `the conversion was written and committed (${commit.slice(0, 12)})`,
    );
    expect(err).not.toContain("internal error");
    expect(err).not.toContain("nothing was written");
  });

  it("--summary-file that fails after a failure: the failure is reported, the lost summary said beside it", async () => {
    const repo = exampleRepository();
    const folder = tempDir("aa0-summary-");
    const summary = path.join(folder, "summary.md");
    // git refuses the commit of what apply wrote, and the summary's folder goes with it
    const hook = path.join(repo, ".git/hooks/pre-commit");
    fs.writeFileSync(hook, `#!/bin/sh\nrm -r '${folder}'\nexit 1\n`);
    fs.chmodSync(hook, 0o755);
    const { code, out, err } = await cli(
      "apply",
      "--commit",
      "--json",
      "--summary-file",
      summary,
      repo,
    );
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      written: true,
      error: { kind: "commit" },
    });
    expect(err).toContain(
      `warning: --summary-file ${summary} could not be written (ENOENT`,
    );
    expect(err).toContain(
      "the conversion was written but git did not commit it",
    );
  });

  it("refuses before writing when it cannot commit: outside git, with --dry-run, a bad --author", async () => {
    const plain = copyTree(path.join(EXAMPLE, "input"));
    fs.copyFileSync(
      path.join(EXAMPLE, "auth0.config.json"),
      path.join(plain, "auth0.config.json"),
    );
    const before = hashTree(plain);
    const outside = await cli("apply", "--commit", plain);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain("not inside a git work tree");
    expect(hashTree(plain)).toBe(before);

    const repo = exampleRepository();
    const head = git(repo, "rev-parse", "HEAD");
    const dry = await cli("apply", "--commit", "--dry-run", repo);
    expect(dry.code).toBe(2);
    expect(dry.err).toContain("--commit cannot be combined with --dry-run");
    const author = await cli("apply", "--commit", "--author", "nobody", repo);
    expect(author.code).toBe(2);
    expect(author.err).toContain('expected "Name <email>"');
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  describe("an app in a git submodule", () => {
    /** The superproject, with a config naming the app's services in the submodule. */
    function superproject(
      app: string,
      services: Array<{ server: string; admin?: string }>,
      config = path.join(EXAMPLE, "auth0.config.json"),
    ): string {
      return superprojectWith(committedCopy(app), {
        files: {
          "auth0.config.json": JSON.stringify({
            ...JSON.parse(fs.readFileSync(config, "utf8")),
            services,
          }),
        },
      });
    }

    it("refuses before writing: the commit would be the submodule's, which this repository's cannot hold (exit 2, names the submodule and the fix)", async () => {
      const top = superproject(path.join(EXAMPLE, "input"), [
        { server: "app/apps/shop-server", admin: "app/apps/shop-admin" },
      ]);
      const app = path.join(top, "app");
      const heads = [
        git(top, "rev-parse", "HEAD"),
        git(app, "rev-parse", "HEAD"),
      ];
      const before = hashTree(top);

      const { code, err } = await cli("apply", "--commit", top);

      expect(code).toBe(2);
      expect(err).toContain(
        `--commit: the files to convert are in the git submodule (or nested repository) app, and a commit in ${top} cannot hold them; nothing was written.\n` +
          "  fix: run apply --commit in app (with a config there whose services are relative to it), or apply without --commit here and commit in app yourself",
      );
      expect(hashTree(top)).toBe(before);
      expect([
        git(top, "rev-parse", "HEAD"),
        git(app, "rev-parse", "HEAD"),
      ]).toEqual(heads);
      expect(git(app, "status", "--porcelain")).toBe("");
    });

    it("a run a failing service stops writes nothing, and says nothing of a commit that git refused", async () => {
      // The catalog server has no login: listed, it fails the run.
      const input = path.join(ROOT, "fixtures/apps/two-services/input");
      const top = superproject(
        input,
        [
          { server: "app/apps/orders-server" },
          { server: "app/apps/catalog-server" },
        ],
        path.join(ROOT, "fixtures/apps/two-services/auth0.config.json"),
      );
      const before = hashTree(top);

      const { code, out, err } = await cli("apply", "--commit", top);

      expect(code).toBe(1);
      expect(out + err).toContain("catalog");
      expect(out + err).not.toContain("written but git did not commit");
      expect(hashTree(top)).toBe(before);
    });
  });
});
