/** The bundled example app (fixtures/apps/shop-2025), as `npm run example` and the build use it. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageRoot } from "../src/package-info";

/** A new copy of the example app with its auth0.config.json, in a temporary folder of its own. */
export function copyExampleApp(prefix: string): string {
  const fixture = path.join(packageRoot(), "fixtures/apps/shop-2025");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(fixture, "input"), dir, { recursive: true });
  fs.copyFileSync(
    path.join(fixture, "auth0.config.json"),
    path.join(dir, "auth0.config.json"),
  );
  return dir;
}
