/**
 * A repository that is one server, at its root: init finds it and lists it as "server": ".",
 * and it converts as the same server does under apps/; the next steps say where to run npm
 * install.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "./helpers/cli";
import { copyTree, readTree } from "./helpers/files";

const EXAMPLE = path.resolve(__dirname, "../fixtures/apps/shop-2025");
const SERVER = "apps/shop-server";

function serverAtRoot(): string {
  const dir = copyTree(path.join(EXAMPLE, "input", SERVER));
  const config = JSON.parse(
    fs.readFileSync(path.join(EXAMPLE, "auth0.config.json"), "utf8"),
  );
  delete config.$schema;
  config.services = [{ name: "shop", server: "." }];
  fs.writeFileSync(
    path.join(dir, "auth0.config.json"),
    `${JSON.stringify(config, null, 2)}\n`,
  );
  return dir;
}

function commitAll(dir: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("add", "-A");
  git(
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.com",
    "commit",
    "-qm",
    message,
  );
}

describe("a server at the repository's root", () => {
  it("converts as under apps/, says to run npm install in the root, and twice changes nothing", async () => {
    const dir = serverAtRoot();
    const first = await runCli(["apply", dir, "--no-color"]);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/\d+ files written; 1 service\(s\) converted\n/);
    const steps = first.out.slice(first.out.indexOf("Next steps:"));
    expect(steps).toContain(
      `\n  cd ${dir} && npm install   (its dependencies changed; commit the lock file it updates)\n`,
    );

    const converted = readTree(dir);
    converted.delete("auth0.config.json");
    expect(converted).toEqual(readTree(path.join(EXAMPLE, "expected", SERVER)));

    const second = await runCli(["apply", dir, "--no-color"]);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain("Next steps:");
    expect(readTree(dir)).toEqual(
      new Map([...converted, ["auth0.config.json", expect.any(String)]]),
    );
    expect((await runCli(["check", dir, "--no-color"])).code).toBe(0);
  });

  it('init finds it and lists it as "."; init, apply, check exit 0, 0, 0 in a git repository', async () => {
    const dir = copyTree(path.join(EXAMPLE, "input", SERVER));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    commitAll(dir, "generated");
    const init = await runCli(["init", dir, "--no-color"]);
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    const file = path.join(dir, "auth0.config.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(config.services).toEqual([{ name: "server", server: "." }]);
    config.auth0 = JSON.parse(
      fs.readFileSync(path.join(EXAMPLE, "auth0.config.json"), "utf8"),
    ).auth0;
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    commitAll(dir, "config");
    const apply = await runCli(["apply", dir, "--no-color"]);
    expect(apply.err).toBe("");
    expect(apply.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "src/auth/token.service.ts"))).toBe(
      false,
    );
    expect((await runCli(["check", dir, "--no-color"])).code).toBe(0);
  });
});
