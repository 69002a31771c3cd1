/**
 * A repository that is one server, at its root: the config lists it with "server": "." (init
 * looks only below the root, so the user writes that line). It converts as the same server does
 * under apps/, and the next steps say where to run npm install.
 */
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

describe("a server at the repository's root", () => {
  it("converts as under apps/, says to run npm install in the root, and twice changes nothing", async () => {
    const dir = serverAtRoot();
    const first = await runCli(["apply", dir, "--no-color"]);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const steps = first.out.slice(first.out.indexOf("Next steps:"));
    expect(steps).toContain("\n  npm install   (its dependencies changed)\n");
    expect(steps).not.toContain("cd ");

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
});
