/**
 * `npm run example`: converts the bundled example app (fixtures/apps/shop-2025) in a temporary
 * copy, printing the diff and the summary, then applies it there and runs `check`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../src/cli/main";
import { packageRoot } from "../src/package-info";

async function example(): Promise<number> {
  const fixture = path.join(packageRoot(), "fixtures/apps/shop-2025");
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), "amplication-auth0-example-"),
  );
  fs.cpSync(path.join(fixture, "input"), dir, { recursive: true });
  fs.copyFileSync(
    path.join(fixture, "auth0.config.json"),
    path.join(dir, "auth0.config.json"),
  );
  console.log(
    `example app copied to ${dir}\n\n$ amplication-auth0 apply --dry-run`,
  );
  let code = await main(["apply", dir, "--dry-run"]);
  if (code !== 0) return code;
  console.log("\n$ amplication-auth0 apply");
  code = await main(["apply", dir]);
  if (code !== 0) return code;
  console.log("\n$ amplication-auth0 check");
  code = await main(["check", dir]);
  console.log(`\nthe converted copy stays in ${dir}`);
  return code;
}

example().then((code) => {
  process.exitCode = code;
});
