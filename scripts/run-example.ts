/**
 * `npm run example`: converts the bundled example app (fixtures/apps/shop-2025) in a temporary
 * copy, printing the diff and the summary, then applies it there and runs `check`.
 */
import { main } from "../src/cli/main";
import { copyExampleApp } from "./example-app";

async function example(): Promise<number> {
  const dir = copyExampleApp("amplication-auth0-example-");
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
