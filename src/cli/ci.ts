/** `amplication-auth0 ci github|gitlab`: the CI job that re-applies the conversion after every build. */
import * as path from "node:path";
import type { Command } from "commander";
import { DEFAULT_AUTHOR, formatAuthor, parseAuthor } from "../ci/git";
import {
  GITHUB_WORKFLOW_FILE,
  githubWorkflow,
  gitlabJob,
  PACKAGE_NAME,
  repositoryPin,
  WorkflowFolderError,
  writeWorkflow,
} from "../ci/workflow";
import {
  gitTopLevel,
  inSubFolderMessage,
  repositoryAbove,
} from "../commit/git";
import { packageVersion } from "../package-info";

interface CiFlags {
  dryRun?: boolean;
  force?: boolean;
  author?: string;
}

const AUTHOR_HELP = `the author of the conversion commits; the job skips its own (default: "${formatAuthor(DEFAULT_AUTHOR)}")`;

/**
 * @param write the command's output (stdout)
 * @param note what goes beside it (stderr), so that a printed workflow or job stays pipeable
 */
export function ci(
  program: Command,
  write: (text: string) => void,
  note: (text: string) => void,
): void {
  const command = program
    .command("ci")
    .description(
      "write the CI job that runs apply --commit after every Amplication build",
    );

  command
    .command("github")
    .description(
      `write ${GITHUB_WORKFLOW_FILE}: on every push to amplication or amplication-*, apply --commit and push`,
    )
    .argument("[dir]", "repository root", ".")
    .option("-n, --dry-run", "print the workflow, write nothing")
    .option("--force", "replace a different existing workflow file")
    .option("--author <name-and-email>", AUTHOR_HELP)
    .action((dir: string, flags: CiFlags) => {
      const root = path.resolve(dir);
      const top = repositoryAbove(root);
      if (top)
        throw new WorkflowFolderError(
          inSubFolderMessage(
            root,
            top,
            "ci github",
            "GitHub reads workflows from the repository's root folder only",
          ),
        );
      const pin = repositoryPin(root);
      const workflow = githubWorkflow({
        version: packageVersion(),
        author: flags.author ? parseAuthor(flags.author) : undefined,
      });
      if (flags.dryRun) {
        write(workflow);
        if (pin === undefined) note(registryNote());
        return;
      }
      const outcome = writeWorkflow(path.resolve(dir), workflow, {
        force: flags.force,
      });
      write(
        outcome === "unchanged"
          ? `${GITHUB_WORKFLOW_FILE} is up to date`
          : `${outcome === "written" ? "wrote" : "replaced"} ${GITHUB_WORKFLOW_FILE}; commit it on your default branch, and on an amplication branch whose pull request is open`,
      );
      if (pin === undefined) write(registryNote());
    });

  command
    .command("gitlab")
    .description(
      "print a .gitlab-ci.yml job that does the same on GitLab (merge it into your file)",
    )
    .option("--author <name-and-email>", AUTHOR_HELP)
    .action((flags: CiFlags) => {
      // the repository whose .gitlab-ci.yml it goes into
      const pin = repositoryPin(gitTopLevel(process.cwd()) ?? process.cwd());
      write(
        gitlabJob({
          version: packageVersion(),
          author: flags.author ? parseAuthor(flags.author) : undefined,
        }),
      );
      if (pin === undefined) note(registryNote());
    });
}

/** What the job installs when the repository pins no version of this package. */
function registryNote(): string {
  return (
    `warning: the job installs ${PACKAGE_NAME}@${packageVersion()} from the npm registry (package.json pins none), where it is not published yet: ` +
    "keep the tarball you installed in the repository and pin it (mkdir -p vendor && cp <the .tgz> vendor/ && npm install --save-dev ./vendor/<the .tgz>), commit both: the job installs what package.json pins"
  );
}
